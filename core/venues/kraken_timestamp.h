#pragma once
/// Kraken v2 timestamps: RFC 3339 in UTC, "2023-10-06T17:35:55.440295Z".

#include <optional>
#include <string_view>

#include "book/types.h"

namespace flowscope::venues {

/// Nanoseconds since the Unix epoch for "YYYY-MM-DDTHH:MM:SS[.fraction]Z" (up to 9 fraction
/// digits; 'Z' required, as Kraken always sends UTC). nullopt for anything else.
std::optional<TimeNs> parseKrakenTimestamp(std::string_view text);

}  // namespace flowscope::venues
