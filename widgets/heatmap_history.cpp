#include "heatmap_history.h"

#include <algorithm>
#include <utility>

#include "book/floor_div.h"

namespace flowscope {

namespace {

// Each heap block also pays the allocator's header (16 bytes with glibc on 64-bit).
constexpr std::size_t kAllocOverhead = 16;
// A sweep prints at several prices in the same bucket; look that far back for the same price.
constexpr std::size_t kMergeLookback = 64;

TimeNs floorTo(TimeNs t, TimeNs step) {
    const TimeNs q = t / step;
    return (q * step > t ? q - 1 : q) * step;
}

}  // namespace

float HeatmapHistory::Column::sizeAt(PriceTicks price) const {
    const PriceTicks i = floorDiv(price - basePrice, bucketTicks);
    if (i < 0 || i >= static_cast<PriceTicks>(sizes.size())) return 0.0f;
    return sizes[static_cast<std::size_t>(i)];
}

float HeatmapHistory::Column::sizeOver(PriceTicks low, int ticks) const {
    const PriceTicks n = static_cast<PriceTicks>(sizes.size());
    const PriceTicks first = std::max<PriceTicks>(0, ceilDiv(low - basePrice, bucketTicks));
    const PriceTicks last = std::min<PriceTicks>(n, ceilDiv(low + ticks - basePrice, bucketTicks));
    float sum = 0.0f;
    for (PriceTicks i = first; i < last; ++i)
        sum += sizes[static_cast<std::size_t>(i)];
    return sum;
}

HeatmapHistory::HeatmapHistory(HistoryLimits limits)
    : limits_(limits), bucketNs_(limits.defaultBucketNs) {}

std::size_t HeatmapHistory::columnCost(std::size_t rows) {
    return sizeof(Column) + (rows > 0 ? rows * sizeof(float) + kAllocOverhead : 0);
}

std::size_t HeatmapHistory::costOf(const Column& c) {
    return sizeof(Column) +
           (c.sizes.capacity() > 0 ? c.sizes.capacity() * sizeof(float) + kAllocOverhead : 0);
}

HeatmapHistory::AppendResult HeatmapHistory::append(HeatmapColumn&& in) {
    AppendResult result = AppendResult::Appended;
    const PriceTicks step = std::max<PriceTicks>(1, in.bucketTicks);
    if (!columns_.empty() &&
        (in.startNs < columns_.back().endNs || (!in.gap && step != bucketTicks_))) {
        clear();
        result = AppendResult::Restarted;
    }
    if (!in.gap) bucketTicks_ = step;
    if (in.endNs > in.startNs) bucketNs_ = in.endNs - in.startNs;

    Column c;
    c.startNs = in.startNs;
    c.endNs = in.endNs;
    c.gap = in.gap;
    if (!in.gap) {
        c.basePrice = in.basePrice;
        c.bucketTicks = step;
        c.bestBid = in.bestBid;
        c.bestAsk = in.bestAsk;
        c.microPrice = in.microPrice;
        c.touchOfi = in.levelOfi.empty() ? 0 : in.levelOfi.front();
        c.sizes = std::move(in.sizes);
        // The builder assigns exactly; anything else would silently eat the budget.
        if (c.sizes.capacity() > c.sizes.size() + c.sizes.size() / 4) c.sizes.shrink_to_fit();
        for (float s : c.sizes)
            c.maxSize = std::max(c.maxSize, s);
    }
    columnBytes_ += costOf(c);
    columns_.push_back(std::move(c));
    evict();
    return result;
}

void HeatmapHistory::append(const Trade& t) {
    if (t.qty <= 0) return;
    TimeNs bucket = floorTo(t.timeNs, bucketNs_);
    // Keep the bins in time order: a late print joins the newest bucket rather than being
    // inserted in the middle (at most one bucket of displacement).
    if (!trades_.empty()) bucket = std::max(bucket, trades_.back().bucketStartNs);
    const std::size_t n = trades_.size();
    for (std::size_t k = 0; k < std::min(n, kMergeLookback); ++k) {
        TradeBin& b = trades_[n - 1 - k];
        if (b.bucketStartNs != bucket) break;
        if (b.price != t.price) continue;
        (t.aggressor == Side::Bid ? b.buyQty : b.sellQty) += t.qty;
        ++b.prints;
        return;
    }
    TradeBin b;
    b.bucketStartNs = bucket;
    b.price = t.price;
    (t.aggressor == Side::Bid ? b.buyQty : b.sellQty) = t.qty;
    b.prints = 1;
    trades_.push_back(b);
    tradeBytes_ += sizeof(TradeBin);
    evict();
}

void HeatmapHistory::clear() {
    columnsEvicted_ += columns_.size();
    tradesEvicted_ += trades_.size();
    columns_.clear();
    trades_.clear();
    columnBytes_ = 0;
    tradeBytes_ = 0;
}

void HeatmapHistory::evict() {
    while (columnBytes_ > limits_.columnBytes && columns_.size() > 1) {
        columnBytes_ -= costOf(columns_.front());
        columns_.pop_front();
        ++columnsEvicted_;
    }
    while (tradeBytes_ > limits_.tradeBytes && !trades_.empty()) {
        tradeBytes_ -= sizeof(TradeBin);
        trades_.pop_front();
        ++tradesEvicted_;
    }
}

std::size_t HeatmapHistory::lowerBound(TimeNs timeNs) const {
    const auto it = std::partition_point(columns_.begin(), columns_.end(),
                                         [timeNs](const Column& c) { return c.endNs <= timeNs; });
    return static_cast<std::size_t>(it - columns_.begin());
}

const HeatmapHistory::Column* HeatmapHistory::columnAt(TimeNs timeNs) const {
    const std::size_t i = lowerBound(timeNs);
    if (i >= columns_.size() || columns_[i].startNs > timeNs) return nullptr;
    return &columns_[i];
}

std::size_t HeatmapHistory::tradeLowerBound(TimeNs timeNs) const {
    const auto it =
        std::partition_point(trades_.begin(), trades_.end(),
                             [timeNs](const TradeBin& b) { return b.bucketStartNs < timeNs; });
    return static_cast<std::size_t>(it - trades_.begin());
}

double liquidityHalfSpan(const HeatmapHistory::Column& c, double centreTicks, double share) {
    if (c.gap || c.sizes.empty()) return 0.0;
    double total = 0.0;
    for (float v : c.sizes)
        total += v;
    if (!(total > 0.0)) return 0.0;
    const double want = total * std::clamp(share, 0.0, 1.0);
    const double step = static_cast<double>(c.bucketTicks);
    // Bucket i covers [base + i*step, base + (i+1)*step): its farther edge from the centre.
    std::vector<std::pair<double, float>> byDistance;
    byDistance.reserve(c.sizes.size());
    for (std::size_t i = 0; i < c.sizes.size(); ++i) {
        if (c.sizes[i] <= 0.0f) continue;
        const double low = static_cast<double>(c.basePrice) + static_cast<double>(i) * step;
        const double reach =
            std::max(std::abs(low - centreTicks), std::abs(low + step - centreTicks));
        byDistance.emplace_back(reach, c.sizes[i]);
    }
    std::sort(byDistance.begin(), byDistance.end());
    double sum = 0.0;
    for (const auto& [reach, size] : byDistance) {
        sum += size;
        if (sum >= want) return reach;
    }
    return byDistance.empty() ? 0.0 : byDistance.back().first;
}

}  // namespace flowscope
