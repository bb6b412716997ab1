#include "heatmap_lines.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace flowscope {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// The OFI band is the bottom fifth of the plot: with the axis at [-A, 9A], +-A spans it.
constexpr double kOfiBandFraction = 0.2;

double seconds(TimeNs t) {
    return static_cast<double>(t) * 1e-9;
}

QCPGraph* makeGraph(QCPAxis* key, QCPAxis* value) {
    auto* g = new QCPGraph(key, value);
    g->setLineStyle(QCPGraph::lsLine);
    g->setScatterStyle(QCPScatterStyle::ssNone);
    g->setSelectable(QCP::stNone);
    g->setAdaptiveSampling(true);
    g->setAntialiased(false);
    g->setAntialiasedFill(false);
    return g;
}

}  // namespace

HeatmapLines::HeatmapLines(QCustomPlot* plot, QCPAxis* timeAxis, QCPAxis* priceAxis,
                           QCPAxis* ofiAxis)
    : bid_(makeGraph(timeAxis, priceAxis)),
      ask_(makeGraph(timeAxis, priceAxis)),
      micro_(makeGraph(timeAxis, priceAxis)),
      ofiPos_(makeGraph(timeAxis, ofiAxis)),
      ofiNeg_(makeGraph(timeAxis, ofiAxis)),
      ofiAxis_(ofiAxis),
      ofiLabel_(new QCPItemText(plot)),
      tailKey_(kNaN) {
    for (QCPGraph* g : {bid_, ask_, ofiPos_, ofiNeg_})
        g->setLineStyle(QCPGraph::lsStepLeft);
    micro_->setAntialiased(true);  // the only line that is not a step
    ofiLabel_->setPositionAlignment(Qt::AlignLeft | Qt::AlignBottom);
    ofiLabel_->position->setType(QCPItemPosition::ptAxisRectRatio);
    ofiLabel_->position->setCoords(0.005, 1.0 - kOfiBandFraction);
    ofiLabel_->setClipToAxisRect(true);
    setOfiVisible(false);
}

void HeatmapLines::setTheme(const Theme& theme) {
    theme_ = theme;
    // Steps are axis-parallel: antialiasing them costs the raster engine a lot and changes no
    // pixel. Dashed pens are worse still (every segment goes through the dash stroker), so the
    // micro-price is told apart by colour and weight instead.
    bid_->setPen(QPen(theme.bid, 2.0));
    ask_->setPen(QPen(theme.ask, 2.0));
    QColor micro = theme.microPrice;
    micro.setAlpha(220);
    QPen microPen(micro, 1.0);
    microPen.setCosmetic(true);
    micro_->setPen(microPen);
    QColor buy = theme.buy, sell = theme.sell;
    ofiPos_->setPen(QPen(buy, 1.0));
    ofiNeg_->setPen(QPen(sell, 1.0));
    buy.setAlpha(110);
    sell.setAlpha(110);
    ofiPos_->setBrush(buy);
    ofiNeg_->setBrush(sell);
    ofiLabel_->setColor(theme.mutedText);
}

void HeatmapLines::append(const HeatmapHistory::Column& c) {
    const double t0 = seconds(c.startNs), t1 = seconds(c.endNs);
    // Steps are one point per bucket (lsStepLeft) plus a tail point at the newest bucket's end,
    // so the last bucket has its width too; the tail moves on with every column.
    if (std::isfinite(tailKey_)) {
        for (QCPGraph* g : {bid_, ask_, ofiPos_, ofiNeg_})
            g->data()->remove(tailKey_);
        tailKey_ = kNaN;
    }
    if (c.gap) {
        // A NaN point ends the previous step at the gap's start and breaks every line.
        for (QCPGraph* g : {bid_, ask_, micro_, ofiPos_, ofiNeg_})
            g->addData(t0, kNaN);
        return;
    }
    auto step = [&](QCPGraph* g, double v) {
        g->addData(t0, v);
        g->addData(t1, v);
    };
    step(bid_, isEmptyLevel(c.bestBid) ? kNaN : static_cast<double>(c.bestBid.price));
    step(ask_, isEmptyLevel(c.bestAsk) ? kNaN : static_cast<double>(c.bestAsk.price));
    const double ofi = static_cast<double>(c.touchOfi);
    step(ofiPos_, std::max(ofi, 0.0));
    step(ofiNeg_, std::min(ofi, 0.0));
    tailKey_ = t1;
    // The micro-price is the state at the bucket's end.
    micro_->addData(t1, std::isfinite(c.microPrice) ? c.microPrice : kNaN);
}

void HeatmapLines::reload(const HeatmapHistory& history) {
    for (QCPGraph* g : {bid_, ask_, micro_, ofiPos_, ofiNeg_})
        g->data()->clear();
    for (std::size_t i = 0; i < history.columnCount(); ++i)
        append(history.column(i));
}

void HeatmapLines::trim(const HeatmapHistory& history) {
    if (history.empty()) return;
    const double first = seconds(history.startNs());
    for (QCPGraph* g : {bid_, ask_, micro_, ofiPos_, ofiNeg_})
        g->data()->removeBefore(first);
}

void HeatmapLines::setTouchVisible(bool on) {
    bid_->setVisible(on);
    ask_->setVisible(on);
}

void HeatmapLines::setMicroPriceVisible(bool on) {
    micro_->setVisible(on);
}

void HeatmapLines::setOfiVisible(bool on) {
    ofiPos_->setVisible(on);
    ofiNeg_->setVisible(on);
    ofiLabel_->setVisible(on);
}

void HeatmapLines::fitOfi(const QCPRange& timeRange) {
    if (!ofiVisible()) return;
    double peak = 1.0;
    for (QCPGraph* g : {ofiPos_, ofiNeg_}) {
        const auto data = g->data();
        for (auto it = data->findBegin(timeRange.lower); it != data->findEnd(timeRange.upper); ++it)
            if (std::isfinite(it->value)) peak = std::max(peak, std::abs(it->value));
    }
    const double span = 2.0 * peak / kOfiBandFraction;
    ofiAxis_->setRange(-peak, -peak + span);
    ofiLabel_->setText(QStringLiteral("touch OFI per bucket  \u00b1%1 lots").arg(peak, 0, 'g', 4));
}

}  // namespace flowscope
