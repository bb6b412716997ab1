#pragma once
/// Keeps one venue adapter fed over the network: connects the WebSocket, subscribes, fetches REST
/// snapshots when the adapter asks, sends its heartbeats, and when anything goes wrong (refused
/// connection, TLS failure, a silent feed, a close) reconnects with exponential backoff and
/// jitter, restoring the subscription. Every state change is reported with a reason a user can
/// act on.
///
/// Why here and not in the adapters: adapters are pure parsers and state machines (replayable
/// from a file, fuzzable); all timing and I/O policy lives in this one class.
///
/// Threading: everything on the EventLoop's thread (the feed thread).

#include <cstdint>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <string_view>

#include "feed/market_snapshot.h"
#include "net/event_loop.h"
#include "net/https_client.h"
#include "net/websocket_connection.h"
#include "record/record.h"
#include "venues/venue_adapter.h"

namespace flowscope::net {

struct ReconnectPolicy {
    TimeNs initialBackoffNs = 250'000'000;  ///< first retry after a failure
    TimeNs maxBackoffNs = 30'000'000'000;   ///< the delay doubles up to this
    double jitter = 0.25;  ///< each delay is scaled by a random factor in [1 - j, 1 + j]
    /// A connection that stayed up this long resets the backoff to the initial delay.
    TimeNs healthyAfterNs = 10'000'000'000;
    /// Minimum spacing of REST snapshot requests (venues weigh them heavily against rate limits).
    TimeNs snapshotSpacingNs = 1'000'000'000;
    TimeNs staleCheckIntervalNs = 250'000'000;
    /// Silence that makes the feed stale; 0: the venue's own (VenueAdapter::staleAfterNs()).
    TimeNs staleAfterNs = 0;
};

class VenueConnection {
  public:
    struct Callbacks {
        /// Connecting, Syncing, Live, Stale, Resyncing, Disconnected, with the reason.
        std::function<void(FeedState state, std::string_view reason)> onState;
        /// Every input as it reached the adapter, for recording.
        std::function<void(record::RecordKind kind, TimeNs receiveNs, std::string_view payload)>
            onRaw;
    };

    VenueConnection(EventLoop& loop, venues::VenueAdapter& adapter,
                    const venues::VenueEndpoints& endpoints, Callbacks callbacks,
                    ReconnectPolicy policy = {});
    ~VenueConnection();
    VenueConnection(const VenueConnection&) = delete;
    VenueConnection& operator=(const VenueConnection&) = delete;

    /// Resolves the endpoints; returns an error text (bad URL) instead of starting.
    std::string start();
    void stop();

    FeedState state() const { return state_; }
    const std::string& reason() const { return reason_; }
    std::uint64_t connects() const { return connects_; }  ///< connections opened
    std::uint64_t disconnects() const { return disconnects_; }
    std::uint64_t staleEvents() const { return staleEvents_; }

  private:
    void connect();
    void onOpen();
    void onMessage(std::string_view message, TimeNs receiveNs);
    void onClose(std::string_view reason);
    void serviceAdapter();
    void fetchSnapshot();
    void onSnapshot(HttpResponse response);
    void scheduleReconnect(std::string_view why);
    void checkStale();
    void sendHeartbeat();
    void setState(FeedState state, std::string reason);
    void updateSyncState();
    TimeNs nextBackoffNs();
    TimeNs staleAfterNs() const;

    EventLoop& loop_;
    venues::VenueAdapter& adapter_;
    Callbacks callbacks_;
    ReconnectPolicy policy_;
    TlsConfig tls_;
    std::string wsUrlText_;
    std::string restUrlText_;
    Url wsUrl_;
    Url snapshotUrl_;
    bool hasSnapshotUrl_ = false;
    std::unique_ptr<WebSocketConnection> socket_;
    std::unique_ptr<HttpsClient> rest_;
    Timer reconnectTimer_;
    Timer staleTimer_;
    Timer heartbeatTimer_;
    Timer snapshotTimer_;
    bool running_ = false;
    bool open_ = false;
    bool snapshotInFlight_ = false;
    FeedState state_ = FeedState::Disconnected;
    std::string reason_;
    TimeNs backoffNs_ = 0;
    TimeNs openedSteadyNs_ = 0;
    TimeNs lastMessageSteadyNs_ = 0;
    TimeNs lastSnapshotRequestSteadyNs_ = 0;
    std::uint64_t connects_ = 0;
    std::uint64_t disconnects_ = 0;
    std::uint64_t staleEvents_ = 0;
    std::uint64_t resyncsSeen_ = 0;
    std::minstd_rand jitterRandom_;
};

}  // namespace flowscope::net
