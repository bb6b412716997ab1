#include "book/size_list.h"

namespace flowscope {
namespace {

std::string_view trimmed(std::string_view s) {
    const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!s.empty() && space(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && space(s.back()))
        s.remove_suffix(1);
    return s;
}

}  // namespace

SizeList parseSizeList(std::string_view text, const Instrument& instrument) {
    SizeList out;
    while (true) {
        const std::size_t comma = text.find(',');
        const std::string_view part = trimmed(text.substr(0, comma));
        if (!part.empty()) {
            const auto lots = instrument.parseSize(part);
            if (lots && *lots > 0)
                out.sizes.push_back(*lots);
            else
                out.refused.emplace_back(part);
        }
        if (comma == std::string_view::npos) break;
        text.remove_prefix(comma + 1);
    }
    return out;
}

}  // namespace flowscope
