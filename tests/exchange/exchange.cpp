#include "exchange.h"

#include <algorithm>
#include <cmath>
#include <iostream>

#include "binance_protocol.h"
#include "http_session.h"
#include "kraken_protocol.h"
#include "ws_session.h"

namespace flowscope::exchange {

namespace {
// The source is stepped in small slices so --rate is smooth; Binance batches every 100 ms.
constexpr auto kGenerationPeriod = std::chrono::milliseconds(10);
constexpr auto kDepthPeriod = std::chrono::milliseconds(100);
constexpr auto kSecond = std::chrono::seconds(1);
constexpr std::size_t kWarmUpEvents = 10;

std::int64_t wallNowMs() {
    return wallNowNs() / 1'000'000;
}
}  // namespace

Exchange::Exchange(boost::asio::io_context& io, const ExchangeOptions& options,
                   std::unique_ptr<Scenario> scenario)
    : io_(io),
      options_(options),
      scenario_(std::move(scenario)),
      market_(Instrument(options.symbol, options.tick, options.lot)),
      binance_(options.symbol, WireFormat(options.tick, options.lot), options.usdm),
      kraken_(options.krakenSymbol, WireFormat(options.tick, options.lot)),
      spotOrders_(options.symbol, WireFormat(options.tick, options.lot), options.apiKey,
                  options.apiSecret),
      generationTimer_(io),
      depthTimer_(io),
      secondTimer_(io),
      stallTimer_(io) {}

void Exchange::start() {
    scenario_->start(market_);
    // The market trades a little before anyone can connect, unseen by the feeds: so the starting
    // book is already older than every client's first diff (`fault stale-snapshot` from the first
    // client on), as on a real venue.
    stats_.sourceEvents += scenario_->advance(market_, kWarmUpEvents);
    market_.setListener(this);
    lastGeneration_ = std::chrono::steady_clock::now();
    scheduleGeneration();
    scheduleDepth();
    scheduleSecond();
}

void Exchange::stop() {
    stopped_ = true;
    generationTimer_.cancel();
    depthTimer_.cancel();
    secondTimer_.cancel();
    stallTimer_.cancel();
    for (const auto& timer : shutdownTimers_)
        timer->cancel();
    for (const auto& session : liveSessions())
        session->resetConnection();
}

// ---- market side ----

void Exchange::onBookChange(const BookChange& change) {
    binance_.noteChange(change);
    kraken_.noteChange();
}

void Exchange::onTrade(const Trade& trade) {
    binance_.tradeEvent(trade, scratch_);
    publishBinance(BinanceStream::Trade, scratch_);
    kraken_.noteTrade(trade);
}

void Exchange::scheduleGeneration() {
    if (stopped_) return;
    generationTimer_.expires_after(kGenerationPeriod);
    generationTimer_.async_wait([this](boost::system::error_code ec) {
        if (!ec) onGenerationTick();
    });
}

void Exchange::onGenerationTick() {
    const auto now = std::chrono::steady_clock::now();
    const double elapsedSec = std::chrono::duration<double>(now - lastGeneration_).count();
    lastGeneration_ = now;
    if (!paused_ && !scenario_->finished()) {
        // At most one second of backlog: a stalled loop does not come back as a burst.
        eventCredit_ =
            std::min(eventCredit_ + options_.ratePerSec * elapsedSec, options_.ratePerSec + 1.0);
        const double whole = std::floor(eventCredit_);
        eventCredit_ -= whole;
        if (whole >= 1.0)
            stats_.sourceEvents += scenario_->advance(market_, static_cast<std::size_t>(whole));
    }
    flushKraken();
    scheduleGeneration();
}

void Exchange::scheduleDepth() {
    if (stopped_) return;
    depthTimer_.expires_after(kDepthPeriod);
    depthTimer_.async_wait([this](boost::system::error_code ec) {
        if (!ec) onDepthTick();
    });
}

void Exchange::onDepthTick() {
    scheduleDepth();
    std::string event;
    if (!binance_.takeDepthEvent(wallNowMs(), event)) return;
    stats_.depthEvents++;
    if (faults_.take(FaultKind::Skip)) return;  // lost: the next event's U jumps
    if (faults_.take(FaultKind::Reorder)) {
        heldDepthEvent_ = std::move(event);
        return;
    }
    publishBinance(BinanceStream::Depth, event);
    if (heldDepthEvent_) {
        publishBinance(BinanceStream::Depth, *heldDepthEvent_);
        heldDepthEvent_.reset();
    }
    if (faults_.take(FaultKind::Duplicate)) publishBinance(BinanceStream::Depth, event);
}

void Exchange::scheduleSecond() {
    if (stopped_) return;
    secondTimer_.expires_after(kSecond);
    secondTimer_.async_wait([this](boost::system::error_code ec) {
        if (!ec) onSecondTick();
    });
}

void Exchange::onSecondTick() {
    scheduleSecond();
    market_.rememberBook();
    if (stalled()) return;
    // Kraken: a heartbeat about once a second when nothing else was sent, to subscribed clients.
    const std::int64_t quietSince =
        wallNowNs() - std::chrono::nanoseconds(kSecond).count() * 9 / 10;
    const auto heartbeat = std::make_shared<const std::string>(R"({"channel":"heartbeat"})");
    for (const auto& session : liveSessions()) {
        if (session->venue() != WsVenue::Kraken) continue;
        if (session->kraken.bookDepth == 0 && !session->kraken.trade) continue;
        if (session->lastSendNs() <= quietSince) session->send(heartbeat);
    }
}

// ---- publishing ----

std::vector<std::shared_ptr<WsSession>> Exchange::liveSessions() {
    std::vector<std::shared_ptr<WsSession>> live;
    live.reserve(sessions_.size());
    std::erase_if(sessions_, [&](const std::weak_ptr<WsSession>& weak) {
        auto session = weak.lock();
        if (!session || !session->isOpen()) return true;
        live.push_back(std::move(session));
        return false;
    });
    return live;
}

void Exchange::publishBinance(BinanceStream stream, const std::string& data) {
    const std::string& name =
        stream == BinanceStream::Depth ? binance_.depthStream() : binance_.tradeStream();
    std::shared_ptr<const std::string> raw;
    std::shared_ptr<const std::string> combined;
    for (const auto& session : liveSessions()) {
        if (session->venue() != WsVenue::Binance) continue;
        const BinanceSubscription& sub = session->binance;
        if (!(stream == BinanceStream::Depth ? sub.depth : sub.trade)) continue;
        // USD-M: only the stream's own category carries it; the legacy root carries nothing.
        const bool routed = stream == BinanceStream::Depth
                                ? sub.category == BinanceCategory::Public && !mutedPublic_
                                : sub.category == BinanceCategory::Market && !mutedMarket_;
        if (sub.category != BinanceCategory::Spot && !routed) continue;
        if (sub.combined) {
            if (!combined) {
                std::string text;
                BinanceFeed::envelope(name, data, text);
                combined = std::make_shared<const std::string>(std::move(text));
            }
            session->send(combined);
        } else {
            if (!raw) raw = std::make_shared<const std::string>(data);
            session->send(raw);
        }
    }
}

void Exchange::flushKraken() {
    const auto sessions = liveSessions();
    std::vector<int> depths;
    for (const auto& session : sessions) {
        const int depth = session->kraken.bookDepth;
        if (session->venue() == WsVenue::Kraken && depth > 0 &&
            std::find(depths.begin(), depths.end(), depth) == depths.end())
            depths.push_back(depth);
    }
    const std::string trades = kraken_.takeTradeUpdate();
    if (!trades.empty()) {
        const auto message = std::make_shared<const std::string>(trades);
        for (const auto& session : sessions)
            if (session->venue() == WsVenue::Kraken && session->kraken.trade)
                session->send(message);
    }
    const bool corrupt = faults_.armed(FaultKind::CorruptChecksum);
    kraken_.takeBookUpdates(market_.book(), depths, corrupt, krakenUpdates_);
    bool sent = false;
    for (std::size_t d = 0; d < depths.size(); ++d) {
        if (krakenUpdates_[d].empty()) continue;
        sent = true;
        stats_.krakenUpdates++;
        const auto message = std::make_shared<const std::string>(std::move(krakenUpdates_[d]));
        for (const auto& session : sessions)
            if (session->venue() == WsVenue::Kraken && session->kraken.bookDepth == depths[d])
                session->send(message);
    }
    if (corrupt && sent) (void)faults_.take(FaultKind::CorruptChecksum);
}

// ---- connections ----

void Exchange::onWsOpen(const std::shared_ptr<WsSession>& session) {
    sessions_.push_back(session);
    if (session->venue() == WsVenue::Kraken) sendKrakenWelcome(*this, *session);
}

void Exchange::onWsMessage(WsSession& session, std::string_view text) {
    if (session.venue() == WsVenue::Kraken)
        handleKrakenMessage(*this, session, text);
    else
        handleBinanceMessage(*this, session, text);
}

bool Exchange::stalled() const {
    return std::chrono::steady_clock::now() < stallUntil_;
}

// ---- control ----

void Exchange::setMuted(BinanceCategory category, bool muted) {
    if (category == BinanceCategory::Public) mutedPublic_ = muted;
    if (category == BinanceCategory::Market) mutedMarket_ = muted;
}

std::string Exchange::bookJson(std::size_t depth) const {
    std::string out;
    binance_.snapshotJson(market_.view(depth), out);
    return out;
}

std::size_t Exchange::dropWebSockets() {
    const auto sessions = liveSessions();
    for (const auto& session : sessions)
        session->resetConnection();
    stats_.wsDropped += sessions.size();
    faults_.injected(FaultKind::Drop);
    return sessions.size();
}

std::size_t Exchange::sendMalformed() {
    // A frame cut in the middle, in each venue's own shape, as a broken proxy would deliver it.
    const auto binance = std::make_shared<const std::string>(
        R"({"stream":")" + binance_.depthStream() + R"(","data":{"e":"depthUpdate","E":17,"U":)");
    const auto kraken = std::make_shared<const std::string>(
        R"({"channel":"book","type":"update","data":[{"symbol":")" + kraken_.symbol() +
        R"(","bids":[{"price":)");
    const auto sessions = liveSessions();
    for (const auto& session : sessions)
        session->send(session->venue() == WsVenue::Kraken ? kraken : binance);
    faults_.injected(FaultKind::Malformed);
    return sessions.size();
}

std::size_t Exchange::sendHuge(std::size_t bytes) {
    // Valid JSON of exactly `bytes` when it fits ({"pad":"xx..."}), plain filler otherwise.
    constexpr std::string_view kHead = R"({"pad":")";
    constexpr std::string_view kTail = R"("})";
    std::string text;
    if (bytes >= kHead.size() + kTail.size()) {
        text.reserve(bytes);
        text += kHead;
        text.append(bytes - kHead.size() - kTail.size(), 'x');
        text += kTail;
    } else {
        text.assign(bytes, 'x');
    }
    const auto message = std::make_shared<const std::string>(std::move(text));
    const auto sessions = liveSessions();
    for (const auto& session : sessions)
        session->send(message);
    faults_.injected(FaultKind::Huge);
    return sessions.size();
}

