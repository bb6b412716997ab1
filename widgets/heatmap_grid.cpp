#include "heatmap_grid.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace flowscope {

namespace {
constexpr float kGapValue = std::numeric_limits<float>::quiet_NaN();
constexpr std::size_t kMaxPercentileSamples = 65'536;
}  // namespace

void HeatmapGrid::clear() {
    geometry_ = {};
    values_.clear();
    peaks_.clear();
    states_.clear();
    partialGap_.clear();
    dirtyFirst_ = 1;
    dirtyLast_ = 0;
    ++version_;
}

void HeatmapGrid::rebuild(const GridGeometry& g, const HeatmapHistory& history) {
    geometry_ = g;
    const auto cells = static_cast<std::size_t>(std::max(0, g.cells));
    const auto rows = static_cast<std::size_t>(std::max(0, g.rows));
    values_.assign(cells * rows, 0.0f);
    peaks_.assign(cells * rows, 0.0f);
    states_.assign(cells, CellState::Empty);
    partialGap_.assign(cells, 0);
    scratch_.resize(rows);
    peakScratch_.resize(rows);
    dirtyFirst_ = 0;
    dirtyLast_ = g.cells - 1;
    ++version_;
    if (!g.valid() || history.empty()) return;

    const TimeNs endNs = g.endNs();
    std::size_t i = history.lowerBound(g.startNs());
    // A hole that straddles the window's start is still a hole.
    TimeNs prevEnd = i > 0 ? history.column(i - 1).endNs : history.startNs();
    for (; i < history.columnCount() && history.column(i).startNs < endNs; ++i) {
        const HeatmapHistory::Column& c = history.column(i);
        if (c.startNs > prevEnd) markHole(prevEnd, c.startNs);
        const std::int64_t k = g.cellAt(c.startNs);
        if (k >= 0 && k < g.cells) writeColumn(static_cast<int>(k), c);
        prevEnd = c.endNs;
    }
}

bool HeatmapGrid::applyNewest(const HeatmapHistory& history) {
    if (!geometry_.valid() || history.empty()) return false;
    const std::size_t n = history.columnCount();
    const HeatmapHistory::Column& c = history.column(n - 1);
    const TimeNs prevEnd = n > 1 ? history.column(n - 2).endNs : c.startNs;
    if (c.startNs > prevEnd) markHole(prevEnd, c.startNs);
    const std::int64_t k = geometry_.cellAt(c.startNs);
    if (k < 0 || k >= geometry_.cells) return false;
    writeColumn(static_cast<int>(k), c);
    ++version_;
    return true;
}

void HeatmapGrid::touch(int k) {
    if (dirtyFirst_ > dirtyLast_) {
        dirtyFirst_ = dirtyLast_ = k;
    } else {
        dirtyFirst_ = std::min(dirtyFirst_, k);
        dirtyLast_ = std::max(dirtyLast_, k);
    }
}

void HeatmapGrid::markGap(int k) {
    const auto kk = static_cast<std::size_t>(k);
    if (states_[kk] == CellState::Data) {
        partialGap_[kk] = 1;
    } else if (states_[kk] == CellState::Empty) {
        states_[kk] = CellState::Gap;
        for (int r = 0; r < geometry_.rows; ++r)
            values_[index(k, r)] = kGapValue;
    }
    touch(k);
}

void HeatmapGrid::markHole(TimeNs fromNs, TimeNs toNs) {
    const std::int64_t first = std::max<std::int64_t>(0, geometry_.cellAt(fromNs));
    const std::int64_t last =
        std::min<std::int64_t>(geometry_.cells - 1, geometry_.cellAt(toNs - 1));
    for (std::int64_t k = first; k <= last; ++k)
        markGap(static_cast<int>(k));
}

