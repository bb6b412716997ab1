#pragma once
/// A JSON field that was missing, mistyped or malformed, as the frame parsers report it to their
/// adapters for the problem log, without simdjson's types.

#include <cstdint>
#include <string>

namespace flowscope::venues {

enum class FieldProblem : std::uint8_t { Missing, WrongType, Malformed };

struct FieldError {
    const char* field = nullptr;  ///< nullptr: no error; "JSON" for the document itself
    FieldProblem problem = FieldProblem::Malformed;
    const char* detail = "";  ///< simdjson's message (static text)
    explicit operator bool() const { return field != nullptr; }
};

/// "missing field 'u'", "field 'p' has the wrong type", "malformed JSON (...)".
std::string describe(const FieldError& error);

}  // namespace flowscope::venues
