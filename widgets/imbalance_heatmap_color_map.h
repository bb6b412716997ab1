#pragma once
/// The QCPColorMap that shows an ImbalanceGrid on a diverging scale: buy pressure in the theme's
/// buy hue, sell pressure in its sell hue, zero neutral (the plot background), gaps in the gap
/// colour. The data range is always symmetric, [-clamp, +clamp]: values beyond the clamp take
/// the end colours.
///
/// Like HeatmapColorMap, it recolours only the image columns of cells loaded since the last
/// draw (a new bucket: one column of M pixels); a new clamp or gradient recolours everything.
///
/// Threading: GUI thread only.

#include <qcustomplot.h>

#include "imbalance_heatmap_grid.h"
#include "theme.h"

namespace flowscope {

class ImbalanceColorMap : public QCPColorMap {
    Q_OBJECT
  public:
    ImbalanceColorMap(QCPAxis* keyAxis, QCPAxis* valueAxis);

    void loadGrid(const ImbalanceGrid& grid);
    void loadColumns(const ImbalanceGrid& grid, int k0, int k1);
    void clearMap();
    /// Sets the data range to [-clamp, +clamp].
    void setClamp(double clamp);
    double clamp() const { return dataRange().upper; }
    int lastRecolouredColumns() const { return lastRecoloured_; }

    /// Sell hue at the low end, the theme's base at 0, buy hue at the high end; the two halves
    /// mirror each other (same steps towards each hue).
    static QCPColorGradient makeGradient(const Theme& theme);

  protected:
    void updateMapImage() override;

  private:
    void colourColumn(int k);
    void colourAll();

    const ImbalanceGrid* grid_ = nullptr;
    int dirtyFirst_ = 1;
    int dirtyLast_ = 0;
    bool fullPending_ = true;
    int lastRecoloured_ = 0;
    std::vector<double> line_;
    std::vector<QRgb> rgb_;
};

}  // namespace flowscope
