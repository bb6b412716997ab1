#include "spot_orders.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>
#include <vector>

namespace flowscope::exchange {

namespace http = boost::beast::http;

namespace {

constexpr std::int64_t kDefaultRecvWindowMs = 5000;  // Binance's default
constexpr std::int64_t kMaxRecvWindowMs = 60000;
constexpr std::int64_t kMaxAheadMs = 1000;  // a timestamp may lead the server by this much
constexpr Lots kStartBaseUnits = 10;        // whole base-asset units
constexpr std::int64_t kStartQuoteUnits = 1'000'000;

std::string error(int code, std::string_view message) {
    return R"({"code":)" + std::to_string(code) + R"(,"msg":")" + std::string(message) + "\"}";
}

std::string missing(std::string_view name) {
    return error(-1102, "Mandatory parameter '" + std::string(name) +
                            "' was not sent, was empty/null, or malformed.");
}

/// HMAC-SHA256 hex with OpenSSL's one-shot HMAC(), written apart from the client's signer so a
/// bug there cannot hide behind the same code on both ends.
std::string hmacHex(std::string_view secret, std::string_view payload) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
         reinterpret_cast<const unsigned char*>(payload.data()), payload.size(), digest, &length);
    std::string hex;
    char byte[3];
    for (unsigned int i = 0; i < length; ++i) {
        std::snprintf(byte, sizeof byte, "%02x", digest[i]);
        hex += byte;
    }
    return hex;
}

int hexDigit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string percentDecode(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size() && hexDigit(text[i + 1]) >= 0 &&
            hexDigit(text[i + 2]) >= 0) {
            out += static_cast<char>(hexDigit(text[i + 1]) * 16 + hexDigit(text[i + 2]));
            i += 2;
        } else {
            out += text[i] == '+' ? ' ' : text[i];
        }
    }
    return out;
}

std::optional<std::int64_t> integer(const std::string& text) {
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

}  // namespace

/// The request's parameters (query string and form body) and the text its signature covers.
struct SpotOrders::Params {
    std::map<std::string, std::string, std::less<>> values;
    std::string signedPayload;  ///< query then body, each without its signature parameter
    std::optional<std::string> signature;

    void add(std::string_view text) {
        std::string kept;
        while (!text.empty()) {
            const auto amp = text.find('&');
            const std::string_view pair = text.substr(0, amp);
            const auto eq = pair.find('=');
            const std::string name = percentDecode(pair.substr(0, eq));
            const std::string value =
                eq == std::string_view::npos ? std::string() : percentDecode(pair.substr(eq + 1));
            if (name == "signature") {
                signature = value;
            } else {
                if (!kept.empty()) kept += '&';
                kept += pair;
                values.emplace(name, value);
            }
            if (amp == std::string_view::npos) break;
            text.remove_prefix(amp + 1);
        }
        signedPayload += kept;
    }
    const std::string* get(std::string_view name) const {
        const auto it = values.find(name);
        return it == values.end() || it->second.empty() ? nullptr : &it->second;
    }
};

SpotOrders::SpotOrders(std::string symbol, WireFormat wire, std::string apiKey,
                       std::string apiSecret)
    : symbol_(std::move(symbol)),
      wire_(wire),
      apiKey_(std::move(apiKey)),
      apiSecret_(std::move(apiSecret)) {
    std::int64_t lotsPerUnit = 1;
    for (int i = 0; i < wire_.lot().decimals; ++i)
        lotsPerUnit *= 10;
    baseLots_ = kStartBaseUnits * lotsPerUnit / wire_.lot().mantissa;
    WideInt unitsPerQuote = 1;
    for (int i = 0; i < wire_.lot().decimals + wire_.tick().decimals; ++i)
        unitsPerQuote *= 10;
    quoteUnits_ = kStartQuoteUnits * unitsPerQuote / (wire_.lot().mantissa * wire_.tick().mantissa);
}

bool SpotOrders::serves(std::string_view path) {
    return path == "/api/v3/order" || path == "/api/v3/openOrders" || path == "/api/v3/account";
}

