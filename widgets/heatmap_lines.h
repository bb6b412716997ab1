#pragma once
/// The lines over the heatmap, one point per column: best bid and best ask as steps, the
/// micro-price, and (optional) the touch OFI per bucket as filled steps in a band at the bottom
/// on its own hidden axis. Gap columns break every line (NaN) rather than carrying the last
/// value across. QCPGraph keeps the whole history (appends are O(1), drawing is clipped and
/// adaptively sampled), so only evictions and restarts touch old points.
///
/// Threading: GUI thread only.

#include <qcustomplot.h>

#include "heatmap_history.h"
#include "theme.h"

namespace flowscope {

class HeatmapLines {
  public:
    HeatmapLines(QCustomPlot* plot, QCPAxis* timeAxis, QCPAxis* priceAxis, QCPAxis* ofiAxis);

    void setTheme(const Theme& theme);
    void append(const HeatmapHistory::Column& column);
    /// Drops every point and re-adds the history (after a restart or a clear).
    void reload(const HeatmapHistory& history);
    /// Forgets points older than the history's first column.
    void trim(const HeatmapHistory& history);

    void setTouchVisible(bool on);
    void setMicroPriceVisible(bool on);
    void setOfiVisible(bool on);
    bool ofiVisible() const { return ofiPos_->visible(); }
    /// Scales the OFI axis so the largest |OFI| in the time range fills the bottom band.
    void fitOfi(const QCPRange& timeRange);

    QCPGraph* bidGraph() const { return bid_; }
    QCPGraph* askGraph() const { return ask_; }
    QCPGraph* microGraph() const { return micro_; }
    QCPGraph* ofiGraph(bool positive) const { return positive ? ofiPos_ : ofiNeg_; }

  private:
    QCPGraph* bid_;
    QCPGraph* ask_;
    QCPGraph* micro_;
    QCPGraph* ofiPos_;
    QCPGraph* ofiNeg_;
    QCPAxis* ofiAxis_;
    QCPItemText* ofiLabel_;
    double tailKey_;  ///< key of the step graphs' tail point (NaN: none)
    Theme theme_ = Theme::dark();
};

}  // namespace flowscope
