#pragma once
/// Fixed-point vocabulary of the book: prices in integer ticks, sizes in integer lots.
/// Doubles appear only at the edges (parsing, display), never inside the book or the engine.

#include <cstdint>
#include <limits>

namespace flowscope {

using PriceTicks = std::int64_t;
using Lots = std::int64_t;
using TimeNs = std::int64_t;  ///< nanoseconds; epoch or after-midnight, as the source defines

enum class Side : std::uint8_t { Bid, Ask };

constexpr Side opposite(Side s) {
    return s == Side::Bid ? Side::Ask : Side::Bid;
}

/// One price level. An absent level is represented by the side's sentinel price and zero size,
/// so that OFI's price comparisons treat "no bid" as minus infinity and "no ask" as plus infinity.
struct Level {
    PriceTicks price = 0;
    Lots qty = 0;
    friend bool operator==(const Level&, const Level&) = default;
};

constexpr PriceTicks kNoBidPrice = std::numeric_limits<PriceTicks>::min();
constexpr PriceTicks kNoAskPrice = std::numeric_limits<PriceTicks>::max();

constexpr Level emptyLevel(Side s) {
    return {s == Side::Bid ? kNoBidPrice : kNoAskPrice, 0};
}
constexpr bool isEmptyLevel(const Level& l) {
    return l.price == kNoBidPrice || l.price == kNoAskPrice;
}

/// True when `a` is a better price than `b` for a resting order on side `s`.
constexpr bool isBetter(Side s, PriceTicks a, PriceTicks b) {
    return s == Side::Bid ? a > b : a < b;
}

}  // namespace flowscope
