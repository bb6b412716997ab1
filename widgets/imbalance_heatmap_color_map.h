#pragma once
/// The color map that shows an ImbalanceGrid on a diverging scale: buy pressure in the theme's
/// buy hue, sell pressure in its sell hue, zero neutral (the plot background), gaps in the gap
/// colour. The data range is always symmetric, [-clamp, +clamp]: values beyond the clamp take
/// the end colours.
///
/// Like HeatmapColorMap, it recolours only the image columns of cells loaded since the last
/// draw (a new bucket: one column of M pixels; see IncrementalColorMap); a new clamp or
/// gradient recolours everything.
///
/// Threading: GUI thread only.

#include "imbalance_heatmap_grid.h"
#include "incremental_color_map.h"
#include "theme.h"

namespace flowscope {

class ImbalanceColorMap : public IncrementalColorMap {
    Q_OBJECT
  public:
    ImbalanceColorMap(QCPAxis* keyAxis, QCPAxis* valueAxis);

    void loadGrid(const ImbalanceGrid& grid);
    void loadColumns(const ImbalanceGrid& grid, int k0, int k1);
    /// Sets the data range to [-clamp, +clamp].
    void setClamp(double clamp);
    double clamp() const { return dataRange().upper; }

    /// Sell hue at the low end, the theme's base at 0, buy hue at the high end; the two halves
    /// mirror each other (same steps towards each hue).
    static QCPColorGradient makeGradient(const Theme& theme);

  protected:
    int gridCells() const override { return grid_ ? grid_->geometry().cells : 0; }
    int gridRows() const override { return grid_ ? grid_->geometry().levels : 0; }
    const float* gridRow(int level) const override { return grid_->row(level); }
    float gridValue(int k, int level) const override { return grid_->value(k, level); }
    void detachGrid() override { grid_ = nullptr; }

  private:
    const ImbalanceGrid* grid_ = nullptr;
};

}  // namespace flowscope