http::response<http::string_body> SpotOrders::handle(
    const Market& market, const http::request<http::string_body>& request) {
    ++stats_.signedRequests;
    const std::string_view target = request.target();
    const auto mark = target.find('?');
    const std::string_view path = target.substr(0, mark);
    Params params;
    if (mark != std::string_view::npos) params.add(target.substr(mark + 1));
    if (!request.body().empty()) params.add(request.body());

    const std::int64_t nowMs = wallNowNs() / 1'000'000;
    Answer answer = authenticate(request, params, nowMs);
    if (answer.body.empty()) {
        const auto method = request.method();
        if (path == "/api/v3/order" && method == http::verb::post)
            answer = place(market, params, nowMs);
        else if (path == "/api/v3/order" && method == http::verb::delete_)
            answer = cancel(params, nowMs);
        else if (path == "/api/v3/order" && method == http::verb::get)
            answer = query(params);
        else if (path == "/api/v3/openOrders" && method == http::verb::get)
            answer = openOrders(params);
        else if (path == "/api/v3/openOrders" && method == http::verb::delete_)
            answer = cancelAll(params, nowMs);
        else if (path == "/api/v3/account" && method == http::verb::get)
            answer = account();
        else
            answer = {http::status::method_not_allowed, error(-1, "Method not allowed.")};
    }
    if (answer.status != http::status::ok) ++stats_.rejected;
    // Binance's documented weights: order, cancel and cancel-all 1, query order 4, openOrders
    // (one symbol) 6, account 20.
    const auto method = request.method();
    stats_.usedWeight += path == "/api/v3/account"                                   ? 20
                         : path == "/api/v3/openOrders" && method == http::verb::get ? 6
                         : path == "/api/v3/order" && method == http::verb::get      ? 4
                                                                                     : 1;
    http::response<http::string_body> response{answer.status, request.version()};
    response.set(http::field::content_type, "application/json;charset=UTF-8");
    response.set("x-mbx-used-weight-1m", std::to_string(stats_.usedWeight));
    response.body() = std::move(answer.body);
    return response;
}

