#pragma once
/// What the heatmap marks on top of the colours, all derived from the grid on screen:
/// - gaps: hatched over the full height, so a disconnect or resync is never read as a book that
///   stood still; a gap shorter than a cell (zoomed out) still gets a thin mark;
/// - large resting orders: runs of cells whose largest price group is at or above a size
///   threshold, outlined, with the size at the run's newest end.
/// Both change only with the grid, so this sits on the plot's main layer with the lines.
///
/// Threading: GUI thread only.

#include <qcustomplot.h>

#include "book/instrument.h"
#include "heatmap_grid.h"
#include "theme.h"

namespace flowscope {

class HeatmapOverlay : public QCPLayerable {
    Q_OBJECT
  public:
    HeatmapOverlay(QCustomPlot* plot, QCPAxis* keyAxis, QCPAxis* valueAxis,
                   const HeatmapGrid& grid);

    void setTheme(const Theme& theme);
    /// Cells with a price group (one row at grouping 1) of at least this many lots are
    /// outlined; 0 = off.
    void setLargeOrderThreshold(float lots) { largeThreshold_ = lots; }
    /// Labels sizes in this instrument's base units (it must outlive the overlay); null: lots.
    void setInstrument(const Instrument* instrument) { instrument_ = instrument; }
    float largeOrderThreshold() const { return largeThreshold_; }

    /// Large-order runs in the visible cells, as (row, first cell, last cell); for tests.
    struct Run {
        int row = 0;
        int firstCell = 0;
        int lastCell = 0;
    };
    std::vector<Run> largeOrderRuns(int k0, int k1, int r0, int r1) const;

  protected:
    void applyDefaultAntialiasingHint(QCPPainter* painter) const override;
    void draw(QCPPainter* painter) override;
    QRect clipRect() const override;

  private:
    double cellLeftPx(int k) const;
    double rowBottomPx(int r) const;
    void drawGaps(QCPPainter* painter, int k0, int k1) const;
    void drawLargeOrders(QCPPainter* painter, int k0, int k1, int r0, int r1) const;

    QPointer<QCPAxis> keyAxis_;
    QPointer<QCPAxis> valueAxis_;
    const HeatmapGrid& grid_;
    Theme theme_ = Theme::dark();
    float largeThreshold_ = 0.0f;
    const Instrument* instrument_ = nullptr;
};

}  // namespace flowscope
