#pragma once
/// Price buckets for the heatmaps: rows of a fixed number of ticks, aligned to multiples of it,
/// so that a view covers a useful share of the price on any instrument (±2% of BTCUSDT at a
/// 0.01 tick is 250,000 ticks: far too many rows to keep, far too thin to see). Sizes in a
/// bucket are exact integer sums of lots. A "level" of the imbalance heatmap is one non-empty
/// bucket from the touch: level 1 is the bucket holding the best bid (ask), level 2 the next
/// bucket outward that holds any size, and so on; with one tick per bucket that is the book's
/// m-th price level, as before.
///
/// Threading: pure functions.

#include <span>

#include "book/order_book.h"

namespace flowscope {

/// The smallest 1-2-2.5-5 step (1, 2, 5, 10, 20, 25, 50, 100, ... ticks) at which `halfRangeRows`
/// rows each side of `priceTicks` cover at least `fraction` of the price; at least 1.
PriceTicks heatmapBucketTicks(PriceTicks priceTicks, int halfRangeRows, double fraction);

/// The low price of the bucket holding `price`.
constexpr PriceTicks bucketLow(PriceTicks price, PriceTicks bucketTicks) {
    const PriceTicks q = price / bucketTicks;
    return ((price % bucketTicks != 0 && price < 0) ? q - 1 : q) * bucketTicks;
}

/// The first out.size() non-empty buckets of `side` from the touch outward: price = the
/// bucket's low price, qty = the sum of its levels. Entries past the book's last bucket are
/// emptyLevel(side). Returns how many were filled. O(levels of the book walked).
std::size_t bucketLevels(const BookSide& side, Side which, PriceTicks bucketTicks,
                         std::span<Level> out);

/// Multi-level order-flow imbalance of the buckets between two samples of the book (Cont,
/// Kukanov and Stoikov's e_n per level, with bucket prices): positive is buying pressure (bids
/// added or raised, asks taken or lifted). A missing level is the side's empty level, as in the
/// imbalance engine. out[m] for m < out.size(); the inputs must be at least that long.
void bucketLevelOfi(std::span<const Level> bidsBefore, std::span<const Level> asksBefore,
                    std::span<const Level> bidsAfter, std::span<const Level> asksAfter,
                    std::span<Lots> out);

}  // namespace flowscope
