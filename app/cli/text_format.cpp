#include "text_format.h"

#include <charconv>
#include <cmath>

namespace flowscope::cli {

std::string formatDouble(double v) {
    if (std::isnan(v)) return "nan";
    char buf[64];
    auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, v);
    return ec == std::errc() ? std::string(buf, ptr) : "nan";
}

std::string jsonNumber(double v) {
    return std::isfinite(v) ? formatDouble(v) : "null";
}

std::string formatSeconds(std::int64_t ns) {
    const bool negative = ns < 0;
    const std::uint64_t magnitude = negative ? 0 - static_cast<std::uint64_t>(ns) : ns;
    std::string out = std::to_string(magnitude / 1'000'000'000);
    std::uint64_t frac = magnitude % 1'000'000'000;
    if (frac) {
        std::string digits = std::to_string(frac);
        digits.insert(0, 9 - digits.size(), '0');
        while (digits.back() == '0')
            digits.pop_back();
        out += "." + digits;
    }
    return negative ? "-" + out : out;
}

std::string formatHalves(std::int64_t twice) {
    const bool negative = twice < 0;
    const std::uint64_t magnitude = negative ? 0 - static_cast<std::uint64_t>(twice) : twice;
    std::string out = std::to_string(magnitude / 2);
    if (magnitude % 2) out += ".5";
    return negative ? "-" + out : out;
}

std::string jsonString(std::string_view text) {
    std::string out = "\"";
    for (const char c : text) {
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    static constexpr char kHex[] = "0123456789abcdef";
                    out += "\\u00";
                    out += kHex[(c >> 4) & 0xf];
                    out += kHex[c & 0xf];
                } else {
                    out += c;
                }
        }
    }
    out += '"';
    return out;
}

}  // namespace flowscope::cli
