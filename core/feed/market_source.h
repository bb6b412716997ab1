#pragma once
/// A venue as the feed thread drives it: the built-in simulator, a live exchange, or a replay.
/// Sources parse and synchronise; they hand normalized events to the FeedEngine and never touch
/// anything the GUI owns.
///
/// Threading: every call happens on the feed thread.

#include "feed/feed_engine.h"
#include "feed/market_snapshot.h"
#include "trading/order_entry.h"

namespace flowscope {

class MarketSource {
  public:
    virtual ~MarketSource() = default;

    virtual InstrumentInfo instrument() const = 0;
    /// Connects or starts; may already deliver the initial snapshot.
    virtual void start(FeedEngine& feed, TimeNs steadyNowNs) = 0;
    /// Does whatever is due by `steadyNowNs` (the simulator generates the flow of the elapsed
    /// time; a network source runs its ready handlers) and delivers it to `feed`.
    virtual void poll(FeedEngine& feed, TimeNs steadyNowNs) = 0;
    virtual void stop(FeedEngine& feed) { (void)feed; }

    /// Replay and simulation speed (1 = real time); live sources ignore it.
    virtual void setSpeed(double speed) { (void)speed; }
    /// A paused source delivers nothing until resumed; live sources keep their connection.
    virtual void setPaused(bool paused) { (void)paused; }
    /// Network sources wait on their own I/O loop: they block here up to `maxNs` (handling any
    /// message that arrives), return true, and return early after wakeUp(). Others return false
    /// and the feed thread sleeps on its own.
    virtual bool waitForInput(TimeNs maxNs) {
        (void)maxNs;
        return false;
    }
    /// Ends a waitForInput() in progress. Called from any thread.
    virtual void wakeUp() {}
    /// Order entry on this venue, or null where the venue takes no orders.
    virtual trading::OrderEntry* orderEntry() { return nullptr; }
};

}  // namespace flowscope
