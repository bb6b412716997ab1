#include "imbalance_heatmap_grid.h"

#include <algorithm>
#include <cmath>

namespace flowscope {

void ImbalanceGrid::clear() {
    geometry_ = {};
    values_.clear();
    states_.clear();
    counts_.clear();
    dirtyFirst_ = 1;
    dirtyLast_ = 0;
}

void ImbalanceGrid::touch(int k) {
    if (dirtyFirst_ > dirtyLast_) {
        dirtyFirst_ = dirtyLast_ = k;
    } else {
        dirtyFirst_ = std::min(dirtyFirst_, k);
        dirtyLast_ = std::max(dirtyLast_, k);
    }
}

std::pair<int, int> ImbalanceGrid::takeDirty() {
    const std::pair<int, int> d{dirtyFirst_, dirtyLast_};
    dirtyFirst_ = 1;
    dirtyLast_ = 0;
    return d;
}

void ImbalanceGrid::markGap(int k) {
    const auto s = static_cast<std::size_t>(k);
    if (states_[s] == CellState::Data) return;  // a cell with any data shows the data
    states_[s] = CellState::Gap;
    for (int m = 0; m < geometry_.levels; ++m)
        values_[index(k, m)] = std::nanf("");
    touch(k);
}

void ImbalanceGrid::addBucket(int k, const ImbalanceHeatmapModel& model, std::size_t i) {
    if (model.bucket(i).gap) {
        markGap(k);
        return;
    }
    scratch_.resize(static_cast<std::size_t>(geometry_.levels));
    model.values(i, measure_, scratch_);
    const auto s = static_cast<std::size_t>(k);
    if (states_[s] != CellState::Data) counts_[s] = 0;  // a gap mark gives way to data
    states_[s] = CellState::Data;
    const float n = static_cast<float>(++counts_[s]);
    for (int m = 0; m < geometry_.levels; ++m) {
        float& v = values_[index(k, m)];
        const float x = scratch_[static_cast<std::size_t>(m)];
        v = n == 1.0f ? x : v + (x - v) / n;  // running mean
    }
    touch(k);
}

void ImbalanceGrid::rebuild(const ImbalanceGridGeometry& g, const ImbalanceHeatmapModel& model,
                            ImbalanceMeasure measure) {
    geometry_ = g;
    measure_ = measure;
    dirtyFirst_ = 1;
    dirtyLast_ = 0;
    if (!g.valid()) {
        values_.clear();
        states_.clear();
        counts_.clear();
        return;
    }
    values_.assign(static_cast<std::size_t>(g.cells) * static_cast<std::size_t>(g.levels), 0.0f);
    states_.assign(static_cast<std::size_t>(g.cells), CellState::Empty);
    counts_.assign(static_cast<std::size_t>(g.cells), 0);
    if (model.empty()) return;
    // Holes between buckets inside the history are gaps; before and after it, empty.
    const std::int64_t firstHistoryCell = g.cellAt(model.startNs());
    const std::int64_t lastHistoryCell = g.cellAt(model.endNs() - 1);
    for (std::int64_t k = std::max<std::int64_t>(0, firstHistoryCell);
         k <= std::min<std::int64_t>(g.cells - 1, lastHistoryCell); ++k)
        markGap(static_cast<int>(k));
    for (std::size_t i = model.lowerBound(g.startNs()); i < model.size(); ++i) {
        const std::int64_t k = g.cellAt(model.bucket(i).startNs);
        if (k >= g.cells) break;
        if (k >= 0) addBucket(static_cast<int>(k), model, i);
    }
}

bool ImbalanceGrid::applyNewest(const ImbalanceHeatmapModel& model) {
    if (!geometry_.valid() || model.empty()) return false;
    const std::size_t n = model.size() - 1;
    const std::int64_t k = geometry_.cellAt(model.bucket(n).startNs);
    // The cells wholly inside a hole before this bucket never get a bucket: gaps.
    if (n > 0) {
        const std::int64_t prev = geometry_.cellAt(model.bucket(n - 1).endNs - 1);
        for (std::int64_t h = std::max<std::int64_t>(0, prev + 1);
             h < std::min<std::int64_t>(k, geometry_.cells); ++h)
            markGap(static_cast<int>(h));
    }
    if (k < 0 || k >= geometry_.cells) return false;
    addBucket(static_cast<int>(k), model, n);
    return true;
}

}  // namespace flowscope
