#include "venues/okx_checksum.h"

#include <algorithm>

#include "venues/crc32.h"

namespace flowscope::venues {

namespace {

void addLevel(Crc32& crc, const TextLevel& level, bool& first) {
    if (!first) crc.add(':');
    first = false;
    crc.add(level.price);
    crc.add(':');
    crc.add(level.size);
}

}  // namespace

std::int32_t okxChecksum(std::span<const TextLevel> bids, std::span<const TextLevel> asks) {
    Crc32 crc;
    bool first = true;
    const std::size_t n = std::min(std::max(bids.size(), asks.size()), kOkxChecksumDepth);
    for (std::size_t i = 0; i < n; ++i) {
        if (i < bids.size()) addLevel(crc, bids[i], first);
        if (i < asks.size()) addLevel(crc, asks[i], first);
    }
    // OKX publishes the CRC's bits as a signed integer (two's complement).
    return static_cast<std::int32_t>(crc.value());
}

}  // namespace flowscope::venues
