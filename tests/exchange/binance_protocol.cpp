#include "binance_protocol.h"

#include <simdjson.h>

#include <charconv>

#include "exchange.h"
#include "ws_session.h"

namespace flowscope::exchange {

namespace http = boost::beast::http;

namespace {

constexpr std::size_t kMaxDepthLimit = 5000;  // Binance truncates larger limits to this
constexpr std::size_t kDefaultDepthLimit = 100;
constexpr std::size_t kDefaultFuturesDepthLimit = 500;

struct Target {
    std::string_view path;
    std::string_view query;
};

Target splitTarget(std::string_view target) {
    const auto mark = target.find('?');
    if (mark == std::string_view::npos) return {target, {}};
    return {target.substr(0, mark), target.substr(mark + 1)};
}

std::optional<std::string_view> queryParam(std::string_view query, std::string_view name) {
    while (!query.empty()) {
        const auto amp = query.find('&');
        const std::string_view pair = query.substr(0, amp);
        const auto eq = pair.find('=');
        if (pair.substr(0, eq) == name)
            return eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1);
        if (amp == std::string_view::npos) break;
        query.remove_prefix(amp + 1);
    }
    return std::nullopt;
}

http::response<http::string_body> json(http::status status, unsigned version, std::string body) {
    http::response<http::string_body> response{status, version};
    response.set(http::field::content_type, "application/json;charset=UTF-8");
    response.set("x-mbx-used-weight-1m", "1");
    response.body() = std::move(body);
    return response;
}

std::string binanceError(int code, std::string_view message) {
    return R"({"code":)" + std::to_string(code) + R"(,"msg":")" + std::string(message) + "\"}";
}

/// Binance USD-M's /fapi/v1/depth accepts only these limits (default 500).
bool validFuturesLimit(std::size_t limit) {
    for (std::size_t allowed : {5, 10, 20, 50, 100, 500, 1000})
        if (limit == allowed) return true;
    return false;
}

http::response<http::string_body> depth(Exchange& exchange, std::string_view query,
                                        unsigned version) {
    const bool usdm = exchange.binanceFeed().usdm();
    const auto symbol = queryParam(query, "symbol");
    if (!symbol || symbol->empty())
        return json(http::status::bad_request, version,
                    binanceError(-1102,
                                 "Mandatory parameter 'symbol' was not sent, was empty/null, "
                                 "or malformed."));
    if (*symbol != exchange.binanceFeed().symbol())
        return json(http::status::bad_request, version, binanceError(-1121, "Invalid symbol."));
    std::size_t limit = usdm ? kDefaultFuturesDepthLimit : kDefaultDepthLimit;
    if (const auto text = queryParam(query, "limit")) {
        const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), limit);
        if (ec != std::errc() || end != text->data() + text->size() || limit == 0)
            return json(http::status::bad_request, version,
                        binanceError(-1100,
                                     "Illegal characters found in parameter 'limit'; "
                                     "legal range is '^[0-9]{1,20}$'."));
        if (usdm && !validFuturesLimit(limit))
            return json(http::status::bad_request, version,
                        binanceError(-1130, "Data sent for parameter 'limit' is not valid."));
        limit = std::min(limit, kMaxDepthLimit);
    }
    Faults& faults = exchange.faults();
    if (faults.take(FaultKind::RestError)) {
        // Binance: 429/418 mean request weight exceeded (-1003); a 5XX is Binance's own failure.
        const auto status = static_cast<http::status>(faults.restErrorStatus);
        const bool weight = faults.restErrorStatus == 429 || faults.restErrorStatus == 418;
        auto response = json(status, version,
                             weight ? binanceError(-1003,
                                                   "Too much request weight used; current limit "
                                                   "is 6000 request weight per 1 MINUTE.")
                                    : binanceError(-1000,
                                                   "An unknown error occurred while processing "
                                                   "the request."));
        if (weight) response.set(http::field::retry_after, "1");
        return response;
    }
    std::string body;
    if (faults.take(FaultKind::StaleSnapshot)) {
        BookView stale = exchange.market().oldestRemembered();
        if (stale.bids.size() > limit) stale.bids.resize(limit);
        if (stale.asks.size() > limit) stale.asks.resize(limit);
        exchange.binanceFeed().snapshotJson(stale, body);
    } else {
        exchange.binanceFeed().snapshotJson(exchange.market().view(limit), body);
    }
    return json(http::status::ok, version, std::move(body));
}

/// Streams of a Binance URL ("a/b/c"); false if one is not served here.
bool addStreams(std::string_view list, const BinanceFeed& feed, BinanceSubscription& sub) {
    while (!list.empty()) {
        const auto slash = list.find('/');
        const std::string_view stream = list.substr(0, slash);
        if (stream == feed.depthStream())
            sub.depth = true;
        else if (stream == feed.tradeStream())
            sub.trade = true;
        else
            return false;
        if (slash == std::string_view::npos) break;
        list.remove_prefix(slash + 1);
    }
    return true;
}

void reply(WsSession& session, std::string_view id, std::string_view result) {
    std::string text = R"({"result":)";
    text += result;
    text += R"(,"id":)";
    text += id;
    text += '}';
    session.send(std::move(text));
}

