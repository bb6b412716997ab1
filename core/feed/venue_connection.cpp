#include "feed/venue_connection.h"
#include "book/clock.h"

#include <algorithm>

namespace flowscope::net {

using venues::SyncState;

/// One socket of the market and everything timed about it.
struct VenueConnection::Stream {
    Stream(EventLoop& loop, venues::StreamSpec s, std::size_t i)
        : spec(std::move(s)),
          index(i),
          book(i == 0),
          reconnectTimer(loop),
          heartbeatTimer(loop),
          lifetimeTimer(loop) {}

    venues::StreamSpec spec;
    std::size_t index = 0;  ///< in VenueAdapter::streams()
    bool book = false;      ///< the book's socket (streams()[0])
    Url url;
    std::unique_ptr<WebSocketConnection> socket;
    Timer reconnectTimer;
    Timer heartbeatTimer;
    Timer lifetimeTimer;
    bool open = false;
    TimeNs backoffNs = 0;
    TimeNs openedSteadyNs = 0;
    TimeNs lastMessageSteadyNs = 0;
    FeedState state = FeedState::Disconnected;  ///< sockets other than the book's
    std::string reason;
    std::uint64_t connects = 0;
    std::uint64_t disconnects = 0;
    std::uint64_t staleEvents = 0;
    std::uint64_t messages = 0;
};

VenueConnection::VenueConnection(EventLoop& loop, venues::VenueAdapter& adapter,
                                 const venues::VenueEndpoints& endpoints, Callbacks callbacks,
                                 ReconnectPolicy policy)
    : loop_(loop),
      adapter_(adapter),
      callbacks_(std::move(callbacks)),
      policy_(policy),
      tls_{endpoints.caFile},
      staleTimer_(loop),
      snapshotTimer_(loop),
      jitterRandom_(static_cast<std::uint32_t>(wallNowNs())) {
    wsUrlText_ = endpoints.wsUrl.empty() ? venues::defaultWsUrl(adapter.venue()) : endpoints.wsUrl;
    restUrlText_ =
        endpoints.restUrl.empty() ? venues::defaultRestUrl(adapter.venue()) : endpoints.restUrl;
    for (venues::StreamSpec& spec : adapter_.streams())
        streams_.push_back(std::make_unique<Stream>(loop_, std::move(spec), streams_.size()));
}

VenueConnection::~VenueConnection() {
    stop();
}

std::string VenueConnection::start() {
    if (streams_.empty()) return "venue adapter names no WebSocket stream";
    std::string error;
    for (auto& stream : streams_) {
        auto url = Url::join(wsUrlText_, stream->spec.path, &error);
        if (!url) return "--ws-url: " + error;
        stream->url = *url;
    }
    const std::string snapshotPath = adapter_.snapshotPath();
    hasSnapshotUrl_ = !snapshotPath.empty();
    if (hasSnapshotUrl_) {
        auto rest = Url::join(restUrlText_, snapshotPath, &error);
        if (!rest) return "--rest-url: " + error;
        snapshotUrl_ = *rest;
    }
    running_ = true;
    for (auto& stream : streams_) {
        stream->backoffNs = policy_.initialBackoffNs;
        connect(*stream);
    }
    checkStale();
    return {};
}

void VenueConnection::stop() {
    if (!running_) return;
    running_ = false;
    // A recording must end as the live adapter's session did, so a replay counts the same.
    for (auto& stream : streams_) {
        if (stream->open) recordConnection(*stream, false, "stopped");
        stream->open = false;
        stream->reconnectTimer.cancel();
        stream->heartbeatTimer.cancel();
        stream->lifetimeTimer.cancel();
        if (stream->socket) stream->socket->close();
        if (!stream->book) setStreamState(*stream, FeedState::Disconnected, "stopped");
    }
    staleTimer_.cancel();
    snapshotTimer_.cancel();
    if (rest_) rest_->cancel();
    adapter_.onDisconnected("stopped");
    setState(FeedState::Disconnected, "stopped");
}

std::uint64_t VenueConnection::connects() const {
    return streams_.empty() ? 0 : streams_.front()->connects;
}

std::uint64_t VenueConnection::disconnects() const {
    return streams_.empty() ? 0 : streams_.front()->disconnects;
}

std::uint64_t VenueConnection::staleEvents() const {
    return streams_.empty() ? 0 : streams_.front()->staleEvents;
}

VenueConnection::StreamStatus VenueConnection::streamStatus(std::size_t index) const {
    const Stream& s = *streams_.at(index);
    StreamStatus out;
    out.name = s.spec.name;
    out.url = s.url.toString();
    out.open = s.open;
    out.state = s.book ? state_ : s.state;
    out.reason = s.book ? reason_ : s.reason;
    out.connects = s.connects;
    out.disconnects = s.disconnects;
    out.staleEvents = s.staleEvents;
    out.messages = s.messages;
    return out;
}

bool VenueConnection::bookOpen() const {
    return !streams_.empty() && streams_.front()->open;
}

void VenueConnection::connect(Stream& stream) {
    if (!running_) return;
    stream.open = false;
    stream.lifetimeTimer.cancel();
    if (stream.book) {
        snapshotInFlight_ = false;
        snapshotTimer_.cancel();
        if (rest_) rest_->cancel();
        rest_ = std::make_unique<HttpsClient>(loop_, tls_);
    }
    // A fresh socket object per attempt: no state of the failed one can leak into the next.
    Stream* s = &stream;
    stream.socket = std::make_unique<WebSocketConnection>(
        loop_, tls_,
        WebSocketConnection::Handlers{[this, s] { onOpen(*s); },
                                      [this, s](std::string_view message, TimeNs receiveNs) {
                                          onMessage(*s, message, receiveNs);
                                      },
                                      [this, s](std::string_view reason) { onClose(*s, reason); }});
    const std::string what = "connecting to " + stream.url.toString();
    if (stream.book) {
        setState(FeedState::Connecting, what);
    } else {
        setStreamState(stream, FeedState::Connecting, what);
    }
    stream.socket->open(stream.url);
}

void VenueConnection::onOpen(Stream& stream) {
    stream.open = true;
    ++stream.connects;
    const TimeNs now = steadyNowNs();
    stream.openedSteadyNs = now;
    stream.lastMessageSteadyNs = now;
    const TimeNs receiveNs = wallNowNs();
    recordConnection(stream, true, stream.url.toString());
    if (stream.book) {
        resyncsSeen_ = adapter_.counters().resyncs;
        adapter_.onConnected(receiveNs);
    }
    // Asked now, not at construction: an adapter's subscription may depend on its state.
    std::vector<venues::StreamSpec> specs = adapter_.streams();
    if (stream.index < specs.size()) {
        for (std::string& frame : specs[stream.index].subscribeMessages)
            stream.socket->send(std::move(frame));
    }
    Stream* s = &stream;
    if (!stream.book) {
        // The venue cuts every connection at its lifetime; a socket the book does not depend on
        // goes a little before, at a moment of our choosing.
        const TimeNs lifetime = adapter_.connectionLifetimeNs();
        if (lifetime > policy_.lifetimeMarginNs) {
            stream.lifetimeTimer.startAfter(lifetime - policy_.lifetimeMarginNs, [this, s] {
                cut(*s, "the venue's connection lifetime is near: reconnecting", false);
            });
        }
        setStreamState(stream, FeedState::Syncing, "open, waiting for data");
    } else {
        setState(FeedState::Syncing, "waiting for the book snapshot");
        serviceAdapter();
    }
    if (stream.open && !adapter_.heartbeatMessage().empty()) {
        stream.heartbeatTimer.startAfter(adapter_.heartbeatIntervalNs(),
                                         [this, s] { sendHeartbeat(*s); });
    }
}

void VenueConnection::onMessage(Stream& stream, std::string_view message, TimeNs receiveNs) {
    stream.lastMessageSteadyNs = steadyNowNs();
    ++stream.messages;
    if (!stream.book && stream.state != FeedState::Live)
        setStreamState(stream, FeedState::Live, {});
    if (callbacks_.onRaw) callbacks_.onRaw(record::RecordKind::WsMessage, receiveNs, message);
    adapter_.onMessage(message, receiveNs);
    serviceAdapter();
}

void VenueConnection::onClose(Stream& stream, std::string_view reason) {
    stream.open = false;
    ++stream.disconnects;
    stream.heartbeatTimer.cancel();
    stream.lifetimeTimer.cancel();
    if (stream.book) adapter_.onDisconnected(reason);
    recordConnection(stream, false, reason);
    scheduleReconnect(stream, reason);
}

void VenueConnection::cut(Stream& stream, const std::string& why, bool backoff) {
    stream.open = false;
    stream.heartbeatTimer.cancel();
    stream.lifetimeTimer.cancel();
    if (stream.socket) stream.socket->close();
    if (stream.book) adapter_.onDisconnected(why);
    recordConnection(stream, false, why);
    if (backoff) {
        scheduleReconnect(stream, why);
    } else {
        Stream* s = &stream;
        stream.reconnectTimer.startAfter(0, [this, s] { connect(*s); });
    }
}

void VenueConnection::recordConnection(Stream& stream, bool opened, std::string_view text) {
    if (!callbacks_.onRaw) return;
    if (stream.book) {
        callbacks_.onRaw(opened ? record::RecordKind::Connected : record::RecordKind::Disconnected,
                         wallNowNs(), text);
        return;
    }
    std::string payload = stream.spec.name;
    payload += opened ? " " : ": ";
    payload.append(text);
    callbacks_.onRaw(
        opened ? record::RecordKind::StreamConnected : record::RecordKind::StreamDisconnected,
        wallNowNs(), payload);
}

void VenueConnection::serviceAdapter() {
    Stream& book = bookStream();
    for (std::string& frame : adapter_.takeOutgoing()) {
        if (book.open) book.socket->send(std::move(frame));
    }
    if (adapter_.takeReconnectRequest()) {
        // The venue only re-sends a snapshot on a new subscription, or announced it will close
        // this connection (Binance's serverShutdown): start over at once, the connection itself
        // is healthy so no backoff.
        // We may be inside the socket's own handler: close now, replace it from the loop.
        std::string why = adapter_.takeReconnectReason();
        const bool announced = !why.empty();
        if (!announced) why = "reconnecting for a fresh snapshot";
        updateSyncState();
        if (book.socket) book.socket->close();
        book.open = false;
        book.heartbeatTimer.cancel();
        adapter_.onDisconnected(why);
        // Shown until the new connection reports itself: the user sees why the feed blinked.
        if (announced) setState(FeedState::Disconnected, why + "; reconnecting now");
        Stream* s = &book;
        book.reconnectTimer.startAfter(0, [this, s] { connect(*s); });
        return;
    }
    if (adapter_.takeSnapshotRequest() && hasSnapshotUrl_) fetchSnapshot();
    updateSyncState();
}

void VenueConnection::fetchSnapshot() {
    if (snapshotInFlight_ || !bookOpen()) return;
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
    if (!bookOpen()) return;  // the stream it belonged to is gone; the next connection asks again
    if (response.status == 0) {
        setState(FeedState::Syncing, "snapshot request failed: " + response.error);
        // Ask again after the spacing: the adapter still needs it.
        snapshotTimer_.startAfter(std::max(policy_.snapshotSpacingNs, nextBackoffNs(bookStream())),
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

void VenueConnection::scheduleReconnect(Stream& stream, std::string_view why) {
    if (!running_) return;
    if (stream.openedSteadyNs != 0 &&
        steadyNowNs() - stream.openedSteadyNs >= policy_.healthyAfterNs) {
        stream.backoffNs = policy_.initialBackoffNs;
    }
    const TimeNs delay = nextBackoffNs(stream);
    std::string text =
        std::string(why) + "; reconnecting in " + std::to_string(delay / 1'000'000) + " ms";
    if (stream.book) {
        setState(FeedState::Disconnected, std::move(text));
    } else {
        setStreamState(stream, FeedState::Disconnected, std::move(text));
    }
    Stream* s = &stream;
    stream.reconnectTimer.startAfter(delay, [this, s] { connect(*s); });
}

TimeNs VenueConnection::nextBackoffNs(Stream& stream) {
    std::uniform_real_distribution<double> factor(1.0 - policy_.jitter, 1.0 + policy_.jitter);
    const auto delay =
        static_cast<TimeNs>(static_cast<double>(stream.backoffNs) * factor(jitterRandom_));
    stream.backoffNs = std::min(stream.backoffNs * 2, policy_.maxBackoffNs);
    return delay;
}

void VenueConnection::checkStale() {
    if (!running_) return;
    const TimeNs now = steadyNowNs();
    for (auto& stream : streams_) {
        if (!stream->open || now - stream->lastMessageSteadyNs <= staleAfterNs(*stream)) continue;
        ++stream->staleEvents;
        const std::string why =
            "no message for " + std::to_string(staleAfterNs(*stream) / 1'000'000) + " ms";
        if (stream->book) {
            setState(FeedState::Stale, why);
        } else {
            setStreamState(*stream, FeedState::Stale, why);
        }
        cut(*stream, (stream->book ? "stale feed (" : "stale stream (") + why + ")", true);
    }
    staleTimer_.startAfter(policy_.staleCheckIntervalNs, [this] { checkStale(); });
}

TimeNs VenueConnection::staleAfterNs(const Stream& stream) const {
    if (policy_.staleAfterNs > 0) return policy_.staleAfterNs;
    return stream.spec.staleAfterNs > 0 ? stream.spec.staleAfterNs : adapter_.staleAfterNs();
}

void VenueConnection::sendHeartbeat(Stream& stream) {
    if (!stream.open) return;
    stream.socket->send(adapter_.heartbeatMessage());
    Stream* s = &stream;
    stream.heartbeatTimer.startAfter(adapter_.heartbeatIntervalNs(),
                                     [this, s] { sendHeartbeat(*s); });
}

void VenueConnection::updateSyncState() {
    if (!bookOpen()) return;
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

void VenueConnection::setStreamState(Stream& stream, FeedState state, std::string reason) {
    if (state == stream.state && reason == stream.reason) return;
    stream.state = state;
    stream.reason = std::move(reason);
    if (callbacks_.onStreamState) callbacks_.onStreamState(stream.spec.name, state, stream.reason);
}

}  // namespace flowscope::net
