#pragma once
/// Reads a list of order sizes as a user types it ("0.01, 0.05,0.1"): the sizes that read and,
/// apart, every part that does not, so that one bad part neither hides the good ones nor goes
/// unreported (the trading panel's size presets).

#include <string>
#include <string_view>
#include <vector>

#include "book/instrument.h"

namespace flowscope {

struct SizeList {
    std::vector<Lots> sizes;           ///< in the order given; each a positive whole number of lots
    std::vector<std::string> refused;  ///< the parts that are not, trimmed, in the order given
};

/// Splits `text` on commas; blank parts are skipped, surrounding spaces ignored.
SizeList parseSizeList(std::string_view text, const Instrument& instrument);

}  // namespace flowscope
