#include "signals/imbalance_engine.h"

#include <algorithm>
#include <stdexcept>

#include "signals/book_measures.h"
#include "signals/level_ofi.h"

namespace flowscope {
namespace {

// One side's OFI terms over the top levels. Restrict parameters: the output cannot alias the
// levels, so nothing is reloaded and the loops vectorise.
void bidSideOfi(std::size_t n, const Level* __restrict prev, const Level* __restrict cur,
                Lots* __restrict out) {
    for (std::size_t m = 0; m < n; ++m)
        out[m] = bidOfiTerm(prev[m], cur[m]);
}

void askSideOfi(std::size_t n, const Level* __restrict prev, const Level* __restrict cur,
                Lots* __restrict out) {
    for (std::size_t m = 0; m < n; ++m)
        out[m] = askOfiTerm(prev[m], cur[m]);
}

}  // namespace

// Event windows are kept event by event (exact); time windows in sub-buckets.
std::int64_t EngineConfig::bucketsFor(const WindowSpec& spec) const {
    constexpr std::int64_t kMaxExactEvents = 10'000;
    if (spec.clock == WindowSpec::Clock::Events && spec.length <= kMaxExactEvents)
        return spec.length;
    return bucketsPerWindow;
}

std::string WindowSpec::label() const {
    if (clock == Clock::Events) return std::to_string(length) + "ev";
    if (length % 1'000'000'000 == 0) return std::to_string(length / 1'000'000'000) + "s";
    if (length % 1'000'000 == 0) return std::to_string(length / 1'000'000) + "ms";
    return std::to_string(length) + "ns";
}

std::string EngineConfig::validate() const {
    if (ofiLevels < 1 || ofiLevels > kMaxLevels)
        return "OFI levels must be between 1 and " + std::to_string(kMaxLevels);
    if (depthLevels < 1 || depthLevels > kMaxLevels)
        return "depth levels must be between 1 and " + std::to_string(kMaxLevels);
    if (windows.size() > SignalSnapshot::kMaxWindows)
        return "at most " + std::to_string(SignalSnapshot::kMaxWindows) + " windows";
    if (zscoreLookback < 2) return "the z-score lookback needs at least 2 windows";
    if (bucketsPerWindow < 1) return "buckets per window must be positive";
    for (const WindowSpec& w : windows) {
        if (w.length <= 0) return "window lengths must be positive";
        if (w.clock == WindowSpec::Clock::Events && w.length > 10'000)
            return "event windows are exact and limited to 10000 events";
        if (w.length % bucketsFor(w) != 0)
            return "window " + w.label() + " is not a multiple of " +
                   std::to_string(bucketsFor(w)) + " buckets";
    }
    return {};
}

namespace {
const EngineConfig& validated(const EngineConfig& config) {
    if (auto error = config.validate(); !error.empty()) throw std::invalid_argument(error);
    return config;
}
}  // namespace

ImbalanceEngine::ImbalanceEngine(EngineConfig config)
    : config_(validated(config)),
      tracked_(static_cast<std::size_t>(std::max(config_.ofiLevels, config_.depthLevels))),
      windows_(config_) {
    prevBids_.assign(tracked_, emptyLevel(Side::Bid));
    curBids_ = prevBids_;
    prevAsks_.assign(tracked_, emptyLevel(Side::Ask));
    curAsks_ = prevAsks_;
    lastOfi_.assign(static_cast<std::size_t>(config_.ofiLevels), 0);
}

void ImbalanceEngine::beginEvent(TimeNs timeNs) {
    ++events_;
    timeNs_ = std::max(timeNs_, timeNs);
    // Event clocks are 0-based so that events 0..L-1 form the first aligned window.
    windows_.beginEvent(timeNs_, static_cast<std::int64_t>(events_) - 1, prevBids_[0],
                        prevAsks_[0]);
}

void ImbalanceEngine::advanceTo(TimeNs timeNs) {
    if (timeNs <= timeNs_) return;
    timeNs_ = timeNs;
    windows_.advanceTo(timeNs_, prevBids_[0], prevAsks_[0]);
}

void ImbalanceEngine::recordBothSides() {
    if (hasPrevious_) {
        multiLevelOfi(prevBids_, prevAsks_, curBids_, curAsks_, lastOfi_);
    } else {
        std::fill(lastOfi_.begin(), lastOfi_.end(), 0);
        hasPrevious_ = true;
    }
    windows_.addBook(lastOfi_);
    prevBids_.swap(curBids_);
    prevAsks_.swap(curAsks_);
}

void ImbalanceEngine::onBook(const OrderBook& book, TimeNs timeNs) {
    beginEvent(timeNs);
    book.bids().top(curBids_);
    book.asks().top(curAsks_);
    recordBothSides();
}

void ImbalanceEngine::onDepth(std::span<const Level> bids, std::span<const Level> asks,
                              TimeNs timeNs) {
    beginEvent(timeNs);
    const auto copyPadded = [this](std::span<const Level> from, std::vector<Level>& to, Side s) {
        const std::size_t n = std::min(from.size(), tracked_);
        std::copy_n(from.begin(), n, to.begin());
        std::fill(to.begin() + static_cast<std::ptrdiff_t>(n), to.end(), emptyLevel(s));
    };
    copyPadded(bids, curBids_, Side::Bid);
    copyPadded(asks, curAsks_, Side::Ask);
    recordBothSides();
}

void ImbalanceEngine::onBookUpdate(const OrderBook& book, Side side, PriceTicks price,
                                   TimeNs timeNs) {
    if (!hasPrevious_) {
        onBook(book, timeNs);
        return;
    }
    beginEvent(timeNs);
    std::vector<Level>& prev = side == Side::Bid ? prevBids_ : prevAsks_;
    // A change strictly behind the deepest tracked level, on a side that fills every tracked
    // level, cannot alter the top levels: all e_n are zero.
    if (!isEmptyLevel(prev.back()) && isBetter(side, prev.back().price, price)) {
        std::fill(lastOfi_.begin(), lastOfi_.end(), 0);
        windows_.addEmptyBook();
        return;
    }
    // Only this side changed: the other side's terms of every e_n are zero (-q + q), so only
    // this side is read and compared, with ofiContribution's terms for that side alone.
    std::vector<Level>& cur = side == Side::Bid ? curBids_ : curAsks_;
    book.side(side).top(cur);
    if (side == Side::Bid)
        bidSideOfi(lastOfi_.size(), prev.data(), cur.data(), lastOfi_.data());
    else
        askSideOfi(lastOfi_.size(), prev.data(), cur.data(), lastOfi_.data());
    windows_.addBook(lastOfi_);
    prev.swap(cur);
}

void ImbalanceEngine::onTrade(const Trade& trade) {
    beginEvent(trade.timeNs);
    const bool buy = trade.aggressor == Side::Bid;
    (buy ? buyVolume_ : sellVolume_) += trade.qty;
    windows_.addTrade(buy, trade.qty);
}

SignalSnapshot ImbalanceEngine::snapshot() {
    SignalSnapshot s;
    s.events = events_;
    s.timeNs = timeNs_;
    s.bestBid = prevBids_[0];
    s.bestAsk = prevAsks_[0];
    s.mid = midPrice(s.bestBid, s.bestAsk);
    s.microPrice = microPrice(s.bestBid, s.bestAsk);
    s.microOffset = s.microPrice - s.mid;
    s.queueImbalance = queueImbalance(s.bestBid, s.bestAsk);
    const auto n = static_cast<std::size_t>(config_.depthLevels);
    s.depthImbalance = depthImbalance(std::span(prevBids_).first(n), std::span(prevAsks_).first(n));
    s.lastOfi = lastOfi_[0];
    s.buyVolume = buyVolume_;
    s.sellVolume = sellVolume_;
    s.cumulativeDelta = buyVolume_ - sellVolume_;
    s.windowCount = windows_.size();
    const auto m = static_cast<std::size_t>(config_.ofiLevels);
    for (std::size_t i = 0; i < windows_.size(); ++i) {
        WindowSignals& out = s.windows[i];
        const auto totals = windows_.totals(i);
        const WindowBaselines& b = windows_.baselines(i);
        out.ofi = totals[0];
        for (std::size_t l = 0; l < m; ++l)
            out.mlofi += totals[l];
        out.buyVolume = totals[m];
        out.sellVolume = totals[m + 1];
        out.tradeImbalance = imbalanceRatio(out.buyVolume, out.sellVolume);
        out.ofiZ = b.ofi.z(static_cast<double>(out.ofi));
        out.mlofiZ = b.mlofi.z(static_cast<double>(out.mlofi));
        out.deltaZ = b.delta.z(static_cast<double>(out.buyVolume - out.sellVolume));
        out.queueImbalanceZ = b.queue.z(s.queueImbalance);
        out.microOffsetZ = b.micro.z(s.microOffset);
    }
    return s;
}

}  // namespace flowscope
