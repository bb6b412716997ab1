#include "trade_bubbles.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "heatmap_grid.h"

namespace flowscope {

namespace {
// A sweep fills many rows in one bin; look back that far for the same row.
constexpr std::size_t kMergeLookback = 256;
constexpr std::size_t kScalePercentile = 98;
constexpr double kScaleHeadroom = 1.5;
// An outline on a dot of a few pixels is all outline.
constexpr double kOutlineMinRadiusPx = 4.0;

// Translucent, so the touch lines and the book under a busy tape stay readable.
QColor fill(QColor c) {
    c.setAlpha(120);  // translucent: the touch lines and walls show through
    return c;
}
}  // namespace

TradeBubbles::TradeBubbles(QCustomPlot* plot, QCPAxis* keyAxis, QCPAxis* valueAxis,
                           const HeatmapHistory& history)
    : QCPLayerable(plot), keyAxis_(keyAxis), valueAxis_(valueAxis), history_(history) {}

void TradeBubbles::setColours(const QColor& buy, const QColor& sell, const QColor& outline) {
    buy_ = buy;
    sell_ = sell;
    outline_ = outline;
    sprites_.clear();
}

void TradeBubbles::clear() {
    bins_.clear();
    consumed_ = history_.tradesEvicted() + history_.tradeCount();
}

void TradeBubbles::rebin(TimeNs fromNs, TimeNs binNs, int rowTicks) {
    bins_.clear();
    fromNs_ = fromNs;
    binNs_ = std::max<TimeNs>(1, binNs);
    rowTicks_ = std::max(1, rowTicks);
    consumed_ = history_.tradesEvicted() + history_.tradeLowerBound(fromNs);
    update();
}

void TradeBubbles::add(std::deque<Bubble>& bins, const HeatmapHistory::TradeBin& t) const {
    if (t.bucketStartNs < fromNs_) return;
    const TimeNs binStart = floorDiv(t.bucketStartNs, binNs_) * binNs_;
    const PriceTicks low = floorDiv(t.price, rowTicks_) * rowTicks_;
    const std::size_t n = bins.size();
    for (std::size_t k = 0; k < std::min(n, kMergeLookback); ++k) {
        Bubble& b = bins[n - 1 - k];
        if (b.binStartNs != binStart) break;
        if (b.lowPrice != low) continue;
        b.buyQty += t.buyQty;
        b.sellQty += t.sellQty;
        return;
    }
    bins.push_back({binStart, low, t.buyQty, t.sellQty});
}

void TradeBubbles::dropEvicted() {
    if (history_.tradeCount() == 0) return;
    const TimeNs oldest = history_.trade(0).bucketStartNs;
    while (!bins_.empty() && bins_.front().binStartNs + binNs_ <= oldest)
        bins_.pop_front();
}

bool TradeBubbles::update() {
    const std::uint64_t evicted = history_.tradesEvicted();
    const std::size_t n = history_.tradeCount();
    if (n == 0) return false;
    std::size_t i = consumed_ > evicted ? static_cast<std::size_t>(consumed_ - evicted) : 0;
    const std::size_t first = i;
    // Bins of the newest bucket may still grow; everything before it is final.
    const TimeNs openBucket = history_.trade(n - 1).bucketStartNs;
    for (; i < n && history_.trade(i).bucketStartNs < openBucket; ++i)
        add(bins_, history_.trade(i));
    consumed_ = evicted + i;
    dropEvicted();
    return i != first;
}

std::vector<TradeBubbles::Bubble> TradeBubbles::filtered(const std::deque<Bubble>& found) const {
    std::vector<Bubble> out;
    out.reserve(found.size());
    for (const Bubble& b : found)
        if (b.volume() >= std::max<Lots>(minVolume_, 1)) out.push_back(b);
    return out;
}

void TradeBubbles::collectSettled(std::deque<Bubble>& found, TimeNs fromNs, TimeNs toNs) const {
    const auto first = std::partition_point(bins_.begin(), bins_.end(), [&](const Bubble& b) {
        return b.binStartNs + binNs_ <= fromNs;
    });
    for (auto it = first; it != bins_.end() && it->binStartNs < toNs; ++it)
        found.push_back(*it);
}

void TradeBubbles::collectOpen(std::deque<Bubble>& found, TimeNs fromNs, TimeNs toNs) const {
    // The open bucket's trades, binned now (merging into a settled bin of the same time and row
    // when bins span several buckets).
    const std::uint64_t evicted = history_.tradesEvicted();
    for (std::size_t i = consumed_ > evicted ? static_cast<std::size_t>(consumed_ - evicted) : 0;
         i < history_.tradeCount(); ++i) {
        const HeatmapHistory::TradeBin& t = history_.trade(i);
        if (t.bucketStartNs + binNs_ > fromNs && t.bucketStartNs < toNs) add(found, t);
    }
}

std::vector<TradeBubbles::Bubble> TradeBubbles::settledBubbles(TimeNs fromNs, TimeNs toNs) const {
    std::deque<Bubble> found;
    collectSettled(found, fromNs, toNs);
    return filtered(found);
}

std::vector<TradeBubbles::Bubble> TradeBubbles::openBubbles(TimeNs fromNs, TimeNs toNs) const {
    std::deque<Bubble> found;
    collectOpen(found, fromNs, toNs);
    return filtered(found);
}

std::vector<TradeBubbles::Bubble> TradeBubbles::bubbles(TimeNs fromNs, TimeNs toNs) const {
    std::deque<Bubble> found;
    collectSettled(found, fromNs, toNs);
    collectOpen(found, fromNs, toNs);
    return filtered(found);
}

void TradeBubbles::applyDefaultAntialiasingHint(QCPPainter* painter) const {
    applyAntialiasingHint(painter, true, QCP::aePlottables);
}

QRect TradeBubbles::clipRect() const {
    return keyAxis_ ? keyAxis_->axisRect()->rect() : QCPLayerable::clipRect();
}

double TradeBubbles::referenceFor(const std::vector<Bubble>& list) const {
    // The radius scale follows a high percentile of the bins in view, not the largest one:
    // a single block print would otherwise shrink the whole tape to dots. Larger bins are
    // drawn at the largest radius.
    if (list.empty()) return 1.0;
    std::vector<Lots> volumes;
    volumes.reserve(list.size());
    for (const Bubble& b : list)
        volumes.push_back(b.volume());
    const auto at = volumes.size() * kScalePercentile / 100;
    std::nth_element(volumes.begin(), volumes.begin() + static_cast<std::ptrdiff_t>(at),
                     volumes.end());
    return std::max<double>(1.0, static_cast<double>(volumes[at]) * kScaleHeadroom);
}

void TradeBubbles::draw(QCPPainter* painter) {
    if (!keyAxis_ || !valueAxis_) return;
    const QCPRange xr = keyAxis_->range();
    const std::vector<Bubble> list = settledBubbles(static_cast<TimeNs>(std::floor(xr.lower * 1e9)),
                                                    static_cast<TimeNs>(std::ceil(xr.upper * 1e9)));
    reference_ = referenceFor(list);
    drawList(painter, list);
}

void TradeBubbles::drawOpen(QCPPainter* painter) {
    if (!keyAxis_ || !valueAxis_) return;
    const QCPRange xr = keyAxis_->range();
    const std::vector<Bubble> list = openBubbles(static_cast<TimeNs>(std::floor(xr.lower * 1e9)),
                                                 static_cast<TimeNs>(std::ceil(xr.upper * 1e9)));
    if (reference_ <= 0.0) reference_ = referenceFor(list);
    drawList(painter, list);
}

void TradeBubbles::drawList(QCPPainter* painter, const std::vector<Bubble>& list) {
    if (list.empty()) return;
    const double reference = reference_ > 0.0 ? reference_ : referenceFor(list);
    // Big ones first, so a small print next to a block trade stays visible on top of it.
    std::vector<std::size_t> order(list.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return list[a].volume() > list[b].volume(); });

