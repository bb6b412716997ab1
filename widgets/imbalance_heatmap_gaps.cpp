#include "imbalance_heatmap_gaps.h"

#include <algorithm>

namespace flowscope {

namespace {
constexpr double kMinGapMarkPx = 2.0;  // a gap narrower than this would vanish between cells
constexpr double kGapLabelMinPx = 48.0;
}  // namespace

ImbalanceGapMarks::ImbalanceGapMarks(QCustomPlot* plot, QCPAxis* timeAxis,
                                     const ImbalanceGrid& grid)
    : QCPLayerable(plot), time_(timeAxis), grid_(grid) {}

void ImbalanceGapMarks::applyDefaultAntialiasingHint(QCPPainter* painter) const {
    applyAntialiasingHint(painter, false, QCP::aeOther);
}

QRect ImbalanceGapMarks::clipRect() const {
    return time_ ? time_->axisRect()->rect() : QCPLayerable::clipRect();
}

std::vector<std::pair<int, int>> ImbalanceGapMarks::gapRuns(int k0, int k1) const {
    std::vector<std::pair<int, int>> runs;
    const ImbalanceGridGeometry& g = grid_.geometry();
    if (!g.valid()) return runs;
    k0 = std::max(k0, 0);
    k1 = std::min(k1, g.cells - 1);
    for (int k = k0; k <= k1; ++k) {
        if (grid_.state(k) != ImbalanceGrid::CellState::Gap) continue;
        int last = k;
        while (last + 1 <= k1 && grid_.state(last + 1) == ImbalanceGrid::CellState::Gap)
            ++last;
        runs.emplace_back(k, last);
        k = last;
    }
    return runs;
}

void ImbalanceGapMarks::draw(QCPPainter* painter) {
    if (!time_ || !grid_.geometry().valid()) return;
    const ImbalanceGridGeometry& g = grid_.geometry();
    const QCPRange xr = time_->range();
    const auto visible = [&](double sec) {
        return static_cast<int>(
            std::clamp<std::int64_t>(g.cellAt(static_cast<TimeNs>(sec * 1e9)), 0, g.cells - 1));
    };
    const QRect area = clipRect();
    QColor hatch = theme_.mutedText;
    hatch.setAlpha(110);
    auto left = [&](int k) {
        return time_->coordToPixel(static_cast<double>(g.cellStartNs(k)) * 1e-9);
    };
    for (const auto& [first, last] : gapRuns(visible(xr.lower), visible(xr.upper))) {
        const double x0 = left(first), x1 = left(last + 1);
        const QRectF rect(x0, area.top(), std::max(kMinGapMarkPx, x1 - x0), area.height());
        painter->setPen(Qt::NoPen);
        painter->setBrush(QBrush(hatch, Qt::BDiagPattern));
        painter->drawRect(rect);
        if (rect.width() >= kGapLabelMinPx) {
            painter->setPen(theme_.mutedText);
            painter->drawText(rect.adjusted(0, 4, 0, 0), Qt::AlignHCenter | Qt::AlignTop,
                              QStringLiteral("no data"));
        }
    }
}

}  // namespace flowscope
