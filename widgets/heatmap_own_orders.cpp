#include "heatmap_own_orders.h"

#include <QFontMetricsF>
#include <algorithm>

namespace flowscope {

namespace {
// Panned back in time the live edge is off to the right; the markers still show, this long.
constexpr double kMinLengthPx = 24.0;
constexpr double kLineWidthPx = 2.0;
constexpr double kLabelPadXPx = 4.0;
constexpr double kLabelPadYPx = 1.0;
constexpr double kLabelInsetPx = 2.0;  ///< from the plot's right edge
constexpr double kLabelGapPx = 3.0;    ///< between labels moved apart

}  // namespace

HeatmapOwnOrders::HeatmapOwnOrders(QCustomPlot* plot, QCPAxis* keyAxis, QCPAxis* valueAxis,
                                   const HeatmapHistory& history, const Instrument& instrument)
    : QCPLayerable(plot),
      keyAxis_(keyAxis),
      valueAxis_(valueAxis),
      history_(history),
      instrument_(instrument),
      font_(plot->font()) {
    font_.setPointSizeF(font_.pointSizeF() * 0.9);
    setVisible(false);
}

bool HeatmapOwnOrders::setOrders(std::span<const OwnOrderLevel> orders) {
    std::vector<OwnOrderLevel> canonical = canonicalOwnOrders({orders.begin(), orders.end()});
    if (std::equal(canonical.begin(), canonical.end(), markers_.begin(), markers_.end(),
                   [](const OwnOrderLevel& o, const Marker& m) { return o == m.order; }))
        return false;
    markers_.clear();
    markers_.reserve(canonical.size());
    for (const OwnOrderLevel& o : canonical)
        markers_.push_back({o, {}, 0.0});
    relabel();
    return true;
}

void HeatmapOwnOrders::relabel() {
    const QFontMetricsF fm(font_);
    for (Marker& m : markers_) {
        m.label = labelOf(m.order);
        m.labelWidthPx = fm.horizontalAdvance(m.label);
    }
    setVisible(!markers_.empty());
}

QString HeatmapOwnOrders::labelOf(const OwnOrderLevel& o) const {
    return QLatin1String(rolePrefix(o.role)) +
           (o.side == Side::Bid ? QStringLiteral("B ") : QStringLiteral("S ")) +
           QString::fromStdString(instrument_.formatSize(o.qty));
}

std::vector<HeatmapOwnOrders::Placement> HeatmapOwnOrders::layout() const {
    std::vector<Placement> out;
    if (markers_.empty() || history_.empty() || !keyAxis_ || !valueAxis_) return out;
    const QRect area = keyAxis_->axisRect()->rect();
    const double left = area.left();
    const double right = area.left() + area.width();  // QRect::right() is one pixel short
    const double liveX = keyAxis_->coordToPixel(static_cast<double>(history_.endNs()) * 1e-9);
    const double x0 = std::clamp(liveX, left, std::max(left, right - kMinLengthPx));
    const double height = QFontMetricsF(font_).height() + 2 * kLabelPadYPx;
    out.reserve(markers_.size());
    for (const Marker& m : markers_) {
        const double y = valueAxis_->coordToPixel(static_cast<double>(m.order.price));
        const double width = m.labelWidthPx + 2 * kLabelPadXPx;
        // The label sits on the line (below it at the top edge), so the line, and whether it
        // is dashed, stays in view; the line reaches at least as far left as the label.
        const double top =
            y - kLabelGapPx - height < area.top() ? y + kLabelGapPx : y - kLabelGapPx - height;
        QRectF box(right - kLabelInsetPx - width, top, width, height);
        // Orders a few ticks apart (or zoomed out) would stack their labels: each moves left
        // of any label placed before it that it overlaps. Only ever left, so this ends.
        for (bool moved = true; moved;) {
            moved = false;
            for (const Placement& p : out) {
                if (!p.label.intersects(box)) continue;
                box.moveRight(p.label.left() - kLabelGapPx);
                moved = true;
            }
        }
        const double start = std::max(left, std::min(x0, box.left()));  // after any move
        out.push_back({QLineF(start, y, right, y), box});
    }
    return out;
}

QString HeatmapOwnOrders::describeRow(PriceTicks low, int grouping) const {
    QString text;
    for (const Marker& m : markers_) {
        if (m.order.price < low || m.order.price >= low + grouping) continue;
        if (!text.isEmpty()) text += QLatin1Char('\n');
        text += QStringLiteral("own: %1 @ %2")
                    .arg(m.label, QString::fromStdString(instrument_.formatPrice(m.order.price)));
        if (m.order.heldLocally) text += QStringLiteral(" (held locally)");
    }
    return text;
}

void HeatmapOwnOrders::applyDefaultAntialiasingHint(QCPPainter* painter) const {
    // Horizontal lines and boxes: antialiasing changes no pixel worth having.
    applyAntialiasingHint(painter, false, QCP::aeOther);
}

QRect HeatmapOwnOrders::clipRect() const {
    return keyAxis_ ? keyAxis_->axisRect()->rect() : QCPLayerable::clipRect();
}

void HeatmapOwnOrders::draw(QCPPainter* painter) {
    const std::vector<Placement> placed = layout();
    if (placed.empty()) return;
    for (std::size_t i = 0; i < placed.size(); ++i) {
        QPen pen(theme_.ownOrder, kLineWidthPx,
                 markers_[i].order.heldLocally ? Qt::DashLine : Qt::SolidLine);
        pen.setCapStyle(Qt::FlatCap);
        painter->setPen(pen);
        painter->drawLine(placed[i].line);
    }
    // Labels over every line, so that a neighbour's line never crosses a label.
    painter->setFont(font_);
    QColor back = theme_.base;
    back.setAlpha(225);
    painter->setBrush(back);
    for (std::size_t i = 0; i < placed.size(); ++i) {
        painter->setPen(QPen(theme_.ownOrder, 1.0));
        painter->drawRect(placed[i].label);
        painter->drawText(placed[i].label, Qt::AlignCenter, markers_[i].label);
    }
}

}  // namespace flowscope
