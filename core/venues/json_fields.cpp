#include "venues/json_fields.h"

namespace flowscope::venues {

std::string describe(const FieldError& error) {
    const std::string field(error.field ? error.field : "?");
    if (field == "JSON") return "malformed JSON (" + std::string(error.detail) + ")";
    switch (error.problem) {
        case FieldProblem::Missing:
            return "missing field '" + field + "'";
        case FieldProblem::WrongType:
            return "field '" + field + "' has the wrong type";
        case FieldProblem::Malformed:
            break;
    }
    return "field '" + field + "': " + error.detail;
}

}  // namespace flowscope::venues

namespace flowscope::venues::json {

simdjson::error_code FrameDocument::readObject(std::string_view text,
                                               simdjson::ondemand::object& root) {
    const simdjson::padded_string_view padded = frame_.load(text);
    simdjson::dom::element ignored;
    if (const simdjson::error_code e = validator_.parse(padded.data(), padded.length(), false)
                                           .get(ignored)) {
        return e;
    }
    if (const simdjson::error_code e = parser_.iterate(padded).get(document_)) return e;
    return document_.get_object().get(root);
}

std::string_view numberText(simdjson::ondemand::value value, bool& ok) {
    simdjson::ondemand::json_type type{};
    ok = !value.type().get(type) && type == simdjson::ondemand::json_type::number;
    if (!ok) return {};
    // raw_json_token() may run on into the whitespace before the next token, which is not part
    // of the number.
    std::string_view token = value.raw_json_token();
    while (!token.empty() && (token.back() == ' ' || token.back() == '\n' || token.back() == '\r' ||
                              token.back() == '\t'))
        token.remove_suffix(1);
    return token;
}

simdjson::error_code optionalText(simdjson::ondemand::object& object, std::string_view key,
                                  std::string_view& out) {
    simdjson::ondemand::value value;
    const simdjson::error_code error = object.find_field_unordered(key).get(value);
    if (error == simdjson::NO_SUCH_FIELD) return simdjson::SUCCESS;
    if (error) return error;
    if (value.get_string().get(out)) out = {};
    return simdjson::SUCCESS;
}

Field findOptional(simdjson::ondemand::object& object, std::string_view key,
                   simdjson::ondemand::value& value) {
    const simdjson::error_code error = object.find_field_unordered(key).get(value);
    if (error == simdjson::SUCCESS) return Field::Present;
    return error == simdjson::NO_SUCH_FIELD ? Field::Absent : Field::Broken;
}

simdjson::error_code readLevelStrings(simdjson::ondemand::array level, TextLevel& out,
                                      std::size_t& entries) {
    entries = 0;
    for (auto entry : level) {
        // Every element's error counts, even one we ignore: after some errors simdjson abandons
        // the document, and reading on would dereference its dead parser.
        if (const simdjson::error_code e = entry.error()) return e;
        if (entries < 2) {
            std::string_view text;
            if (const simdjson::error_code e = entry.get_string().get(text)) return e;
            (entries == 0 ? out.price : out.size) = text;
        }
        ++entries;
    }
    return simdjson::SUCCESS;
}

FieldError fieldError(const char* field, simdjson::error_code code) {
    FieldProblem problem = FieldProblem::Malformed;
    if (code == simdjson::NO_SUCH_FIELD) problem = FieldProblem::Missing;
    if (code == simdjson::INCORRECT_TYPE) problem = FieldProblem::WrongType;
    return {field, problem, simdjson::error_message(code)};
}

FieldError readString(simdjson::ondemand::object& object, const char* key, std::string_view& out) {
    if (const simdjson::error_code e = object.find_field_unordered(key).get_string().get(out))
        return fieldError(key, e);
    return {};
}

}  // namespace flowscope::venues::json
