#pragma once
/// The one resubscription in flight on venues that resync by unsubscribing and subscribing the
/// book again on the same socket (Kraken v2, OKX): the venue answers with a fresh snapshot. If
/// that snapshot does not come in time, or the venue rejects the resubscription, the adapter gives
/// up on the socket and asks for a reconnect.

#include <utility>

#include "book/types.h"

namespace flowscope::venues {

class ResubscribeResync {
  public:
    explicit constexpr ResubscribeResync(TimeNs timeoutNs) : timeoutNs_(timeoutNs) {}

    /// The unsubscribe + subscribe frames were queued at `nowNs`.
    void start(TimeNs nowNs) {
        pending_ = true;
        startNs_ = nowNs;
    }
    /// A snapshot arrived, or a new socket subscribes afresh: nothing is awaited any more.
    void finish() { pending_ = false; }
    /// True once when the awaited snapshot is later than the timeout: the caller reconnects.
    bool expired(TimeNs nowNs) {
        if (!pending_ || nowNs - startNs_ <= timeoutNs_) return false;
        pending_ = false;
        return true;
    }
    /// True once when a snapshot was awaited: the venue rejected the resubscription, so none
    /// will come on this socket.
    bool abandon() { return std::exchange(pending_, false); }

  private:
    TimeNs timeoutNs_;
    bool pending_ = false;
    TimeNs startNs_ = 0;
};

}  // namespace flowscope::venues