void HeatmapGrid::writeColumn(int k, const HeatmapHistory::Column& c) {
    if (c.gap) {
        markGap(k);
        return;
    }
    // Row sums and group peaks over the column's ticks that fall inside the window: one pass.
    std::fill(scratch_.begin(), scratch_.end(), 0.0f);
    std::fill(peakScratch_.begin(), peakScratch_.end(), 0.0f);
    const PriceTicks windowLow = geometry_.firstRowPrice;
    const PriceTicks windowHigh = geometry_.rowLowPrice(geometry_.rows);  // exclusive
    const PriceTicks n = static_cast<PriceTicks>(c.sizes.size());
    const PriceTicks step = c.bucketTicks;
    const PriceTicks from = std::max<PriceTicks>(0, ceilDiv(windowLow - c.basePrice, step));
    const PriceTicks to = std::min<PriceTicks>(n, ceilDiv(windowHigh - c.basePrice, step));
    // Groups are aligned to multiples of groupTicks and rows to multiples of rowTicks (itself a
    // multiple), and both are multiples of the column's bucket, so a bucket never straddles two
    // groups and a group never two rows.
    std::int64_t group = INT64_MIN;
    std::size_t groupRow = 0;
    float groupSum = 0.0f;
    auto closeGroup = [&] {
        if (group != INT64_MIN) peakScratch_[groupRow] = std::max(peakScratch_[groupRow], groupSum);
    };
    for (PriceTicks i = from; i < to; ++i) {
        const PriceTicks price = c.basePrice + i * step;
        const auto r = static_cast<std::size_t>((price - windowLow) / geometry_.rowTicks);
        const std::int64_t g = floorDiv(price, geometry_.groupTicks);
        if (g != group) {
            closeGroup();
            group = g;
            groupRow = r;
            groupSum = 0.0f;
        }
        const float size = c.sizes[static_cast<std::size_t>(i)];
        groupSum += size;
        scratch_[r] += size;
    }
    closeGroup();
    const auto kk = static_cast<std::size_t>(k);
    const bool fresh = states_[kk] != CellState::Data;
    if (states_[kk] == CellState::Gap) partialGap_[kk] = 1;
    states_[kk] = CellState::Data;
    for (int r = 0; r < geometry_.rows; ++r) {
        const std::size_t at = index(k, r);
        const auto rr = static_cast<std::size_t>(r);
        // A cell's first bucket replaces the empty (or gap) state; later ones keep the peak.
        values_[at] = fresh ? scratch_[rr] : std::max(values_[at], scratch_[rr]);
        peaks_[at] = fresh ? peakScratch_[rr] : std::max(peaks_[at], peakScratch_[rr]);
    }
    touch(k);
}

float HeatmapGrid::valueAt(TimeNs timeNs, PriceTicks price) const {
    if (!geometry_.valid()) return 0.0f;
    const std::int64_t k = geometry_.cellAt(timeNs);
    const std::int64_t r = geometry_.rowAt(price);
    if (k < 0 || k >= geometry_.cells || r < 0 || r >= geometry_.rows) return 0.0f;
    return value(static_cast<int>(k), static_cast<int>(r));
}

std::pair<int, int> HeatmapGrid::takeDirty() {
    const std::pair<int, int> d{dirtyFirst_, dirtyLast_};
    dirtyFirst_ = 1;
    dirtyLast_ = 0;
    return d;
}

float HeatmapGrid::percentile(double percent, int k0, int k1, int r0, int r1) const {
    return percentileOf(values_, percent, k0, k1, r0, r1);
}

float HeatmapGrid::peakPercentile(double percent, int k0, int k1, int r0, int r1) const {
    return percentileOf(peaks_, percent, k0, k1, r0, r1);
}

float HeatmapGrid::percentileOf(const std::vector<float>& cells, double percent, int k0, int k1,
                                int r0, int r1) const {
    k0 = std::max(k0, 0);
    r0 = std::max(r0, 0);
    k1 = std::min(k1, geometry_.cells);
    r1 = std::min(r1, geometry_.rows);
    if (k0 >= k1 || r0 >= r1) return 0.0f;
    auto eligible = [](float v) { return v > 0.0f; };  // false for NaN too
    std::size_t count = 0;
    for (int r = r0; r < r1; ++r)
        for (int k = k0; k < k1; ++k)
            count += eligible(cells[index(k, r)]) ? 1 : 0;
    if (count == 0) return 0.0f;
    const std::size_t stride = (count + kMaxPercentileSamples - 1) / kMaxPercentileSamples;
    std::vector<float> sample;
    sample.reserve(count / stride + 1);
    std::size_t seen = 0;
    for (int r = r0; r < r1; ++r) {
        for (int k = k0; k < k1; ++k) {
            const float v = cells[index(k, r)];
            if (eligible(v) && seen++ % stride == 0) sample.push_back(v);
        }
    }
    const double p = std::clamp(percent, 0.0, 100.0) / 100.0;
    const auto at =
        static_cast<std::size_t>(std::lround(p * static_cast<double>(sample.size() - 1)));
    std::nth_element(sample.begin(), sample.begin() + static_cast<std::ptrdiff_t>(at),
                     sample.end());
    return sample[at];
}

}  // namespace flowscope
