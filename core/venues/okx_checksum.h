#pragma once
/// OKX's order-book checksum (v5 "books" channels): CRC-32, read as a signed 32-bit integer, of
/// the top 25 levels interleaved bid then ask, "bidPx:bidSz:askPx:askSz:...", with the price and
/// size strings exactly as OKX sent them. Where one side has fewer levels, the other side's
/// fields continue alone ("bid1:ask1:ask2" when there is one bid and two asks).

#include <cstddef>
#include <cstdint>
#include <span>

#include "venues/text_level.h"

namespace flowscope::venues {

/// Levels per side the checksum covers.
constexpr std::size_t kOkxChecksumDepth = 25;

/// Checksum of a book given as OKX's strings, best level first on each side. Only the first
/// kOkxChecksumDepth levels of each side are read. Does not allocate.
std::int32_t okxChecksum(std::span<const TextLevel> bids, std::span<const TextLevel> asks);

}  // namespace flowscope::venues
