#include "heatmap_widget.h"

#include <qcustomplot.h>
#include <QElapsedTimer>
#include <QKeyEvent>
#include <QVBoxLayout>
#include <cmath>

#include "heatmap_color_map.h"
#include "heatmap_crosshair.h"
#include "heatmap_lines.h"
#include "heatmap_navigator.h"
#include "heatmap_overlay.h"
#include "heatmap_own_orders.h"
#include "price_axis_ticker.h"
#include "size_axis_ticker.h"
#include "time_axis_ticker.h"
#include "trade_bubbles.h"

namespace flowscope {

namespace {

const QString kLiveLayer = QStringLiteral("live");
const QString kBubblesLayer = QStringLiteral("bubbles");
const QString kOverlayLayer = QStringLiteral("overlay");
constexpr double kBubbleRowsRadius = 4.0;
constexpr double kBubbleMinMaxRadiusPx = 8.0;
constexpr double kBubbleMaxMaxRadiusPx = 18.0;

}  // namespace

HeatmapWidget::HeatmapWidget(QWidget* parent, HistoryLimits limits)
    : QWidget(parent), history_(limits), instrument_("", DecimalStep{1, 0}, DecimalStep{1, 0}) {
    buildPlot();
    setTheme(Theme::dark());
    setFocusPolicy(Qt::StrongFocus);
    setMinimumSize(320, 200);
}

HeatmapWidget::~HeatmapWidget() = default;

void HeatmapWidget::buildPlot() {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    plot_ = new QCustomPlot(this);
    layout->addWidget(plot_);
    plot_->setFocusPolicy(Qt::NoFocus);
    plot_->setMouseTracking(true);
    plot_->installEventFilter(this);
    plot_->setInteractions(QCP::Interactions());

    QCPAxis* time = timeAxis();
    QCPAxis* price = priceAxis();
    QCPAxis* ofi = plot_->yAxis;
    price->setVisible(true);
    ofi->setVisible(false);
    plot_->xAxis2->setVisible(false);
    price->grid()->setVisible(true);
    time->grid()->setVisible(true);

    // Layers, bottom up: background, heatmap, grid, main (overlay marks, lines), axes, legend,
    // live (buffered: bubbles and live touch, which change every frame, and own orders, drawn
    // at the live edge too), overlay (buffered: crosshair, which follows the mouse). A trade-only
    // frame repaints "live" alone, a mouse move "overlay" alone; three paint buffers in all, each
    // composited on every paint.
    plot_->addLayer(QStringLiteral("heatmap"), plot_->layer(QStringLiteral("background")),
                    QCustomPlot::limAbove);
    plot_->addLayer(kLiveLayer, plot_->layer(QStringLiteral("legend")), QCustomPlot::limAbove);
    plot_->layer(kLiveLayer)->setMode(QCPLayer::lmBuffered);
    // Settled bubbles (every bucket but the open one) have a buffer of their own, under "main"
    // so the best bid/ask lines stay on top of them: repainted ten times a second when bins
    // settle, not on every frame with a trade.
    plot_->addLayer(kBubblesLayer, plot_->layer(QStringLiteral("main")), QCustomPlot::limBelow);
    plot_->layer(kBubblesLayer)->setMode(QCPLayer::lmBuffered);
    plot_->layer(kOverlayLayer)->setMode(QCPLayer::lmBuffered);

    colorMap_ = new HeatmapColorMap(time, price);
    colorMap_->setLayer(QStringLiteral("heatmap"));
    colorScale_ = new QCPColorScale(plot_);
    plot_->plotLayout()->addElement(0, 1, colorScale_);
    colorScale_->setType(QCPAxis::atRight);
    colorScale_->setBarWidth(8);
    colorScale_->axis()->setLabel(QStringLiteral("resting size"));
    sizeTicker_ = QSharedPointer<SizeAxisTicker>::create();
    logSizeTicker_ = QSharedPointer<LogSizeAxisTicker>::create();
    colorScale_->axis()->setTicker(sizeTicker_);
    colorMap_->setColorScale(colorScale_);
    auto* margins = new QCPMarginGroup(plot_);
    plot_->axisRect()->setMarginGroup(QCP::msTop | QCP::msBottom, margins);
    colorScale_->setMarginGroup(QCP::msTop | QCP::msBottom, margins);

    plot_->setCurrentLayer(QStringLiteral("main"));
    overlay_ = new HeatmapOverlay(plot_, time, price, grid_);  // below the lines
    overlay_->setInstrument(&instrument_);
    lines_ = std::make_unique<HeatmapLines>(plot_, time, price, ofi);
    bubbles_ = new TradeBubbles(plot_, time, price, history_);
    bubbles_->setLayer(kBubblesLayer);
    openBubbles_ = new OpenTradeBubbles(plot_, *bubbles_);
    openBubbles_->setLayer(kLiveLayer);
    liveBid_ = new QCPItemLine(plot_);
    liveAsk_ = new QCPItemLine(plot_);
    for (QCPItemLine* l : {liveBid_, liveAsk_}) {
        l->start->setAxes(time, price);  // items default to the left axis, here the OFI's
        l->end->setAxes(time, price);
        l->setLayer(kLiveLayer);
        l->setVisible(false);
    }
    // Over the live touch: an order at the touch stays visible.
    ownOrders_ = new HeatmapOwnOrders(plot_, time, price, history_, instrument_);
    ownOrders_->setLayer(kLiveLayer);
    crosshair_ = std::make_unique<HeatmapCrosshair>(plot_);

    emptyText_ = new QCPItemText(plot_);
    emptyText_->position->setType(QCPItemPosition::ptAxisRectRatio);
    emptyText_->position->setCoords(0.5, 0.5);
    emptyText_->setText(QStringLiteral("Waiting for market data\u2026"));
    QFont big = emptyText_->font();
    big.setPointSizeF(big.pointSizeF() * 1.4);
    emptyText_->setFont(big);
    statusText_ = new QCPItemText(plot_);
    statusText_->position->setType(QCPItemPosition::ptAxisRectRatio);
    statusText_->position->setCoords(0.005, 0.005);
    statusText_->setPositionAlignment(Qt::AlignLeft | Qt::AlignTop);
    statusText_->setPadding(QMargins(6, 3, 6, 3));
    statusText_->setVisible(false);

    priceTicker_ = QSharedPointer<PriceAxisTicker>::create();
    price->setTicker(priceTicker_);
    timeTicker_ = QSharedPointer<TimeAxisTicker>::create();
    time->setTicker(timeTicker_);

    navigator_ = new HeatmapNavigator(time, price, this);
    connect(navigator_, &HeatmapNavigator::viewChanged, this, [this] { scheduleFrame(kFull); });
    connect(navigator_, &HeatmapNavigator::followLiveChanged, this,
            &HeatmapWidget::followLiveChanged);
    connect(price, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this,
            [this](const QCPRange& r) { emit visiblePriceRangeChanged(r.lower, r.upper); });
    // A resize is only known once QCustomPlot has laid out; the grid follows before drawing.
    connect(plot_, &QCustomPlot::afterLayout, this, [this] { ensureGrid(false); });
    connect(plot_, &QCustomPlot::mousePress, this, [this](QMouseEvent* e) {
        setFocus(Qt::MouseFocusReason);
        if (plot_->axisRect()->rect().contains(e->position().toPoint())) navigator_->mousePress(e);
    });
    connect(plot_, &QCustomPlot::mouseMove, this, &HeatmapWidget::onMouseMove);
    connect(plot_, &QCustomPlot::mouseRelease, this,
            [this](QMouseEvent* e) { navigator_->mouseRelease(e); });
    connect(plot_, &QCustomPlot::mouseWheel, this,
            [this](QWheelEvent* e) { navigator_->wheel(e); });
}

void HeatmapWidget::setTheme(const Theme& theme) {
    theme_ = theme;
    plot_->setBackground(theme.window);
    plot_->axisRect()->setBackground(theme.base);
    QColor gridColour = theme.grid;
    gridColour.setAlpha(110);
    for (QCPAxis* a : {timeAxis(), priceAxis(), colorScale_->axis()}) {
        a->setBasePen(QPen(theme.grid));
        a->setTickPen(QPen(theme.mutedText));
        a->setSubTickPen(QPen(theme.grid));
        a->setTickLabelColor(theme.text);
        a->setLabelColor(theme.mutedText);
        a->grid()->setPen(QPen(gridColour, 1, Qt::DotLine));
        a->grid()->setZeroLinePen(Qt::NoPen);
    }
    colorMap_->setGradient(HeatmapColorMap::makeGradient(theme, colorSettings_.contrast));
    overlay_->setTheme(theme);
    ownOrders_->setTheme(theme);
    lines_->setTheme(theme);
    QColor outline = theme.base;
    outline.setAlpha(200);
    bubbles_->setColours(theme.buy, theme.sell, outline);
    crosshair_->setTheme(theme);
    liveBid_->setPen(QPen(theme.bid, 1.5, Qt::DashLine));
    liveAsk_->setPen(QPen(theme.ask, 1.5, Qt::DashLine));
    emptyText_->setColor(theme.mutedText);
    statusText_->setColor(theme.text);
    QColor statusBox = theme.gap;
    statusBox.setAlpha(230);
    statusText_->setBrush(statusBox);
    scheduleFrame(kFull);
}

void HeatmapWidget::setColorSettings(const HeatmapColorSettings& settings) {
    const bool gradientChanged = settings.contrast != colorSettings_.contrast;
    colorSettings_ = settings;
    if (gradientChanged)
        colorMap_->setGradient(HeatmapColorMap::makeGradient(theme_, settings.contrast));
    updateColorRange(true);
    scheduleFrame(kFull);
}

void HeatmapWidget::setPriceGrouping(int ticks) {
    priceGrouping_ = std::max(1, ticks);
    priceTicker_->setGrouping(rowGrouping());
    ensureGrid(true);
    scheduleFrame(kFull);
}

void HeatmapWidget::setMinTradeSize(Lots lots) {
    bubbles_->setMinVolume(std::max<Lots>(0, lots));
    scheduleFrame(kLive);
}

Lots HeatmapWidget::minTradeSize() const {
    return bubbles_->minVolume();
}

void HeatmapWidget::setLargeOrderThreshold(Lots lots) {
    largeOrderThreshold_ = std::max<Lots>(kAutoLargeOrders, lots);
    if (largeOrderThreshold_ == kAutoLargeOrders)
        updateColorRange(true);
    else
        overlay_->setLargeOrderThreshold(static_cast<float>(largeOrderThreshold_));
    scheduleFrame(kFull);
}

Lots HeatmapWidget::largeOrderThreshold() const {
    return largeOrderThreshold_;
}

int HeatmapWidget::rowGrouping() const {
    const auto step = static_cast<int>(history_.bucketTicks());
    return step * ((priceGrouping_ + step - 1) / step);
}

void HeatmapWidget::setOfiOverlayVisible(bool on) {
    lines_->setOfiVisible(on);
    scheduleFrame(kFull);
}

bool HeatmapWidget::ofiOverlayVisible() const {
    return lines_->ofiVisible();
}

VisiblePriceRange HeatmapWidget::visiblePriceRange() const {
    const QCPRange r = priceAxis()->range();
    return {r.lower, r.upper};
}

void HeatmapWidget::setVisiblePriceRange(double lowTicks, double highTicks) {
    navigator_->setPriceRange(lowTicks, highTicks);
}

TimeNs HeatmapWidget::visibleTimeSpan() const {
    return navigator_->timeSpan();
}
void HeatmapWidget::setVisibleTimeSpan(TimeNs spanNs) {
    navigator_->setTimeSpan(spanNs);
}
bool HeatmapWidget::followLive() const {
    return navigator_->followLive();
}
void HeatmapWidget::setFollowLive(bool on) {
    navigator_->setFollowLive(on);
}
void HeatmapWidget::zoomIn() {
    navigator_->zoomTime(HeatmapNavigator::kZoomStep);
}
void HeatmapWidget::zoomOut() {
    navigator_->zoomTime(1.0 / HeatmapNavigator::kZoomStep);
}
QCPColorMap* HeatmapWidget::colorMap() const {
    return colorMap_;
}
// The price axis sits on the right, next to the ladder; the hidden left axis carries the OFI.
QCPAxis* HeatmapWidget::timeAxis() const {
    return plot_->xAxis;
}
QCPAxis* HeatmapWidget::priceAxis() const {
    return plot_->yAxis2;
}
bool HeatmapWidget::waitingForData() const {
    return emptyText_->visible();
}

void HeatmapWidget::keyPressEvent(QKeyEvent* event) {
    if (!navigator_->key(event)) QWidget::keyPressEvent(event);
}

bool HeatmapWidget::eventFilter(QObject* watched, QEvent* event) {
    if (watched == plot_ && event->type() == QEvent::Leave) {
        mouseInside_ = false;
        scheduleFrame(kCrosshair);
    }
    return QWidget::eventFilter(watched, event);
}

void HeatmapWidget::scheduleFrame(unsigned redraw) {
    pending_ |= redraw;
    if (frameScheduled_) return;
    frameScheduled_ = true;
    // Queued: every append of this timer tick lands first, then one repaint.
    QMetaObject::invokeMethod(this, &HeatmapWidget::renderFrame, Qt::QueuedConnection);
}

void HeatmapWidget::renderFrame() {
    frameScheduled_ = false;
    const unsigned pending = std::exchange(pending_, 0u);
    if (pending == 0) return;
    if (mouseInside_ && !navigator_->dragging())
        updateCrosshair(mousePx_);
    else
        crosshair_->hide();
    if (pending & kFull) {
        lines_->fitOfi(timeAxis()->range());
        // Bubbles scale with the rows: a few rows tall at most, so the tape does not bury the
        // book when zoomed out, nor shrink to dots when zoomed in.
        const double rowPx = plot_->axisRect()->height() * grid_.geometry().rowTicks /
                             std::max(1e-9, priceAxis()->range().size());
        bubbles_->setMaxRadius(
            std::clamp(kBubbleRowsRadius * rowPx, kBubbleMinMaxRadiusPx, kBubbleMaxMaxRadiusPx));
        updateLiveTouch();
        QElapsedTimer timer;
        timer.start();
        plot_->replot(QCustomPlot::rpQueuedRefresh);
        stats_.replotUs = static_cast<double>(timer.nsecsElapsed()) / 1e3;
        stats_.recolouredColumns = colorMap_->lastRecolouredColumns();
        ++stats_.replots;
        return;
    }
    if (pending & kBubbles) plot_->layer(kBubblesLayer)->replot();
    if (pending & kLive) {
        updateLiveTouch();
        plot_->layer(kLiveLayer)->replot();
        ++stats_.liveReplots;
    }
    if (pending & kCrosshair) plot_->layer(kOverlayLayer)->replot();
}

void HeatmapWidget::onMouseMove(QMouseEvent* event) {
    mousePx_ = event->position();
    mouseInside_ = true;
    if (navigator_->mouseMove(event)) return;  // panning: the view change repaints
    scheduleFrame(kCrosshair);
}

void HeatmapWidget::updateCrosshair(const QPointF& pixel) {
    const QString text = readoutAt(pixel);
    if (text.isEmpty())
        crosshair_->hide();
    else
        crosshair_->show(pixel, text, plot_->axisRect()->rect());
}

}  // namespace flowscope