SpotOrders::Answer SpotOrders::authenticate(const http::request<http::string_body>& request,
                                            const Params& params, std::int64_t nowMs) const {
    const auto bad = http::status::bad_request;
    const auto key = request.find("X-MBX-APIKEY");
    if (key == request.end() || key->value().empty())
        return {http::status::unauthorized, error(-2014, "API-key format invalid.")};
    if (apiKey_.empty() || key->value() != apiKey_)
        return {http::status::unauthorized,
                error(-2015, "Invalid API-key, IP, or permissions for action.")};
    const std::string* timestampText = params.get("timestamp");
    if (!timestampText) return {bad, missing("timestamp")};
    if (!params.signature || params.signature->empty()) return {bad, missing("signature")};
    const auto timestamp = integer(*timestampText);
    if (!timestamp)
        return {bad, error(-1100,
                           "Illegal characters found in parameter 'timestamp'; legal "
                           "range is '^[0-9]{1,20}$'.")};
    std::int64_t recvWindow = kDefaultRecvWindowMs;
    if (const std::string* text = params.get("recvWindow")) {
        const auto value = integer(*text);
        if (!value || *value <= 0 || *value > kMaxRecvWindowMs)
            return {bad, error(-1131, "recvWindow must be less than 60000")};
        recvWindow = *value;
    }
    std::string expected = hmacHex(apiSecret_, params.signedPayload);
    std::string given = *params.signature;
    std::transform(given.begin(), given.end(), given.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (given.size() != expected.size() ||
        CRYPTO_memcmp(given.data(), expected.data(), expected.size()) != 0)
        return {bad, error(-1022, "Signature for this request is not valid.")};
    if (*timestamp >= nowMs + kMaxAheadMs)
        return {bad, error(-1021,
                           "Timestamp for this request was 1000ms ahead of the server's "
                           "time.")};
    if (nowMs - *timestamp > recvWindow)
        return {bad, error(-1021, "Timestamp for this request is outside of the recvWindow.")};
    return {http::status::ok, {}};
}

SpotOrders::Answer SpotOrders::place(const Market& market, const Params& params,
                                     std::int64_t nowMs) {
    const auto bad = http::status::bad_request;
    const std::string* symbol = params.get("symbol");
    if (!symbol) return {bad, missing("symbol")};
    if (*symbol != symbol_) return {bad, error(-1121, "Invalid symbol.")};
    const std::string* side = params.get("side");
    if (!side) return {bad, missing("side")};
    if (*side != "BUY" && *side != "SELL")
        return {bad, error(-1100, "Illegal characters found in parameter 'side'.")};
    const std::string* type = params.get("type");
    if (!type) return {bad, missing("type")};
    if (*type != "LIMIT" && *type != "LIMIT_MAKER" && *type != "MARKET")
        return {bad, error(-1116, "Invalid orderType.")};
    const std::string* quantity = params.get("quantity");
    if (!quantity) return {bad, missing("quantity")};
    const Instrument& instrument = market.instrument();
    const auto qty = instrument.parseSize(*quantity);
    if (!qty || *qty <= 0) return {bad, error(-1013, "Filter failure: LOT_SIZE")};

    Order order;
    order.buy = *side == "BUY";
    order.type = *type;
    order.qty = *qty;
    order.timeMs = nowMs;
    if (*type != "MARKET") {
        const std::string* price = params.get("price");
        if (!price) return {bad, missing("price")};
        const auto ticks = instrument.parsePrice(*price);
        if (!ticks || *ticks <= 0) return {bad, error(-1013, "Filter failure: PRICE_FILTER")};
        order.price = *ticks;
    }
    if (*type == "LIMIT") {
        const std::string* tif = params.get("timeInForce");
        if (!tif) return {bad, missing("timeInForce")};
        if (*tif != "GTC" && *tif != "IOC" && *tif != "FOK")
            return {bad, error(-1115, "Invalid timeInForce.")};
        order.timeInForce = *tif;
    }
    if (const std::string* id = params.get("newClientOrderId")) {
        for (const auto& [_, other] : orders_)
            if (other.clientOrderId == *id && other.status == "NEW")
                return {bad, error(-2010, "Duplicate order sent.")};
        order.clientOrderId = *id;
    } else {
        order.clientOrderId = "exchange-" + std::to_string(nextOrderId_);
    }

    const OrderBook& book = market.book();
    const Level best = order.buy ? book.bestAsk() : book.bestBid();
    const std::optional<Level> touch = best.qty > 0 ? std::optional<Level>(best) : std::nullopt;
    const bool crosses =
        touch && (order.type == "MARKET" ||
                  (order.buy ? order.price >= touch->price : order.price <= touch->price));
    if (order.type == "LIMIT_MAKER" && crosses)
        return {bad, error(-2010, "Order would immediately match and take.")};
    if (order.type == "MARKET" && !touch)
        return {bad, error(-2010, "Market order cannot be filled: no liquidity.")};

    order.orderId = nextOrderId_++;
    order.status = "NEW";
    if (crosses)
        fill(order, touch->price);
    else if (order.timeInForce == "IOC" || order.timeInForce == "FOK")
        order.status = "EXPIRED";
    ++stats_.placed;
    std::string body;
    appendOrder(body, order, Shape::Full);
    orders_.emplace(order.orderId, std::move(order));
    return {http::status::ok, std::move(body)};
}

std::size_t SpotOrders::fillResting() {
    std::size_t filled = 0;
    for (auto& [id, order] : orders_) {
        if (order.status != "NEW" && order.status != "PARTIALLY_FILLED") continue;
        fill(order, order.price);
        ++filled;
    }
    return filled;
}

void SpotOrders::fill(Order& order, PriceTicks price) {
    const Lots qty = order.qty - order.executed;
    order.executed += qty;
    const WideInt notional = static_cast<WideInt>(price) * qty;
    order.quoteUnits += notional;
    order.status = "FILLED";
    baseLots_ += order.buy ? qty : -qty;
    quoteUnits_ += order.buy ? -notional : notional;
    order.price = order.type == "MARKET" ? 0 : order.price;
    order.fillPrice = price;
}

std::optional<SpotOrders::Answer> SpotOrders::readOrderTarget(const Params& params,
                                                              OrderTarget& out) const {
    const auto bad = http::status::bad_request;
    const std::string* symbol = params.get("symbol");
    if (!symbol) return Answer{bad, missing("symbol")};
    if (*symbol != symbol_) return Answer{bad, error(-1121, "Invalid symbol.")};
    out.orderId = params.get("orderId");
    out.clientOrderId = params.get("origClientOrderId");
    if (!out.orderId && !out.clientOrderId)
        return Answer{bad, error(-1102,
                                 "Param 'origClientOrderId' or 'orderId' must be sent, but "
                                 "both were empty/null!")};
    return std::nullopt;
}

SpotOrders::Answer SpotOrders::cancel(const Params& params, std::int64_t nowMs) {
    const auto bad = http::status::bad_request;
    OrderTarget target;
    if (auto refused = readOrderTarget(params, target)) return std::move(*refused);
    const std::string* orderIdText = target.orderId;
    const std::string* clientId = target.clientOrderId;
    Order* found = nullptr;
    for (auto& [id, order] : orders_) {
        const bool match =
            orderIdText ? std::to_string(id) == *orderIdText : order.clientOrderId == *clientId;
        if (match && (orderIdText || order.status == "NEW")) found = &order;
    }
    if (!found || found->status != "NEW") return {bad, error(-2011, "Unknown order sent.")};
    found->status = "CANCELED";
    found->timeMs = nowMs;
    ++stats_.cancelled;
    std::string body;
    appendOrder(body, *found, Shape::Cancelled);
    return {http::status::ok, std::move(body)};
}

SpotOrders::Answer SpotOrders::query(const Params& params) const {
    const auto bad = http::status::bad_request;
    OrderTarget target;
    if (auto refused = readOrderTarget(params, target)) return std::move(*refused);
    const std::string* orderIdText = target.orderId;
    const std::string* clientId = target.clientOrderId;
    // orderId takes precedence, as on Binance; a client id names its latest order.
    const Order* found = nullptr;
    for (const auto& [id, order] : orders_) {
        if (orderIdText ? std::to_string(id) == *orderIdText : order.clientOrderId == *clientId)
            found = &order;
    }
    if (!found) return {bad, error(-2013, "Order does not exist.")};
    std::string body;
    appendOrder(body, *found, Shape::Listed);
    return {http::status::ok, std::move(body)};
}

SpotOrders::Answer SpotOrders::cancelAll(const Params& params, std::int64_t nowMs) {
    const auto bad = http::status::bad_request;
    const std::string* symbol = params.get("symbol");
    if (!symbol) return {bad, missing("symbol")};
    if (*symbol != symbol_) return {bad, error(-1121, "Invalid symbol.")};
    std::string body = "[";
    for (auto& [_, order] : orders_) {
        if (order.status != "NEW") continue;
        order.status = "CANCELED";
        order.timeMs = nowMs;
        ++stats_.cancelled;
        if (body.size() > 1) body += ',';
        appendOrder(body, order, Shape::Cancelled);
    }
    // Binance answers a cancel-all with nothing open as an unknown order.
    if (body.size() == 1) return {bad, error(-2011, "Unknown order sent.")};
    body += ']';
    return {http::status::ok, std::move(body)};
}

SpotOrders::Answer SpotOrders::openOrders(const Params& params) const {
    const std::string* symbol = params.get("symbol");
    if (symbol && *symbol != symbol_)
        return {http::status::bad_request, error(-1121, "Invalid symbol.")};
    std::string body = "[";
    for (const auto& [_, order] : orders_) {
        if (order.status != "NEW") continue;
        if (body.size() > 1) body += ',';
        appendOrder(body, order, Shape::Listed);
    }
    body += ']';
    return {http::status::ok, std::move(body)};
}

void SpotOrders::appendQuote(std::string& out, WideInt units) const {
    appendFixed(out, units * wire_.tick().mantissa * wire_.lot().mantissa,
                wire_.tick().decimals + wire_.lot().decimals);
}

SpotOrders::Answer SpotOrders::account() const {
    // Assets from the symbol's usual quote suffix; "BASE"/"QUOTE" for anything else.
    std::string base = "BASE", quote = "QUOTE";
    for (const char* suffix : {"USDT", "USDC", "FDUSD", "BUSD", "BTC", "ETH", "EUR"}) {
        const std::string_view s(suffix);
        if (symbol_.size() > s.size() && symbol_.ends_with(s)) {
            base = symbol_.substr(0, symbol_.size() - s.size());
            quote = suffix;
            break;
        }
    }
    Lots lockedBase = 0;
    WideInt lockedQuote = 0;
    for (const auto& [_, order] : orders_) {
        if (order.status != "NEW") continue;
        if (order.buy)
            lockedQuote += static_cast<WideInt>(order.price) * order.qty;
        else
            lockedBase += order.qty;
    }
    std::string body =
        R"({"makerCommission":0,"takerCommission":0,"buyerCommission":0,"sellerCommission":0,)"
        R"("canTrade":true,"canWithdraw":false,"canDeposit":false,"brokered":false,)"
        R"("requireSelfTradePrevention":false,"updateTime":)" +
        std::to_string(wallNowNs() / 1'000'000) + R"(,"accountType":"SPOT","balances":[)";
    body += R"({"asset":")" + base + R"(","free":")";
    wire_.appendBinanceSize(body, baseLots_ - lockedBase);
    body += R"(","locked":")";
    wire_.appendBinanceSize(body, lockedBase);
    body += R"("},{"asset":")" + quote + R"(","free":")";
    appendQuote(body, quoteUnits_ - lockedQuote);
    body += R"(","locked":")";
    appendQuote(body, lockedQuote);
    body += R"("}],"permissions":["SPOT"]})";
    return {http::status::ok, std::move(body)};
}