std::size_t Exchange::serverShutdown(std::chrono::milliseconds grace) {
    // Binance's documented shapes (web-socket-streams.md, "Server Shutdown"): the raw event, and
    // on a combined stream the envelope with the stream name "!serverShutdown".
    std::string raw = R"({"e":"serverShutdown","E":)";
    raw += std::to_string(wallNowNs() / 1'000'000);
    raw += '}';
    std::string combined;
    BinanceFeed::envelope("!serverShutdown", raw, combined);
    const auto rawMessage = std::make_shared<const std::string>(std::move(raw));
    const auto combinedMessage = std::make_shared<const std::string>(std::move(combined));
    std::vector<std::weak_ptr<WsSession>> closing;
    for (const auto& session : liveSessions()) {
        if (session->venue() != WsVenue::Binance) continue;
        session->send(session->binance.combined ? combinedMessage : rawMessage);
        closing.push_back(session);
    }
    const std::size_t announced = closing.size();
    auto timer = std::make_shared<boost::asio::steady_timer>(io_, grace);
    shutdownTimers_.push_back(timer);
    timer->async_wait([this, timer, closing = std::move(closing)](boost::system::error_code ec) {
        if (ec) return;
        for (const auto& weak : closing)
            if (auto session = weak.lock()) session->closeGracefully();
        std::erase(shutdownTimers_, timer);
    });
    return announced;
}