    for (std::size_t idx : order) {
        const Bubble& b = list[idx];
        const double x =
            keyAxis_->coordToPixel((static_cast<double>(b.binStartNs) + 0.5 * binNs_) * 1e-9);
        const double y =
            valueAxis_->coordToPixel(static_cast<double>(b.lowPrice) + 0.5 * (rowTicks_ - 1));
        // Area, not radius, proportional to volume (up to the cap).
        const double share = std::min(1.0, static_cast<double>(b.volume()) / reference);
        const double r = std::max(kMinRadiusPx, maxRadiusPx_ * std::sqrt(share));
        if (b.buyQty == 0 || b.sellQty == 0) {
            const QPixmap& s = sprite(b.buyQty > 0, r);
            const QSizeF size = s.deviceIndependentSize();
            painter->drawPixmap(QPointF(x - size.width() / 2, y - size.height() / 2), s);
            continue;
        }
        // Both sides traded here: a sell disc with the buy share as a pie from 12 o'clock.
        const QRectF rect(x - r, y - r, 2 * r, 2 * r);
        painter->setPen(r > kOutlineMinRadiusPx ? QPen(outline_, 1.0) : QPen(Qt::NoPen));
        painter->setBrush(fill(sell_));
        painter->drawEllipse(rect);
        painter->setPen(Qt::NoPen);
        painter->setBrush(fill(buy_));
        const double buyShare = static_cast<double>(b.buyQty) / static_cast<double>(b.volume());
        painter->drawPie(rect, 90 * 16, -static_cast<int>(std::lround(buyShare * 5760)));
    }
}

const QPixmap& TradeBubbles::sprite(bool buy, double radiusPx) {
    const auto halfPixels = static_cast<int>(std::lround(radiusPx * 2));
    const int key = halfPixels * 2 + (buy ? 1 : 0);
    if (auto it = sprites_.find(key); it != sprites_.end()) return it->second;
    const double r = halfPixels / 2.0;
    const double dpr = parentPlot() ? parentPlot()->bufferDevicePixelRatio() : 1.0;
    const int side = static_cast<int>(std::ceil(2 * r)) + 2;
    QPixmap pixmap(QSize(side, side) * dpr);
    pixmap.setDevicePixelRatio(dpr);
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(r > kOutlineMinRadiusPx ? QPen(outline_, 1.0) : QPen(Qt::NoPen));
    p.setBrush(fill(buy ? buy_ : sell_));
    p.drawEllipse(QPointF(side / 2.0, side / 2.0), r, r);
    return sprites_.emplace(key, std::move(pixmap)).first->second;
}

OpenTradeBubbles::OpenTradeBubbles(QCustomPlot* plot, TradeBubbles& owner)
    : QCPLayerable(plot), owner_(owner) {}

void OpenTradeBubbles::applyDefaultAntialiasingHint(QCPPainter* painter) const {
    applyAntialiasingHint(painter, true, QCP::aePlottables);
}

void OpenTradeBubbles::draw(QCPPainter* painter) {
    owner_.drawOpen(painter);
}

QRect OpenTradeBubbles::clipRect() const {
    return owner_.clipRect();
}

}  // namespace flowscope
