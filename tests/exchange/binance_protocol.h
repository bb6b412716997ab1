#pragma once
// Binance spot's request side: the REST endpoints (/api/v3/depth, /api/v3/ping, /api/v3/time),
// the WebSocket URLs (/ws/<stream>[/<stream>], /stream?streams=a/b) and the live SUBSCRIBE /
// UNSUBSCRIBE / LIST_SUBSCRIPTIONS requests. Also routes Kraken's /v2.

#include <boost/beast/http.hpp>

#include <optional>
#include <string_view>

#include "connection_host.h"

namespace flowscope::exchange {

class Exchange;
class BinanceFeed;

boost::beast::http::response<boost::beast::http::string_body> binanceRest(
    Exchange& exchange,
    const boost::beast::http::request<boost::beast::http::string_body>& request);

/// "/v2" is Kraken; "/ws/..." and "/stream?streams=..." Binance. Nullopt for anything else,
/// including a stream this exchange does not serve.
std::optional<WsRoute> routeWebSocketTarget(std::string_view target, const BinanceFeed& feed);

void handleBinanceMessage(Exchange& exchange, WsSession& session, std::string_view text);

}  // namespace flowscope::exchange
