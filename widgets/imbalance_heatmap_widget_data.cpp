// ImbalanceHeatmapWidget, second half: the data path (appends, the on-screen grid) and the hover
// readout. Construction, settings, navigation and painting are in imbalance_heatmap_widget.cpp.

#include <qcustomplot.h>
#include <QDateTime>
#include <QElapsedTimer>
#include <QTimeZone>
#include <algorithm>
#include <cmath>

#include "imbalance_heatmap_color_map.h"
#include "imbalance_heatmap_widget.h"

namespace flowscope {

namespace {

// Before the first layout the plot has no size yet.
constexpr int kFallbackWidthPx = 1000;
// Buckets per cell: round steps, so a small zoom usually keeps the grid (as the liquidity map).
constexpr int kCellSteps[] = {1,   2,   3,   4,   5,   6,    8,    10,   12,   15,   20,
                              25,  30,  40,  50,  60,  80,   100,  120,  150,  200,  250,
                              300, 400, 500, 600, 800, 1000, 1200, 1500, 2000, 3000, 6000};

QString signedSize(const Instrument& instrument, Lots lots) {
    const QString size = QString::fromStdString(instrument.formatSize(lots < 0 ? -lots : lots));
    return (lots > 0   ? QStringLiteral("+")
            : lots < 0 ? QStringLiteral("\u2212")
                       : QString()) +
           size;
}

QString ratioText(Lots bid, Lots ask) {
    if (bid + ask <= 0) return QStringLiteral("n/a");
    return QString::asprintf("%+.2f",
                             static_cast<double>(bid - ask) / static_cast<double>(bid + ask));
}

}  // namespace

void ImbalanceHeatmapWidget::appendColumns(const std::vector<HeatmapColumn>& columns) {
    if (columns.empty()) return;
    QElapsedTimer timer;
    timer.start();
    const int levelsBefore = shownLevels();
    bool restarted = false;
    for (const HeatmapColumn& c : columns) {
        if (model_.append(c) == ImbalanceHeatmapModel::AppendResult::Restarted) restarted = true;
        if (!restarted) grid_.applyNewest(model_);
    }
    emptyText_->setVisible(false);
    const bool levelsChanged = shownLevels() != levelsBefore;
    if (levelsChanged) updateLevelAxis();
    trackLive();  // standalone only; linked, the liquidity heatmap moves the axis
    if (!ensureGrid(restarted || levelsChanged)) {
        const auto [first, last] = grid_.takeDirty();
        if (first <= last) colorMap_->loadColumns(grid_, first, last);
    }
    stats_.appendUs = static_cast<double>(timer.nsecsElapsed()) / 1e3;
    scheduleFrame();
}

void ImbalanceHeatmapWidget::setInstrument(const InstrumentInfo& info) {
    if (info.symbol == instrument_.symbol() &&
        info.lot.mantissa == instrument_.lotSize().mantissa &&
        info.lot.decimals == instrument_.lotSize().decimals)
        return;
    instrument_ = info.instrument();
}

void ImbalanceHeatmapWidget::clear() {
    model_.clear();
    grid_.clear();
    colorMap_->clearMap();
    emptyText_->setVisible(true);
    updateLevelAxis();
    scheduleFrame();
}

// A window of the history with slack around the view, as the liquidity heatmap's grid: while
// following, a new bucket writes its one cell column; the window is cut again when the live edge
// reaches its end (every half screen), or on a zoom or pan out of it.
ImbalanceGridGeometry ImbalanceHeatmapWidget::wantedGeometry(bool* covered) const {
    const int width =
        plot_->axisRect()->width() >= 50 ? plot_->axisRect()->width() : kFallbackWidthPx;
    const QCPRange xr = timeAxis()->range();
    ImbalanceGridGeometry g;
    g.bucketNs = model_.bucketNs();
    g.levels = shownLevels();
    const auto t0 = static_cast<TimeNs>(std::floor(xr.lower * 1e9));
    const auto t1 = static_cast<TimeNs>(std::ceil(xr.upper * 1e9));
    const double perPixel = static_cast<double>(t1 - t0) / static_cast<double>(g.bucketNs) / width;
    const int need = std::max(1, static_cast<int>(std::ceil(perPixel - 1e-9)));
    g.bucketsPerCell = need;
    for (int step : kCellSteps) {
        if (step >= need) {
            g.bucketsPerCell = step;
            break;
        }
    }
    const std::int64_t c0 = floorDiv(t0, g.cellNs());
    const std::int64_t c1 = floorDiv(t1, g.cellNs());
    const ImbalanceGridGeometry& cur = grid_.geometry();
    *covered = cur.valid() && cur.bucketNs == g.bucketNs &&
               cur.bucketsPerCell == g.bucketsPerCell && cur.levels == g.levels &&
               c0 >= cur.firstCell && c1 < cur.firstCell + cur.cells;
    const auto visible = static_cast<int>(c1 - c0 + 1);
    const bool ahead = followLive_ || linked_;
    const int before = std::max(1, visible / (ahead ? 8 : 4));
    const int after = std::max(2, visible / (ahead ? 2 : 4));
    g.firstCell = c0 - before;
    g.cells = visible + before + after;
    return g;
}

bool ImbalanceHeatmapWidget::ensureGrid(bool force) {
    if (model_.empty()) {
        if (grid_.geometry().valid()) {
            grid_.clear();
            colorMap_->clearMap();
        }
        return false;
    }
    bool covered = false;
    const ImbalanceGridGeometry g = wantedGeometry(&covered);
    if (covered && !force && grid_.measure() == settings_.measure) return false;
    grid_.rebuild(g, model_, settings_.measure);
    grid_.takeDirty();
    colorMap_->loadGrid(grid_);
    ++stats_.rebuilds;
    return true;
}

QString ImbalanceHeatmapWidget::readoutAt(const QPointF& pixel) const {
    if (!plot_->axisRect()->rect().contains(pixel.toPoint()) || model_.empty()) return {};
    const auto timeNs =
        static_cast<TimeNs>(std::llround(timeAxis()->pixelToCoord(pixel.x()) * 1e9));
    const int level = std::clamp(
        static_cast<int>(std::lround(levelAxis()->pixelToCoord(pixel.y()))), 1, shownLevels());
    const QString time =
        QDateTime::fromMSecsSinceEpoch(floorDiv(timeNs + 500'000, 1'000'000), QTimeZone::utc())
            .toString(QStringLiteral("HH:mm:ss.zzz"));
    const QString head = tr("level %1   %2").arg(level).arg(time);
    const std::optional<std::size_t> i = model_.indexAt(timeNs);
    if (!i) {
        const bool inside = timeNs >= model_.startNs() && timeNs < model_.endNs();
        return head + QLatin1Char('\n') + (inside ? tr("gap: no data") : tr("no data"));
    }
    if (model_.bucket(*i).gap) return head + QLatin1Char('\n') + tr("gap: no valid book");
    const auto& c = model_.cell(*i, level - 1);
    QString z;
    if (std::isnan(c.z))
        z = tr("n/a (warming up)");
    else if (std::isinf(c.z))
        z = c.z > 0 ? tr("+\u221e (flat level)") : tr("\u2212\u221e (flat level)");
    else
        z = QString::asprintf("%+.2f", static_cast<double>(c.z));
    const auto [bidDepth, askDepth] = model_.depthThrough(*i, level - 1);
    auto size = [this](Lots v) { return QString::fromStdString(instrument_.formatSize(v)); };
    return head + QLatin1Char('\n') + tr("OFI %1   z %2").arg(signedSize(instrument_, c.ofi), z) +
           QLatin1Char('\n') +
           tr("bid %1 / ask %2   queue %3")
               .arg(size(c.bidQty), size(c.askQty), ratioText(c.bidQty, c.askQty)) +
           QLatin1Char('\n') +
           tr("levels 1\u2013%1: bid %2 / ask %3   depth %4")
               .arg(level)
               .arg(size(bidDepth), size(askDepth), ratioText(bidDepth, askDepth));
}

}  // namespace flowscope
