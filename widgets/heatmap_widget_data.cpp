// HeatmapWidget, second half: the data path (appends, the on-screen grid, the colour range and
// the readout). Construction, settings and painting are in heatmap_widget.cpp.

#include <qcustomplot.h>
#include <QDateTime>
#include <QElapsedTimer>
#include <QTimeZone>
#include <algorithm>
#include <cmath>

#include "heatmap_color_map.h"
#include "heatmap_crosshair.h"
#include "heatmap_lines.h"
#include "heatmap_navigator.h"
#include "heatmap_overlay.h"
#include "heatmap_own_orders.h"
#include "heatmap_widget.h"
#include "price_axis_ticker.h"
#include "size_axis_ticker.h"
#include "trade_bubbles.h"

namespace flowscope {

namespace {

// Re-fit the colour clamp about once a second of live columns, not per column: a new range
// recolours the whole image.
constexpr int kColorRangeEveryColumns = 10;
// The view opens on the band around the mid holding this share of the resting size, padded.
constexpr double kFitLiquidityShare = 0.8;
constexpr double kFitPadding = 1.15;
// Auto large-order outline: a price group this many times the median group, or this many times
// the clamp percentile of the groups if lower.
constexpr float kAutoLargeMedians = 10.0f;
constexpr float kAutoLargeClamps = 2.0f;
constexpr double kColorRangeHysteresis = 0.03;
// Log colour scale spans three decades below the clamp.
constexpr double kLogDecades = 1e-3;
// Before the first layout the plot has no size yet.
constexpr int kFallbackWidthPx = 1000;
constexpr int kFallbackHeightPx = 600;
// Bubble bins are at least this wide, so bubbles do not pile up one per pixel.
constexpr double kBubbleBinPx = 7.0;
// Buckets per cell: round steps, so a small zoom usually keeps the grid.
constexpr int kCellSteps[] = {1,   2,   3,   4,   5,   6,    8,    10,   12,   15,   20,
                              25,  30,  40,  50,  60,  80,   100,  120,  150,  200,  250,
                              300, 400, 500, 600, 800, 1000, 1200, 1500, 2000, 3000, 6000};

double midOf(const HeatmapHistory::Column& c) {
    if (c.gap) return std::nan("");
    const bool bid = !isEmptyLevel(c.bestBid), ask = !isEmptyLevel(c.bestAsk);
    if (bid && ask) return 0.5 * static_cast<double>(c.bestBid.price + c.bestAsk.price);
    if (bid) return static_cast<double>(c.bestBid.price);
    if (ask) return static_cast<double>(c.bestAsk.price);
    return std::nan("");
}

// A column that repeats the one before it (no flow, the same book) carries no news.
bool repeatsPrevious(const HeatmapColumn& c, const HeatmapColumn* previous) {
    if (!previous || c.gap != previous->gap || c.basePrice != previous->basePrice) return false;
    for (Lots v : c.levelOfi)
        if (v != 0) return false;
    return c.bestBid == previous->bestBid && c.bestAsk == previous->bestAsk &&
           c.sizes == previous->sizes;
}

}  // namespace

void HeatmapWidget::appendColumns(std::vector<HeatmapColumn> columns) {
    if (columns.empty()) return;
    QElapsedTimer timer;
    timer.start();
    // A quiet market scrolls in steps of a few buckets instead of repainting every 100 ms:
    // nothing changed but the clock, and an idle terminal should cost next to nothing.
    bool news = false;
    for (const HeatmapColumn& c : columns) {
        news = news || !repeatsPrevious(c, lastAppended_ ? &*lastAppended_ : nullptr);
        lastAppended_ = c;
    }
    quietColumnsPending_ = news ? 0 : quietColumnsPending_ + static_cast<int>(columns.size());
    const bool repaint = news || quietColumnsPending_ >= kQuietColumnsPerRepaint;
    if (repaint) quietColumnsPending_ = 0;
    bool restarted = false;
    for (HeatmapColumn& c : columns) {
        if (history_.append(std::move(c)) == HeatmapHistory::AppendResult::Restarted)
            restarted = true;
        if (restarted) continue;  // reloaded in one go below
        grid_.applyNewest(history_);
        lines_->append(history_.lastColumn());
    }
    if (restarted) {
        lines_->reload(history_);
        bubbles_->clear();
    }
    if (history_.bucketTicks() != appliedBucketTicks_) {
        // The feed chose its price buckets: rows and the axis steps follow, and the view opens
        // on the liquidity again.
        appliedBucketTicks_ = history_.bucketTicks();
        priceTicker_->setGrouping(rowGrouping());
        restarted = true;
        fitted_ = false;
    }
    if (history_.columnsEvicted() != trimmedAtEvicted_) {
        trimmedAtEvicted_ = history_.columnsEvicted();
        lines_->trim(history_);
    }
    emptyText_->setVisible(false);
    // Follow-live moves the view here; the grid then either takes the new cells as they are
    // (the common case) or is rebuilt because the view left it.
    navigator_->setLive(history_.endNs(), midOf(history_.lastColumn()));
    if (!fitted_) fitPriceToLiquidity();
    if (!ensureGrid(restarted)) flushGridToMap();
    columnsSinceColorRange_ += static_cast<int>(columns.size());
    if (columnsSinceColorRange_ >= kColorRangeEveryColumns) updateColorRange(false);
    stats_.appendUs = static_cast<double>(timer.nsecsElapsed()) / 1e3;
    if (repaint || restarted) scheduleFrame(kFull);
}

void HeatmapWidget::appendTrades(std::vector<TradePrint> trades) {
    if (trades.empty()) return;
    for (const TradePrint& t : trades)
        history_.append(t.trade);
    if (bubbles_->update()) scheduleFrame(kBubbles);
    scheduleFrame(kLive);
}

void HeatmapWidget::setSnapshot(std::shared_ptr<const MarketSnapshot> snapshot) {
    if (!snapshot) return;
    const InstrumentInfo& info = snapshot->instrument;
    const bool newSymbol = !instrument_.symbol().empty() && info.symbol != instrument_.symbol();
    if (newSymbol) clear();
    if (newSymbol || info.symbol != instrument_.symbol() ||
        info.tick.mantissa != instrument_.tickSize().mantissa ||
        info.tick.decimals != instrument_.tickSize().decimals ||
        info.lot.mantissa != instrument_.lotSize().mantissa ||
        info.lot.decimals != instrument_.lotSize().decimals) {
        instrument_ = info.instrument();
        priceTicker_->setInstrument(instrument_);
        sizeTicker_->setInstrument(instrument_);
        logSizeTicker_->setInstrument(instrument_);
        ownOrders_->relabel();
        scheduleFrame(kFull);
    }
    const bool statusChanged = !snapshot_ || snapshot_->status.state != snapshot->status.state ||
                               snapshot_->status.droppedColumns != snapshot->status.droppedColumns;
    snapshot_ = std::move(snapshot);
    if (statusChanged) {
        updateStatusText();
        scheduleFrame(kFull);
    }
    scheduleFrame(kLive);
}

void HeatmapWidget::setOwnOrders(std::span<const OwnOrderLevel> orders) {
    if (!ownOrders_->setOrders(orders)) return;
    ++stats_.ownOrderChanges;
    scheduleFrame(kLive);
}

void HeatmapWidget::clear() {
    history_.clear();
    lastAppended_.reset();
    quietColumnsPending_ = 0;
    grid_.clear();
    colorMap_->clearMap();
    lines_->reload(history_);
    bubbles_->clear();
    trimmedAtEvicted_ = history_.columnsEvicted();
    emptyText_->setVisible(true);
    scheduleFrame(kFull);
}

void HeatmapWidget::updateLiveTouch() {
    // The snapshot is newer than the last closed bucket: its touch runs from there to the edge.
    const bool show = snapshot_ && !history_.empty() && snapshot_->status.state == FeedState::Live;
    auto place = [&](QCPItemLine* line, const std::vector<Level>& side) {
        line->setVisible(show && !side.empty());
        if (!line->visible()) return;
        const double y = static_cast<double>(side.front().price);
        line->start->setCoords(static_cast<double>(history_.endNs()) * 1e-9, y);
        line->end->setCoords(timeAxis()->range().upper + 1e6, y);
    };
    place(liveBid_, snapshot_ ? snapshot_->bids : std::vector<Level>{});
    place(liveAsk_, snapshot_ ? snapshot_->asks : std::vector<Level>{});
}

void HeatmapWidget::updateStatusText() {
    QString text;
    if (snapshot_) {
        const FeedStatus& s = snapshot_->status;
        if (s.finished) {
            text = QString::fromStdString(s.reason);  // "replay finished: N records"
        } else if (s.state != FeedState::Live) {
            text = QString::fromLatin1(describe(s.state));
            if (!s.reason.empty()) text += QStringLiteral(": ") + QString::fromStdString(s.reason);
        }
        if (s.droppedColumns > 0) {
            if (!text.isEmpty()) text += QStringLiteral("  \u00b7  ");
            text += QStringLiteral("%1 heatmap columns dropped").arg(s.droppedColumns);
        }
    }
    statusText_->setText(text);
    statusText_->setVisible(!text.isEmpty());
}

// The on-screen grid is a window of the history with slack around the view, not a ring.
// QCPColorMapData has no shift, and QCPColorMap draws its image as one rectangle, so a ring
// (column k at slot k mod n) would need two maps or a custom draw per frame. Instead the
// window holds half a screen of empty cells ahead of the live edge: while following, a new
// column writes its one cell column there (O(rows)) and HeatmapColorMap recolours that one
// image column; when the live edge reaches the window's end, or the view is zoomed or panned
// out of it, the window is cut again from the history (O(cells x rows)). At 1600x900 with 3
// minutes on screen (1463 x 182 cells, 2 buckets a cell) that is, measured by
// tst_heatmap_widget: 48 us per new column plus a 2.2 ms replot, against 2.6 ms plus a 3.4 ms
// replot for a rebuild, which live scrolling needs once per 90 s.
GridGeometry HeatmapWidget::wantedGeometry(bool* covered) const {
    const QRect rect = plot_->axisRect()->rect();
    const int w = rect.width() >= 50 ? rect.width() : kFallbackWidthPx;
    const int h = rect.height() >= 50 ? rect.height() : kFallbackHeightPx;
    const QCPRange xr = timeAxis()->range();
    const QCPRange yr = priceAxis()->range();

    GridGeometry g;
    g.bucketNs = history_.bucketNs();
    const int grouping = rowGrouping();
    g.groupTicks = grouping;
    const auto t0 = static_cast<TimeNs>(std::floor(xr.lower * 1e9));
    const auto t1 = static_cast<TimeNs>(std::ceil(xr.upper * 1e9));
    const double perPixel = static_cast<double>(t1 - t0) / static_cast<double>(g.bucketNs) / w;
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
    const double ticksPerPixel = yr.size() / h;
    const int needTicks = std::max(1, static_cast<int>(std::ceil(ticksPerPixel - 1e-9)));
    g.rowTicks = grouping * ((needTicks + grouping - 1) / grouping);
    const std::int64_t r0 = floorDiv(static_cast<PriceTicks>(std::floor(yr.lower)), g.rowTicks);
    const std::int64_t r1 = floorDiv(static_cast<PriceTicks>(std::ceil(yr.upper)), g.rowTicks);

    const GridGeometry& cur = grid_.geometry();
    *covered = cur.valid() && cur.bucketNs == g.bucketNs &&
               cur.bucketsPerCell == g.bucketsPerCell && cur.rowTicks == g.rowTicks &&
               cur.groupTicks == g.groupTicks && c0 >= cur.firstCell &&
               c1 < cur.firstCell + cur.cells && r0 * g.rowTicks >= cur.firstRowPrice &&
               (r1 + 1) * g.rowTicks <= cur.rowLowPrice(cur.rows);

    // Slack around the view so that small pans, and live scrolling for half a screen, only
    // write new cells. Following live, the slack is mostly ahead of the live edge.
    const auto visibleCells = static_cast<int>(c1 - c0 + 1);
    const bool follow = navigator_->followLive();
    const int before = std::max(1, visibleCells / (follow ? 8 : 4));
    const int after = std::max(2, visibleCells / (follow ? 2 : 4));
    g.firstCell = c0 - before;
    g.cells = visibleCells + before + after;
    const auto visibleRows = static_cast<int>(r1 - r0 + 1);
    const int margin = std::max(2, visibleRows / 4);
    g.firstRowPrice = (r0 - margin) * g.rowTicks;
    g.rows = visibleRows + 2 * margin;
    return g;
}

bool HeatmapWidget::ensureGrid(bool force) {
    if (history_.empty()) {
        if (grid_.geometry().valid()) {
            grid_.clear();
            colorMap_->clearMap();
        }
        return false;
    }
    bool covered = false;
    const GridGeometry g = wantedGeometry(&covered);
    if (covered && !force) return false;
    grid_.rebuild(g, history_);
    grid_.takeDirty();
    colorMap_->loadGrid(grid_);
    const double cellPx =
        std::max(1e-3, plot_->axisRect()->width() > 0
                           ? plot_->axisRect()->width() * static_cast<double>(g.cellNs()) /
                                 (timeAxis()->range().size() * 1e9)
                           : 1.0);
    const auto cellsPerBin = static_cast<TimeNs>(std::ceil(kBubbleBinPx / cellPx));
    bubbles_->rebin(g.startNs(), g.cellNs() * std::max<TimeNs>(1, cellsPerBin), g.rowTicks);
    updateColorRange(true);
    ++stats_.rebuilds;
    return true;
}

void HeatmapWidget::flushGridToMap() {
    const auto [first, last] = grid_.takeDirty();
    if (first <= last) colorMap_->loadColumns(grid_, first, last);
}

void HeatmapWidget::updateColorRange(bool force) {
    columnsSinceColorRange_ = 0;
    const GridGeometry& g = grid_.geometry();
    if (!g.valid()) return;
    const QCPRange xr = timeAxis()->range();
    const QCPRange yr = priceAxis()->range();
    // In 64 bits first: the view may lie anywhere relative to the grid.
    auto clampTo = [](std::int64_t v, int size) {
        return static_cast<int>(std::clamp<std::int64_t>(v, 0, size - 1));
    };
    const int k0 = clampTo(g.cellAt(static_cast<TimeNs>(xr.lower * 1e9)), g.cells);
    const int k1 = clampTo(g.cellAt(static_cast<TimeNs>(xr.upper * 1e9)), g.cells);
    const int r0 = clampTo(g.rowAt(static_cast<PriceTicks>(std::floor(yr.lower))), g.rows);
    const int r1 = clampTo(g.rowAt(static_cast<PriceTicks>(std::ceil(yr.upper))), g.rows);
    const float p = grid_.percentile(colorSettings_.upperPercentile, k0, k1 + 1, r0, r1 + 1);
    const double upper = p > 0.0f ? static_cast<double>(p) : 1.0;
    if (largeOrderThreshold_ == kAutoLargeOrders) {
        // Walls: price groups standing well above what the visible book usually holds (ten
        // times the median group), or above twice the colour clamp when a thick book makes
        // that lower; a wall that fills much of the screen must not raise the bar past itself.
        const float median = grid_.peakPercentile(50.0, k0, k1 + 1, r0, r1 + 1);
        const float clamp =
            grid_.peakPercentile(colorSettings_.upperPercentile, k0, k1 + 1, r0, r1 + 1);
        overlay_->setLargeOrderThreshold(
            median > 0.0f ? std::min(kAutoLargeMedians * median, kAutoLargeClamps * clamp) : 0.0f);
    }
    const bool log = colorSettings_.scale == HeatmapColorSettings::Scale::Log;
    const QCPAxis::ScaleType type = log ? QCPAxis::stLogarithmic : QCPAxis::stLinear;
    const QCPRange current = colorMap_->dataRange();
    if (!force && colorMap_->dataScaleType() == type &&
        std::abs(upper - current.upper) <= kColorRangeHysteresis * current.upper)
        return;
    if (colorMap_->dataScaleType() != type) {
        colorMap_->setDataScaleType(type);
        colorScale_->axis()->setTicker(log ? QSharedPointer<QCPAxisTicker>(logSizeTicker_)
                                           : QSharedPointer<QCPAxisTicker>(sizeTicker_));
    }
    colorMap_->setDataRange(QCPRange(log ? upper * kLogDecades : 0.0, upper));
}

void HeatmapWidget::fitPriceToLiquidity() {
    if (history_.empty() || history_.lastColumn().gap) return;
    const HeatmapHistory::Column& c = history_.lastColumn();
    const double mid = midOf(c);
    const double half = liquidityHalfSpan(c, mid, kFitLiquidityShare);
    if (!(half > 0.0)) return;
    fitted_ = true;
    const double span =
        std::max(HeatmapNavigator::kDefaultPriceSpanTicks, 2.0 * half * kFitPadding);
    navigator_->setDefaultPriceSpan(span);
    navigator_->setPriceRange(mid - span / 2, mid + span / 2);
}

QString HeatmapWidget::readoutAt(const QPointF& pixel) const {
    if (!plot_->axisRect()->rect().contains(pixel.toPoint()) || history_.empty()) return {};
    const auto timeNs =
        static_cast<TimeNs>(std::llround(timeAxis()->pixelToCoord(pixel.x()) * 1e9));
    const PriceTicks tick = std::llround(priceAxis()->pixelToCoord(pixel.y()));
    const int grouping = rowGrouping();
    const PriceTicks low = floorDiv(tick, grouping) * grouping;
    QString price = QString::fromStdString(instrument_.formatPrice(low));
    if (grouping > 1)
        price += QStringLiteral(" \u2013 ") +
                 QString::fromStdString(instrument_.formatPrice(low + grouping - 1));
    const QString time =
        QDateTime::fromMSecsSinceEpoch(floorDiv(timeNs + 500'000, 1'000'000), QTimeZone::utc())
            .toString(QStringLiteral("HH:mm:ss.zzz"));
    QString detail;
    const HeatmapHistory::Column* c = history_.columnAt(timeNs);
    if (c == nullptr) {
        const bool inside = timeNs >= history_.startNs() && timeNs < history_.endNs();
        detail = inside ? QStringLiteral("gap: no data") : QStringLiteral("no data");
    } else if (c->gap) {
        detail = QStringLiteral("gap: no valid book");
    } else {
        detail = QStringLiteral("size %1").arg(
            formatHeatmapSize(instrument_, static_cast<double>(c->sizeOver(low, grouping))));
        if (!isEmptyLevel(c->bestBid) && !isEmptyLevel(c->bestAsk))
            detail += QStringLiteral("   touch %1 / %2")
                          .arg(QString::fromStdString(instrument_.formatPrice(c->bestBid.price)),
                               QString::fromStdString(instrument_.formatPrice(c->bestAsk.price)));
    }
    QString text = price + QLatin1Char('\n') + time + QLatin1Char('\n') + detail;
    // Working orders are now, not history: listed wherever the row is hovered.
    const QString own = ownOrders_->describeRow(low, grouping);
    if (!own.isEmpty()) text += QLatin1Char('\n') + own;
    return text;
}

}  // namespace flowscope
