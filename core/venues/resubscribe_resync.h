#pragma once
/// The resubscription of venues that resync by unsubscribing and subscribing the book again on
/// the same socket (Kraken v2, OKX): the venue answers with a fresh snapshot. If that snapshot
/// does not come in time, or the venue rejects the resubscription, the adapter gives up on the
/// socket and asks for a reconnect.
///
/// Resyncs back off. A book that fails its checksum again right after every fresh snapshot (a
/// wrong instrument precision, a venue-side fault) would otherwise unsubscribe and subscribe on
/// every frame, which the venues count against their per-connection request limits and which
/// shows the trader nothing but a flickering book. The first resync after a stable stretch goes
/// at once; each further one while the book has not stayed live for kStableNs waits twice as
/// long as the one before (1 s, 2 s, 4 s ... kMaxDelayNs). The adapters have no timer: a due
/// resubscription goes with the next frame that arrives (trades, heartbeats, pongs keep coming
/// on an open socket; a silent one is the transport's stale timer's business).

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "book/types.h"

namespace flowscope::venues {

class ResubscribeResync {
  public:
    static constexpr TimeNs kFirstDelayNs = 1'000'000'000;
    static constexpr TimeNs kMaxDelayNs = 60'000'000'000;
    /// A book live this long since its last good snapshot ends a run of resyncs.
    static constexpr TimeNs kStableNs = 30'000'000'000;

    explicit constexpr ResubscribeResync(TimeNs timeoutNs) : timeoutNs_(timeoutNs) {}

    /// The book needs a fresh snapshot (found at `nowNs`). Returns the wait before the
    /// resubscription may go (0: at once); due() says when.
    TimeNs request(TimeNs nowNs) {
        // One not yet sent keeps its wait; one sent and failed again (the fresh snapshot was bad
        // too) is the next of the run.
        if (!wanted_) {
            const bool stable =
                inARow_ == 0 || (liveSinceNs_ && nowNs - *liveSinceNs_ >= kStableNs);
            inARow_ = stable ? 1 : inARow_ + 1;
            delayNs_ = inARow_ <= 1
                           ? 0
                           : std::min(kMaxDelayNs,
                                      kFirstDelayNs << std::min<std::uint32_t>(inARow_ - 2, 20));
            notBeforeNs_ = nowNs + delayNs_;
        }
        liveSinceNs_.reset();
        pending_ = false;
        wanted_ = true;
        return std::max<TimeNs>(notBeforeNs_ - nowNs, 0);
    }
    /// True once when the requested resubscription may go at `nowNs`: the caller queues the
    /// unsubscribe + subscribe frames then, and the snapshot's timeout starts.
    bool due(TimeNs nowNs) {
        if (!wanted_ || nowNs < notBeforeNs_) return false;
        wanted_ = false;
        pending_ = true;
        startNs_ = nowNs;
        return true;
    }
    /// A snapshot arrived at `nowNs` and the book is live from it: nothing is awaited any more.
    void snapshotArrived(TimeNs nowNs) {
        wanted_ = pending_ = false;
        liveSinceNs_ = nowNs;
    }
    /// A new socket subscribes afresh: nothing is awaited; the run of resyncs is remembered, so
    /// a reconnect does not reset the backoff.
    void newSocket() { wanted_ = pending_ = false; }
    /// True once when the awaited snapshot is later than the timeout: the caller reconnects.
    bool expired(TimeNs nowNs) {
        if (!pending_ || nowNs - startNs_ <= timeoutNs_) return false;
        pending_ = false;
        return true;
    }
    /// True once when a snapshot was awaited: the venue rejected the resubscription, so none
    /// will come on this socket.
    bool abandon() { return std::exchange(pending_, false); }

    /// Resyncs in the current run (1 after a stable stretch), for the reason shown.
    std::uint32_t inARow() const { return inARow_; }

  private:
    TimeNs timeoutNs_;
    bool wanted_ = false;
    bool pending_ = false;
    TimeNs startNs_ = 0;
    TimeNs notBeforeNs_ = 0;
    TimeNs delayNs_ = 0;
    std::uint32_t inARow_ = 0;
    std::optional<TimeNs> liveSinceNs_;  ///< the last good snapshot, unless a resync followed
};

/// The reason a book went invalid as the trader reads it: "checksum mismatch", or with a run of
/// resyncs "checksum mismatch (resync 3 in a row; resubscribing in 2 s)".
inline std::string describeResync(std::string_view reason, TimeNs waitNs, std::uint32_t inARow) {
    std::string text(reason);
    if (inARow > 1) {
        text += " (resync " + std::to_string(inARow) + " in a row; resubscribing ";
        text += waitNs > 0 ? "in " + std::to_string((waitNs + 999'999'999) / 1'000'000'000) + " s)"
                           : "now)";
    }
    return text;
}

}  // namespace flowscope::venues
