#include "trading/query_string.h"

namespace flowscope::trading {

namespace {

bool unreserved(unsigned char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
}

}  // namespace

std::string percentEncode(std::string_view text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size());
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (unreserved(c)) {
            out += ch;
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 0x0f];
        }
    }
    return out;
}

QueryString& QueryString::add(std::string_view name, std::string_view value) {
    if (!text_.empty()) text_ += '&';
    text_ += percentEncode(name);
    text_ += '=';
    text_ += percentEncode(value);
    return *this;
}

QueryString& QueryString::add(std::string_view name, long long value) {
    return add(name, std::to_string(value));
}

bool isBinanceClientOrderId(std::string_view id) {
    if (id.empty() || id.size() > 36) return false;
    for (const char ch : id) {
        const auto c = static_cast<unsigned char>(ch);
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                        (c >= '0' && c <= '9') || c == '.' || c == ':' || c == '/' || c == '_' ||
                        c == '-';
        if (!ok) return false;
    }
    return true;
}

}  // namespace flowscope::trading