void Exchange::stall(std::chrono::milliseconds duration) {
    stallUntil_ = std::chrono::steady_clock::now() + duration;
    faults_.injected(FaultKind::Stall);
    stallTimer_.expires_at(stallUntil_);
    stallTimer_.async_wait([this](boost::system::error_code ec) {
        if (ec || stalled()) return;
        for (const auto& session : liveSessions())
            session->resumeWrites();
    });
}

void Exchange::onHttpSession(const std::shared_ptr<HttpSession>& session) {
    std::erase_if(httpSessions_, [](const auto& weak) { return weak.expired(); });
    httpSessions_.push_back(session);
}

std::size_t Exchange::closeIdleHttp() {
    std::size_t closed = 0;
    for (const auto& weak : httpSessions_) {
        if (const auto session = weak.lock(); session && session->closeIfIdle()) ++closed;
    }
    stats_.idleClosed += closed;
    faults_.injected(FaultKind::CloseIdle);
    return closed;
}

std::string Exchange::useCertificate(const std::string& chainPath, const std::string& keyPath) {
    if (!tls_) return "no TLS context";
    boost::system::error_code ec;
    tls_->use_certificate_chain_file(chainPath, ec);
    if (ec) return "certificate chain '" + chainPath + "': " + ec.message();
    tls_->use_private_key_file(keyPath, boost::asio::ssl::context::pem, ec);
    if (ec) return "private key '" + keyPath + "': " + ec.message();
    return {};
}

