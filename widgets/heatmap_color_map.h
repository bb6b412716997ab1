#pragma once
/// The QCPColorMap that shows a HeatmapGrid, recolouring only what changed.
///
/// QCPColorMap recolours every cell whenever any cell changes (and, without interpolation,
/// oversamples maps under ~100 cells a side and rescales the image). That is a full recompute
/// per new column. This subclass keeps QCPColorMapData as the cell store (so QCustomPlot's
/// coordinates, selection and the QCPColorScale link work as usual) but overrides
/// updateMapImage(): cells loaded with loadColumns() are recoloured as one pixel column each,
/// the rest of the image is left alone. A new gradient, data range or scale type still
/// recolours everything, as it must. The image is exactly cells x rows; drawing it stretched
/// without smoothing gives crisp rows.
///
/// Threading: GUI thread only.

#include <qcustomplot.h>

#include "heatmap_grid.h"
#include "theme.h"

namespace flowscope {

class HeatmapColorMap : public QCPColorMap {
    Q_OBJECT
  public:
    HeatmapColorMap(QCPAxis* keyAxis, QCPAxis* valueAxis);

    /// New geometry or a rebuild: copies every cell; the whole image is recoloured at next draw.
    void loadGrid(const HeatmapGrid& grid);
    /// Copies the grid's cells [k0, k1]; only those image columns are recoloured at next draw.
    void loadColumns(const HeatmapGrid& grid, int k0, int k1);
    void clearMap();

    /// Pixel columns recoloured by the last draw (the whole width after a rebuild, 0 if none).
    int lastRecolouredColumns() const { return lastRecoloured_; }

    /// Dark-to-hot (Bookmap-like) on a dark theme, pale-to-deep on a light one; contrast is a
    /// gamma on the gradient's position (>1 lifts thin liquidity out of the dark). Theme has
    /// no gradient, so the stops live here; the empty end is theme.base, gaps are theme.gap.
    static QCPColorGradient makeGradient(const Theme& theme, double contrast);

  protected:
    void updateMapImage() override;

  private:
    void colourColumn(int k);
    void colourAll();
    /// Log scale cannot show 0 or less: they take the lowest colour, as linear shows them.
    double sanitise(float v) const;

    const HeatmapGrid* grid_ = nullptr;
    int dirtyFirst_ = 1;
    int dirtyLast_ = 0;
    bool fullPending_ = true;
    int lastRecoloured_ = 0;
    std::vector<double> line_;
    std::vector<QRgb> rgb_;
};

}  // namespace flowscope
