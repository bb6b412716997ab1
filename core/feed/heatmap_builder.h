#pragma once
/// Cuts the book's history into fixed time buckets (default 100 ms) for the heatmaps: at each
/// bucket's end, the resting size in price buckets (rows of bucketTicks ticks, see
/// price_buckets.h) around the touch, the touch itself, the micro-price, and per depth level
/// (one non-empty price bucket from the touch) the sizes and the OFI over the bucket. Quiet buckets
/// repeat the standing book (it did stand still); buckets without a valid book are marked as gaps,
/// never filled in.
///
/// Threading: feed thread only. Work per bucket is O(price rows + levels), per event O(levels).

#include <functional>
#include <span>
#include <vector>

#include "book/order_book.h"
#include "feed/market_snapshot.h"

namespace flowscope {

struct HeatmapConfig {
    TimeNs bucketNs = 100'000'000;
    /// Price rows each side of the mid: 1001 rows, ~4 KB a column, ~154 MB an hour.
    int halfRangeRows = 500;
    /// Ticks per row; 0 = chosen at the first valid book by heatmapBucketTicks so that the rows
    /// cover at least minRangeFraction of the price each side (BTCUSDT at 62,000 and a 0.01
    /// tick: 250 ticks, $2.50 rows, ±$1,250), then kept for the builder's life.
    PriceTicks bucketTicks = 0;
    double minRangeFraction = 0.02;
    int levels = 10;  ///< depth levels (non-empty price buckets) for the imbalance heatmap
};

class HeatmapBuilder {
  public:
    using Emit = std::function<void(HeatmapColumn&&)>;
    HeatmapBuilder(HeatmapConfig config, Emit emit);

    /// Call before applying an event at `timeNs` to the book: closes every bucket that ended
    /// before it, from the book as it stood. `bookValid` false marks those buckets as gaps.
    void advance(TimeNs timeNs, const OrderBook& book, bool bookValid);
    /// Adds an event's per-level OFI (index 0 = touch) to the open bucket. Used while a row is
    /// one tick (the engine's exact per-event OFI); with wider rows the levels are buckets and
    /// their OFI is taken between the book at consecutive bucket ends instead.
    void addLevelOfi(std::span<const Lots> levelOfi);

    const HeatmapConfig& config() const { return config_; }
    /// Ticks per row in use; 0 until chosen.
    PriceTicks bucketTicks() const { return bucketTicks_; }

    /// Quiet buckets emitted at most after a silence (one minute of 100 ms buckets), so a stalled
    /// source cannot flood the GUI's queue or stall the feed thread.
    static constexpr std::int64_t kMaxCatchUpBuckets = 600;

  private:
    HeatmapColumn makeColumn(std::int64_t bucket, const OrderBook& book, bool bookValid);

    HeatmapConfig config_;
    Emit emit_;
    std::int64_t openBucket_ = INT64_MIN;
    PriceTicks bucketTicks_ = 0;
    std::vector<Lots> bucketOfi_;
    std::vector<Lots> rowLots_;  ///< scratch: exact sums per row before the float copy
    /// Bucket levels at the previous column's end (empty: none to compare with, e.g. a gap).
    std::vector<Level> prevBids_, prevAsks_, bids_, asks_;
    bool havePrev_ = false;
};

}  // namespace flowscope
