#pragma once
// The exchange: one authoritative market moved by a scenario at --rate, published to every
// connected client in Binance's and Kraken's wire formats, with faults injected on request.
// It is the ConnectionHost of the transport and the target of the control channel.
//
// Threading: everything runs on the one io thread; the control channel posts its lines there.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "binance_feed.h"
#include "connection_host.h"
#include "exchange_options.h"
#include "faults.h"
#include "kraken_feed.h"
#include "market.h"
#include "scenario.h"
#include "spot_orders.h"

namespace flowscope::exchange {

class Exchange : public ConnectionHost, private MarketListener {
  public:
    Exchange(boost::asio::io_context& io, const ExchangeOptions& options,
             std::unique_ptr<Scenario> scenario);

    /// Loads the scenario's starting book, applies 10 source events unseen by the feeds (the
    /// market has a past, so a stale snapshot exists from the first client on) and starts the
    /// timers.
    void start();
    /// Cancels the timers and resets every WebSocket (for `quit`).
    void stop();

    // ConnectionHost
    bool takeRefuseTls() override { return faults_.take(FaultKind::RefuseTls); }
    void onHttpSession(const std::shared_ptr<HttpSession>& session) override;
    bool takeRestHangup() override { return faults_.take(FaultKind::RestHangup); }
    bool takeRestClose() override { return faults_.take(FaultKind::RestClose); }
    boost::beast::http::response<boost::beast::http::string_body> handleRest(
        const boost::beast::http::request<boost::beast::http::string_body>& request) override;
    std::optional<WsRoute> routeWebSocket(std::string_view target) override;
    void onWsOpen(const std::shared_ptr<WsSession>& session) override;
    void onWsMessage(WsSession& session, std::string_view text) override;
    bool stalled() const override;
    ExchangeStats& stats() override { return stats_; }

    // Control channel
    void pause() { paused_ = true; }
    void resume() { paused_ = false; }
    bool paused() const { return paused_; }
    Faults& faults() { return faults_; }
    /// `mute public|market` / `unmute ...`: the USD-M sessions of that category stay open (and
    /// answer requests and pings) but get no stream data, as a stalled route of Binance's would.
    void setMuted(BinanceCategory category, bool muted);
    /// `book N`: the top N of the server's book in the REST snapshot's shape.
    std::string bookJson(std::size_t depth) const;
    std::string statsJson() const;
    /// Immediate faults; each returns how many connections it reached.
    std::size_t dropWebSockets();
    std::size_t sendMalformed();
    std::size_t sendHuge(std::size_t bytes);
    void stall(std::chrono::milliseconds duration);
    /// `server-shutdown`: Binance's serverShutdown event on every open Binance spot WebSocket
    /// now, in the session's shape (bare on /ws, {"stream":"!serverShutdown","data":..} on
    /// /stream); after `grace` each of them is closed (1001 going away). Data flows meanwhile,
    /// and new connections are served as usual (another server of Binance's takes them).
    std::size_t serverShutdown(std::chrono::milliseconds grace);
    /// `fault close-idle`: closes every HTTP connection waiting for its next request.
    std::size_t closeIdleHttp();
    /// The TLS context new connections handshake with (the listener's).
    void setTlsContext(boost::asio::ssl::context* tls) { tls_ = tls; }
    /// `tls-cert`: new handshakes present this chain and key; empty on success, else why not.
    std::string useCertificate(const std::string& chainPath, const std::string& keyPath);

    // Used by the protocol handlers
    const Market& market() const { return market_; }
    BinanceFeed& binanceFeed() { return binance_; }
    KrakenFeed& krakenFeed() { return kraken_; }
    SpotOrders& spotOrders() { return spotOrders_; }
    const ExchangeOptions& options() const { return options_; }
    /// Publishes the Kraken messages pending since the last generation tick, so that a new
    /// subscriber's snapshot is exactly the window the next updates are computed from.
    void flushKraken();

  private:
    enum class BinanceStream : std::uint8_t { Depth, Trade };

    void onBookChange(const BookChange& change) override;
    void onTrade(const Trade& trade) override;

    void scheduleGeneration();
    void onGenerationTick();
    void scheduleDepth();
    void onDepthTick();
    void scheduleSecond();
    void onSecondTick();

    void publishBinance(BinanceStream stream, const std::string& data);
    /// Live sessions, expired ones forgotten.
    std::vector<std::shared_ptr<WsSession>> liveSessions();

    boost::asio::io_context& io_;
    ExchangeOptions options_;
    std::unique_ptr<Scenario> scenario_;
    Market market_;
    BinanceFeed binance_;
    KrakenFeed kraken_;
    SpotOrders spotOrders_;
    Faults faults_;
    bool mutedPublic_ = false;
    bool mutedMarket_ = false;
    ExchangeStats stats_;
    std::vector<std::weak_ptr<WsSession>> sessions_;
    std::vector<std::weak_ptr<HttpSession>> httpSessions_;
    boost::asio::ssl::context* tls_ = nullptr;

    boost::asio::steady_timer generationTimer_;
    boost::asio::steady_timer depthTimer_;
    boost::asio::steady_timer secondTimer_;
    boost::asio::steady_timer stallTimer_;
    /// One per `server-shutdown` whose grace has not ended.
    std::vector<std::shared_ptr<boost::asio::steady_timer>> shutdownTimers_;
    std::chrono::steady_clock::time_point lastGeneration_;
    std::chrono::steady_clock::time_point stallUntil_{};
    double eventCredit_ = 0;  ///< fractional source events owed at --rate
    bool paused_ = false;
    bool stopped_ = false;
    std::optional<std::string> heldDepthEvent_;  ///< `fault reorder`: sent after the next one
    std::string scratch_;
    std::vector<std::string> krakenUpdates_;
};

}  // namespace flowscope::exchange
