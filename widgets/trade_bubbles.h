#pragma once
/// Trades on the heatmap: one bubble per (time bin, price row) with its area proportional to
/// the volume traded there (up to 1.5x the 98th percentile of the bins in view, where the
/// radius stops growing), filled by aggressor (buy / sell; a bin with both is a pie of the
/// two), bins under a minimum volume left out.
///
/// Bins are at least a few pixels wide (set by the widget from the grid) so an hour on screen
/// is a few thousand bubbles, not a million prints. Binning is incremental: only trades the
/// history has finalised since the last update are added; the open bucket (whose bins may still
/// grow) is binned at draw time.
///
/// Threading: GUI thread only.

#include <deque>
#include <unordered_map>
#include <vector>

#include <qcustomplot.h>

#include "heatmap_history.h"

namespace flowscope {

class TradeBubbles : public QCPLayerable {
    Q_OBJECT
  public:
    struct Bubble {
        TimeNs binStartNs = 0;
        PriceTicks lowPrice = 0;  ///< lowest tick of the bubble's price row
        Lots buyQty = 0;
        Lots sellQty = 0;
        Lots volume() const { return buyQty + sellQty; }
    };

    TradeBubbles(QCustomPlot* plot, QCPAxis* keyAxis, QCPAxis* valueAxis,
                 const HeatmapHistory& history);

    void setColours(const QColor& buy, const QColor& sell, const QColor& outline);
    /// Bins with less volume than this are not drawn (0 = all).
    void setMinVolume(Lots lots) { minVolume_ = lots; }
    Lots minVolume() const { return minVolume_; }
    /// Largest bubble radius in pixels; the smallest drawn is kMinRadiusPx.
    void setMaxRadius(double px) { maxRadiusPx_ = px; }

    /// Rebins every trade from `fromNs` on into bins of `binNs` x `rowTicks`.
    void rebin(TimeNs fromNs, TimeNs binNs, int rowTicks);
    /// Bins the trades the history finalised since the last call; O(new trades). True when
    /// settled bins changed, i.e. the settled layer needs a repaint.
    bool update();
    void clear();

    /// Bubbles whose bins overlap [fromNs, toNs), the open bucket included, at or above the
    /// minimum volume, in time order.
    std::vector<Bubble> bubbles(TimeNs fromNs, TimeNs toNs) const;
    /// The same, split: settled bins only, or the open bucket's only.
    std::vector<Bubble> settledBubbles(TimeNs fromNs, TimeNs toNs) const;
    std::vector<Bubble> openBubbles(TimeNs fromNs, TimeNs toNs) const;
    /// Draws the open bucket's bubbles, at the scale of the last settled draw. Called by the
    /// OpenTradeBubbles layerable on the live layer, so a trade-only frame redraws a handful of
    /// bubbles instead of every bubble on screen.
    void drawOpen(QCPPainter* painter);
    TimeNs binNs() const { return binNs_; }
    int rowTicks() const { return rowTicks_; }

    static constexpr double kMinRadiusPx = 2.0;

  protected:
    void applyDefaultAntialiasingHint(QCPPainter* painter) const override;
    void draw(QCPPainter* painter) override;
    QRect clipRect() const override;

  private:
    friend class OpenTradeBubbles;
    /// Adds one trade bin of the history to `bins` (merging with a bin of the same time and row).
    void add(std::deque<Bubble>& bins, const HeatmapHistory::TradeBin& t) const;
    void dropEvicted();
    std::vector<Bubble> filtered(const std::deque<Bubble>& found) const;
    void collectSettled(std::deque<Bubble>& found, TimeNs fromNs, TimeNs toNs) const;
    void collectOpen(std::deque<Bubble>& found, TimeNs fromNs, TimeNs toNs) const;
    void drawList(QCPPainter* painter, const std::vector<Bubble>& list);
    double referenceFor(const std::vector<Bubble>& list) const;
    /// A pre-rendered antialiased disc: blitting it is several times cheaper than rasterising
    /// thousands of antialiased ellipses every frame. Keyed by side and radius in half pixels.
    const QPixmap& sprite(bool buy, double radiusPx);

    QPointer<QCPAxis> keyAxis_;
    QPointer<QCPAxis> valueAxis_;
    const HeatmapHistory& history_;
    std::deque<Bubble> bins_;
    TimeNs fromNs_ = 0;
    TimeNs binNs_ = 100'000'000;
    int rowTicks_ = 1;
    std::uint64_t consumed_ = 0;  ///< absolute index (see tradesEvicted) of the next trade to bin
    Lots minVolume_ = 0;
    double maxRadiusPx_ = 18.0;
    QColor buy_ = Qt::green;
    QColor sell_ = Qt::red;
    QColor outline_ = Qt::black;
    std::unordered_map<int, QPixmap> sprites_;
    double reference_ = 0.0;  ///< volume of a full-size bubble, from the last settled draw
};

/// The open bucket's bubbles, on the live layer; the settled ones stay on a buffered layer that
/// repaints only when bins settle or the view changes.
class OpenTradeBubbles : public QCPLayerable {
    Q_OBJECT
  public:
    OpenTradeBubbles(QCustomPlot* plot, TradeBubbles& owner);

  protected:
    void applyDefaultAntialiasingHint(QCPPainter* painter) const override;
    void draw(QCPPainter* painter) override;
    QRect clipRect() const override;

  private:
    TradeBubbles& owner_;
};

}  // namespace flowscope
