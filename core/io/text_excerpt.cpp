#include "io/text_excerpt.h"

namespace flowscope {

namespace {

/// Length of the valid UTF-8 sequence starting at `text[i]` (2 to 4), or 0 when there is none.
std::size_t utf8Length(std::string_view text, std::size_t i) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t length = 0;
    unsigned char min = 0x80;
    unsigned char max = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) {
        length = 2;
    } else if (lead >= 0xe0 && lead <= 0xef) {
        length = 3;
        if (lead == 0xe0) min = 0xa0;  // overlong
        if (lead == 0xed) max = 0x9f;  // surrogates
    } else if (lead >= 0xf0 && lead <= 0xf4) {
        length = 4;
        if (lead == 0xf0) min = 0x90;  // overlong
        if (lead == 0xf4) max = 0x8f;  // above U+10FFFF
    } else {
        return 0;
    }
    if (i + length > text.size()) return 0;
    for (std::size_t k = 1; k < length; ++k) {
        const auto c = static_cast<unsigned char>(text[i + k]);
        if (c < (k == 1 ? min : 0x80) || c > (k == 1 ? max : 0xbf)) return 0;
    }
    return length;
}

void appendHex(std::string& out, unsigned char c) {
    static constexpr char kHex[] = "0123456789abcdef";
    out += "\\x";
    out += kHex[c >> 4];
    out += kHex[c & 0x0f];
}

}  // namespace

namespace {

/// The escaped excerpt and how many input bytes it covers.
std::size_t appendExcerpt(std::string& out, std::string_view text, std::size_t maxBytes) {
    std::size_t i = 0;
    while (i < text.size()) {
        const auto c = static_cast<unsigned char>(text[i]);
        const std::size_t length = c < 0x80 ? 1 : utf8Length(text, i);
        // A character that would cross the bound is left out whole, never cut.
        if (i + (length ? length : 1) > maxBytes) break;
        if (c >= 0x80) {
            // C1 controls (U+0080-U+009F, UTF-8 C2 80-C2 9F: U+009B is a CSI some terminals
            // obey) are controls like C0 ones: escaped byte by byte, never passed through.
            const bool c1 =
                length == 2 && c == 0xc2 && static_cast<unsigned char>(text[i + 1]) < 0xa0;
            if (c1) {
                appendHex(out, c);
                appendHex(out, static_cast<unsigned char>(text[i + 1]));
                i += 2;
            } else if (length) {
                out.append(text.substr(i, length));
                i += length;
            } else {
                appendHex(out, c);
                ++i;
            }
            continue;
        }
        switch (c) {
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            case '\'':
                out += "\\'";
                break;
            case '\\':
                out += "\\\\";
                break;
            default:
                if (c < 0x20 || c == 0x7f)
                    appendHex(out, c);
                else
                    out += static_cast<char>(c);
        }
        ++i;
    }
    return i;
}

}  // namespace

std::string quoteExcerpt(std::string_view text, std::size_t maxBytes) {
    std::string out = "'";
    const std::size_t covered = appendExcerpt(out, text, maxBytes);
    out += '\'';
    if (covered < text.size()) out += "... (" + std::to_string(text.size()) + " bytes)";
    return out;
}

std::string textExcerpt(std::string_view text, std::size_t maxBytes) {
    std::string out;
    const std::size_t covered = appendExcerpt(out, text, maxBytes);
    if (covered < text.size()) out += "... (" + std::to_string(text.size()) + " bytes)";
    return out;
}

bool hasControlCharacter(std::string_view text) {
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x20 || c == 0x7f) return true;
    }
    return false;
}

}  // namespace flowscope
