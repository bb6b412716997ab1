#pragma once
/// Binance spot order entry over REST: POST/DELETE/GET /api/v3/order, GET/DELETE
/// /api/v3/openOrders and
/// /api/v3/account, each signed (HMAC-SHA256 over the exact query string, X-MBX-APIKEY header,
/// timestamp in venue time via the offset from GET /api/v3/time, recvWindow). Every order passes
/// the RiskCheck before anything is sent, and no request goes out that would break the minute's
/// request-weight budget. Answers are data: a venue reject carries Binance's code and message.
///
/// Connection: one persistent TLS connection to the venue (net::HttpsClient keep-alive), opened
/// when the gateway is made and kept warm (reopened whenever the idle one closes), so an order
/// is written at once instead of after a TCP + TLS handshake. A request whose connection dies
/// before any answer is sent again only when it is a GET; a POST order or a DELETE cancel is
/// reported as a NetworkError (its outcome unknown: the order entry asks the venue by client
/// order id) and never re-sent.
///
/// Threading: every call and callback on the EventLoop's thread. Requests go one at a time in
/// call order (the HTTPS client carries one exchange at a time, on one connection: a cancel
/// queued behind an order waits for that order's answer, one round trip); each is signed when
/// it leaves, so a queued request never carries a stale timestamp.

#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "net/event_loop.h"
#include "net/https_client.h"
#include "trading/api_keys.h"
#include "trading/order.h"
#include "trading/query_string.h"
#include "trading/request_weight.h"
#include "trading/risk_limits.h"

namespace flowscope::trading {

struct BinanceReply {
    enum class Kind : std::uint8_t {
        Ok,            ///< HTTP 2xx; `body` is the venue's JSON
        VenueReject,   ///< the venue refused: `code` and `message` are Binance's
        Refused,       ///< refused here, nothing sent: a risk rule or the weight budget
        NetworkError,  ///< no answer (connect, TLS, timeout) or an unreadable one
    };
    Kind kind = Kind::NetworkError;
    int httpStatus = 0;
    int code = 0;                      ///< Binance's error code (VenueReject)
    std::string message;               ///< Binance's msg, the risk rule's message, or what failed
    std::string body;                  ///< the answer as received
    std::optional<RiskRule> riskRule;  ///< set when a risk rule refused it
    bool ok() const { return kind == Kind::Ok; }
};

struct BinanceGatewayConfig {
    std::string restUrl = "https://api.binance.com";  ///< scheme://host[:port]
    net::TlsConfig tls;
    std::int64_t recvWindowMs = 5000;
    int weightLimitPerMinute = 6000;  ///< Binance spot's REQUEST_WEIGHT per minute
    int weightReserve = 100;          ///< kept free for cancels and other programs on the IP
    TimeNs timeoutNs = 10'000'000'000;
    bool keepAlive = true;  ///< false: a new TCP + TLS connection for every request
    /// Also reopen the connection whenever the idle one closes (server close, idle timeout).
    bool keepWarm = true;
    TimeNs idleTimeoutNs = net::HttpsClient::kDefaultIdleTimeoutNs;
};

/// When one request went out, on the steady clock (ns since its epoch; 0: not reached).
struct RequestTiming {
    TimeNs queuedSteadyNs = 0;       ///< the call that queued it (e.g. placeOrder)
    TimeNs writeIssuedSteadyNs = 0;  ///< its write started on an open TLS connection
    TimeNs writtenSteadyNs = 0;      ///< that write completed (its handler ran)
    TimeNs answeredSteadyNs = 0;     ///< the answer (or failure) reached the gateway
    bool reusedConnection = false;   ///< written on a connection opened before it
};

class BinanceRestGateway {
  public:
    using Callback = std::function<void(BinanceReply reply)>;

    /// The instrument (symbol, tick and lot) is the RiskCheck's. Throws std::invalid_argument on
    /// a rest URL that does not parse.
    BinanceRestGateway(net::EventLoop& loop, BinanceGatewayConfig config,
                       ApiCredentials credentials, RiskCheck risk);

