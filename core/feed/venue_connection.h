#pragma once
/// Keeps one venue adapter fed over the network: connects its WebSockets (one per
/// VenueAdapter::streams(): Binance USD-M needs two since 2026-03-06), subscribes, fetches REST
/// snapshots when the adapter asks, sends its heartbeats, and when anything goes wrong (refused
/// connection, TLS failure, a silent feed, a close) reconnects with exponential backoff and
/// jitter, restoring the subscription. Each socket has its own heartbeat, stale timer, backoff and
/// lifetime; only the book's socket decides whether the book is live. Every state change is
/// reported with a reason a user can act on.
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
#include <vector>

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
    /// Applies to every socket of the market when set.
    TimeNs staleAfterNs = 0;
    /// A socket other than the book's reconnects this long before the venue's connection
    /// lifetime ends (VenueAdapter::connectionLifetimeNs()), rather than be cut by the venue.
    TimeNs lifetimeMarginNs = 300'000'000'000;
};

class VenueConnection {
  public:
    struct Callbacks {
        /// The market: Connecting, Syncing, Live, Stale, Resyncing, Disconnected, with the reason.
        /// Follows the book's socket (VenueAdapter::streams()[0]) and the book's sync.
        std::function<void(FeedState state, std::string_view reason)> onState;
        /// Every input as it reached the adapter, for recording.
        std::function<void(record::RecordKind kind, TimeNs receiveNs, std::string_view payload)>
            onRaw;
        /// A socket other than the book's changed state (Connecting, Syncing = open, Stale,
        /// Disconnected), with its stream name ("trades") and the reason. The market's state does
        /// not follow it: the book stays live without trades.
        std::function<void(std::string_view stream, FeedState state, std::string_view reason)>
            onStreamState;
    };

    /// One socket's counters, for the status line and tests.
    struct StreamStatus {
        std::string name;
        std::string url;
        bool open = false;
        FeedState state = FeedState::Disconnected;
        std::string reason;
        std::uint64_t connects = 0;
        std::uint64_t disconnects = 0;
        std::uint64_t staleEvents = 0;
        std::uint64_t messages = 0;
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
    /// The book's socket.
    std::uint64_t connects() const;  ///< connections opened
    std::uint64_t disconnects() const;
    std::uint64_t staleEvents() const;
    /// Every socket of the market, the book's first.
    std::size_t streamCount() const { return streams_.size(); }
    StreamStatus streamStatus(std::size_t index) const;

  private:
    struct Stream;

    void connect(Stream& stream);
    void onOpen(Stream& stream);
    void onMessage(Stream& stream, std::string_view message, TimeNs receiveNs);
    void onClose(Stream& stream, std::string_view reason);
    /// Drops the socket now (stale, or the venue's lifetime is near) and schedules a reconnect.
    void cut(Stream& stream, const std::string& why, bool backoff);
    void serviceAdapter();
    void fetchSnapshot();
    void onSnapshot(HttpResponse response);
    void scheduleReconnect(Stream& stream, std::string_view why);
    void checkStale();
    void sendHeartbeat(Stream& stream);
    void setState(FeedState state, std::string reason);
    void setStreamState(Stream& stream, FeedState state, std::string reason);
    void recordConnection(Stream& stream, bool opened, std::string_view text);
    void updateSyncState();
    TimeNs nextBackoffNs(Stream& stream);
    TimeNs staleAfterNs(const Stream& stream) const;
    Stream& bookStream() { return *streams_.front(); }
    bool bookOpen() const;

    EventLoop& loop_;
    venues::VenueAdapter& adapter_;
    Callbacks callbacks_;
    ReconnectPolicy policy_;
    TlsConfig tls_;
    std::string wsUrlText_;
    std::string restUrlText_;
    Url snapshotUrl_;
    bool hasSnapshotUrl_ = false;
    std::vector<std::unique_ptr<Stream>> streams_;
    std::unique_ptr<HttpsClient> rest_;
    Timer staleTimer_;
    Timer snapshotTimer_;
    bool running_ = false;
    bool snapshotInFlight_ = false;
    FeedState state_ = FeedState::Disconnected;
    std::string reason_;
    TimeNs lastSnapshotRequestSteadyNs_ = 0;
    std::uint64_t resyncsSeen_ = 0;
    std::minstd_rand jitterRandom_;
};

}  // namespace flowscope::net
