#pragma once
/// Imbalance heatmap: time x book depth, each cell the order-flow pressure at one level in one
/// bucket (the feed's heatmap buckets, default 100 ms): by default the level's multi-level OFI
/// as a z-score against its own last minute, so deep and shallow levels are comparable; or the
/// queue imbalance per level, or the depth imbalance over levels 1..m. Buy pressure in the buy
/// hue, sell pressure in the sell hue, zero neutral; gaps hatched as on the liquidity heatmap.
/// Level 1 (the touch) is the top row, so pressure moving toward the touch moves up.
///
/// Data flow: as HeatmapWidget — the app's frame timer calls appendColumns with the batch; a new
/// bucket costs O(M) in the model and the grid and recolours one image column; one replot per
/// frame at most, queued after the appends.
///
/// Navigation: the wheel zooms time, a drag pans it. Standalone the widget moves its own axis
/// (and follows the live edge); once linked (linkTimeAxes) it asks the liquidity heatmap's
/// navigator instead and takes its time range from there, so both always show the same time.
///
/// Threading: GUI thread only.

#include <QWidget>

#include "book/instrument.h"
#include "feed/market_snapshot.h"
#include "imbalance_heatmap_controls.h"
#include "imbalance_heatmap_grid.h"
#include "imbalance_heatmap_model.h"
#include "theme.h"

class QCustomPlot;
class QCPAxis;
class QCPColorScale;
class QCPItemText;

namespace flowscope {

class HeatmapCrosshair;
class ImbalanceColorMap;
class ImbalanceGapMarks;
class TimeAxisTicker;

struct ImbalanceFrameStats {
    double appendUs = 0.0;  ///< last appendColumns batch: model + grid + colour map cells
    double replotUs = 0.0;  ///< last replot
    int recolouredColumns = 0;
    std::uint64_t rebuilds = 0;
    std::uint64_t replots = 0;
};

class ImbalanceHeatmapWidget : public QWidget {
    Q_OBJECT
  public:
    static constexpr TimeNs kDefaultSpanNs = 3LL * 60 * 1'000'000'000;
    static constexpr TimeNs kMinSpanNs = 2'000'000'000;
    static constexpr TimeNs kMaxSpanNs = 6LL * 3600 * 1'000'000'000;

    explicit ImbalanceHeatmapWidget(QWidget* parent = nullptr, ImbalanceHeatmapLimits limits = {});
    ~ImbalanceHeatmapWidget() override;

    void appendColumns(const std::vector<HeatmapColumn>& columns);
    /// The instrument, for sizes in the readout (the columns carry lots only).
    void setInstrument(const InstrumentInfo& instrument);
    void setTheme(const Theme& theme);
    void setSettings(const ImbalanceHeatmapSettings& settings);
    const ImbalanceHeatmapSettings& settings() const { return settings_; }
    /// Levels on screen: the setting, capped at what the feed carries.
    int shownLevels() const;

    /// Time navigation is driven from outside (see linkTimeAxes): wheel and drag emit requests.
    void setLinked(bool linked) { linked_ = linked; }
    bool linked() const { return linked_; }
    bool followLive() const { return followLive_; }
    /// Keeps the plot area's left and right edges at these global x positions (the liquidity
    /// heatmap's), so a time sits at the same x in both. Falls back to automatic margins when
    /// that cannot fit (the other plot much wider, or no room for the level labels).
    void alignPlotArea(int leftGlobalX, int rightGlobalX);

    // Parts, for tests, benches and the app.
    const ImbalanceHeatmapModel& model() const { return model_; }
    const ImbalanceGrid& grid() const { return grid_; }
    QCustomPlot* plot() const { return plot_; }
    ImbalanceColorMap* colorMap() const { return colorMap_; }
    QCPColorScale* colorScale() const { return colorScale_; }
    QCPAxis* timeAxis() const;
    QCPAxis* levelAxis() const;
    ImbalanceHeatmapControls* controls() const { return controls_; }
    const ImbalanceGapMarks& gapMarks() const { return *gapMarks_; }
    const ImbalanceFrameStats& frameStats() const { return stats_; }
    /// The hover readout for a point of the plot (empty off the plot area).
    QString readoutAt(const QPointF& pixel) const;

  public slots:
    void clear();
    void setFollowLive(bool on);
    /// Does the pending repaint now (normally queued right after the appends).
    void renderFrame();

  signals:
    void settingsChanged(const flowscope::ImbalanceHeatmapSettings& settings);
    /// Linked: the user zoomed time by `factor` about `anchorSec`, or panned by `fraction` of
    /// the visible span (positive: later).
    void timeZoomRequested(double factor, double anchorSec);
    void timePanRequested(double fraction);

  protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

  private:
    void buildPlot();
    void scheduleFrame();
    bool ensureGrid(bool force);
    ImbalanceGridGeometry wantedGeometry(bool* covered) const;
    void updateLevelAxis();
    void zoomTime(double factor, double anchorSec);
    void panTime(double fraction);
    void trackLive();
    void onMouseMove(QMouseEvent* event);

    ImbalanceHeatmapModel model_;
    ImbalanceGrid grid_;
    ImbalanceHeatmapSettings settings_;
    Theme theme_ = Theme::dark();
    Instrument instrument_;

    ImbalanceHeatmapControls* controls_ = nullptr;
    QCustomPlot* plot_ = nullptr;
    ImbalanceColorMap* colorMap_ = nullptr;
    QCPColorScale* colorScale_ = nullptr;
    ImbalanceGapMarks* gapMarks_ = nullptr;
    std::unique_ptr<HeatmapCrosshair> crosshair_;
    QCPItemText* emptyText_ = nullptr;
    QSharedPointer<TimeAxisTicker> timeTicker_;

    bool linked_ = false;
    bool followLive_ = true;
    bool frameScheduled_ = false;
    bool dragging_ = false;
    double dragLastX_ = 0.0;
    QPointF mousePx_;
    bool mouseInside_ = false;
    ImbalanceFrameStats stats_;
};

}  // namespace flowscope
