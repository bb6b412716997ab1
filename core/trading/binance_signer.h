#pragma once
/// Binance's request signature: HMAC-SHA256 of the exact parameter text that goes on the wire
/// (query string, or query string followed by the body), as lower-case hex. The text is signed
/// byte for byte, never re-ordered or re-encoded, so what the venue verifies is what was sent.

#include <string>
#include <string_view>

namespace flowscope::trading {

/// Lower-case hex HMAC-SHA256 of `payload` keyed with `secret` (64 characters).
std::string hmacSha256Hex(std::string_view secret, std::string_view payload);

/// `query` + "&signature=" + its signature: the signed query string Binance expects.
std::string signBinanceQuery(std::string_view query, std::string_view secret);

}  // namespace flowscope::trading
