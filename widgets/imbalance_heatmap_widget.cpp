#include "imbalance_heatmap_widget.h"

#include <qcustomplot.h>
#include <QElapsedTimer>
#include <QVBoxLayout>
#include <cmath>

#include "heatmap_crosshair.h"
#include "imbalance_heatmap_color_map.h"
#include "imbalance_heatmap_gaps.h"
#include "time_axis_ticker.h"

namespace flowscope {

namespace {
const QString kOverlayLayer = QStringLiteral("overlay");
constexpr double kZoomStep = 0.8;       // one wheel notch, as the liquidity heatmap
constexpr double kLiveMargin = 0.04;    // share of the span right of the live edge
constexpr double kDragThresholdPx = 3;  // below this a press is a click
}  // namespace

ImbalanceHeatmapWidget::ImbalanceHeatmapWidget(QWidget* parent, ImbalanceHeatmapLimits limits)
    : QWidget(parent), model_(limits), instrument_("", DecimalStep{1, 0}, DecimalStep{1, 0}) {
    buildPlot();
    setTheme(Theme::dark());
    setSettings(settings_);
    setMinimumSize(320, 120);
}

ImbalanceHeatmapWidget::~ImbalanceHeatmapWidget() = default;

void ImbalanceHeatmapWidget::buildPlot() {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    controls_ = new ImbalanceHeatmapControls(this);
    layout->addWidget(controls_);
    plot_ = new QCustomPlot(this);
    layout->addWidget(plot_, 1);
    plot_->setMouseTracking(true);
    plot_->installEventFilter(this);
    plot_->setInteractions(QCP::Interactions());
    connect(controls_, &ImbalanceHeatmapControls::changed, this, [this](const auto& v) {
        setSettings(v);
        emit settingsChanged(v);
    });

    // Levels on the right, as the liquidity heatmap's prices, so both plot areas can line up.
    QCPAxis* time = timeAxis();
    QCPAxis* level = levelAxis();
    plot_->yAxis->setVisible(false);
    plot_->xAxis2->setVisible(false);
    level->setVisible(true);
    level->setRangeReversed(true);  // level 1, the touch, on top
    level->setLabel(tr("level"));
    level->grid()->setVisible(false);
    time->grid()->setVisible(false);
    level->setTicker(QSharedPointer<QCPAxisTickerText>::create());
    level->setSubTicks(false);
    timeTicker_ = QSharedPointer<TimeAxisTicker>::create();
    time->setTicker(timeTicker_);
    time->setRange(0, static_cast<double>(kDefaultSpanNs) * 1e-9);

    plot_->addLayer(QStringLiteral("heatmap"), plot_->layer(QStringLiteral("background")),
                    QCustomPlot::limAbove);
    plot_->layer(kOverlayLayer)->setMode(QCPLayer::lmBuffered);
    colorMap_ = new ImbalanceColorMap(time, level);
    colorMap_->setLayer(QStringLiteral("heatmap"));
    colorScale_ = new QCPColorScale(plot_);
    plot_->plotLayout()->addElement(0, 1, colorScale_);
    colorScale_->setType(QCPAxis::atRight);
    colorScale_->setBarWidth(8);
    colorMap_->setColorScale(colorScale_);
    auto* margins = new QCPMarginGroup(plot_);
    plot_->axisRect()->setMarginGroup(QCP::msTop | QCP::msBottom, margins);
    colorScale_->setMarginGroup(QCP::msTop | QCP::msBottom, margins);
    plot_->setCurrentLayer(QStringLiteral("main"));
    gapMarks_ = new ImbalanceGapMarks(plot_, time, grid_);
    crosshair_ = std::make_unique<HeatmapCrosshair>(plot_);

    emptyText_ = new QCPItemText(plot_);
    emptyText_->position->setType(QCPItemPosition::ptAxisRectRatio);
    emptyText_->position->setCoords(0.5, 0.5);
    emptyText_->setText(tr("Waiting for market data\u2026"));

    connect(plot_, &QCustomPlot::afterLayout, this, [this] { ensureGrid(false); });
    connect(time, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this, [this] {
        ensureGrid(false);
        scheduleFrame();
    });
    connect(plot_, &QCustomPlot::mousePress, this, [this](QMouseEvent* e) {
        if (e->button() != Qt::LeftButton ||
            !plot_->axisRect()->rect().contains(e->position().toPoint()))
            return;
        dragging_ = true;
        dragLastX_ = e->position().x();
    });
    connect(plot_, &QCustomPlot::mouseMove, this, &ImbalanceHeatmapWidget::onMouseMove);
    connect(plot_, &QCustomPlot::mouseRelease, this, [this](QMouseEvent* e) {
        if (e->button() == Qt::LeftButton) dragging_ = false;
    });
    connect(plot_, &QCustomPlot::mouseWheel, this, [this](QWheelEvent* e) {
        const double notches = e->angleDelta().y() / 120.0;
        if (notches != 0)
            zoomTime(std::pow(kZoomStep, notches), timeAxis()->pixelToCoord(e->position().x()));
    });
}

QCPAxis* ImbalanceHeatmapWidget::timeAxis() const {
    return plot_->xAxis;
}
QCPAxis* ImbalanceHeatmapWidget::levelAxis() const {
    return plot_->yAxis2;
}

void ImbalanceHeatmapWidget::setTheme(const Theme& theme) {
    theme_ = theme;
    plot_->setBackground(theme.window);
    plot_->axisRect()->setBackground(theme.base);
    for (QCPAxis* a : {timeAxis(), levelAxis(), colorScale_->axis()}) {
        a->setBasePen(QPen(theme.grid));
        a->setTickPen(QPen(theme.mutedText));
        a->setSubTickPen(QPen(theme.grid));
        a->setTickLabelColor(theme.text);
        a->setLabelColor(theme.mutedText);
    }
    colorMap_->setGradient(ImbalanceColorMap::makeGradient(theme));
    gapMarks_->setTheme(theme);
    crosshair_->setTheme(theme);
    emptyText_->setColor(theme.mutedText);
    scheduleFrame();
}

void ImbalanceHeatmapWidget::setSettings(const ImbalanceHeatmapSettings& s) {
    const bool regrid =
        s.measure != settings_.measure || s.levels != settings_.levels || !grid_.geometry().valid();
    settings_ = s;
    settings_.levels = std::clamp(s.levels, ImbalanceHeatmapSettings::kMinLevels,
                                  ImbalanceHeatmapModel::kMaxLevels);
    if (controls_->values() != settings_) controls_->setValues(settings_);
    colorMap_->setClamp(settings_.clamp());
    const bool z = settings_.measure == ImbalanceMeasure::OfiZScore;
    colorScale_->axis()->setLabel(z ? tr("z (\u03c3): sell \u2212 / buy +")
                                    : tr("sell \u2212 / buy +"));
    updateLevelAxis();
    if (regrid) ensureGrid(true);
    scheduleFrame();
}

int ImbalanceHeatmapWidget::shownLevels() const {
    const int data = model_.levels() > 0 ? model_.levels() : settings_.levels;
    return std::max(ImbalanceHeatmapSettings::kMinLevels, std::min(settings_.levels, data));
}

void ImbalanceHeatmapWidget::updateLevelAxis() {
    const int m = shownLevels();
    levelAxis()->setRange(0.5, m + 0.5);
    // The touch is always labelled; then every level while they fit, a round step beyond.
    auto* ticker = static_cast<QCPAxisTickerText*>(levelAxis()->ticker().data());
    ticker->clear();
    const int step = m <= 6 ? 1 : m <= 12 ? 3 : m <= 30 ? 5 : 10;
    ticker->addTick(1, QStringLiteral("1"));
    for (int l = step; l <= m; l += step)
        if (l > 1) ticker->addTick(l, QString::number(l));
}

void ImbalanceHeatmapWidget::setFollowLive(bool on) {
    followLive_ = on;
    if (on) trackLive();
}

void ImbalanceHeatmapWidget::trackLive() {
    if (linked_ || !followLive_ || model_.empty()) return;
    const QCPRange r = timeAxis()->range();
    const double upper = static_cast<double>(model_.endNs()) * 1e-9 + r.size() * kLiveMargin;
    timeAxis()->setRange(upper - r.size(), upper);
}

void ImbalanceHeatmapWidget::zoomTime(double factor, double anchorSec) {
    if (linked_) {
        emit timeZoomRequested(factor, anchorSec);
        return;
    }
    const QCPRange r = timeAxis()->range();
    const double span = std::clamp(r.size() * factor, static_cast<double>(kMinSpanNs) * 1e-9,
                                   static_cast<double>(kMaxSpanNs) * 1e-9);
    const double anchor = followLive_ ? r.upper : anchorSec;
    const double t = (anchor - r.lower) / r.size();
    timeAxis()->setRange(anchor - t * span, anchor + (1 - t) * span);
}

void ImbalanceHeatmapWidget::panTime(double fraction) {
    if (linked_) {
        emit timePanRequested(fraction);
        return;
    }
    followLive_ = false;
    timeAxis()->moveRange(timeAxis()->range().size() * fraction);
}

void ImbalanceHeatmapWidget::onMouseMove(QMouseEvent* event) {
    mousePx_ = event->position();
    mouseInside_ = true;
    if (dragging_) {
        const double dx = mousePx_.x() - dragLastX_;
        if (std::abs(dx) >= kDragThresholdPx) {
            dragLastX_ = mousePx_.x();
            panTime(-dx / std::max(1, plot_->axisRect()->width()));
            return;
        }
    }
    const QString text = dragging_ ? QString() : readoutAt(mousePx_);
    if (text.isEmpty())
        crosshair_->hide();
    else
        crosshair_->show(mousePx_, text, plot_->axisRect()->rect());
    plot_->layer(kOverlayLayer)->replot();
}

bool ImbalanceHeatmapWidget::eventFilter(QObject* watched, QEvent* event) {
    if (watched == plot_ && event->type() == QEvent::Leave) {
        mouseInside_ = false;
        crosshair_->hide();
        plot_->layer(kOverlayLayer)->replot();
    }
    return QWidget::eventFilter(watched, event);
}

void ImbalanceHeatmapWidget::alignPlotArea(int leftGlobalX, int rightGlobalX) {
    QCPAxisRect* rect = plot_->axisRect();
    const QRect outer = rect->outerRect();
    const int outerLeft = plot_->mapToGlobal(outer.topLeft()).x();
    const int outerRight = plot_->mapToGlobal(outer.topRight()).x();
    const int left = leftGlobalX - outerLeft, right = outerRight - rightGlobalX;
    // Out of reach (the other plot is much wider, or the axis labels would not fit): automatic.
    const bool fits = left >= 0 && right >= 24 && left + right < outer.width() / 2;
    const QCP::MarginSides autoSides =
        fits ? QCP::MarginSides(QCP::msTop | QCP::msBottom) : QCP::MarginSides(QCP::msAll);
    const QMargins wanted(fits ? left : 0, rect->margins().top(), fits ? right : 0,
                          rect->margins().bottom());
    if (rect->autoMargins() == autoSides && (!fits || (rect->margins().left() == wanted.left() &&
                                                       rect->margins().right() == wanted.right())))
        return;
    rect->setAutoMargins(autoSides);
    if (fits) rect->setMargins(wanted);
    scheduleFrame();
}

void ImbalanceHeatmapWidget::scheduleFrame() {
    if (frameScheduled_) return;
    frameScheduled_ = true;
    QMetaObject::invokeMethod(this, &ImbalanceHeatmapWidget::renderFrame, Qt::QueuedConnection);
}

void ImbalanceHeatmapWidget::renderFrame() {
    frameScheduled_ = false;
    if (mouseInside_ && !dragging_) {
        const QString text = readoutAt(mousePx_);
        if (!text.isEmpty()) crosshair_->show(mousePx_, text, plot_->axisRect()->rect());
    }
    QElapsedTimer timer;
    timer.start();
    plot_->replot(QCustomPlot::rpQueuedRefresh);
    stats_.replotUs = static_cast<double>(timer.nsecsElapsed()) / 1e3;
    stats_.recolouredColumns = colorMap_->lastRecolouredColumns();
    ++stats_.replots;
}

}  // namespace flowscope
