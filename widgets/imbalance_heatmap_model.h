#pragma once
/// The imbalance heatmap's memory: for every time bucket of the feed (the liquidity heatmap's
/// buckets, default 100 ms) and every depth level m (index 0 = the touch), the multi-level OFI of
/// the bucket (the sum of e_n at level m, as HeatmapBuilder fills levelOfi), its z-score, and the
/// book sizes at level m at the bucket's end. The three cell measures are derived from these.
///
/// Normalisation: each level keeps the mean and standard deviation of its last `zWindow` bucket
/// OFIs (a fixed window with running sums, so a bucket costs O(levels)). A bucket's z-score uses
/// the statistics of the buckets before it, so a spike is not divided by itself. A fixed window
/// rather than an EWMA: "normal" is exactly the last minute, a burst leaves the baseline entirely
/// after it instead of lingering in a tail, and on integer OFIs the sums are exact, so a test can
/// compute the expected z-score by hand. Gap buckets (no valid book) are not samples: their flow
/// is unknown, not zero. Quiet buckets are samples of zero: quiet is part of normal.
///
/// Threading: GUI thread only. No Qt, so tests and benches drive it directly.

#include <cstdint>
#include <deque>
#include <limits>
#include <optional>
#include <span>
#include <vector>

#include "feed/market_snapshot.h"

namespace flowscope {

enum class ImbalanceMeasure : std::uint8_t {
    OfiZScore,       ///< level OFI of the bucket / that level's rolling standard deviation
    QueueImbalance,  ///< (bid_m - ask_m) / (bid_m + ask_m) at the bucket's end
    DepthImbalance,  ///< the same over the summed sizes of levels 1..m
};

/// Mean and standard deviation of the last `window` samples, O(1) per sample.
class RollingLevelStats {
  public:
    explicit RollingLevelStats(std::size_t window = 600);
    void push(Lots x);
    std::size_t count() const { return count_; }
    double mean() const;
    /// Sample standard deviation (n - 1); NaN below two samples.
    double stddev() const;

  private:
    std::vector<Lots> ring_;
    std::size_t next_ = 0;
    std::size_t count_ = 0;
    std::size_t sinceResum_ = 0;
    // Exact while the sums stay below 2^53; a full re-sum every `window` samples (amortised O(1))
    // keeps rounding from accumulating beyond that.
    double sum_ = 0.0;
    double sumSquares_ = 0.0;
};

struct ImbalanceHeatmapLimits {
    std::size_t maxBuckets = 72'000;  ///< two hours of 100 ms buckets (~23 MB at 10 levels)
    std::size_t zWindow = 600;        ///< one minute of 100 ms buckets
    std::size_t zMinSamples = 10;     ///< below this the z-score is undefined (warming up)
};

class ImbalanceHeatmapModel {
  public:
    static constexpr int kMaxLevels = 64;
    /// A z-score beyond this saturates the colour scale however the clamp is set.
    static constexpr double kZLimit = 1000.0;

    struct Bucket {
        TimeNs startNs = 0;
        TimeNs endNs = 0;
        bool gap = false;
        int levels = 0;               ///< cells this bucket holds (0 for a gap)
        std::uint64_t firstCell = 0;  ///< absolute index of its first cell
    };
    struct Cell {
        Lots ofi = 0;     ///< sum of e_n at this level over the bucket
        Lots bidQty = 0;  ///< size of the m-th best bid at the bucket's end
        Lots askQty = 0;
        /// ofi's z-score against the buckets before: NaN while warming up, +-inf when the level's
        /// history is flat (standard deviation 0) and ofi differs from it.
        float z = std::numeric_limits<float>::quiet_NaN();
    };

    enum class AppendResult : std::uint8_t { Appended, Restarted };

    explicit ImbalanceHeatmapModel(ImbalanceHeatmapLimits limits = {});

    /// O(levels of the column). A column earlier than the last restarts the history (a replay
    /// that jumped back), as the liquidity heatmap does.
    AppendResult append(const HeatmapColumn& column);
    void clear();

    std::size_t size() const { return buckets_.size(); }
    bool empty() const { return buckets_.empty(); }
    const Bucket& bucket(std::size_t i) const { return buckets_[i]; }
    /// Cell of bucket i at level m (0 = touch); a zero cell if the bucket has no such level.
    const Cell& cell(std::size_t i, int level) const;
    /// Most levels any bucket carried: what the view can show.
    int levels() const { return levels_; }
    TimeNs startNs() const { return buckets_.empty() ? 0 : buckets_.front().startNs; }
    TimeNs endNs() const { return buckets_.empty() ? 0 : buckets_.back().endNs; }
    TimeNs bucketNs() const { return bucketNs_; }
    std::uint64_t evicted() const { return evicted_; }
    /// Index of the first bucket ending after `timeNs` (size() if none).
    std::size_t lowerBound(TimeNs timeNs) const;
    /// The bucket holding `timeNs`, if the history has one.
    std::optional<std::size_t> indexAt(TimeNs timeNs) const;

    /// The measure at bucket i, level m: NaN for a gap; 0 where undefined (a z-score warming
    /// up, an empty level); a flat-history z-score is +-kZLimit.
    double value(std::size_t i, int level, ImbalanceMeasure measure) const;
    /// value() for levels 0..out.size()-1 of bucket i in one O(levels) pass.
    void values(std::size_t i, ImbalanceMeasure measure, std::span<float> out) const;
    /// Summed bid and ask sizes of levels 0..level of bucket i.
    std::pair<Lots, Lots> depthThrough(std::size_t i, int level) const;
    const RollingLevelStats& stats(int level) const {
        return stats_[static_cast<std::size_t>(level)];
    }
    const ImbalanceHeatmapLimits& limits() const { return limits_; }

  private:
    void evict();

    ImbalanceHeatmapLimits limits_;
    std::deque<Bucket> buckets_;
    std::deque<Cell> cells_;
    std::uint64_t cellsEvicted_ = 0;
    std::uint64_t evicted_ = 0;
    std::vector<RollingLevelStats> stats_;
    int levels_ = 0;
    TimeNs bucketNs_ = 100'000'000;
};

}  // namespace flowscope
