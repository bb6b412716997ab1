#pragma once
/// Liquidity heatmap: time x price, resting size as colour (one column per feed bucket, default
/// 100 ms), trades as bubbles, best bid / ask and micro-price lines, optional touch-OFI band,
/// large resting orders outlined, gaps hatched. Holds hours of history; shows any part of it.
///
/// Data flow: the app drains the feed's queues on its 16 ms frame timer and calls
/// appendColumns / appendTrades / setSnapshot with the batch. Those update the history and the
/// on-screen grid at once (a new column writes its one cell column: O(rows)) and ask for one
/// replot, run from the event loop right after, so there is at most one repaint per frame
/// whatever the feed rate. See heatmap_grid.h and heatmap_color_map.h for the incremental path.
///
/// Threading: GUI thread only.

#include <QWidget>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "book/instrument.h"
#include "feed/market_snapshot.h"
#include "heatmap_grid.h"
#include "heatmap_history.h"
#include "own_order_level.h"
#include "theme.h"

class QCustomPlot;
class QCPColorMap;
class QCPColorScale;
class QCPAxis;
class QCPItemLine;
class QCPItemText;

namespace flowscope {

class HeatmapColorMap;
class HeatmapCrosshair;
class HeatmapLines;
class HeatmapNavigator;
class HeatmapOverlay;
class HeatmapOwnOrders;
class PriceAxisTicker;
class SizeAxisTicker;
class LogSizeAxisTicker;
class TimeAxisTicker;
class TradeBubbles;
class OpenTradeBubbles;

/// How resting size maps to colour; a trader adjusts these to see thin or only thick liquidity.
struct HeatmapColorSettings {
    enum class Scale : std::uint8_t { Linear, Log };
    Scale scale = Scale::Linear;
    double contrast = 1.6;          ///< gamma on the gradient; > 1 lifts thin liquidity
    double upperPercentile = 98.0;  ///< visible non-zero sizes above this percentile saturate
    friend bool operator==(const HeatmapColorSettings&, const HeatmapColorSettings&) = default;
};

/// Visible price range in ticks (fractional: the edges need not sit on a tick).
struct VisiblePriceRange {
    double lowTicks = 0.0;
    double highTicks = 0.0;
};

/// What the last frames cost; for the status bar and the benchmarks.
struct HeatmapFrameStats {
    double appendUs = 0.0;       ///< last appendColumns batch: history + grid + color map cells
    double replotUs = 0.0;       ///< last full replot (layout, colouring, drawing)
    int recolouredColumns = 0;   ///< image columns recoloured by the last replot
    std::uint64_t rebuilds = 0;  ///< full grid rebuilds (zoom, pan out of the window, resize)
    std::uint64_t replots = 0;
    std::uint64_t liveReplots = 0;      ///< repaints of the live layer alone
    std::uint64_t ownOrderChanges = 0;  ///< setOwnOrders calls that changed the markers
};

class HeatmapWidget : public QWidget {
    Q_OBJECT
  public:
    explicit HeatmapWidget(QWidget* parent = nullptr, HistoryLimits limits = {});
    ~HeatmapWidget() override;

    // Data, from the app's frame timer.
    void appendColumns(std::vector<HeatmapColumn> columns);
    void appendTrades(std::vector<TradePrint> trades);
    void setSnapshot(std::shared_ptr<const MarketSnapshot> snapshot);
    /// The user's working orders, marked at their prices at the live edge (see
    /// heatmap_own_orders.h); an empty list hides the markers. Cheap to call every frame:
    /// only a list that differs from the last one repaints, and only the live layer.
    void setOwnOrders(std::span<const OwnOrderLevel> orders);

    // Appearance.
    void setTheme(const Theme& theme);
    void setColorSettings(const HeatmapColorSettings& settings);
    const HeatmapColorSettings& colorSettings() const { return colorSettings_; }
    /// Rows of this many ticks (summed); the axis steps and the crosshair follow. Rows are
    /// never finer than the feed's price buckets (HeatmapColumn::bucketTicks): rowGrouping()
    /// is this rounded up to a whole number of buckets.
    void setPriceGrouping(int ticks);
    int priceGrouping() const { return priceGrouping_; }
    int rowGrouping() const;
    /// Trade bubbles with less volume (lots) are hidden.
    void setMinTradeSize(Lots lots);
    Lots minTradeSize() const;
    /// Resting orders of at least this size (lots, per price group) are outlined; 0 = off;
    /// kAutoLargeOrders (the default) = a size that adapts to the book on screen: ten times
    /// the median visible price group, or twice the colour clamp's percentile if lower.
    static constexpr Lots kAutoLargeOrders = -1;
    void setLargeOrderThreshold(Lots lots);
    Lots largeOrderThreshold() const;
    bool ofiOverlayVisible() const;

