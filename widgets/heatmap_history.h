#pragma once
/// The heatmap's memory for one symbol: every time-bucket column and every trade, in time order,
/// under a fixed byte budget (the oldest go first). Appends are O(1) amortised; time queries are
/// binary searches. The color map only ever holds what is on screen; this is the record it is
/// cut from, so zooming out to the whole hour, or a reconnect, loses nothing still in budget.
///
/// Threading: GUI thread only. No Qt in here, so tests and benches drive it directly.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <vector>

#include "feed/market_snapshot.h"

namespace flowscope {

struct HistoryLimits {
    /// Columns: 36,000 an hour at 100 ms; a column of 1,001 price buckets costs 4,132 bytes, an
    /// hour ~149 MB, so this keeps about 1 h 40 min and stays inside the 300 MB a symbol may use.
    std::size_t columnBytes = std::size_t{240} << 20;
    /// Trades are aggregated per (bucket, price), so this is hours even at 10k prints/s.
    std::size_t tradeBytes = std::size_t{48} << 20;
    /// Used to bucket trades until the first column tells the real width.
    TimeNs defaultBucketNs = 100'000'000;
};

class HeatmapHistory {
  public:
    /// What the heatmap keeps of a HeatmapColumn: the sizes (moved, not copied), the touch and
    /// the touch OFI. The per-level quantities feed other views and are dropped here.
    struct Column {
        TimeNs startNs = 0;
        TimeNs endNs = 0;
        PriceTicks basePrice = 0;    ///< low price of sizes[0]
        PriceTicks bucketTicks = 1;  ///< ticks per row of sizes
        Level bestBid = emptyLevel(Side::Bid);
        Level bestAsk = emptyLevel(Side::Ask);
        double microPrice = std::nan("");  ///< ticks
        Lots touchOfi = 0;                 ///< levelOfi[0] summed over the bucket
        float maxSize = 0.0f;
        bool gap = false;
        std::vector<float> sizes;

        /// Resting size in the bucket holding `price`; 0 outside the column's rows.
        float sizeAt(PriceTicks price) const;
        /// Summed size of the buckets starting in [low, low + ticks).
        float sizeOver(PriceTicks low, int ticks) const;
    };

    /// Prints merged per bucket and price: a bubble shows what traded there, and a sweep of a
    /// thousand prints must not cost a thousand records.
    struct TradeBin {
        TimeNs bucketStartNs = 0;
        PriceTicks price = 0;
        Lots buyQty = 0;   ///< buyer-initiated (aggressor Bid)
        Lots sellQty = 0;  ///< seller-initiated (aggressor Ask)
        std::uint32_t prints = 0;
        Lots volume() const { return buyQty + sellQty; }
    };

    enum class AppendResult : std::uint8_t {
        Appended,
        /// Time went backwards (a replay restarted earlier), or the rows changed their width:
        /// the old history cannot stay in order or be binned with the new, so it was dropped and
        /// this column starts a new one.
        Restarted,
    };

    explicit HeatmapHistory(HistoryLimits limits = {});

    AppendResult append(HeatmapColumn&& column);
    void append(const Trade& trade);
    void clear();

    bool empty() const { return columns_.empty(); }
    std::size_t columnCount() const { return columns_.size(); }
    const Column& column(std::size_t i) const { return columns_[i]; }
    const Column& lastColumn() const { return columns_.back(); }
    /// Index of the first column ending after `timeNs` (columnCount() if none).
    std::size_t lowerBound(TimeNs timeNs) const;
    /// The column whose bucket holds `timeNs`, or nullptr (before, after, or in a hole).
    const Column* columnAt(TimeNs timeNs) const;
    TimeNs startNs() const { return columns_.empty() ? 0 : columns_.front().startNs; }
    TimeNs endNs() const { return columns_.empty() ? 0 : columns_.back().endNs; }
    TimeNs bucketNs() const { return bucketNs_; }
    /// Ticks per price row of the columns held (1 before the first).
    PriceTicks bucketTicks() const { return bucketTicks_; }

    std::size_t tradeCount() const { return trades_.size(); }
    const TradeBin& trade(std::size_t i) const { return trades_[i]; }
    /// Index of the first trade bin at or after `timeNs`.
    std::size_t tradeLowerBound(TimeNs timeNs) const;
    /// Trade bins evicted so far: index i here is absolute index i + tradesEvicted(), which lets
    /// a cache of binned trades survive evictions.
    std::uint64_t tradesEvicted() const { return tradesEvicted_; }
    std::uint64_t columnsEvicted() const { return columnsEvicted_; }

    /// What the store accounts for: each column's record, its sizes' heap block and the
    /// allocator's header; the same for trade bins. Excludes the deques' few block pointers.
    std::size_t bytesUsed() const { return columnBytes_ + tradeBytes_; }
    std::size_t columnBytes() const { return columnBytes_; }
    std::size_t tradeBytes() const { return tradeBytes_; }
    const HistoryLimits& limits() const { return limits_; }
    /// Accounted cost of one column with `rows` price rows.
    static std::size_t columnCost(std::size_t rows);

  private:
    static std::size_t costOf(const Column& c);
    void evict();

    HistoryLimits limits_;
    TimeNs bucketNs_;
    PriceTicks bucketTicks_ = 1;
    std::deque<Column> columns_;
    std::deque<TradeBin> trades_;
    std::size_t columnBytes_ = 0;
    std::size_t tradeBytes_ = 0;
    std::uint64_t columnsEvicted_ = 0;
    std::uint64_t tradesEvicted_ = 0;
};

/// The half-span in ticks, around `centreTicks`, of the smallest symmetric price band holding
/// `share` (0..1] of the column's resting size: the band is grown bucket by bucket outward, so
/// the result is a whole number of buckets. 0 for a gap or an empty column.
double liquidityHalfSpan(const HeatmapHistory::Column& column, double centreTicks, double share);

}  // namespace flowscope
