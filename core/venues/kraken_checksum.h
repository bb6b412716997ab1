#pragma once
/// Kraken's book checksum (WebSocket v1 and v2, identical algorithm): CRC-32 of the top 10 asks
/// (lowest price first) then the top 10 bids (highest first), each level written as its price
/// then its quantity, every number with '.' removed and leading zeros stripped.
///
/// v1 sends numbers as strings already printed with the pair's precision; v2 sends JSON numbers
/// that may drop trailing zeros ("0.566" for 0.5660), so the v2 checksum must be computed from
/// the numbers re-printed with the pair's precision: krakenBookChecksum does that from the
/// book's integers and the instrument's tick and lot decimals.

#include <cstddef>
#include <cstdint>
#include <span>

#include "book/instrument.h"
#include "book/order_book.h"
#include "venues/text_level.h"

namespace flowscope::venues {

/// Levels per side the checksum covers.
constexpr std::size_t kKrakenChecksumDepth = 10;

/// Checksum of a book given as Kraken's strings, best level first on each side. Only the first
/// kKrakenChecksumDepth levels of each side are read.
std::uint32_t krakenChecksum(std::span<const TextLevel> bids, std::span<const TextLevel> asks);

/// Checksum of an integer book. The instrument's tick and lot decimals must be the pair's price
/// and quantity precision (Kraken's AssetPairs pair_decimals / lot_decimals): a price of 452835
/// ticks of 0.1 is written "452835", 10000000 lots of 0.00000001 "10000000". Does not allocate.
std::uint32_t krakenBookChecksum(const OrderBook& book, const Instrument& instrument);

}  // namespace flowscope::venues
