#pragma once
/// The one way an error message quotes text it was given (a field, an argument, a value): in
/// single quotes, at most a bounded number of bytes, cut on a UTF-8 character boundary, and with
/// control characters, NUL and bytes that are not valid UTF-8 shown as escapes, so a message is
/// one short printable line whatever the input was (a 10 MB field, a newline, half a character).

#include <cstddef>
#include <string>
#include <string_view>

namespace flowscope {

/// Bytes of the input a quote keeps by default.
inline constexpr std::size_t kExcerptBytes = 64;

/// `'text'`; longer text as `'first bytes'... (N bytes)`. Tab, CR, LF as \t \r \n, a quote or
/// backslash escaped, other control bytes, DEL and invalid UTF-8 as \xHH.
std::string quoteExcerpt(std::string_view text, std::size_t maxBytes = kExcerptBytes);

/// The same excerpt without the quotes, for text that reads as a name (an option's name).
std::string textExcerpt(std::string_view text, std::size_t maxBytes = kExcerptBytes);

/// True when `text` holds a control character (C0, DEL) anywhere.
bool hasControlCharacter(std::string_view text);

}  // namespace flowscope