void SpotOrders::appendOrder(std::string& out, const Order& order, Shape shape) const {
    const bool full = shape == Shape::Full;
    auto text = [&out](const char* name, std::string_view value) {
        out += '"';
        out += name;
        out += R"(":")";
        out += value;
        out += "\",";
    };
    out += R"({"symbol":")" + symbol_ + R"(","orderId":)" + std::to_string(order.orderId) +
           R"(,"orderListId":-1,)";
    if (shape == Shape::Cancelled) {
        // Binance names the cancelled order's id origClientOrderId; clientOrderId is the
        // cancel request's own (generated when not given).
        text("origClientOrderId", order.clientOrderId);
        text("clientOrderId", "cancel-" + std::to_string(order.orderId));
    } else {
        text("clientOrderId", order.clientOrderId);
    }
    out += shape == Shape::Listed ? R"("time":)" : R"("transactTime":)";
    out += std::to_string(order.timeMs) + ',';
    out += R"("price":")";
    wire_.appendBinancePrice(out, order.price);
    out += R"(","origQty":")";
    wire_.appendBinanceSize(out, order.qty);
    out += R"(","executedQty":")";
    wire_.appendBinanceSize(out, order.executed);
    out += R"(","cummulativeQuoteQty":")";
    appendQuote(out, order.quoteUnits);
    out += "\",";
    text("status", order.status);
    text("timeInForce", order.timeInForce.empty() ? "GTC" : order.timeInForce);
    text("type", order.type);
    text("side", order.buy ? "BUY" : "SELL");
    if (full) {
        out += R"("fills":[)";
        if (order.executed > 0) {
            out += R"({"price":")";
            wire_.appendBinancePrice(out, order.fillPrice);
            out += R"(","qty":")";
            wire_.appendBinanceSize(out, order.executed);
            out += R"(","commission":"0.00000000","commissionAsset":"BNB","tradeId":)" +
                   std::to_string(order.orderId) + '}';
        }
        out += "]}";
    } else if (shape == Shape::Listed) {
        out += R"("updateTime":)" + std::to_string(order.timeMs) + R"(,"isWorking":)" +
               (order.status == "NEW" ? "true}" : "false}");
    } else {
        out.back() = '}';
    }
}

}  // namespace flowscope::exchange
