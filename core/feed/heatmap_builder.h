#pragma once
/// Cuts the book's history into fixed time buckets (default 100 ms) for the heatmaps: at each
/// bucket's end, the resting size at every price around the touch, the touch itself, the micro-
/// price, and the multi-level OFI summed over the bucket. Quiet buckets repeat the standing book
/// (it did stand still); buckets without a valid book are marked as gaps, never filled in.
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
    int halfRangeTicks = 250;  ///< price rows each side of the mid
    int levels = 10;           ///< depth levels for the imbalance heatmap
};

class HeatmapBuilder {
  public:
    using Emit = std::function<void(HeatmapColumn&&)>;
    HeatmapBuilder(HeatmapConfig config, Emit emit);

    /// Call before applying an event at `timeNs` to the book: closes every bucket that ended
    /// before it, from the book as it stood. `bookValid` false marks those buckets as gaps.
    void advance(TimeNs timeNs, const OrderBook& book, bool bookValid);
    /// Adds an event's per-level OFI (index 0 = touch) to the open bucket.
    void addLevelOfi(std::span<const Lots> levelOfi);

    const HeatmapConfig& config() const { return config_; }

    /// Quiet buckets emitted at most after a silence (one minute of 100 ms buckets), so a stalled
    /// source cannot flood the GUI's queue or stall the feed thread.
    static constexpr std::int64_t kMaxCatchUpBuckets = 600;

  private:
    HeatmapColumn makeColumn(std::int64_t bucket, const OrderBook& book, bool bookValid) const;

    HeatmapConfig config_;
    Emit emit_;
    std::int64_t openBucket_ = INT64_MIN;
    std::vector<Lots> bucketOfi_;
};

}  // namespace flowscope
