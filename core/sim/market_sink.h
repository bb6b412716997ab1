#pragma once
/// The receiving end of a simulated venue's events: what a real venue would send over its
/// market-data and order channels.

#include "signals/trade.h"
#include "sim/sim_types.h"

namespace flowscope::sim {

/// Implement what you need; every call has an empty default. Calls arrive synchronously on the
/// thread that drives the engine (the feed thread), in the order the changes happened: the trades
/// and fills of a match come before the level update that removes the matched size.
class MarketSink {
  public:
    virtual ~MarketSink() = default;

    /// New total size at one price (what a depth feed sends).
    virtual void onLevel(const LevelUpdate& update) { (void)update; }
    /// One print per match against one resting order. `sequence` is the venue's trade id.
    virtual void onTrade(const Trade& trade) { (void)trade; }
    /// A fill of a user order, as maker or taker.
    virtual void onFill(const Fill& fill) { (void)fill; }
    /// A resting user order was placed, or its size ahead or its remaining size changed.
    virtual void onQueuePosition(const QueuePosition& position) { (void)position; }
};

}  // namespace flowscope::sim