void replyError(WsSession& session, int code, std::string_view message, std::string_view id) {
    std::string text = R"({"error":{"code":)" + std::to_string(code) + R"(,"msg":")";
    text += message;
    text += R"("},"id":)";
    text += id.empty() ? "null" : id;
    text += '}';
    session.send(std::move(text));
}

}  // namespace

http::response<http::string_body> binanceRest(Exchange& exchange,
                                              const http::request<http::string_body>& request) {
    const unsigned version = request.version();
    const Target target = splitTarget(request.target());
    if (SpotOrders::serves(target.path))
        return exchange.spotOrders().handle(exchange.market(), request);
    if (request.method() != http::verb::get)
        return json(http::status::method_not_allowed, version,
                    binanceError(-1, "Only GET is served here."));
    // One Binance market per process, as fapi.binance.com and api.binance.com are two hosts.
    const std::string_view api = exchange.binanceFeed().usdm() ? "/fapi/v1/" : "/api/v3/";
    const std::string_view path =
        target.path.starts_with(api) ? target.path.substr(api.size()) : std::string_view("(other)");
    if (path == "depth") return depth(exchange, target.query, version);
    if (path == "ping") return json(http::status::ok, version, "{}");
    if (path == "time")
        return json(http::status::ok, version,
                    R"({"serverTime":)" + std::to_string(wallNowNs() / 1'000'000) + "}");
    return json(http::status::not_found, version, binanceError(-1, "Unknown endpoint."));
}

std::optional<WsRoute> routeWebSocketTarget(std::string_view target, const BinanceFeed& feed) {
    Target parts = splitTarget(target);
    WsRoute route;
    if (parts.path == "/v2") {
        route.venue = WsVenue::Kraken;
        return route;
    }
    route.venue = WsVenue::Binance;
    if (feed.usdm()) {
        // fstream.binance.com since 2026-03-06: /public (depth, bookTicker), /market (aggTrade,
        // markPrice, ...); the root paths were retired on 2026-04-23 and stay silent.
        route.binance.category = BinanceCategory::Legacy;
        for (const auto& [prefix, category] :
             {std::pair{std::string_view("/public"), BinanceCategory::Public},
              std::pair{std::string_view("/market"), BinanceCategory::Market}}) {
            if (parts.path.starts_with(prefix) &&
                (parts.path.size() == prefix.size() || parts.path[prefix.size()] == '/')) {
                route.binance.category = category;
                parts.path.remove_prefix(prefix.size());
                break;
            }
        }
    }
    if (parts.path == "/ws" || parts.path == "/ws/") return route;
    if (parts.path.starts_with("/ws/")) {
        if (!addStreams(parts.path.substr(4), feed, route.binance)) return std::nullopt;
        return route;
    }
    if (parts.path == "/stream") {
        route.binance.combined = true;
        const auto streams = queryParam(parts.query, "streams");
        if (streams && !addStreams(*streams, feed, route.binance)) return std::nullopt;
        return route;
    }
    return std::nullopt;
}

void handleBinanceMessage(Exchange& exchange, WsSession& session, std::string_view text) {
    static simdjson::dom::parser parser;  // the io thread is the only caller
    simdjson::dom::element doc;
    if (parser.parse(text.data(), text.size()).get(doc) != simdjson::SUCCESS || !doc.is_object())
        return replyError(session, 3, "Invalid JSON: expected an object", {});
    std::string id = "null";
    simdjson::dom::element idValue;
    if (doc["id"].get(idValue) == simdjson::SUCCESS) id = simdjson::minify(idValue);
    std::string_view method;
    if (doc["method"].get(method) != simdjson::SUCCESS)
        return replyError(session, 2, "Invalid request: missing field `method`", id);
    BinanceSubscription& sub = session.binance;
    const BinanceFeed& feed = exchange.binanceFeed();
    if (method == "LIST_SUBSCRIPTIONS") {
        std::string list = "[";
        if (sub.depth) list += '"' + feed.depthStream() + '"';
        if (sub.trade) list += std::string(sub.depth ? "," : "") + '"' + feed.tradeStream() + '"';
        list += ']';
        return reply(session, id, list);
    }
    if (method != "SUBSCRIBE" && method != "UNSUBSCRIBE")
        return replyError(session, 2, "Invalid request: unknown method", id);
    simdjson::dom::array params;
    if (doc["params"].get(params) != simdjson::SUCCESS)
        return replyError(session, 2, "Invalid request: `params` must be an array", id);
    const bool on = method == "SUBSCRIBE";
    for (simdjson::dom::element param : params) {
        std::string_view stream;
        if (param.get(stream) != simdjson::SUCCESS)
            return replyError(session, 1, "Invalid value type: expected a stream name", id);
        // Like Binance, a well-formed name this server does not publish is accepted and silent.
        if (stream == feed.depthStream()) sub.depth = on;
        if (stream == feed.tradeStream()) sub.trade = on;
    }
    reply(session, id, "null");
}

}  // namespace flowscope::exchange
