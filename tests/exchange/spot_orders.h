#pragma once
// Binance spot's signed endpoints on the loopback exchange: POST/DELETE/GET /api/v3/order,
// GET/DELETE /api/v3/openOrders, GET /api/v3/account. Requests are authenticated as Binance does
// it: X-MBX-APIKEY must be the key given with --api-key, `signature` the HMAC-SHA256 (keyed with
// --api-secret) of the exact parameter text (query string, then the body, concatenated), and
// `timestamp` within `recvWindow` of the exchange's clock (and at most 1 s ahead). Errors are
// Binance's codes and messages, so a client's reject handling is tested for real.
//
// Orders live in one list for the process: a limit order that does not cross rests until
// cancelled; a market order, or a limit that crosses, fills at once at the book's touch (the
// synthetic flow never trades against them). Balances start at 10 base / 1,000,000 quote and
// move with the fills.
//
// Threading: the exchange's io thread.

#include <boost/beast/http.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "market.h"
#include "wire_format.h"

namespace flowscope::exchange {

struct SpotOrderStats {
    std::uint64_t signedRequests = 0;  ///< requests to the signed endpoints, accepted or not
    std::uint64_t usedWeight = 0;  ///< Binance request weight of those requests (never reset here)
    std::uint64_t rejected = 0;    ///< answered with an error
    std::uint64_t placed = 0;      ///< orders accepted
    std::uint64_t cancelled = 0;
};

class SpotOrders {
  public:
    /// Empty key or secret: every signed request is refused with -2015.
    SpotOrders(std::string symbol, WireFormat wire, std::string apiKey, std::string apiSecret);

    static bool serves(std::string_view path);
    boost::beast::http::response<boost::beast::http::string_body> handle(
        const Market& market,
        const boost::beast::http::request<boost::beast::http::string_body>& request);

    const SpotOrderStats& stats() const { return stats_; }
    /// Fills every resting order in full at its own limit price, as if the market had traded
    /// through them (`fill-resting`: the synthetic flow never does). Returns how many.
    std::size_t fillResting();

  private:
    struct Order {
        std::uint64_t orderId = 0;
        std::string clientOrderId;
        bool buy = true;
        std::string type;          ///< LIMIT, LIMIT_MAKER, MARKET
        std::string timeInForce;   ///< GTC, IOC, or empty for MARKET / LIMIT_MAKER
        PriceTicks price = 0;      ///< 0 for MARKET
        PriceTicks fillPrice = 0;  ///< the touch it filled at
        Lots qty = 0;
        Lots executed = 0;
        WideInt quoteUnits = 0;  ///< executed notional in price-tick x lot units
        std::string status;
        std::int64_t timeMs = 0;
    };
    struct Params;
    struct Answer {
        boost::beast::http::status status;
        std::string body;
    };

    Answer authenticate(const boost::beast::http::request<boost::beast::http::string_body>& request,
                        const Params& params, std::int64_t nowMs) const;
    Answer place(const Market& market, const Params& params, std::int64_t nowMs);
    /// The order a DELETE or GET /api/v3/order names (orderId, or origClientOrderId).
    struct OrderTarget {
        const std::string* orderId = nullptr;
        const std::string* clientOrderId = nullptr;
    };
    /// Reads the symbol and the order's name as Binance does; its error answer when either is
    /// missing or wrong.
    std::optional<Answer> readOrderTarget(const Params& params, OrderTarget& out) const;
    Answer cancel(const Params& params, std::int64_t nowMs);
    /// GET /api/v3/order: any order of the process, open or done (filled, cancelled, expired).
    Answer query(const Params& params) const;
    /// DELETE /api/v3/openOrders: every open order of the symbol, whoever placed it.
    Answer cancelAll(const Params& params, std::int64_t nowMs);
    Answer openOrders(const Params& params) const;
    Answer account() const;

    enum class Shape : std::uint8_t { Full, Listed, Cancelled };
    void appendOrder(std::string& out, const Order& order, Shape shape) const;
    void appendQuote(std::string& out, WideInt units) const;
    void fill(Order& order, PriceTicks price);

    std::string symbol_;
    WireFormat wire_;
    std::string apiKey_;
    std::string apiSecret_;
    std::map<std::uint64_t, Order> orders_;  ///< every order, by orderId
    std::uint64_t nextOrderId_ = 5'000'000;
    Lots baseLots_ = 0;
    WideInt quoteUnits_ = 0;  ///< in price-tick x lot units, exact
    SpotOrderStats stats_;
};

}  // namespace flowscope::exchange
