#include "heatmap_navigator.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>

namespace flowscope {

namespace {
constexpr double kPanStep = 0.1;        // share of the span per arrow key
constexpr double kDragThresholdPx = 3;  // below this a press is a click, not a pan
constexpr double kNsPerSec = 1e9;
}  // namespace

HeatmapNavigator::HeatmapNavigator(QCPAxis* timeAxis, QCPAxis* priceAxis, QObject* parent)
    : QObject(parent), time_(timeAxis), price_(priceAxis) {
    time_->setRange(0, static_cast<double>(kDefaultSpanNs) / kNsPerSec);
    price_->setRange(-kDefaultPriceSpanTicks / 2, kDefaultPriceSpanTicks / 2);
}

void HeatmapNavigator::setFollowLive(bool on) {
    if (on == followLive_) return;
    followLive_ = on;
    if (on) {
        track();
        recentrePrice(true);
    }
    emit followLiveChanged(on);
    emit viewChanged();
}

void HeatmapNavigator::setLive(TimeNs liveEndNs, double midTicks) {
    const bool first = !hasLive_;
    hasLive_ = true;
    liveEndNs_ = liveEndNs;
    if (std::isfinite(midTicks)) liveMid_ = midTicks;
    if (first) {
        track();
        recentrePrice(true);
    } else if (followLive_) {
        track();
        recentrePrice(false);
    }
}

void HeatmapNavigator::track() {
    if (!hasLive_ || !followLive_) return;
    const double span = time_->range().size();
    const double upper = static_cast<double>(liveEndNs_) / kNsPerSec + span * kLiveMargin;
    time_->setRange(upper - span, upper);
}

void HeatmapNavigator::recentrePrice(bool force) {
    if (!hasLive_) return;
    const QCPRange r = price_->range();
    const double band = r.size() * kRecentreBand;
    if (force || liveMid_ < r.lower + band || liveMid_ > r.upper - band)
        price_->setRange(liveMid_ - r.size() / 2, liveMid_ + r.size() / 2);
}

void HeatmapNavigator::userMoved() {
    if (followLive_) {
        followLive_ = false;
        emit followLiveChanged(false);
    }
}

TimeNs HeatmapNavigator::timeSpan() const {
    return static_cast<TimeNs>(std::llround(time_->range().size() * kNsPerSec));
}

void HeatmapNavigator::setTimeSpan(TimeNs spanNs) {
    const double span = static_cast<double>(std::clamp(spanNs, kMinSpanNs, kMaxSpanNs)) / kNsPerSec;
    const double upper = time_->range().upper;
    time_->setRange(upper - span, upper);
    track();
    emit viewChanged();
}

void HeatmapNavigator::setPriceRange(double lowTicks, double highTicks) {
    if (highTicks < lowTicks) std::swap(lowTicks, highTicks);
    const double span = std::clamp(highTicks - lowTicks, kMinPriceSpanTicks, kMaxPriceSpanTicks);
    const double centre = (lowTicks + highTicks) / 2;
    price_->setRange(centre - span / 2, centre + span / 2);
    emit viewChanged();
}

void HeatmapNavigator::zoomTime(double factor, std::optional<double> anchorSec) {
    const QCPRange r = time_->range();
    const double minSpan = static_cast<double>(kMinSpanNs) / kNsPerSec;
    const double maxSpan = static_cast<double>(kMaxSpanNs) / kNsPerSec;
    const double span = std::clamp(r.size() * factor, minSpan, maxSpan);
    // Following, the live edge stays put; otherwise the point under the mouse does.
    const double anchor = followLive_ ? r.upper : anchorSec.value_or(r.center());
    const double t = (anchor - r.lower) / r.size();
    time_->setRange(anchor - t * span, anchor + (1 - t) * span);
    track();
    emit viewChanged();
}

void HeatmapNavigator::zoomPrice(double factor, std::optional<double> anchorTicks) {
    const QCPRange r = price_->range();
    const double span = std::clamp(r.size() * factor, kMinPriceSpanTicks, kMaxPriceSpanTicks);
    const double anchor = anchorTicks.value_or(r.center());
    const double t = (anchor - r.lower) / r.size();
    price_->setRange(anchor - t * span, anchor + (1 - t) * span);
    emit viewChanged();
}

void HeatmapNavigator::panTime(double fraction) {
    userMoved();
    time_->moveRange(time_->range().size() * fraction);
    emit viewChanged();
}

void HeatmapNavigator::panPrice(double fraction) {
    userMoved();
    price_->moveRange(price_->range().size() * fraction);
    emit viewChanged();
}

void HeatmapNavigator::resetView() {
    const double span = static_cast<double>(kDefaultSpanNs) / kNsPerSec;
    time_->setRange(time_->range().upper - span, time_->range().upper);
    const double c = hasLive_ ? liveMid_ : price_->range().center();
    price_->setRange(c - defaultPriceSpan_ / 2, c + defaultPriceSpan_ / 2);
    setFollowLive(true);
    track();
    emit viewChanged();
}

bool HeatmapNavigator::mousePress(QMouseEvent* event) {
    if (event->button() != Qt::LeftButton) return false;
    dragging_ = true;
    dragMoved_ = false;
    dragStart_ = event->position();
    dragTime_ = time_->range();
    dragPrice_ = price_->range();
    return true;
}

bool HeatmapNavigator::mouseMove(QMouseEvent* event) {
    if (!dragging_) return false;
    const QPointF d = event->position() - dragStart_;
    if (!dragMoved_ && std::hypot(d.x(), d.y()) < kDragThresholdPx) return true;
    if (!dragMoved_) userMoved();
    dragMoved_ = true;
    const QRect rect = time_->axisRect()->rect();
    const double secPerPx = dragTime_.size() / std::max(1, rect.width());
    const double ticksPerPx = dragPrice_.size() / std::max(1, rect.height());
    time_->setRange(dragTime_.lower - d.x() * secPerPx, dragTime_.upper - d.x() * secPerPx);
    price_->setRange(dragPrice_.lower + d.y() * ticksPerPx, dragPrice_.upper + d.y() * ticksPerPx);
    emit viewChanged();
    return true;
}

bool HeatmapNavigator::mouseRelease(QMouseEvent* event) {
    if (!dragging_ || event->button() != Qt::LeftButton) return false;
    dragging_ = false;
    return true;
}

bool HeatmapNavigator::wheel(QWheelEvent* event) {
    const double notches = event->angleDelta().y() / 120.0;
    if (notches == 0) return false;
    const double factor = std::pow(kZoomStep, notches);
    const QPointF p = event->position();
    if (event->modifiers() & Qt::ControlModifier)
        zoomPrice(factor, price_->pixelToCoord(p.y()));
    else
        zoomTime(factor, time_->pixelToCoord(p.x()));
    return true;
}

bool HeatmapNavigator::key(QKeyEvent* event) {
    const bool ctrl = event->modifiers() & Qt::ControlModifier;
    switch (event->key()) {
        case Qt::Key_Plus:
        case Qt::Key_Equal:
            ctrl ? zoomPrice(kZoomStep) : zoomTime(kZoomStep);
            return true;
        case Qt::Key_Minus:
        case Qt::Key_Underscore:
            ctrl ? zoomPrice(1 / kZoomStep) : zoomTime(1 / kZoomStep);
            return true;
        case Qt::Key_Left:
            panTime(-kPanStep);
            return true;
        case Qt::Key_Right:
            panTime(kPanStep);
            return true;
        case Qt::Key_Up:
            panPrice(kPanStep);
            return true;
        case Qt::Key_Down:
            panPrice(-kPanStep);
            return true;
        case Qt::Key_F:
        case Qt::Key_End:
            setFollowLive(true);
            return true;
        case Qt::Key_Home:
            resetView();
            return true;
        default:
            return false;
    }
}

}  // namespace flowscope
