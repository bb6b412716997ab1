#pragma once
/// The user's working orders on the heatmap: a horizontal marker at each order's price from the
/// live edge (the newest column's end) to the right edge of the plot, in the theme's own-order
/// colour, with a label above it at the right: side and size ("B 0.100"), "TP"/"SL" before a
/// bracket leg's ("SL S 0.100"); a stop held in Flowscope is dashed.
///
/// Prices are exact, as for the best bid / ask lines: at a price grouping G the marker lies
/// inside the row of G ticks that holds its price (the row the ladder shows it in), and the
/// crosshair readout lists every own order of the hovered row (describeRow).
///
/// Cost: the list changes a few times a minute at most, and setOrders says whether it did, so
/// the widget repaints only then. The markers sit on the buffered "live" layer with the live
/// touch (same place, same lifetime): a change repaints that layer, never the colour map, and
/// a frame that repaints "live" anyway (trades) draws them too: a line and a label each, about
/// 6 us a marker at 1600x900 (tst_heatmap_own_orders). A buffered layer of their own would cost
/// more: one more full-size buffer composited on every paint.
///
/// Threading: GUI thread only.

#include <QFont>
#include <span>
#include <vector>

#include <qcustomplot.h>

#include "book/instrument.h"
#include "heatmap_history.h"
#include "own_order_level.h"
#include "theme.h"

namespace flowscope {

class HeatmapOwnOrders : public QCPLayerable {
    Q_OBJECT
  public:
    /// `instrument` formats the labels and must outlive this (the widget's own member).
    HeatmapOwnOrders(QCustomPlot* plot, QCPAxis* keyAxis, QCPAxis* valueAxis,
                     const HeatmapHistory& history, const Instrument& instrument);

    void setTheme(const Theme& theme) { theme_ = theme; }
    /// Takes the working orders (any order; equal side, price, role and holding are summed).
    /// Returns false, and keeps everything as it was, when they are the ones already shown.
    bool setOrders(std::span<const OwnOrderLevel> orders);
    /// The instrument's tick or lot changed: labels are formatted again.
    void relabel();

    struct Marker {
        OwnOrderLevel order;
        QString label;  ///< "B 0.100", "TP S 0.100"
        double labelWidthPx = 0.0;
    };
    /// Sorted by price, highest first.
    const std::vector<Marker>& markers() const { return markers_; }

    /// Where a marker is drawn with the axes as they are now, in widget pixels.
    struct Placement {
        QLineF line;
        QRectF label;
    };
    /// One per marker, in markers() order; empty while the heatmap has no column (no live
    /// edge). Labels that would overlap are moved left of each other.
    std::vector<Placement> layout() const;

    /// "own: B 0.100 @ 10.05" for every order in the row [low, low + grouping), one a line.
    QString describeRow(PriceTicks low, int grouping) const;

  protected:
    void applyDefaultAntialiasingHint(QCPPainter* painter) const override;
    void draw(QCPPainter* painter) override;
    QRect clipRect() const override;

  private:
    QString labelOf(const OwnOrderLevel& o) const;

    QPointer<QCPAxis> keyAxis_;
    QPointer<QCPAxis> valueAxis_;
    const HeatmapHistory& history_;
    const Instrument& instrument_;
    Theme theme_ = Theme::dark();
    QFont font_;
    std::vector<Marker> markers_;
};

}  // namespace flowscope
