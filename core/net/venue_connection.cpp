#include "net/venue_connection.h"
#include "book/clock.h"

#include <algorithm>

namespace flowscope::net {

using venues::SyncState;

VenueConnection::VenueConnection(EventLoop& loop, venues::VenueAdapter& adapter,
                                 const venues::VenueEndpoints& endpoints, Callbacks callbacks,
                                 ReconnectPolicy policy)
    : loop_(loop),
      adapter_(adapter),
      callbacks_(std::move(callbacks)),
      policy_(policy),
      tls_{endpoints.caFile},
      reconnectTimer_(loop),
      staleTimer_(loop),
      heartbeatTimer_(loop),
      snapshotTimer_(loop),
      jitterRandom_(static_cast<std::uint32_t>(wallNowNs())) {
    wsUrlText_ = endpoints.wsUrl.empty() ? venues::defaultWsUrl(adapter.venue()) : endpoints.wsUrl;
    restUrlText_ =
        endpoints.restUrl.empty() ? venues::defaultRestUrl(adapter.venue()) : endpoints.restUrl;
}

VenueConnection::~VenueConnection() {
    stop();
}

std::string VenueConnection::start() {
    std::string error;
    auto ws = Url::join(wsUrlText_, adapter_.wsPath(), &error);
    if (!ws) return "--ws-url: " + error;
    wsUrl_ = *ws;
    const std::string snapshotPath = adapter_.snapshotPath();
    hasSnapshotUrl_ = !snapshotPath.empty();
    if (hasSnapshotUrl_) {
        auto rest = Url::join(restUrlText_, snapshotPath, &error);
        if (!rest) return "--rest-url: " + error;
        snapshotUrl_ = *rest;
    }
    running_ = true;
    backoffNs_ = policy_.initialBackoffNs;
    connect();
    checkStale();
    return {};
}

void VenueConnection::stop() {
    if (!running_) return;
    running_ = false;
    // A recording must end as the live adapter's session did, so a replay counts the same.
    if (open_ && callbacks_.onRaw) {
        callbacks_.onRaw(record::RecordKind::Disconnected, wallNowNs(), "stopped");
    }
    open_ = false;
    reconnectTimer_.cancel();
    staleTimer_.cancel();
    heartbeatTimer_.cancel();
    snapshotTimer_.cancel();
    if (rest_) rest_->cancel();
    if (socket_) socket_->close();
    adapter_.onDisconnected("stopped");
    setState(FeedState::Disconnected, "stopped");
}

void VenueConnection::connect() {
    if (!running_) return;
    open_ = false;
    snapshotInFlight_ = false;
    snapshotTimer_.cancel();
    if (rest_) rest_->cancel();
    // A fresh socket object per attempt: no state of the failed one can leak into the next.
    socket_ = std::make_unique<WebSocketConnection>(
        loop_, tls_,
        WebSocketConnection::Handlers{
            [this] { onOpen(); },
            [this](std::string_view message, TimeNs receiveNs) { onMessage(message, receiveNs); },
            [this](std::string_view reason) { onClose(reason); }});
    rest_ = std::make_unique<HttpsClient>(loop_, tls_);
    setState(FeedState::Connecting, "connecting to " + wsUrl_.toString());
    socket_->open(wsUrl_);
}

void VenueConnection::onOpen() {
    open_ = true;
    ++connects_;
    const TimeNs now = steadyNowNs();
    openedSteadyNs_ = now;
    lastMessageSteadyNs_ = now;
    const TimeNs receiveNs = wallNowNs();
    if (callbacks_.onRaw) {
        callbacks_.onRaw(record::RecordKind::Connected, receiveNs, wsUrl_.toString());
    }
    resyncsSeen_ = adapter_.counters().resyncs;
    adapter_.onConnected(receiveNs);
    for (std::string& frame : adapter_.subscribeMessages())
        socket_->send(std::move(frame));
    setState(FeedState::Syncing, "waiting for the book snapshot");
    serviceAdapter();
    if (!adapter_.heartbeatMessage().empty()) {
        heartbeatTimer_.startAfter(adapter_.heartbeatIntervalNs(), [this] { sendHeartbeat(); });
    }
}

void VenueConnection::onMessage(std::string_view message, TimeNs receiveNs) {
    lastMessageSteadyNs_ = steadyNowNs();
    if (callbacks_.onRaw) callbacks_.onRaw(record::RecordKind::WsMessage, receiveNs, message);
    adapter_.onMessage(message, receiveNs);
    serviceAdapter();
}

void VenueConnection::onClose(std::string_view reason) {
    open_ = false;
    adapter_.onDisconnected(reason);
    ++disconnects_;
    heartbeatTimer_.cancel();
    if (callbacks_.onRaw) {
        callbacks_.onRaw(record::RecordKind::Disconnected, wallNowNs(), reason);
    }
    scheduleReconnect(reason);
}

void VenueConnection::serviceAdapter() {
    for (std::string& frame : adapter_.takeOutgoing()) {
        if (open_) socket_->send(std::move(frame));
    }
    if (adapter_.takeReconnectRequest()) {
        // The venue only re-sends a snapshot on a new subscription: start over at once, the
        // connection itself is healthy so no backoff.
        // We may be inside the socket's own handler: close now, replace it from the loop.
        updateSyncState();
        if (socket_) socket_->close();
        open_ = false;
        heartbeatTimer_.cancel();
        adapter_.onDisconnected("reconnecting for a fresh snapshot");
        reconnectTimer_.startAfter(0, [this] { connect(); });
        return;
    }
    if (adapter_.takeSnapshotRequest() && hasSnapshotUrl_) fetchSnapshot();
    updateSyncState();
}

void VenueConnection::fetchSnapshot() {
    if (snapshotInFlight_ || !open_) return;
    const TimeNs now = steadyNowNs();
    const TimeNs earliest = lastSnapshotRequestSteadyNs_ + policy_.snapshotSpacingNs;
    if (lastSnapshotRequestSteadyNs_ != 0 && now < earliest) {
        snapshotInFlight_ = true;  // reserved: the timer below sends it
        snapshotTimer_.startAfter(earliest - now, [this] {
            snapshotInFlight_ = false;
            fetchSnapshot();
        });
        return;
    }
    snapshotInFlight_ = true;
    lastSnapshotRequestSteadyNs_ = now;
    rest_->get(snapshotUrl_, [this](HttpResponse response) { onSnapshot(std::move(response)); });
}

void VenueConnection::onSnapshot(HttpResponse response) {
    snapshotInFlight_ = false;
    if (!open_) return;  // the stream it belonged to is gone; the next connection asks again
    if (response.status == 0) {
        setState(FeedState::Syncing, "snapshot request failed: " + response.error);
        // Ask again after the spacing: the adapter still needs it.
        snapshotTimer_.startAfter(std::max(policy_.snapshotSpacingNs, nextBackoffNs()),
                                  [this] { fetchSnapshot(); });
        return;
    }
    if (callbacks_.onRaw) {
        callbacks_.onRaw(record::RecordKind::RestSnapshot, response.receiveNs, response.body);
    }
    // Error bodies go to the adapter too: it knows the venue's error format, notes the message,
    // and asks for another snapshot.
    adapter_.onSnapshotResponse(response.body, response.receiveNs);
    if (response.status != 200 && adapter_.syncState() != SyncState::Live) {
        setState(FeedState::Syncing, "snapshot request: HTTP " + std::to_string(response.status) +
                                         " " + response.body.substr(0, 200));
    }
    serviceAdapter();
}

void VenueConnection::scheduleReconnect(std::string_view why) {
    if (!running_) return;
    if (openedSteadyNs_ != 0 && steadyNowNs() - openedSteadyNs_ >= policy_.healthyAfterNs) {
        backoffNs_ = policy_.initialBackoffNs;
    }
    const TimeNs delay = nextBackoffNs();
    setState(FeedState::Disconnected,
             std::string(why) + "; reconnecting in " + std::to_string(delay / 1'000'000) + " ms");
    reconnectTimer_.startAfter(delay, [this] { connect(); });
}

TimeNs VenueConnection::nextBackoffNs() {
    std::uniform_real_distribution<double> factor(1.0 - policy_.jitter, 1.0 + policy_.jitter);
    const auto delay = static_cast<TimeNs>(static_cast<double>(backoffNs_) * factor(jitterRandom_));
    backoffNs_ = std::min(backoffNs_ * 2, policy_.maxBackoffNs);
    return delay;
}

void VenueConnection::checkStale() {
    if (!running_) return;
    if (open_ && steadyNowNs() - lastMessageSteadyNs_ > staleAfterNs()) {
        ++staleEvents_;
        const std::string why =
            "no message for " + std::to_string(staleAfterNs() / 1'000'000) + " ms";
        setState(FeedState::Stale, why);
        open_ = false;
        adapter_.onDisconnected("stale feed: " + why);
        heartbeatTimer_.cancel();
        if (socket_) socket_->close();
        if (callbacks_.onRaw) callbacks_.onRaw(record::RecordKind::Disconnected, wallNowNs(), why);
        scheduleReconnect("stale feed (" + why + ")");
    }
    staleTimer_.startAfter(policy_.staleCheckIntervalNs, [this] { checkStale(); });
}

TimeNs VenueConnection::staleAfterNs() const {
    return policy_.staleAfterNs > 0 ? policy_.staleAfterNs : adapter_.staleAfterNs();
}

void VenueConnection::sendHeartbeat() {
    if (!open_) return;
    socket_->send(adapter_.heartbeatMessage());
    heartbeatTimer_.startAfter(adapter_.heartbeatIntervalNs(), [this] { sendHeartbeat(); });
}

void VenueConnection::updateSyncState() {
    if (!open_) return;
    const auto& counters = adapter_.counters();
    if (adapter_.syncState() == SyncState::Live) {
        if (state_ != FeedState::Live) setState(FeedState::Live, {});
    } else if (counters.resyncs != resyncsSeen_ || state_ == FeedState::Live) {
        resyncsSeen_ = counters.resyncs;
        const auto& samples = adapter_.problemSamples();
        setState(FeedState::Resyncing,
                 samples.empty() ? std::string("book invalid: resyncing") : samples.back());
    }
}

void VenueConnection::setState(FeedState state, std::string reason) {
    if (state == state_ && reason == reason_) return;
    state_ = state;
    reason_ = std::move(reason);
    if (callbacks_.onState) callbacks_.onState(state_, reason_);
}

}  // namespace flowscope::net
