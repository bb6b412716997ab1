#pragma once
/// The color map that shows a HeatmapGrid (liquidity by time x price), recolouring only the
/// columns that changed (see IncrementalColorMap).
///
/// Threading: GUI thread only.

#include "heatmap_grid.h"
#include "incremental_color_map.h"
#include "theme.h"

namespace flowscope {

class HeatmapColorMap : public IncrementalColorMap {
    Q_OBJECT
  public:
    HeatmapColorMap(QCPAxis* keyAxis, QCPAxis* valueAxis);

    /// New geometry or a rebuild: copies every cell; the whole image is recoloured at next draw.
    void loadGrid(const HeatmapGrid& grid);
    /// Copies the grid's cells [k0, k1]; only those image columns are recoloured at next draw.
    void loadColumns(const HeatmapGrid& grid, int k0, int k1);

    /// Dark-to-hot (Bookmap-like) on a dark theme, pale-to-deep on a light one; contrast is a
    /// gamma on the gradient's position (>1 lifts thin liquidity out of the dark). Theme has
    /// no gradient, so the stops live here; the empty end is theme.base, gaps are theme.gap.
    static QCPColorGradient makeGradient(const Theme& theme, double contrast);

  protected:
    int gridCells() const override { return grid_ ? grid_->geometry().cells : 0; }
    int gridRows() const override { return grid_ ? grid_->geometry().rows : 0; }
    const float* gridRow(int r) const override { return grid_->row(r); }
    float gridValue(int k, int r) const override { return grid_->value(k, r); }
    void detachGrid() override { grid_ = nullptr; }
    /// Log scale cannot show 0 or less: they take the lowest colour, as linear shows them.
    void prepareForGradient(double* values, std::size_t count) const override;

  private:
    const HeatmapGrid* grid_ = nullptr;
};

}  // namespace flowscope
