#pragma once
/// The heatmap at screen resolution: a window of cells (time) x rows (price) cut from the
/// history, sized so that a cell is about a pixel or more. A cell covers bucketsPerCell whole
/// buckets and a row rowTicks whole ticks, both aligned to absolute multiples, so that panning
/// or a new bucket never re-bins what is already there.
///
/// Values: resting size summed over the row's ticks, the peak over the cell's buckets (a wall
/// that stood for 200 ms stays visible when an hour is on screen). NaN = gap: no valid book in
/// any of the cell's buckets (a gap column, or buckets missing from the history). Cells with
/// no history yet (before the first or after the last column) are 0, not gaps.
/// Peaks: the largest single price group (groupTicks) in the cell, so that "a large order"
/// means the same size whether a row holds one group (zoomed in) or twenty (zoomed out).
///
/// Threading: GUI thread only; no Qt.

#include <cstdint>
#include <utility>
#include <vector>

#include "book/floor_div.h"
#include "heatmap_history.h"

namespace flowscope {

struct GridGeometry {
    TimeNs bucketNs = 100'000'000;
    int bucketsPerCell = 1;
    std::int64_t firstCell = 0;  ///< absolute: cell c holds buckets [c*k, (c+1)*k)
    int cells = 0;
    int groupTicks = 1;            ///< the user's price grouping
    int rowTicks = 1;              ///< a multiple of groupTicks
    PriceTicks firstRowPrice = 0;  ///< lowest tick of row 0; a multiple of rowTicks
    int rows = 0;

    TimeNs cellNs() const { return bucketNs * bucketsPerCell; }
    TimeNs cellStartNs(int k) const { return (firstCell + k) * cellNs(); }
    TimeNs startNs() const { return cellStartNs(0); }
    TimeNs endNs() const { return cellStartNs(cells); }
    /// Cell index of `timeNs`; may lie outside [0, cells).
    std::int64_t cellAt(TimeNs timeNs) const { return floorDiv(timeNs, cellNs()) - firstCell; }
    PriceTicks rowLowPrice(int r) const { return firstRowPrice + PriceTicks{r} * rowTicks; }
    std::int64_t rowAt(PriceTicks price) const { return floorDiv(price - firstRowPrice, rowTicks); }
    /// Plot coordinates of a cell's centre: seconds, and ticks.
    double cellCentreSec(int k) const {
        return (static_cast<double>(firstCell + k) + 0.5) * static_cast<double>(cellNs()) * 1e-9;
    }
    double rowCentreTicks(int r) const {
        return static_cast<double>(rowLowPrice(r)) + 0.5 * (rowTicks - 1);
    }
    bool valid() const { return cells > 0 && rows > 0; }
    friend bool operator==(const GridGeometry&, const GridGeometry&) = default;
};

class HeatmapGrid {
  public:
    enum class CellState : std::uint8_t { Empty, Data, Gap };

    /// Cuts the whole window from the history.
    void rebuild(const GridGeometry& geometry, const HeatmapHistory& history);
    /// Adds the history's newest column to its cell and marks a hole before it as a gap.
    /// O(column rows). Returns false if the column lies outside the window (nothing written).
    bool applyNewest(const HeatmapHistory& history);
    void clear();

    const GridGeometry& geometry() const { return geometry_; }
    float value(int k, int r) const { return values_[index(k, r)]; }
    const float* row(int r) const { return values_.data() + index(0, r); }
    /// Largest single price group per cell of row r (NaN: gap).
    const float* peakRow(int r) const { return peaks_.data() + index(0, r); }
    CellState state(int k) const { return states_[static_cast<std::size_t>(k)]; }
    /// A cell with data in which some bucket had no valid book (shown as a thin gap mark).
    bool partialGap(int k) const { return partialGap_[static_cast<std::size_t>(k)] != 0; }
    /// Value at a time and price; 0 outside the window.
    float valueAt(TimeNs timeNs, PriceTicks price) const;

    /// Cells written since the last call, as [first, last]; first > last if none.
    std::pair<int, int> takeDirty();
    /// Bumped by every write, so overlays can cache what they derive from the cells.
    std::uint64_t version() const { return version_; }

    /// The `percent` percentile of the non-zero, non-gap values in cells [k0, k1) x rows
    /// [r0, r1), from an even sample of at most 65,536 of them; 0 if there are none.
    float percentile(double percent, int k0, int k1, int r0, int r1) const;
    /// The same over the cells' largest single price groups (peakRow).
    float peakPercentile(double percent, int k0, int k1, int r0, int r1) const;

  private:
    float percentileOf(const std::vector<float>& values, double percent, int k0, int k1, int r0,
                       int r1) const;
    std::size_t index(int k, int r) const {
        return static_cast<std::size_t>(r) * static_cast<std::size_t>(geometry_.cells) +
               static_cast<std::size_t>(k);
    }
    void writeColumn(int k, const HeatmapHistory::Column& c);
    /// Marks the buckets [fromNs, toNs) as having no book.
    void markHole(TimeNs fromNs, TimeNs toNs);
    void markGap(int k);
    void touch(int k);

    GridGeometry geometry_;
    std::vector<float> values_;  ///< row-major by price row, like QCPColorMapData
    std::vector<float> peaks_;   ///< same layout
    std::vector<CellState> states_;
    std::vector<std::uint8_t> partialGap_;
    std::vector<float> scratch_;
    std::vector<float> peakScratch_;
    int dirtyFirst_ = 1;
    int dirtyLast_ = 0;
    std::uint64_t version_ = 0;
};

}  // namespace flowscope
