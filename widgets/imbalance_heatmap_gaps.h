#pragma once
/// Gaps on the imbalance heatmap, marked as on the liquidity heatmap: the cells take the gap
/// colour (NaN in the colour map) and this layer hatches them over the full height, with
/// "no data" when wide enough, so a disconnect or resync never reads as a calm book.
///
/// Threading: GUI thread only.

#include <qcustomplot.h>

#include "imbalance_heatmap_grid.h"
#include "theme.h"

namespace flowscope {

class ImbalanceGapMarks : public QCPLayerable {
    Q_OBJECT
  public:
    ImbalanceGapMarks(QCustomPlot* plot, QCPAxis* timeAxis, const ImbalanceGrid& grid);
    void setTheme(const Theme& theme) { theme_ = theme; }

    /// Runs of gap cells among cells [k0, k1], as (first, last); what draw() hatches.
    std::vector<std::pair<int, int>> gapRuns(int k0, int k1) const;

  protected:
    void applyDefaultAntialiasingHint(QCPPainter* painter) const override;
    void draw(QCPPainter* painter) override;
    QRect clipRect() const override;

  private:
    QPointer<QCPAxis> time_;
    const ImbalanceGrid& grid_;
    Theme theme_ = Theme::dark();
};

}  // namespace flowscope