    /// GET /api/v3/time; on success the server-time offset is set from the round trip's middle.
    void syncTime(Callback done);
    std::int64_t serverTimeOffsetMs() const { return offsetMs_; }
    void setServerTimeOffsetMs(std::int64_t offsetMs) { offsetMs_ = offsetMs; }

    /// GET /api/v3/depth?symbol=S&limit=5 (unsigned): the touch for a RiskContext.
    void fetchTouch(Callback done);
    /// Checks `request` against the risk limits in `context`; if it passes, sends it as
    /// `clientOrderId` (newClientOrderId). Limit -> LIMIT GTC, ImmediateOrCancel -> LIMIT IOC,
    /// PostOnly -> LIMIT_MAKER, Market -> MARKET. newOrderRespType=FULL (fills in the answer).
    void placeOrder(const OrderRequest& request, const ClientOrderId& clientOrderId,
                    const RiskContext& context, Callback done);
    /// Every parameter is percent-encoded (QueryString); a client order id outside Binance's
    /// `^[.A-Z:/a-z0-9_-]{1,36}$` is refused (Kind::Refused) and nothing is sent.
    /// DELETE /api/v3/order by the venue's order id, or by the client order id.
    void cancelOrder(std::uint64_t orderId, Callback done);
    void cancelOrder(const ClientOrderId& clientOrderId, Callback done);
    /// GET /api/v3/order by client order id (weight 4): the order whatever its state (open,
    /// filled, cancelled, expired); Binance answers -2013 for an order it never took.
    void queryOrder(const ClientOrderId& clientOrderId, Callback done);
    /// DELETE /api/v3/openOrders (weight 1): every open order on the symbol, including those of
    /// other sessions and programs; Binance answers -2011 when none is open.
    void cancelAllOrders(Callback done);
    /// GET /api/v3/openOrders for the symbol.
    void openOrders(Callback done);
    /// GET /api/v3/account.
    void account(Callback done);

    RiskCheck& risk() { return risk_; }
    const RequestWeight& weight() const { return weight_; }
    /// Requests that left (answered or not).
    std::uint64_t requestsSent() const { return requestsSent_; }
    /// The last order (POST /api/v3/order) that got an answer or failed: where its time went.
    const RequestTiming& lastOrderTiming() const { return lastOrderTiming_; }
    /// Connections opened and reused so far.
    const net::HttpsClient::Stats& connectionStats() const { return client_.stats(); }

  private:
    struct Pending {
        std::string method;
        std::string path;
        QueryString params;  ///< without timestamp, recvWindow and signature; encoded
        bool signedRequest = false;
        int weight = 1;
        Callback done;
        TimeNs queuedSteadyNs = 0;
    };

    void enqueue(Pending pending);
    /// Refuses (from the loop) an id outside Binance's pattern; true when it did.
    bool refuseBadClientOrderId(const ClientOrderId& clientOrderId, Callback& done);
    const std::string& symbol() const;
    void sendNext();
    void finish(Pending& pending, net::HttpResponse response);
    std::int64_t venueNowMs() const;

    net::EventLoop& loop_;
    BinanceGatewayConfig config_;
    ApiCredentials credentials_;
    RiskCheck risk_;
    net::HttpsClient client_;
    RequestWeight weight_;
    std::deque<Pending> queue_;
    bool busy_ = false;
    std::int64_t offsetMs_ = 0;
    std::uint64_t requestsSent_ = 0;
    RequestTiming lastOrderTiming_;
};

/// Binance's {"code":-2010,"msg":"..."}; false when `body` is not that shape.
bool parseBinanceError(std::string_view body, int& code, std::string& message);
/// Best bid and ask of a /api/v3/depth answer into `context` (unset for an empty side); false on
/// a malformed answer or a price that is not a whole number of the instrument's ticks.
bool parseBinanceTouch(std::string_view body, const Instrument& instrument, RiskContext& context);
/// Number of orders in an /api/v3/openOrders answer, or -1 when it is not a JSON array.
int countBinanceOrders(std::string_view body);

}  // namespace flowscope::trading
