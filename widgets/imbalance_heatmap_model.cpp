#include "imbalance_heatmap_model.h"

#include <algorithm>
#include <cmath>

namespace flowscope {

RollingLevelStats::RollingLevelStats(std::size_t window)
    : ring_(std::max<std::size_t>(2, window)) {}

void RollingLevelStats::push(Lots x) {
    Lots& slot = ring_[next_];
    if (count_ == ring_.size()) {
        const auto old = static_cast<double>(slot);
        sum_ -= old;
        sumSquares_ -= old * old;
    } else {
        ++count_;
    }
    slot = x;
    next_ = (next_ + 1) % ring_.size();
    const auto v = static_cast<double>(x);
    sum_ += v;
    sumSquares_ += v * v;
    if (++sinceResum_ >= ring_.size()) {
        sinceResum_ = 0;
        sum_ = 0.0;
        sumSquares_ = 0.0;
        for (std::size_t i = 0; i < count_; ++i) {
            const auto s = static_cast<double>(ring_[i]);
            sum_ += s;
            sumSquares_ += s * s;
        }
    }
}

double RollingLevelStats::mean() const {
    return count_ ? sum_ / static_cast<double>(count_) : std::nan("");
}

double RollingLevelStats::stddev() const {
    if (count_ < 2) return std::nan("");
    const double n = static_cast<double>(count_);
    const double var = (sumSquares_ - sum_ * sum_ / n) / (n - 1.0);
    return var > 0.0 ? std::sqrt(var) : 0.0;
}

ImbalanceHeatmapModel::ImbalanceHeatmapModel(ImbalanceHeatmapLimits limits) : limits_(limits) {}

void ImbalanceHeatmapModel::clear() {
    evicted_ += buckets_.size();
    cellsEvicted_ += cells_.size();
    buckets_.clear();
    cells_.clear();
    stats_.clear();
    levels_ = 0;
}

ImbalanceHeatmapModel::AppendResult ImbalanceHeatmapModel::append(const HeatmapColumn& c) {
    AppendResult result = AppendResult::Appended;
    if (!buckets_.empty() && c.startNs < buckets_.back().endNs) {
        clear();
        result = AppendResult::Restarted;
    }
    if (c.endNs > c.startNs) bucketNs_ = c.endNs - c.startNs;
    Bucket b;
    b.startNs = c.startNs;
    b.endNs = c.endNs;
    b.gap = c.gap;
    b.firstCell = cellsEvicted_ + cells_.size();
    if (!c.gap) {
        b.levels = static_cast<int>(std::min<std::size_t>(c.levelOfi.size(), kMaxLevels));
        if (b.levels > levels_) {
            levels_ = b.levels;
            stats_.resize(static_cast<std::size_t>(levels_), RollingLevelStats(limits_.zWindow));
        }
        for (int m = 0; m < b.levels; ++m) {
            const auto i = static_cast<std::size_t>(m);
            Cell cell;
            cell.ofi = c.levelOfi[i];
            cell.bidQty = i < c.levelBidQty.size() ? c.levelBidQty[i] : 0;
            cell.askQty = i < c.levelAskQty.size() ? c.levelAskQty[i] : 0;
            // Normalised by the buckets before this one, then it joins them.
            RollingLevelStats& s = stats_[i];
            if (s.count() >= std::max<std::size_t>(2, limits_.zMinSamples)) {
                const double sd = s.stddev(), dev = static_cast<double>(cell.ofi) - s.mean();
                if (sd > 0.0)
                    cell.z = static_cast<float>(dev / sd);
                else if (dev != 0.0)
                    cell.z = dev > 0 ? std::numeric_limits<float>::infinity()
                                     : -std::numeric_limits<float>::infinity();
                else
                    cell.z = 0.0f;
            }
            s.push(cell.ofi);
            cells_.push_back(cell);
        }
    }
    buckets_.push_back(b);
    evict();
    return result;
}

void ImbalanceHeatmapModel::evict() {
    while (buckets_.size() > std::max<std::size_t>(1, limits_.maxBuckets)) {
        const auto n = static_cast<std::size_t>(buckets_.front().levels);
        for (std::size_t i = 0; i < n; ++i)
            cells_.pop_front();
        cellsEvicted_ += n;
        buckets_.pop_front();
        ++evicted_;
    }
}

const ImbalanceHeatmapModel::Cell& ImbalanceHeatmapModel::cell(std::size_t i, int level) const {
    static const Cell kEmpty{};
    const Bucket& b = buckets_[i];
    if (level < 0 || level >= b.levels) return kEmpty;
    return cells_[static_cast<std::size_t>(b.firstCell - cellsEvicted_) +
                  static_cast<std::size_t>(level)];
}

std::size_t ImbalanceHeatmapModel::lowerBound(TimeNs timeNs) const {
    const auto it = std::partition_point(buckets_.begin(), buckets_.end(),
                                         [timeNs](const Bucket& b) { return b.endNs <= timeNs; });
    return static_cast<std::size_t>(it - buckets_.begin());
}

std::optional<std::size_t> ImbalanceHeatmapModel::indexAt(TimeNs timeNs) const {
    const std::size_t i = lowerBound(timeNs);
    if (i >= buckets_.size() || buckets_[i].startNs > timeNs) return std::nullopt;
    return i;
}

std::pair<Lots, Lots> ImbalanceHeatmapModel::depthThrough(std::size_t i, int level) const {
    Lots bid = 0, ask = 0;
    for (int m = 0; m <= level && m < buckets_[i].levels; ++m) {
        bid += cell(i, m).bidQty;
        ask += cell(i, m).askQty;
    }
    return {bid, ask};
}

void ImbalanceHeatmapModel::values(std::size_t i, ImbalanceMeasure measure,
                                   std::span<float> out) const {
    if (measure != ImbalanceMeasure::DepthImbalance) {
        for (std::size_t m = 0; m < out.size(); ++m)
            out[m] = static_cast<float>(value(i, static_cast<int>(m), measure));
        return;
    }
    if (buckets_[i].gap) {
        std::fill(out.begin(), out.end(), std::nanf(""));
        return;
    }
    Lots bid = 0, ask = 0;  // running sums: one pass, not one per level
    for (std::size_t m = 0; m < out.size(); ++m) {
        const Cell& c = cell(i, static_cast<int>(m));
        bid += c.bidQty;
        ask += c.askQty;
        out[m] = bid + ask > 0 ? static_cast<float>(static_cast<double>(bid - ask) /
                                                    static_cast<double>(bid + ask))
                               : 0.0f;
    }
}

double ImbalanceHeatmapModel::value(std::size_t i, int level, ImbalanceMeasure measure) const {
    if (buckets_[i].gap) return std::nan("");
    auto ratio = [](Lots bid, Lots ask) {
        const Lots total = bid + ask;
        return total > 0 ? static_cast<double>(bid - ask) / static_cast<double>(total) : 0.0;
    };
    switch (measure) {
        case ImbalanceMeasure::OfiZScore: {
            const double z = cell(i, level).z;
            return std::isnan(z) ? 0.0 : std::clamp(z, -kZLimit, kZLimit);
        }
        case ImbalanceMeasure::QueueImbalance:
            return ratio(cell(i, level).bidQty, cell(i, level).askQty);
        case ImbalanceMeasure::DepthImbalance: {
            const auto [bid, ask] = depthThrough(i, level);
            return ratio(bid, ask);
        }
    }
    return 0.0;
}

}  // namespace flowscope
