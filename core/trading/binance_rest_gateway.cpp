#include "trading/binance_rest_gateway.h"

#include <simdjson.h>

#include <stdexcept>
#include <utility>

#include "book/clock.h"
#include "trading/binance_signer.h"
#include "trading/query_string.h"

namespace flowscope::trading {

namespace {

// Request weights from Binance's spot REST documentation.
constexpr int kWeightTime = 1;
constexpr int kWeightDepth = 5;  // limit 1..100
constexpr int kWeightOrder = 1;
constexpr int kWeightCancel = 1;
constexpr int kWeightQueryOrder = 4;
constexpr int kWeightCancelAll = 1;
constexpr int kWeightOpenOrders = 6;  // one symbol
constexpr int kWeightAccount = 20;

const char* binanceSide(Side side) {
    return side == Side::Bid ? "BUY" : "SELL";
}

BinanceReply refused(std::string message, std::optional<RiskRule> rule = std::nullopt) {
    BinanceReply reply;
    reply.kind = BinanceReply::Kind::Refused;
    reply.message = std::move(message);
    reply.riskRule = rule;
    return reply;
}

}  // namespace

bool parseBinanceError(std::string_view body, int& code, std::string& message) {
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    if (parser.parse(body.data(), body.size()).get(doc) != simdjson::SUCCESS) return false;
    std::int64_t value = 0;
    std::string_view text;
    if (doc["code"].get(value) != simdjson::SUCCESS || doc["msg"].get(text) != simdjson::SUCCESS)
        return false;
    code = static_cast<int>(value);
    message = text;
    return true;
}

bool parseBinanceTouch(std::string_view body, const Instrument& instrument, RiskContext& context) {
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    if (parser.parse(body.data(), body.size()).get(doc) != simdjson::SUCCESS) return false;
    auto best = [&](const char* side, std::optional<PriceTicks>& out) {
        simdjson::dom::array levels;
        if (doc[side].get(levels) != simdjson::SUCCESS) return false;
        out.reset();
        if (levels.size() == 0) return true;
        std::string_view price;
        if (levels.at(0).at(0).get(price) != simdjson::SUCCESS) return false;
        out = instrument.parsePrice(price);
        return out.has_value();
    };
    return best("bids", context.bestBid) && best("asks", context.bestAsk);
}

int countBinanceOrders(std::string_view body) {
    simdjson::dom::parser parser;
    simdjson::dom::array orders;
    if (parser.parse(body.data(), body.size()).get(orders) != simdjson::SUCCESS) return -1;
    return static_cast<int>(orders.size());
}

BinanceRestGateway::BinanceRestGateway(net::EventLoop& loop, BinanceGatewayConfig config,
                                       ApiCredentials credentials, RiskCheck risk)
    : loop_(loop),
      config_(std::move(config)),
      credentials_(std::move(credentials)),
      risk_(std::move(risk)),
      client_(loop, config_.tls),
      weight_(config_.weightLimitPerMinute, config_.weightReserve) {
    std::string error;
    const auto url = net::Url::parse(config_.restUrl, &error);
    if (!url) throw std::invalid_argument("rest url: " + error);
    client_.setKeepAlive(config_.keepAlive, config_.idleTimeoutNs);
    client_.setKeepWarm(config_.keepWarm);
    // The handshake now, not in front of the first order.
    client_.warmUp(*url);
}

std::int64_t BinanceRestGateway::venueNowMs() const {
    return wallNowNs() / 1'000'000 + offsetMs_;
}

void BinanceRestGateway::syncTime(Callback done) {
    const std::int64_t sentMs = wallNowNs() / 1'000'000;
    enqueue({"GET",
             "/api/v3/time",
             {},
             false,
             kWeightTime,
             [this, sentMs, done = std::move(done)](BinanceReply reply) {
                 if (reply.ok()) {
                     simdjson::dom::parser parser;
                     simdjson::dom::element doc;
                     std::int64_t serverMs = 0;
                     if (parser.parse(reply.body).get(doc) == simdjson::SUCCESS &&
                         doc["serverTime"].get(serverMs) == simdjson::SUCCESS) {
                         // The server read its clock about halfway through the round trip.
                         const std::int64_t receivedMs = wallNowNs() / 1'000'000;
                         offsetMs_ = serverMs - (sentMs + receivedMs) / 2;
                     } else {
                         reply.kind = BinanceReply::Kind::NetworkError;
                         reply.message = "unreadable /api/v3/time answer";
                     }
                 }
                 done(std::move(reply));
             }});
}

void BinanceRestGateway::fetchTouch(Callback done) {
    enqueue({"GET", "/api/v3/depth", QueryString().add("symbol", symbol()).add("limit", 5), false,
             kWeightDepth, std::move(done)});
}

void BinanceRestGateway::placeOrder(const OrderRequest& request, const ClientOrderId& clientOrderId,
                                    const RiskContext& context, Callback done) {
    if (auto rejection = risk_.check(request, context)) {
        // Answered from the loop like every other outcome, never inside the call.
        loop_.post([done = std::move(done), r = std::move(*rejection)] {
            done(refused(r.message, r.rule));
        });
        return;
    }
    if (refuseBadClientOrderId(clientOrderId, done)) return;
    const Instrument& instrument = risk_.instrument();
    QueryString params;
    params.add("symbol", instrument.symbol()).add("side", binanceSide(request.side));
    switch (request.type) {
        case OrderType::Market:
            params.add("type", "MARKET");
            break;
        case OrderType::PostOnly:
            params.add("type", "LIMIT_MAKER");
            break;
        case OrderType::Limit:
            params.add("type", "LIMIT")
                .add("timeInForce",
                     request.timeInForce == TimeInForce::ImmediateOrCancel ? "IOC" : "GTC");
            break;
        case OrderType::ImmediateOrCancel:
            params.add("type", "LIMIT").add("timeInForce", "IOC");
            break;
    }
    params.add("quantity", instrument.formatSize(request.qty));
    if (request.type != OrderType::Market)
        params.add("price", instrument.formatPrice(request.priceTicks));
    params.add("newClientOrderId", clientOrderId).add("newOrderRespType", "FULL");
    enqueue({"POST", "/api/v3/order", std::move(params), true, kWeightOrder, std::move(done)});
}

void BinanceRestGateway::cancelOrder(std::uint64_t orderId, Callback done) {
    enqueue({"DELETE", "/api/v3/order",
             QueryString().add("symbol", symbol()).add("orderId", std::to_string(orderId)), true,
             kWeightCancel, std::move(done)});
}

void BinanceRestGateway::cancelOrder(const ClientOrderId& clientOrderId, Callback done) {
    if (refuseBadClientOrderId(clientOrderId, done)) return;
    enqueue({"DELETE", "/api/v3/order",
             QueryString().add("symbol", symbol()).add("origClientOrderId", clientOrderId), true,
             kWeightCancel, std::move(done)});
}

void BinanceRestGateway::queryOrder(const ClientOrderId& clientOrderId, Callback done) {
    if (refuseBadClientOrderId(clientOrderId, done)) return;
    enqueue({"GET", "/api/v3/order",
             QueryString().add("symbol", symbol()).add("origClientOrderId", clientOrderId), true,
             kWeightQueryOrder, std::move(done)});
}

void BinanceRestGateway::cancelAllOrders(Callback done) {
    enqueue({"DELETE", "/api/v3/openOrders", QueryString().add("symbol", symbol()), true,
             kWeightCancelAll, std::move(done)});
}

void BinanceRestGateway::openOrders(Callback done) {
    enqueue({"GET", "/api/v3/openOrders", QueryString().add("symbol", symbol()), true,
             kWeightOpenOrders, std::move(done)});
}

void BinanceRestGateway::account(Callback done) {
    enqueue({"GET", "/api/v3/account", {}, true, kWeightAccount, std::move(done)});
}

const std::string& BinanceRestGateway::symbol() const {
    return risk_.instrument().symbol();
}

bool BinanceRestGateway::refuseBadClientOrderId(const ClientOrderId& clientOrderId,
                                                Callback& done) {
    if (isBinanceClientOrderId(clientOrderId)) return false;
    // Answered from the loop like every other outcome; the id is not echoed (any length, any
    // bytes): the caller knows what it passed.
    loop_.post([done = std::move(done)] {
        done(
            refused("client order id: not 1 to 36 of the characters A-Z a-z 0-9 . : / _ - "
                    "(Binance's ^[.A-Z:/a-z0-9_-]{1,36}$)"));
    });
    return true;
}

void BinanceRestGateway::enqueue(Pending pending) {
    pending.queuedSteadyNs = steadyNowNs();
    queue_.push_back(std::move(pending));
    if (!busy_) sendNext();
}

void BinanceRestGateway::sendNext() {
    while (!queue_.empty()) {
        Pending pending = std::move(queue_.front());
        queue_.pop_front();
        if (pending.signedRequest && !isSendableApiKey(credentials_.key.reveal())) {
            // Whatever the key's source (environment, keychain): never a header with a newline.
            loop_.post([done = std::move(pending.done)] {
                done(
                    refused("API key: a control character or a character outside printable "
                            "ASCII; not sent"));
            });
            continue;
        }
        if (!weight_.tryTake(pending.weight, venueNowMs())) {
            loop_.post([done = std::move(pending.done), used = weight_.used(venueNowMs()),
                        limit = weight_.limit()] {
                done(refused("request weight: " + std::to_string(used) + " of " +
                             std::to_string(limit) + " used this minute; not sent"));
            });
            continue;
        }
        QueryString params = std::move(pending.params);
        std::string query;
        if (pending.signedRequest) {
            params.add("recvWindow", static_cast<long long>(config_.recvWindowMs))
                .add("timestamp", static_cast<long long>(venueNowMs()));
            // The signature is over the encoded text, and is itself hex: nothing to encode.
            query = signBinanceQuery(params.text(), credentials_.secret.reveal());
        } else {
            query = params.text();
        }
        net::HttpRequest request;
        request.method = pending.method;
        // Parameters go in the query string for every method: what is signed is exactly the
        // text after '?', with no body to concatenate.
        const std::string target = query.empty() ? pending.path : pending.path + "?" + query;
        std::string error;
        const auto url = net::Url::join(config_.restUrl, target, &error);
        if (!url) {
            BinanceReply reply;
            reply.message = "bad url: " + error;
            loop_.post([done = std::move(pending.done), reply] { done(reply); });
            continue;
        }
        request.url = *url;
        if (pending.signedRequest)
            request.headers.emplace_back("X-MBX-APIKEY", credentials_.key.reveal());
        busy_ = true;
        ++requestsSent_;
        client_.request(
            std::move(request),
            [this, pending = std::move(pending)](net::HttpResponse response) mutable {
                busy_ = false;
                finish(pending, std::move(response));
                sendNext();
            },
            config_.timeoutNs);
        return;
    }
}

void BinanceRestGateway::finish(Pending& pending, net::HttpResponse response) {
    if (pending.method == "POST" && pending.path == "/api/v3/order") {
        lastOrderTiming_ = {pending.queuedSteadyNs, response.writeIssuedSteadyNs,
                            response.writtenSteadyNs, steadyNowNs(), response.reusedConnection};
    }
    BinanceReply reply;
    reply.httpStatus = response.status;
    // Binance reports the IP's weight used this minute on every answer: the venue's count
    // replaces ours, so weight spent by other programs on the same IP counts too.
    if (const std::string* used = response.header("X-MBX-USED-WEIGHT-1M")) {
        if (const auto weight = parseScaledDecimal(*used, 0); weight && *weight >= 0) {
            weight_.onUsedWeight(static_cast<int>(*weight), venueNowMs());
        }
    }
    reply.body = std::move(response.body);
    if (!response.error.empty() || response.status == 0) {
        reply.kind = BinanceReply::Kind::NetworkError;
        reply.message = response.error.empty() ? "no answer" : response.error;
    } else if (response.status >= 200 && response.status < 300) {
        reply.kind = BinanceReply::Kind::Ok;
    } else if (parseBinanceError(reply.body, reply.code, reply.message)) {
        reply.kind = BinanceReply::Kind::VenueReject;
    } else {
        reply.kind = BinanceReply::Kind::NetworkError;
        reply.message = "HTTP " + std::to_string(response.status) + " without a Binance error";
    }
    pending.done(std::move(reply));
}

}  // namespace flowscope::trading