std::string Exchange::statsJson() const {
    auto field = [](std::string& out, const char* name, std::uint64_t value) {
        out += '"';
        out += name;
        out += "\":";
        out += std::to_string(value);
    };
    std::size_t open = 0;
    for (const auto& weak : sessions_) {
        const auto session = weak.lock();
        if (session && session->isOpen()) ++open;
    }
    std::string out = R"({"connections":{)";
    field(out, "accepted", stats_.accepted);
    out += ',';
    field(out, "tlsHandshakes", stats_.tlsHandshakes);
    out += ',';
    field(out, "restHangups", stats_.restHangups);
    out += ',';
    field(out, "idleClosed", stats_.idleClosed);
    out += ',';
    field(out, "wsOpen", open);
    out += ',';
    field(out, "wsOpened", stats_.wsOpened);
    out += ',';
    field(out, "tlsRefused", stats_.tlsRefused);
    out += ',';
    field(out, "tlsFailed", stats_.tlsFailed);
    out += ',';
    field(out, "dropped", stats_.wsDropped);
    out += ',';
    field(out, "overflow", stats_.wsOverflow);
    out += "},";
    field(out, "restRequests", stats_.restRequests);
    out += ',';
    field(out, "messagesSent", stats_.messagesSent);
    out += ',';
    field(out, "bytesSent", stats_.bytesSent);
    out += ',';
    field(out, "messagesReceived", stats_.messagesReceived);
    out += ',';
    field(out, "depthEvents", stats_.depthEvents);
    out += ',';
    field(out, "krakenUpdates", stats_.krakenUpdates);
    out += ',';
    field(out, "sourceEvents", stats_.sourceEvents);
    out += ',';
    field(out, "sourceRejected", scenario_->rejected());
    out += ',';
    field(out, "trades", market_.tradeCount());
    out += ',';
    field(out, "lastUpdateId", market_.lastUpdateId());
    const SpotOrderStats& orders = spotOrders_.stats();
    out += R"(,"orders":{)";
    field(out, "signedRequests", orders.signedRequests);
    out += ',';
    field(out, "rejected", orders.rejected);
    out += ',';
    field(out, "placed", orders.placed);
    out += ',';
    field(out, "cancelled", orders.cancelled);
    out += '}';
    out += R"(,"paused":)";
    out += paused_ ? "true" : "false";
    out += R"(,"scenarioFinished":)";
    out += scenario_->finished() ? "true" : "false";
    out += R"(,"faultsInjected":{)";
    field(out, "total", faults_.injectedTotal());
    for (std::size_t i = 0; i < kFaultKinds; ++i) {
        out += ',';
        field(out, faultName(static_cast<FaultKind>(i)),
              faults_.injectedCount(static_cast<FaultKind>(i)));
    }
    out += "}}";
    return out;
}

}  // namespace flowscope::exchange

namespace flowscope::exchange {

boost::beast::http::response<boost::beast::http::string_body> Exchange::handleRest(
    const boost::beast::http::request<boost::beast::http::string_body>& request) {
    return binanceRest(*this, request);
}

std::optional<WsRoute> Exchange::routeWebSocket(std::string_view target) {
    return routeWebSocketTarget(target, binance_);
}

}  // namespace flowscope::exchange
