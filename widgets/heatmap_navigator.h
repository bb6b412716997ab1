#pragma once
/// Where the heatmap looks: the time and price ranges, follow-live, and the mouse and keys
/// that move them. Mouse drag pans both axes, the wheel zooms time (Ctrl+wheel: price), keys:
/// +/- zoom time (Ctrl: price), arrows pan, F or End follow live, Home resets the zoom.
/// A user pan turns follow-live off; zooming keeps it (anchored at the live edge).
///
/// Follow-live keeps the right edge just past the newest column and recentres the price when
/// the touch leaves the middle of the view. Axis units: seconds (time) and ticks (price).
///
/// Threading: GUI thread only.

#include <QObject>
#include <optional>

#include <qcustomplot.h>

#include "book/types.h"

class QKeyEvent;
class QMouseEvent;
class QWheelEvent;

namespace flowscope {

class HeatmapNavigator : public QObject {
    Q_OBJECT
  public:
    static constexpr TimeNs kDefaultSpanNs = 3LL * 60 * 1'000'000'000;
    static constexpr TimeNs kMinSpanNs = 2'000'000'000;
    static constexpr TimeNs kMaxSpanNs = 6LL * 3600 * 1'000'000'000;
    static constexpr double kDefaultPriceSpanTicks = 120.0;
    static constexpr double kMinPriceSpanTicks = 8.0;
    static constexpr double kMaxPriceSpanTicks = 1e6;
    /// Share of the span left empty right of the live edge, so the newest bubbles are whole.
    static constexpr double kLiveMargin = 0.04;
    /// Recentre the price when the touch comes closer than this share of the span to an edge.
    static constexpr double kRecentreBand = 0.15;
    /// One wheel notch or key press.
    static constexpr double kZoomStep = 0.8;

    HeatmapNavigator(QCPAxis* timeAxis, QCPAxis* priceAxis, QObject* parent = nullptr);

    bool followLive() const { return followLive_; }
    void setFollowLive(bool on);
    /// The newest data: the last column's end and the mid (NaN if unknown). Moves the view if
    /// following; the first call also centres the price.
    void setLive(TimeNs liveEndNs, double midTicks);

    TimeNs timeSpan() const;
    void setTimeSpan(TimeNs spanNs);
    void setPriceRange(double lowTicks, double highTicks);
    /// The price span resetView() returns to (default kDefaultPriceSpanTicks); the heatmap sets
    /// it from where the liquidity is.
    void setDefaultPriceSpan(double ticks) { defaultPriceSpan_ = ticks; }
    void zoomTime(double factor, std::optional<double> anchorSec = std::nullopt);
    void zoomPrice(double factor, std::optional<double> anchorTicks = std::nullopt);
    /// Pans by a share of the visible span (positive: later / higher). Turns follow-live off
    /// for time.
    void panTime(double fraction);
    void panPrice(double fraction);
    void resetView();

    /// Input from the plot; each returns whether it consumed the event.
    bool mousePress(QMouseEvent* event);
    bool mouseMove(QMouseEvent* event);
    bool mouseRelease(QMouseEvent* event);
    bool wheel(QWheelEvent* event);
    bool key(QKeyEvent* event);
    bool dragging() const { return dragging_; }

  signals:
    void followLiveChanged(bool on);
    /// A range moved (user or tracking).
    void viewChanged();

  private:
    void track();
    void recentrePrice(bool force);
    void userMoved();

    QCPAxis* time_;
    QCPAxis* price_;
    bool followLive_ = true;
    bool hasLive_ = false;
    TimeNs liveEndNs_ = 0;
    double liveMid_ = 0.0;
    bool dragging_ = false;
    bool dragMoved_ = false;
    QPointF dragStart_;
    QCPRange dragTime_;
    QCPRange dragPrice_;
    double defaultPriceSpan_ = kDefaultPriceSpanTicks;
};

}  // namespace flowscope