    // View.
    VisiblePriceRange visiblePriceRange() const;
    void setVisiblePriceRange(double lowTicks, double highTicks);
    TimeNs visibleTimeSpan() const;
    void setVisibleTimeSpan(TimeNs spanNs);
    bool followLive() const;

    // Parts, for tests, benchmarks and the app's wiring.
    const HeatmapHistory& history() const { return history_; }
    const HeatmapGrid& grid() const { return grid_; }
    QCustomPlot* plot() const { return plot_; }
    QCPColorMap* colorMap() const;
    /// Axis units: seconds since the epoch (time), ticks (price), lots (OFI band, hidden; and
    /// the colour scale, labelled in base units).
    QCPAxis* timeAxis() const;
    QCPAxis* priceAxis() const;
    const TradeBubbles& bubbles() const { return *bubbles_; }
    const HeatmapOverlay& overlay() const { return *overlay_; }
    const HeatmapOwnOrders& ownOrders() const { return *ownOrders_; }
    HeatmapNavigator& navigator() const { return *navigator_; }
    const HeatmapFrameStats& frameStats() const { return stats_; }
    /// The crosshair readout for a point of the plot (empty off the plot area).
    QString readoutAt(const QPointF& pixel) const;
    bool waitingForData() const;

  public slots:
    /// Forgets all history (a new instrument or source). A reconnect needs no clear: the gap
    /// columns mark the outage and the history before it stays.
    void clear();
    void setFollowLive(bool on);
    /// Time zoom by one step, anchored at the live edge when following.
    void zoomIn();
    void zoomOut();
    void setOfiOverlayVisible(bool on);
    /// Does the pending work of this frame now (normally queued right after the appends).
    void renderFrame();

  signals:
    void visiblePriceRangeChanged(double lowTicks, double highTicks);
    void followLiveChanged(bool on);

  protected:
    void keyPressEvent(QKeyEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

  private:
    /// What a frame must redraw: everything, the buffered live layer (bubbles, live touch), or
    /// the buffered overlay layer (crosshair).
    enum Redraw : unsigned { kFull = 1, kLive = 2, kCrosshair = 4, kBubbles = 8 };

    void buildPlot();
    void scheduleFrame(unsigned redraw);
    /// Makes the grid cover the view at screen resolution; rebuilds it (and the color map
    /// and bubble bins) only when the view left it or its resolution changed.
    bool ensureGrid(bool force);
    GridGeometry wantedGeometry(bool* covered) const;
    void flushGridToMap();
    void updateColorRange(bool force);
    /// Opens the price view on the band holding most of the resting size (once per source).
    void fitPriceToLiquidity();
    void updateStatusText();
    void updateLiveTouch();
    void onMouseMove(QMouseEvent* event);
    void updateCrosshair(const QPointF& pixel);

    Theme theme_ = Theme::dark();
    HeatmapHistory history_;
    HeatmapGrid grid_;
    HeatmapColorSettings colorSettings_;
    int priceGrouping_ = 1;
    Instrument instrument_;
    std::shared_ptr<const MarketSnapshot> snapshot_;

    QCustomPlot* plot_ = nullptr;
    HeatmapColorMap* colorMap_ = nullptr;
    QCPColorScale* colorScale_ = nullptr;
    TradeBubbles* bubbles_ = nullptr;
    OpenTradeBubbles* openBubbles_ = nullptr;
    HeatmapOverlay* overlay_ = nullptr;
    HeatmapOwnOrders* ownOrders_ = nullptr;
    std::unique_ptr<HeatmapLines> lines_;
    std::unique_ptr<HeatmapCrosshair> crosshair_;
    HeatmapNavigator* navigator_ = nullptr;
    QCPItemText* emptyText_ = nullptr;
    QCPItemText* statusText_ = nullptr;
    QCPItemLine* liveBid_ = nullptr;
    QCPItemLine* liveAsk_ = nullptr;
    QSharedPointer<PriceAxisTicker> priceTicker_;
    QSharedPointer<SizeAxisTicker> sizeTicker_;
    QSharedPointer<LogSizeAxisTicker> logSizeTicker_;
    Lots largeOrderThreshold_ = kAutoLargeOrders;
    PriceTicks appliedBucketTicks_ = 1;
    bool fitted_ = false;  ///< the price view was fitted to the liquidity once
    QSharedPointer<TimeAxisTicker> timeTicker_;

    bool frameScheduled_ = false;
    unsigned pending_ = 0;
    std::uint64_t trimmedAtEvicted_ = 0;
    QPointF mousePx_;
    bool mouseInside_ = false;
    int columnsSinceColorRange_ = 0;
    static constexpr int kQuietColumnsPerRepaint = 5;  ///< quiet market: repaint twice a second
    std::optional<HeatmapColumn> lastAppended_;
    int quietColumnsPending_ = 0;
    HeatmapFrameStats stats_;
};

}  // namespace flowscope
