#include "feed/simulated_source.h"

namespace flowscope::sim {

SimulatedSource::SimulatedSource(const SimulatedMarketConfig& config, double speed, TimeNs epochNs,
                                 const trading::PaperDeskConfig& paper)
    : market_(std::make_unique<SimulatedMarket>(config)),
      desk_(*market_, paper, epochNs),
      clock_(0, 0, speed),
      speed_(speed),
      epochNs_(epochNs) {}

InstrumentInfo SimulatedSource::instrument() const {
    const Instrument i = market_->instrument();
    return InstrumentInfo{market_->venue(), market_->symbol(), i.tickSize(), i.lotSize()};
}

void SimulatedSource::resync() {
    const BookSnapshot s = market_->snapshot();
    if (feed_->onSnapshot(s.bids, s.asks, s.sequence, epochNs_ + s.timeNs) != BookError::None)
        feed_->onState(FeedState::Disconnected, "simulator produced an invalid snapshot");
    needResync_ = false;
}

void SimulatedSource::start(FeedEngine& feed, TimeNs steadyNowNs) {
    clock_ = SimClock(steadyNowNs, market_->nowNs(), paused_ ? 0.0 : speed_);
    lastSteadyNs_ = steadyNowNs;
    feed_ = &feed;
    feed.onState(FeedState::Syncing);
    market_->setSink(this);
    resync();
    // Kept: order commands run between polls and move the book too (the engine outlives us).
}

void SimulatedSource::poll(FeedEngine& feed, TimeNs steadyNowNs) {
    lastSteadyNs_ = steadyNowNs;
    feed_ = &feed;
    const TimeNs target = clock_.simAt(steadyNowNs);
    const AdvanceResult r = market_->advanceTo(target, kMaxEventsPerPoll);
    if (!r.reachedTarget) {
        // Fell behind: re-base the clock where the simulation is instead of piling up debt.
        clock_ = SimClock(steadyNowNs, market_->nowNs(), paused_ ? 0.0 : speed_);
    }
    if (needResync_) resync();
    feed.onClock(epochNs_ + market_->nowNs());
    // Brackets act on the fills and prints of this poll, now that the market is between events.
    desk_.service();
}

void SimulatedSource::setSpeed(double speed) {
    speed_ = speed > 0 ? speed : speed_;
    if (!paused_) clock_.setSpeed(speed_, lastSteadyNs_);
}

void SimulatedSource::setPaused(bool paused) {
    paused_ = paused;
    clock_.setSpeed(paused ? 0.0 : speed_, lastSteadyNs_);
}

void SimulatedSource::onLevel(const LevelUpdate& u) {
    desk_.sink().onLevel(u);  // the desk marks positions and bands prices against the touch
    if (!feed_ || needResync_) return;
    const TimeNs t = epochNs_ + u.timeNs;
    if (needsResync(feed_->onLevel(u.side, u.priceTicks, u.qty, u.sequence, t)))
        needResync_ = true;  // a snapshot after this batch brings the book back
}

void SimulatedSource::onFill(const Fill& fill) {
    desk_.sink().onFill(fill);
}

void SimulatedSource::onQueuePosition(const QueuePosition& position) {
    desk_.sink().onQueuePosition(position);
}

void SimulatedSource::onTrade(const Trade& trade) {
    desk_.sink().onTrade(trade);  // local stops watch the prints
    if (!feed_) return;
    Trade t = trade;
    t.timeNs += epochNs_;
    feed_->onTrade(t);
}

}  // namespace flowscope::sim
