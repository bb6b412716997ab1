#pragma once
/// The imbalance heatmap at screen resolution: a window of cells (time) x levels cut from the
/// model for one measure. A cell covers bucketsPerCell whole buckets aligned to absolute
/// multiples (as the liquidity heatmap's grid), so a new bucket or a pan never re-bins what is
/// there. A cell holds the mean of its buckets' values: zoomed out, pressure that persists keeps
/// its colour while bucket-to-bucket noise cancels (a peak would paint every cell at the clamp).
///
/// States: Gap (every bucket of the cell had no valid book or is missing from the history),
/// Data, or Empty (no history yet: before the first or after the last bucket; value 0).
///
/// Threading: GUI thread only; no Qt.

#include <cstdint>
#include <utility>
#include <vector>

#include "heatmap_grid.h"
#include "imbalance_heatmap_model.h"

namespace flowscope {

struct ImbalanceGridGeometry {
    TimeNs bucketNs = 100'000'000;
    int bucketsPerCell = 1;
    std::int64_t firstCell = 0;  ///< absolute: cell c holds buckets [c*k, (c+1)*k)
    int cells = 0;
    int levels = 0;  ///< rows: level 1 (the touch) is row 0

    TimeNs cellNs() const { return bucketNs * bucketsPerCell; }
    TimeNs cellStartNs(int k) const { return (firstCell + k) * cellNs(); }
    TimeNs startNs() const { return cellStartNs(0); }
    TimeNs endNs() const { return cellStartNs(cells); }
    std::int64_t cellAt(TimeNs timeNs) const { return floorDiv(timeNs, cellNs()) - firstCell; }
    double cellCentreSec(int k) const {
        return (static_cast<double>(firstCell + k) + 0.5) * static_cast<double>(cellNs()) * 1e-9;
    }
    bool valid() const { return cells > 0 && levels > 0; }
    friend bool operator==(const ImbalanceGridGeometry&, const ImbalanceGridGeometry&) = default;
};

class ImbalanceGrid {
  public:
    enum class CellState : std::uint8_t { Empty, Data, Gap };

    /// Cuts the whole window from the model: O(buckets in the window x levels).
    void rebuild(const ImbalanceGridGeometry& geometry, const ImbalanceHeatmapModel& model,
                 ImbalanceMeasure measure);
    /// Adds the model's newest bucket to its cell, and marks the cells of a hole before it as
    /// gaps: O(levels) (plus the hole's cells). False if it lies outside the window.
    bool applyNewest(const ImbalanceHeatmapModel& model);
    void clear();

    const ImbalanceGridGeometry& geometry() const { return geometry_; }
    ImbalanceMeasure measure() const { return measure_; }
    float value(int k, int level) const { return values_[index(k, level)]; }
    const float* row(int level) const { return values_.data() + index(0, level); }
    CellState state(int k) const { return states_[static_cast<std::size_t>(k)]; }
    /// Cells written since the last call, as [first, last]; first > last if none.
    std::pair<int, int> takeDirty();

  private:
    std::size_t index(int k, int level) const {
        return static_cast<std::size_t>(level) * static_cast<std::size_t>(geometry_.cells) +
               static_cast<std::size_t>(k);
    }
    /// Merges bucket i of the model into cell k.
    void addBucket(int k, const ImbalanceHeatmapModel& model, std::size_t i);
    void markGap(int k);
    void touch(int k);

    ImbalanceGridGeometry geometry_;
    ImbalanceMeasure measure_ = ImbalanceMeasure::OfiZScore;
    std::vector<float> values_;  ///< row-major by level, like QCPColorMapData
    std::vector<CellState> states_;
    std::vector<int> counts_;  ///< data buckets averaged into each cell
    std::vector<float> scratch_;
    int dirtyFirst_ = 1;
    int dirtyLast_ = 0;
};

}  // namespace flowscope
