#pragma once
/// Crosshair over the heatmap: two lines through the mouse and a readout box beside it, on the
/// plot's buffered "overlay" layer so moving it replots that layer only, not the heatmap.
///
/// Threading: GUI thread only.

#include <qcustomplot.h>

#include "theme.h"

namespace flowscope {

class HeatmapCrosshair {
  public:
    explicit HeatmapCrosshair(QCustomPlot* plot);

    void setTheme(const Theme& theme);
    /// Shows the lines through `pixel` and `text` in a box next to it, kept inside `area`.
    void show(const QPointF& pixel, const QString& text, const QRect& area);
    void hide();
    bool isVisible() const { return vertical_->visible(); }
    QString text() const { return readout_->text(); }

  private:
    QCPItemStraightLine* vertical_;
    QCPItemStraightLine* horizontal_;
    QCPItemText* readout_;
};

}  // namespace flowscope
