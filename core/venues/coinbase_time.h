#pragma once
/// Coinbase Advanced Trade prints every time as RFC 3339 text with up to nine fractional digits
/// ("2023-02-09T20:32:50.714964855Z", "1970-01-01T00:00:00Z"). This turns such text into epoch
/// nanoseconds without allocating, since it runs for every message and every trade.

#include <optional>
#include <string_view>

#include "book/types.h"

namespace flowscope::venues {

/// "YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)" to ns since the Unix epoch (UTC). Digits past
/// the ninth fractional one are dropped (truncated, not rounded). nullopt: malformed text, a field
/// out of range (month 13, February 30, hour 24) or a time outside the int64 ns range
/// (1677-09-21 to 2262-04-11).
std::optional<TimeNs> parseRfc3339Ns(std::string_view text);

}  // namespace flowscope::venues
