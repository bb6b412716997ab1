#pragma once
// What a connection asks of the exchange: the interface between the transport (listener, HTTP and
// WebSocket sessions) and the market side, so the sessions know nothing of books or protocols.

#include <boost/beast/http.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

namespace flowscope::exchange {

class HttpSession;
class WsSession;

/// Which protocol a WebSocket speaks, and what a Binance URL subscribed to.
enum class WsVenue : std::uint8_t { Binance, Kraken };

/// Binance USD-M routes its streams by category (2026-03-06): depth on /public, trades on
/// /market; the legacy root (/ws, /stream) and a stream on the wrong category get nothing.
enum class BinanceCategory : std::uint8_t { Spot, Public, Market, Legacy };

struct BinanceSubscription {
    BinanceCategory category = BinanceCategory::Spot;
    bool depth = false;
    bool trade = false;
    bool combined = false;  ///< /stream?streams=...: frames wrapped in {"stream":..,"data":..}
};

struct KrakenSubscription {
    int bookDepth = 0;  ///< 0: not subscribed to `book`
    bool trade = false;
};

struct WsRoute {
    WsVenue venue = WsVenue::Binance;
    BinanceSubscription binance;
};

struct ExchangeStats {
    std::uint64_t accepted = 0;       ///< TCP connections accepted
    std::uint64_t tlsHandshakes = 0;  ///< TLS handshakes completed (one per usable connection)
    std::uint64_t restHangups = 0;    ///< REST requests carried out but never answered
    std::uint64_t idleClosed = 0;     ///< HTTP connections closed while idle (`fault close-idle`)
    std::uint64_t tlsRefused = 0;     ///< handshakes aborted by `fault refuse-tls`
    std::uint64_t tlsFailed = 0;      ///< handshakes that failed on their own
    std::uint64_t wsOpened = 0;       ///< WebSocket upgrades accepted
    std::uint64_t wsDropped = 0;      ///< closed by `fault drop`
    std::uint64_t wsOverflow = 0;     ///< closed because their send queue overflowed
    std::uint64_t restRequests = 0;
    std::uint64_t messagesSent = 0;  ///< WebSocket frames written
    std::uint64_t bytesSent = 0;
    std::uint64_t messagesReceived = 0;
    std::uint64_t depthEvents = 0;    ///< Binance diff events produced (before faults)
    std::uint64_t krakenUpdates = 0;  ///< Kraken book update messages produced
    std::uint64_t sourceEvents = 0;   ///< scenario events applied
};

class ConnectionHost {
  public:
    virtual ~ConnectionHost() = default;

    /// True when this TLS handshake must be refused (`fault refuse-tls`); consumes the fault.
    virtual bool takeRefuseTls() = 0;
    /// A new HTTP connection (kept as a weak reference, for `fault close-idle`).
    virtual void onHttpSession(const std::shared_ptr<HttpSession>& session) = 0;
    /// True when this REST request must go unanswered (`fault rest-hangup`); consumes the fault.
    virtual bool takeRestHangup() = 0;
    /// True when this REST answer must close the connection (`fault rest-close`); consumes it.
    virtual bool takeRestClose() = 0;
    virtual boost::beast::http::response<boost::beast::http::string_body> handleRest(
        const boost::beast::http::request<boost::beast::http::string_body>& request) = 0;
    /// The protocol behind an upgrade target, or nullopt for an unknown path (answered 404).
    virtual std::optional<WsRoute> routeWebSocket(std::string_view target) = 0;
    virtual void onWsOpen(const std::shared_ptr<WsSession>& session) = 0;
    virtual void onWsMessage(WsSession& session, std::string_view text) = 0;
    /// `fault stall`: sessions write nothing while true.
    virtual bool stalled() const = 0;
    virtual ExchangeStats& stats() = 0;
};

}  // namespace flowscope::exchange
