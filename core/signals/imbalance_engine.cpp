#include "signals/imbalance_engine.h"

#include <algorithm>
#include <stdexcept>

#include "signals/book_measures.h"
#include "signals/level_ofi.h"

namespace flowscope {
namespace {

std::int64_t floorDiv(std::int64_t a, std::int64_t b) {
    const std::int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

// Event windows are kept event by event (exact); time windows in sub-buckets.
std::int64_t bucketsFor(const WindowSpec& spec, const EngineConfig& config) {
    constexpr std::int64_t kMaxExactEvents = 10'000;
    if (spec.clock == WindowSpec::Clock::Events && spec.length <= kMaxExactEvents)
        return spec.length;
    return config.bucketsPerWindow;
}

}  // namespace

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
        if (w.length % bucketsFor(w, *this) != 0)
            return "window " + w.label() + " is not a multiple of " +
                   std::to_string(bucketsFor(w, *this)) + " buckets";
    }
    return {};
}

ImbalanceEngine::ImbalanceEngine(EngineConfig config) : config_(std::move(config)) {
    if (auto error = config_.validate(); !error.empty()) throw std::invalid_argument(error);
    tracked_ = static_cast<std::size_t>(std::max(config_.ofiLevels, config_.depthLevels));
    prevBids_.assign(tracked_, emptyLevel(Side::Bid));
    curBids_ = prevBids_;
    prevAsks_.assign(tracked_, emptyLevel(Side::Ask));
    curAsks_ = prevAsks_;
    lastOfi_.assign(static_cast<std::size_t>(config_.ofiLevels), 0);
    const std::size_t width = static_cast<std::size_t>(config_.ofiLevels) + 2;
    windows_.reserve(config_.windows.size());
    for (const WindowSpec& spec : config_.windows) {
        const std::size_t k = config_.zscoreLookback;
        windows_.push_back(WindowState{spec,
                                       RollingWindow(spec.length, bucketsFor(spec, config_), width),
                                       INT64_MIN, 0, 0, 0, ZScoreBaseline(k), ZScoreBaseline(k),
                                       ZScoreBaseline(k), ZScoreBaseline(k), ZScoreBaseline(k)});
    }
}

void ImbalanceEngine::rollBaselines(WindowState& w, std::int64_t clock) {
    if (w.alignedIndex != INT64_MIN && clock < w.alignedEnd) return;
    const std::int64_t aligned = floorDiv(clock, w.spec.length);
    if (w.alignedIndex == INT64_MIN) {
        w.alignedIndex = aligned;
        w.alignedEnd = (aligned + 1) * w.spec.length;
        return;
    }
    if (aligned <= w.alignedIndex) return;
    const auto empties = static_cast<std::size_t>(std::min<std::int64_t>(
        aligned - w.alignedIndex - 1, static_cast<std::int64_t>(config_.zscoreLookback)));
    w.ofiBase.push(static_cast<double>(w.alignedOfi));
    w.ofiBase.pushZeros(empties);
    w.mlofiBase.push(static_cast<double>(w.alignedMlofi));
    w.mlofiBase.pushZeros(empties);
    w.deltaBase.push(static_cast<double>(w.alignedDelta));
    w.deltaBase.pushZeros(empties);
    // Level signals are sampled at each window's end; through empty windows the book stood still.
    const double qi = queueImbalance(prevBids_[0], prevAsks_[0]);
    const double micro =
        microPrice(prevBids_[0], prevAsks_[0]) - midPrice(prevBids_[0], prevAsks_[0]);
    for (std::size_t i = 0; i <= empties; ++i) {
        w.queueBase.push(qi);
        w.microBase.push(micro);
    }
    w.alignedOfi = w.alignedMlofi = w.alignedDelta = 0;
    w.alignedIndex = aligned;
    w.alignedEnd = (aligned + 1) * w.spec.length;
}

void ImbalanceEngine::beginEvent(TimeNs timeNs) {
    ++events_;
    timeNs_ = std::max(timeNs_, timeNs);
    for (WindowState& w : windows_) {
        const std::int64_t clock = clockOf(w);
        rollBaselines(w, clock);
        w.rolling.advanceTo(clock);
    }
}

