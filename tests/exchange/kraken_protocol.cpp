#include "kraken_protocol.h"

#include <simdjson.h>

#include <vector>

#include "exchange.h"
#include "ws_session.h"

namespace flowscope::exchange {

namespace {

constexpr int kDefaultBookDepth = 10;

/// What every response to a request carries: req_id when the client sent one, and the times.
struct RequestContext {
    std::string reqId;  ///< the raw JSON value, empty when absent
    std::string timeIn;
};

void appendTail(std::string& out, const RequestContext& request) {
    if (!request.reqId.empty()) {
        out += R"(,"req_id":)";
        out += request.reqId;
    }
    out += R"(,"time_in":")";
    out += request.timeIn;
    out += R"(","time_out":")";
    out += rfc3339(wallNowNs());
    out += "\"}";
}

void sendError(WsSession& session, const RequestContext& request, std::string_view method,
               std::string_view error, std::string_view symbol = {}) {
    std::string out = R"({"error":")";
    out += error;
    out += '"';
    if (!method.empty()) {
        out += R"(,"method":")";
        out += method;
        out += '"';
    }
    if (!symbol.empty()) {
        out += R"(,"symbol":")";
        out += symbol;
        out += '"';
    }
    out += R"(,"success":false)";
    appendTail(out, request);
    session.send(std::move(out));
}

void sendAck(WsSession& session, const RequestContext& request, std::string_view method,
             std::string_view channel, int depth, std::optional<bool> snapshot,
             std::string_view symbol) {
    std::string out = R"({"method":")";
    out += method;
    out += R"(","result":{"channel":")";
    out += channel;
    out += '"';
    if (depth > 0) out += R"(,"depth":)" + std::to_string(depth);
    if (snapshot) out += *snapshot ? R"(,"snapshot":true)" : R"(,"snapshot":false)";
    out += R"(,"symbol":")";
    out += symbol;
    out += R"("},"success":true)";
    appendTail(out, request);
    session.send(std::move(out));
}

void subscribe(Exchange& exchange, WsSession& session, const RequestContext& request,
               std::string_view channel, std::string_view symbol, int depth, bool snapshot) {
    KrakenSubscription& sub = session.kraken;
    if (channel == "book") {
        if (sub.bookDepth != 0)
            return sendError(session, request, "subscribe", "Already subscribed", symbol);
        // Bring everyone else up to date first: the snapshot must be the window the next update
        // is computed from.
        exchange.flushKraken();
        sub.bookDepth = depth;
        sendAck(session, request, "subscribe", channel, depth, snapshot, symbol);
        std::string book = exchange.krakenFeed().bookSnapshot(exchange.market().book(), depth);
        if (snapshot) session.send(std::move(book));
        return;
    }
    if (sub.trade) return sendError(session, request, "subscribe", "Already subscribed", symbol);
    exchange.flushKraken();  // pending prints go out as updates, not into this snapshot twice
    sub.trade = true;
    sendAck(session, request, "subscribe", channel, 0, snapshot, symbol);
    if (snapshot) session.send(exchange.krakenFeed().tradeSnapshot());
}

void unsubscribe(WsSession& session, const RequestContext& request, std::string_view channel,
                 std::string_view symbol) {
    KrakenSubscription& sub = session.kraken;
    if (channel == "book") {
        if (sub.bookDepth == 0)
            return sendError(session, request, "unsubscribe", "Subscription Not Found", symbol);
        const int depth = sub.bookDepth;
        sub.bookDepth = 0;
        return sendAck(session, request, "unsubscribe", channel, depth, std::nullopt, symbol);
    }
    if (!sub.trade)
        return sendError(session, request, "unsubscribe", "Subscription Not Found", symbol);
    sub.trade = false;
    sendAck(session, request, "unsubscribe", channel, 0, std::nullopt, symbol);
}

}  // namespace

void sendKrakenWelcome(Exchange& exchange, WsSession& session) {
    (void)exchange;
    std::string out =
        R"({"channel":"status","type":"update","data":[{"version":"2.0.0","system":"online",)"
        R"("api_version":"v2","connection_id":)";
    out += std::to_string(session.id());
    out += "}]}";
    session.send(std::move(out));
}

void handleKrakenMessage(Exchange& exchange, WsSession& session, std::string_view text) {
    static simdjson::dom::parser parser;  // the io thread is the only caller
    RequestContext request{{}, rfc3339(wallNowNs())};
    simdjson::dom::element doc;
    if (parser.parse(text.data(), text.size()).get(doc) != simdjson::SUCCESS || !doc.is_object())
        return sendError(session, request, {}, "Malformed request");
    simdjson::dom::element reqId;
    if (doc["req_id"].get(reqId) == simdjson::SUCCESS) request.reqId = simdjson::minify(reqId);
    std::string_view method;
    if (doc["method"].get(method) != simdjson::SUCCESS)
        return sendError(session, request, {}, "Method field is required");
    if (method == "ping") {
        std::string out = R"({"method":"pong")";
        appendTail(out, request);
        return session.send(std::move(out));
    }
    if (method != "subscribe" && method != "unsubscribe")
        return sendError(session, request, method, "Method not found");
    simdjson::dom::object params;
    std::string_view channel;
    if (doc["params"].get(params) != simdjson::SUCCESS ||
        params["channel"].get(channel) != simdjson::SUCCESS)
        return sendError(session, request, method, "Channel field is required");
    if (channel != "book" && channel != "trade")
        return sendError(session, request, method, "Channel not supported");
    simdjson::dom::array symbols;
    if (params["symbol"].get(symbols) != simdjson::SUCCESS)
        return sendError(session, request, method, "Symbol field must be an array of strings");
    std::int64_t depth = kDefaultBookDepth;
    if (channel == "book") {
        simdjson::dom::element value;
        if (params["depth"].get(value) == simdjson::SUCCESS &&
            (value.get(depth) != simdjson::SUCCESS || !KrakenFeed::validDepth(depth)))
            return sendError(session, request, method, "Invalid depth");
    }
    bool snapshot = channel == "book";  // Kraken's defaults: book true, trade false
    simdjson::dom::element snapshotValue;
    if (params["snapshot"].get(snapshotValue) == simdjson::SUCCESS &&
        snapshotValue.get(snapshot) != simdjson::SUCCESS)
        return sendError(session, request, method, "Snapshot field must be a boolean");
    for (simdjson::dom::element element : symbols) {
        std::string_view symbol;
        if (element.get(symbol) != simdjson::SUCCESS)
            return sendError(session, request, method, "Symbol field must be an array of strings");
        if (symbol != exchange.krakenFeed().symbol()) {
            sendError(session, request, method,
                      "Currency pair not supported " + std::string(symbol), symbol);
            continue;
        }
        if (method == "subscribe")
            subscribe(exchange, session, request, channel, symbol, static_cast<int>(depth),
                      snapshot);
        else
            unsubscribe(session, request, channel, symbol);
    }
}

}  // namespace flowscope::exchange
