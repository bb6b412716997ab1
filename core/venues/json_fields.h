#pragma once
/// Readers shared by the venues' simdjson frame parsers: the reused parse state, number and
/// string fields, level arrays and reused output slots.
///
/// Include from core .cpp files only: this header exposes simdjson's types, whose layout depends
/// on compile definitions (SIMDJSON_THREADS_ENABLED) that only the core library is built with.

#include <simdjson.h>

#include <cstddef>
#include <string_view>
#include <vector>

#include "venues/field_error.h"
#include "venues/padded_frame.h"
#include "venues/text_level.h"

namespace flowscope::venues::json {

/// One parser's reused state: the padded copy of the frame, the simdjson parser and its
/// document. Nothing allocates once the buffers have grown to the largest frame seen.
class FrameDocument {
  public:
    /// Parses `text`, which must be a JSON object, into `root`. The object and every view read
    /// from it are valid until the next call.
    simdjson::error_code readObject(std::string_view text, simdjson::ondemand::object& root);

  private:
    PaddedFrame frame_;
    /// Validates the whole frame first. Why: simdjson's on-demand parser checks structure only
    /// where it reads, and in 3.0 an object with a broken value it skipped over, searched again
    /// out of order, reaches an internal assumption (undefined behaviour) instead of an error; the
    /// fuzzers found such frames. These venues' frames are small, so a full validation costs
    /// little; the hot Binance depth stream keeps its single in-order pass.
    simdjson::dom::parser validator_;
    simdjson::ondemand::parser parser_;
    simdjson::ondemand::document document_;
};

/// A JSON number's own token text, so that no value goes through a double; `ok` is false (and
/// the text empty) when the value is not a number.
std::string_view numberText(simdjson::ondemand::value value, bool& ok);

/// Reads `key` of `object` as a string when present. Absent, or of another type, leaves `out`
/// empty: for text that only describes (an error message, a notice code). An error other than
/// absence is returned: the document is broken and must not be read further.
simdjson::error_code optionalText(simdjson::ondemand::object& object, std::string_view key,
                                  std::string_view& out);

/// An optional field: Present (`value` set), Absent, or Broken. After Broken the caller must stop
/// reading the document: simdjson abandons a document after structural errors, and any further
/// access dereferences its released parser (found by the fuzzers).
enum class Field : std::uint8_t { Present, Absent, Broken };
Field findOptional(simdjson::ondemand::object& object, std::string_view key,
                   simdjson::ondemand::value& value);

/// The first two entries of a level array ["price", "size", ...] as strings; `entries` gets the
/// array's length (the entries past the second are not read).
simdjson::error_code readLevelStrings(simdjson::ondemand::array level, TextLevel& out,
                                      std::size_t& entries);

/// simdjson's error on `field` as a FieldError.
FieldError fieldError(const char* field, simdjson::error_code code);

/// Reads the required string `key` of `object`; the error names the field.
FieldError readString(simdjson::ondemand::object& object, const char* key, std::string_view& out);

/// Reads `key` of `object` as a T when present; an absent field is no error and leaves `out`.
template <typename T>
FieldError readOptional(simdjson::ondemand::object& object, const char* key, T& out) {
    auto field = object.find_field_unordered(key);
    if (field.error() == simdjson::NO_SUCH_FIELD) return {};
    if (const simdjson::error_code e = field.get(out)) return fieldError(key, e);
    return {};
}

/// The next of `items`' reused slots: entry `count` (grown by one when needed), `count` advanced.
/// The slot keeps whatever the previous message left in it.
template <typename T>
T& nextSlot(std::vector<T>& items, std::size_t& count) {
    if (items.size() <= count) items.emplace_back();
    return items[count++];
}

}  // namespace flowscope::venues::json