void ImbalanceEngine::recordBook(TimeNs timeNs, bool levelsChanged) {
    beginEvent(timeNs);
    const auto m = static_cast<std::size_t>(config_.ofiLevels);
    if (!levelsChanged) {
        std::fill(lastOfi_.begin(), lastOfi_.end(), 0);
        return;
    }
    if (hasPrevious_) {
        multiLevelOfi(prevBids_, prevAsks_, curBids_, curAsks_, lastOfi_);
    } else {
        std::fill(lastOfi_.begin(), lastOfi_.end(), 0);
        hasPrevious_ = true;
    }
    Lots sum = 0;
    for (std::size_t i = 0; i < m; ++i)
        sum += lastOfi_[i];
    for (WindowState& w : windows_) {
        w.rolling.add(clockOf(w), lastOfi_);
        w.alignedOfi += lastOfi_[0];
        w.alignedMlofi += sum;
    }
    prevBids_.swap(curBids_);
    prevAsks_.swap(curAsks_);
}

void ImbalanceEngine::onBook(const OrderBook& book, TimeNs timeNs) {
    book.bids().top(curBids_);
    book.asks().top(curAsks_);
    recordBook(timeNs, true);
}

void ImbalanceEngine::onDepth(std::span<const Level> bids, std::span<const Level> asks,
                              TimeNs timeNs) {
    const auto copyPadded = [this](std::span<const Level> from, std::vector<Level>& to, Side s) {
        const std::size_t n = std::min(from.size(), tracked_);
        std::copy_n(from.begin(), n, to.begin());
        std::fill(to.begin() + static_cast<std::ptrdiff_t>(n), to.end(), emptyLevel(s));
    };
    copyPadded(bids, curBids_, Side::Bid);
    copyPadded(asks, curAsks_, Side::Ask);
    recordBook(timeNs, true);
}

void ImbalanceEngine::onBookUpdate(const OrderBook& book, Side side, PriceTicks price,
                                   TimeNs timeNs) {
    // A change strictly behind the deepest tracked level, on a side that fills every tracked
    // level, cannot alter the top levels: all e_n are zero.
    const Level& deepest = side == Side::Bid ? prevBids_.back() : prevAsks_.back();
    if (hasPrevious_ && !isEmptyLevel(deepest) && isBetter(side, deepest.price, price)) {
        recordBook(timeNs, false);
        return;
    }
    onBook(book, timeNs);
}

void ImbalanceEngine::onTrade(const Trade& trade) {
    beginEvent(trade.timeNs);
    const auto m = static_cast<std::size_t>(config_.ofiLevels);
    const bool buy = trade.aggressor == Side::Bid;
    (buy ? buyVolume_ : sellVolume_) += trade.qty;
    for (WindowState& w : windows_) {
        w.rolling.addAt(clockOf(w), buy ? m : m + 1, trade.qty);
        w.alignedDelta += buy ? trade.qty : -trade.qty;
    }
}

SignalSnapshot ImbalanceEngine::snapshot() const {
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
        const WindowState& w = windows_[i];
        WindowSignals& out = s.windows[i];
        const auto totals = w.rolling.totals();
        out.ofi = totals[0];
        for (std::size_t l = 0; l < m; ++l)
            out.mlofi += totals[l];
        out.buyVolume = totals[m];
        out.sellVolume = totals[m + 1];
        out.tradeImbalance = imbalanceRatio(out.buyVolume, out.sellVolume);
        out.ofiZ = w.ofiBase.z(static_cast<double>(out.ofi));
        out.mlofiZ = w.mlofiBase.z(static_cast<double>(out.mlofi));
        out.deltaZ = w.deltaBase.z(static_cast<double>(out.buyVolume - out.sellVolume));
        out.queueImbalanceZ = w.queueBase.z(s.queueImbalance);
        out.microOffsetZ = w.microBase.z(s.microOffset);
    }
    return s;
}

}  // namespace flowscope
