#include "feed/feed_engine.h"

#include <stdexcept>

namespace flowscope {

const char* describe(FeedState s) {
    switch (s) {
        case FeedState::Connecting:
            return "connecting";
        case FeedState::Syncing:
            return "syncing";
        case FeedState::Live:
            return "live";
        case FeedState::Stale:
            return "stale";
        case FeedState::Resyncing:
            return "resyncing";
        case FeedState::Disconnected:
            return "disconnected";
    }
    return "unknown";
}

namespace {
const FeedEngineConfig& validated(const FeedEngineConfig& c) {
    if (c.heatmap.bucketNs <= 0 || c.heatmap.halfRangeRows < 1 || c.heatmap.bucketTicks < 0 ||
        c.heatmap.levels < 1 || c.heatmap.levels > EngineConfig::kMaxLevels ||
        c.snapshotDepth < 1 || c.tradeQueueCapacity < 1 || c.columnQueueCapacity < 1)
        throw std::invalid_argument("FeedEngine: invalid heatmap, depth or queue configuration");
    return c;
}
}  // namespace

FeedEngine::FeedEngine(InstrumentInfo instrument, FeedEngineConfig config)
    : instrument_(std::move(instrument)),
      config_(validated(config)),
      engine_(config.imbalance),
      columns_(config.columnQueueCapacity),
      trades_(config.tradeQueueCapacity),
      heatmap_(config.heatmap, [this](HeatmapColumn&& c) { columns_.push(std::move(c)); }) {}

void FeedEngine::notifyEvent() {
    updatePending_ = false;
    if (observer_ && bookValid()) observer_->onFeedEvent(*this);
}

void FeedEngine::notifyInterrupted() {
    updatePending_ = false;
    if (observer_) observer_->onFeedInterrupted();
}

void FeedEngine::endUpdate() {
    if (updatePending_) notifyEvent();
}

void FeedEngine::advanceTime(TimeNs eventNs) {
    if (eventNs < lastEventNs_) eventNs = lastEventNs_;
    heatmap_.advance(eventNs, book_, bookValid());
    lastEventNs_ = eventNs;
}

BookError FeedEngine::onSnapshot(std::span<const Level> bids, std::span<const Level> asks,
                                 std::uint64_t sequence, TimeNs eventNs) {
    updatePending_ = false;  // the snapshot replaces whatever a partial update did
    advanceTime(eventNs);
    const BookError e = book_.applySnapshot(bids, asks, sequence, eventNs);
    if (e != BookError::None) return e;
    ++status_.messages;
    if (everSynced_) ++status_.resyncs;  // every snapshot after the first is a resync
    everSynced_ = true;
    synced_ = true;
    lastSequence_ = sequence;
    engine_.resetBook();
    engine_.onBook(book_, eventNs);
    status_.state = FeedState::Live;
    status_.reason.clear();
    notifyEvent();
    return BookError::None;
}

SequenceCheck FeedEngine::onLevel(Side side, PriceTicks price, Lots qty, std::uint64_t sequence,
                                  TimeNs eventNs) {
    ++status_.messages;
    if (!synced_) return SequenceCheck::NotSynced;
    if (sequence != 0) {
        if (sequence <= lastSequence_) return SequenceCheck::Duplicate;
        if (sequence != lastSequence_ + 1) {
            ++status_.gaps;
            synced_ = false;
            status_.state = FeedState::Resyncing;
            status_.reason = "sequence gap: expected " + std::to_string(lastSequence_ + 1) +
                             ", got " + std::to_string(sequence);
            advanceTime(eventNs);
            notifyInterrupted();
            return SequenceCheck::Gap;
        }
    }
    advanceTime(eventNs);
    if (const BookError e = book_.apply(side, price, qty, sequence, eventNs);
        e != BookError::None) {
        // An update we cannot apply leaves a book we cannot trust: resync, as for a gap.
        synced_ = false;
        status_.state = FeedState::Resyncing;
        status_.reason = "rejected update " + std::to_string(sequence) + ": " + describe(e);
        notifyInterrupted();
        return SequenceCheck::Rejected;
    }
    lastSequence_ = sequence != 0 ? sequence : lastSequence_;
    engine_.onBookUpdate(book_, side, price, eventNs);
    heatmap_.addLevelOfi(engine_.lastLevelOfi());
    // An unsequenced level may be one of several of a venue message: the book can be crossed
    // until its last level, so it is announced at endUpdate() (or the next other event).
    if (sequence != 0) {
        notifyEvent();
    } else {
        updatePending_ = true;
    }
    return SequenceCheck::Applied;
}

void FeedEngine::onTrade(const Trade& trade) {
    endUpdate();  // a trade message ends any multi-level update before it
    ++status_.messages;
    advanceTime(trade.timeNs);
    engine_.onTrade(trade);
    lastTrade_ = trade;
    hasLastTrade_ = true;
    PriceVolume& v = volumeAtPrice_[trade.price];
    v.price = trade.price;
    (trade.aggressor == Side::Bid ? v.buy : v.sell) += trade.qty;
    if (!trades_.push(TradePrint{trade})) status_.droppedTrades = trades_.overflows();
    notifyEvent();
}

void FeedEngine::onState(FeedState state, std::string reason) {
    endUpdate();
    if (state != FeedState::Live) synced_ = synced_ && state == FeedState::Stale;
    const bool interrupted = state != FeedState::Live && status_.state == FeedState::Live;
    status_.state = state;
    status_.reason = std::move(reason);
    status_.finished = false;
    if (interrupted) notifyInterrupted();
}

void FeedEngine::onReplayFinished(std::string reason) {
    onState(FeedState::Disconnected, std::move(reason));
    status_.finished = true;
}

void FeedEngine::onClock(TimeNs eventNs) {
    advanceTime(eventNs);
    engine_.advanceTo(lastEventNs_);
}

void FeedEngine::noteLatency(TimeNs latencyNs) {
    if (status_.replay) return;
    latencySumNs_ += latencyNs;
    ++latencyCount_;
}

std::shared_ptr<MarketSnapshot> FeedEngine::makeSnapshot(TimeNs steadyNowNs) {
    auto s = std::make_shared<MarketSnapshot>();
    s->serial = ++serial_;
    s->publishedSteadyNs = steadyNowNs;
    s->eventTimeNs = lastEventNs_;
    s->instrument = instrument_;
    if (lastRateSteadyNs_ != 0 && steadyNowNs > lastRateSteadyNs_) {
        const double seconds = static_cast<double>(steadyNowNs - lastRateSteadyNs_) / 1e9;
        // Smooth over about half a second so the status bar is readable at 60 Hz.
        const double rate = static_cast<double>(status_.messages - messagesAtLastRate_) / seconds;
        const double alpha = std::min(1.0, seconds / 0.5);
        status_.messagesPerSecond += alpha * (rate - status_.messagesPerSecond);
    }
    messagesAtLastRate_ = status_.messages;
    lastRateSteadyNs_ = steadyNowNs;
    if (latencyCount_) {
        status_.feedLatencyMs =
            static_cast<double>(latencySumNs_) / static_cast<double>(latencyCount_) / 1e6;
        latencySumNs_ = 0;
        latencyCount_ = 0;
    }
    status_.droppedTrades = trades_.overflows();
    status_.droppedColumns = columns_.overflows();
    s->status = status_;

    const auto depth = static_cast<std::size_t>(config_.snapshotDepth);
    s->bids.resize(std::min(depth, book_.bids().depth()));
    s->asks.resize(std::min(depth, book_.asks().depth()));
    book_.bids().top(s->bids);
    book_.asks().top(s->asks);
    s->lastTrade = lastTrade_;
    s->hasLastTrade = hasLastTrade_;
    s->imbalance = engine_.snapshot();
    s->windows = engine_.config().windows;
    s->windowLevelOfi.reserve(s->windows.size());
    for (std::size_t w = 0; w < s->windows.size(); ++w) {
        const auto levels = engine_.windowLevelOfi(w);
        s->windowLevelOfi.emplace_back(levels.begin(), levels.end());
    }
    // Traded volume for the prices the snapshot covers.
    const PriceTicks low =
        s->bids.empty() ? (s->asks.empty() ? 0 : s->asks.front().price) : s->bids.back().price;
    const PriceTicks high =
        s->asks.empty() ? (s->bids.empty() ? 0 : s->bids.front().price) : s->asks.back().price;
    for (auto it = volumeAtPrice_.lower_bound(low); it != volumeAtPrice_.end() && it->first <= high;
         ++it)
        s->volumeAtPrice.push_back(it->second);
    return s;
}

}  // namespace flowscope
