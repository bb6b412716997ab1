#include "heatmap_overlay.h"

#include "size_axis_ticker.h"

#include <QFontMetricsF>
#include <algorithm>
#include <cmath>

namespace flowscope {

namespace {
// A gap narrower than this would vanish between two cells.
constexpr double kMinGapMarkPx = 2.0;
constexpr double kGapLabelMinPx = 48.0;
// Cells under the threshold that still join two large ones into one run.
constexpr int kRunBridgeCells = 3;
}  // namespace

HeatmapOverlay::HeatmapOverlay(QCustomPlot* plot, QCPAxis* keyAxis, QCPAxis* valueAxis,
                               const HeatmapGrid& grid)
    : QCPLayerable(plot), keyAxis_(keyAxis), valueAxis_(valueAxis), grid_(grid) {}

void HeatmapOverlay::setTheme(const Theme& theme) {
    theme_ = theme;
}

void HeatmapOverlay::applyDefaultAntialiasingHint(QCPPainter* painter) const {
    applyAntialiasingHint(painter, false, QCP::aeOther);
}

QRect HeatmapOverlay::clipRect() const {
    return keyAxis_ ? keyAxis_->axisRect()->rect() : QCPLayerable::clipRect();
}

double HeatmapOverlay::cellLeftPx(int k) const {
    return keyAxis_->coordToPixel(static_cast<double>(grid_.geometry().cellStartNs(k)) * 1e-9);
}

double HeatmapOverlay::rowBottomPx(int r) const {
    // Row centres sit on whole ticks, so a row's edge is half a tick below its lowest tick.
    return valueAxis_->coordToPixel(static_cast<double>(grid_.geometry().rowLowPrice(r)) - 0.5);
}

std::vector<HeatmapOverlay::Run> HeatmapOverlay::largeOrderRuns(int k0, int k1, int r0,
                                                                int r1) const {
    std::vector<Run> runs;
    if (largeThreshold_ <= 0.0f || !grid_.geometry().valid()) return runs;
    const GridGeometry& g = grid_.geometry();
    k0 = std::max(k0, 0);
    k1 = std::min(k1, g.cells - 1);
    r0 = std::max(r0, 0);
    r1 = std::min(r1, g.rows - 1);
    for (int r = r0; r <= r1; ++r) {
        const float* row = grid_.peakRow(r);
        int start = -1, lastLarge = -1;
        for (int k = k0; k <= k1; ++k) {
            if (!(row[k] >= largeThreshold_)) continue;  // NaN too
            // An order that dips under the threshold for a moment is still the same order.
            if (start >= 0 && k - lastLarge > kRunBridgeCells + 1) {
                runs.push_back({r, start, lastLarge});
                start = -1;
            }
            if (start < 0) start = k;
            lastLarge = k;
        }
        if (start >= 0) runs.push_back({r, start, lastLarge});
    }
    return runs;
}

void HeatmapOverlay::draw(QCPPainter* painter) {
    if (!keyAxis_ || !valueAxis_ || !grid_.geometry().valid()) return;
    const GridGeometry& g = grid_.geometry();
    const QCPRange xr = keyAxis_->range();
    const QCPRange yr = valueAxis_->range();
    const int k0 = static_cast<int>(
        std::clamp<std::int64_t>(g.cellAt(static_cast<TimeNs>(xr.lower * 1e9)), 0, g.cells - 1));
    const int k1 = static_cast<int>(
        std::clamp<std::int64_t>(g.cellAt(static_cast<TimeNs>(xr.upper * 1e9)), 0, g.cells - 1));
    const int r0 = static_cast<int>(std::clamp<std::int64_t>(
        g.rowAt(static_cast<PriceTicks>(std::floor(yr.lower))), 0, g.rows - 1));
    const int r1 = static_cast<int>(std::clamp<std::int64_t>(
        g.rowAt(static_cast<PriceTicks>(std::ceil(yr.upper))), 0, g.rows - 1));
    drawGaps(painter, k0, k1);
    drawLargeOrders(painter, k0, k1, r0, r1);
}

void HeatmapOverlay::drawGaps(QCPPainter* painter, int k0, int k1) const {
    const QRect area = clipRect();
    QColor hatch = theme_.mutedText;
    hatch.setAlpha(110);
    QColor partial = theme_.gap.lighter(160);
    partial.setAlpha(220);
    painter->setPen(Qt::NoPen);
    for (int k = k0; k <= k1; ++k) {
        if (grid_.state(k) == HeatmapGrid::CellState::Gap) {
            int last = k;
            while (last + 1 <= k1 && grid_.state(last + 1) == HeatmapGrid::CellState::Gap)
                ++last;
            const double x0 = cellLeftPx(k), x1 = cellLeftPx(last + 1);
            const QRectF rect(x0, area.top(), std::max(kMinGapMarkPx, x1 - x0), area.height());
            painter->setBrush(QBrush(hatch, Qt::BDiagPattern));
            painter->drawRect(rect);
            if (rect.width() >= kGapLabelMinPx) {
                painter->setPen(theme_.mutedText);
                painter->drawText(rect.adjusted(0, 6, 0, 0), Qt::AlignHCenter | Qt::AlignTop,
                                  QStringLiteral("no data"));
                painter->setPen(Qt::NoPen);
            }
            k = last;
        } else if (grid_.partialGap(k)) {
            const double x0 = cellLeftPx(k), x1 = cellLeftPx(k + 1);
            painter->setBrush(partial);
            painter->drawRect(
                QRectF(x0, area.top(), std::max(kMinGapMarkPx, x1 - x0), area.height()));
        }
    }
}

void HeatmapOverlay::drawLargeOrders(QCPPainter* painter, int k0, int k1, int r0, int r1) const {
    const std::vector<Run> runs = largeOrderRuns(k0, k1, r0, r1);
    if (runs.empty()) return;
    // The cells under a large order are already the hottest colour, so the mark is a frame in
    // an accent colour, with the run's peak size at its newest end when there is room.
    painter->setBrush(Qt::NoBrush);
    const QFontMetricsF fm(painter->font());
    for (const Run& run : runs) {
        const QRectF rect = QRectF(QPointF(cellLeftPx(run.firstCell), rowBottomPx(run.row + 1)),
                                   QPointF(cellLeftPx(run.lastCell + 1), rowBottomPx(run.row)))
                                .normalized()
                                .adjusted(-1.0, -1.0, 1.0, 1.0);
        painter->setPen(QPen(theme_.lastTrade, 1.0));
        painter->drawRect(rect);
        if (rect.width() < 60.0) continue;
        const float* row = grid_.peakRow(run.row);
        float peak = 0.0f;
        for (int k = run.firstCell; k <= run.lastCell; ++k)
            peak = std::max(peak, row[k]);
        const QString label = instrument_
                                  ? formatHeatmapSize(*instrument_, peak)
                                  : QString::number(static_cast<qlonglong>(std::lround(peak)));
        const QRectF box(rect.right() - fm.horizontalAdvance(label) - 8,
                         rect.center().y() - fm.height() / 2 - 1, fm.horizontalAdvance(label) + 6,
                         fm.height() + 2);
        QColor back = theme_.base;
        back.setAlpha(200);
        painter->fillRect(box, back);
        painter->setPen(theme_.lastTrade);
        painter->drawText(box, Qt::AlignCenter, label);
    }
}

}  // namespace flowscope
