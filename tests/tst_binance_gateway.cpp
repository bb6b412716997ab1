// The Binance spot REST gateway against the loopback exchange, which checks API key, signature
// and timestamp as Binance does: orders rest, list, cancel and fill; bad credentials, stale
// timestamps and unknown orders come back as Binance's codes; risk blocks and the weight budget
// stop requests before they leave. Requests share one warm TLS connection; an order whose
// connection dies is reported, never sent twice.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <chrono>
#include <optional>

#include "binance_test_account.h"
#include "exchange_process.h"
#include "net/event_loop.h"
#include "net/https_client.h"
#include "trading/binance_order_answer.h"
#include "trading/binance_rest_gateway.h"
#include "trading/binance_signer.h"

using namespace flowscope;
using namespace flowscope::trading;
using namespace flowscope::testing;  // the exchange and the test account

namespace {

/// One of the exchange's connection counters (accepted, tlsHandshakes, restHangups).
int connectionStat(ExchangeProcess& exchange, const char* counter) {
    const QByteArray answer = exchange.command("stats");
    return QJsonDocument::fromJson(answer.mid(3))
        .object()["connections"]
        .toObject()[counter]
        .toInt();
}

QJsonDocument json(const BinanceReply& reply) {
    return QJsonDocument::fromJson(QByteArray::fromStdString(reply.body));
}

class Harness {
  public:
    Harness(ExchangeProcess& exchange, std::string secret = kSecret, std::string key = kKey,
            BinanceGatewayConfig config = {})
        : exchange_(exchange) {
        config.restUrl = exchange.restUrl();
        config.tls.caFile = exchange.caFile();
        RiskCheck risk(btcusdt(), limits());
        risk.setArmed(true);
        gateway = std::make_unique<BinanceRestGateway>(
            loop, config, ApiCredentials{SecretText(key), SecretText(secret)}, risk);
    }

    BinanceReply await(const std::function<void(BinanceRestGateway::Callback)>& call) {
        std::optional<BinanceReply> reply;
        call([&reply](BinanceReply r) { reply = std::move(r); });
        const auto start = std::chrono::steady_clock::now();
        while (!reply && std::chrono::steady_clock::now() - start < std::chrono::seconds(10))
            loop.runFor(20'000'000);
        return reply.value_or(BinanceReply{});
    }

    RiskContext context() {
        const Touch t = serverTouch(exchange_);
        RiskContext c;
        c.bestBid = t.bid;
        c.bestAsk = t.ask;
        return c;
    }

    BinanceReply place(const OrderRequest& request, const std::string& id) {
        const RiskContext c = context();
        return await([&](auto done) { gateway->placeOrder(request, id, c, std::move(done)); });
    }

    net::EventLoop loop;
    std::unique_ptr<BinanceRestGateway> gateway;

  private:
    ExchangeProcess& exchange_;
};

OrderRequest limitBuy(PriceTicks price, Lots qty) {
    OrderRequest r;
    r.side = Side::Bid;
    r.type = OrderType::Limit;
    r.priceTicks = price;
    r.qty = qty;
    return r;
}

QStringList exchangeArgs() {
    return {"--api-key", kKey, "--api-secret", kSecret};
}

}  // namespace

class TestBinanceGateway : public QObject {
    Q_OBJECT

  private slots:
    void limitOrderRestsIsListedAndCancels() {
        ExchangeProcess exchange(exchangeArgs());
        QVERIFY(exchange.command("pause").startsWith("ok"));
        Harness h(exchange);
        QVERIFY(h.await([&](auto done) { h.gateway->syncTime(std::move(done)); }).ok());
        // Loopback: the offset is the two clocks of one machine, well under a second.
        QVERIFY(std::llabs(h.gateway->serverTimeOffsetMs()) < 1000);

        const Touch t = serverTouch(exchange);
        const BinanceReply placed = h.place(limitBuy(t.bid - 100, 200), "fs-test-1");
        QVERIFY2(placed.ok(), placed.body.c_str());
        const QJsonObject order = json(placed).object();
        QCOMPARE(order["status"].toString(), QString("NEW"));
        QCOMPARE(order["clientOrderId"].toString(), QString("fs-test-1"));
        QCOMPARE(order["type"].toString(), QString("LIMIT"));
        QCOMPARE(order["side"].toString(), QString("BUY"));
        QCOMPARE(order["origQty"].toString(), QString("0.00200000"));
        QCOMPARE(order["price"].toString(),
                 QString::fromStdString(btcusdt().formatPrice(t.bid - 100)) + "000000");
        QCOMPARE(order["executedQty"].toString(), QString("0.00000000"));

        const BinanceReply open =
            h.await([&](auto done) { h.gateway->openOrders(std::move(done)); });
        QVERIFY(open.ok());
        const QJsonArray list = json(open).array();
        QCOMPARE(list.size(), 1);
        QCOMPARE(list[0].toObject()["orderId"].toInteger(), order["orderId"].toInteger());

        const BinanceReply cancelled = h.await([&](auto done) {
            h.gateway->cancelOrder(ClientOrderId("fs-test-1"), std::move(done));
        });
        QVERIFY2(cancelled.ok(), cancelled.body.c_str());
        QCOMPARE(json(cancelled).object()["status"].toString(), QString("CANCELED"));
        const BinanceReply empty =
            h.await([&](auto done) { h.gateway->openOrders(std::move(done)); });
        QCOMPARE(json(empty).array().size(), 0);

        // A second cancel: the order is no longer open at the venue.
        const auto id = static_cast<std::uint64_t>(order["orderId"].toInteger());
        const BinanceReply again =
            h.await([&](auto done) { h.gateway->cancelOrder(id, std::move(done)); });
        QCOMPARE(again.kind, BinanceReply::Kind::VenueReject);
        QCOMPARE(again.code, -2011);
        QCOMPARE(QString::fromStdString(again.message), QString("Unknown order sent."));
        const QJsonObject stats = orderStats(exchange);
        QCOMPARE(stats["placed"].toInt(), 1);
        QCOMPARE(stats["cancelled"].toInt(), 1);
    }

    void queryOrderAnswersDoneOrdersAndMinus2013ForUnknownOnes() {
        ExchangeProcess exchange(exchangeArgs());
        QVERIFY(exchange.command("pause").startsWith("ok"));
        Harness h(exchange);
        const Touch t = serverTouch(exchange);
        auto query = [&](const char* id) {
            return h.await(
                [&](auto done) { h.gateway->queryOrder(ClientOrderId(id), std::move(done)); });
        };
        QVERIFY(h.place(limitBuy(t.bid - 100, 200), "rest-1").ok());
        const BinanceReply resting = query("rest-1");
        QVERIFY2(resting.ok(), resting.body.c_str());
        QCOMPARE(json(resting).object()["status"].toString(), QString("NEW"));
        QCOMPARE(json(resting).object()["isWorking"].toBool(), true);

        // A market buy fills at the ask: its query reports the execution, price "0" and the
        // quote spent (ask x 0.001 BTC, computed here from the touch).
        OrderRequest market;
        market.side = Side::Bid;
        market.type = OrderType::Market;
        market.qty = 100;
        QVERIFY(h.place(market, "taker-1").ok());
        const QJsonObject filled = json(query("taker-1")).object();
        QCOMPARE(filled["status"].toString(), QString("FILLED"));
        QCOMPARE(filled["executedQty"].toString(), QString("0.00100000"));
        BinanceOrderAnswer answer;
        std::string error;
        QVERIFY(parseBinanceOrder(query("taker-1").body, btcusdt(), answer, error));
        QCOMPARE(answer.executedTickLots, std::optional<std::int64_t>(t.ask * 100));
        QCOMPARE(averageExecutedPrice(answer), std::optional<PriceTicks>(t.ask));

        QVERIFY(h.await([&](auto done) {
                     h.gateway->cancelOrder(ClientOrderId("rest-1"), std::move(done));
                 }).ok());
        QCOMPARE(json(query("rest-1")).object()["status"].toString(), QString("CANCELED"));

        const BinanceReply unknown = query("never-sent");
        QCOMPARE(unknown.kind, BinanceReply::Kind::VenueReject);
        QCOMPARE(unknown.code, -2013);
        QCOMPARE(QString::fromStdString(unknown.message), QString("Order does not exist."));
        // Weights by Binance's table: 2 orders + 1 cancel (1 each), 5 queries (4 each).
        QCOMPARE(orderStats(exchange)["signedRequests"].toInt(), 8);
        const auto nowMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
        QCOMPARE(h.gateway->weight().used(nowMs), 2 + 1 + 5 * 4);
    }

    void cancelAllOrdersCancelsEveryOpenOrderOfTheSymbol() {
        ExchangeProcess exchange(exchangeArgs());
        QVERIFY(exchange.command("pause").startsWith("ok"));
        Harness h(exchange);
        const Touch t = serverTouch(exchange);
        QVERIFY(h.place(limitBuy(t.bid - 100, 200), "a-1").ok());
        QVERIFY(h.place(limitBuy(t.bid - 200, 300), "b-1").ok());
        const BinanceReply all =
            h.await([&](auto done) { h.gateway->cancelAllOrders(std::move(done)); });
        QVERIFY2(all.ok(), all.body.c_str());
        std::vector<BinanceOrderAnswer> cancelled;
        std::string error;
        QVERIFY2(parseBinanceOrderList(all.body, btcusdt(), cancelled, error), error.c_str());
        QCOMPARE(cancelled.size(), std::size_t{2});
        // The order's own id comes from origClientOrderId (clientOrderId names the cancel).
        QCOMPARE(cancelled[0].clientOrderId, std::string("a-1"));
        QCOMPARE(cancelled[1].clientOrderId, std::string("b-1"));
        QCOMPARE(cancelled[1].origQty, Lots{300});
        QCOMPARE(cancelled[0].status, std::string("CANCELED"));
        QCOMPARE(json(h.await([&](auto done) { h.gateway->openOrders(std::move(done)); }))
                     .array()
                     .size(),
                 0);
        // Nothing open: Binance answers -2011.
        const BinanceReply again =
            h.await([&](auto done) { h.gateway->cancelAllOrders(std::move(done)); });
        QCOMPARE(again.kind, BinanceReply::Kind::VenueReject);
        QCOMPARE(again.code, -2011);
        QCOMPARE(orderStats(exchange)["cancelled"].toInt(), 2);
    }

    void marketOrderFillsAtTheTouch() {
        ExchangeProcess exchange(exchangeArgs());
        QVERIFY(exchange.command("pause").startsWith("ok"));
        Harness h(exchange);
        const Touch t = serverTouch(exchange);
        OrderRequest r;
        r.side = Side::Bid;
        r.type = OrderType::Market;
        r.qty = 100;  // 0.001
        const BinanceReply reply = h.place(r, "fs-mkt-1");
        QVERIFY2(reply.ok(), reply.body.c_str());
        const QJsonObject order = json(reply).object();
        QCOMPARE(order["status"].toString(), QString("FILLED"));
        QCOMPARE(order["executedQty"].toString(), QString("0.00100000"));
        const QJsonArray fills = order["fills"].toArray();
        QCOMPARE(fills.size(), 1);
        QCOMPARE(fills[0].toObject()["price"].toString(),
                 QString::fromStdString(btcusdt().formatPrice(t.ask)) + "000000");
        // The account moved by the fill: 10 + 0.001 base.
        const BinanceReply account =
            h.await([&](auto done) { h.gateway->account(std::move(done)); });
        QVERIFY(account.ok());
        const QJsonArray balances = json(account).object()["balances"].toArray();
        QCOMPARE(balances[0].toObject()["asset"].toString(), QString("BTC"));
        QCOMPARE(balances[0].toObject()["free"].toString(), QString("10.00100000"));
    }

    void wrongSecretIsRejectedWithMinus1022() {
        ExchangeProcess exchange(exchangeArgs());
        Harness h(exchange, "not-the-secret");
        const BinanceReply reply =
            h.await([&](auto done) { h.gateway->openOrders(std::move(done)); });
        QCOMPARE(reply.kind, BinanceReply::Kind::VenueReject);
        QCOMPARE(reply.code, -1022);
        QCOMPARE(reply.httpStatus, 400);
        QCOMPARE(QString::fromStdString(reply.message),
                 QString("Signature for this request is not valid."));
    }

    void wrongApiKeyIsRejectedWithMinus2015() {
        ExchangeProcess exchange(exchangeArgs());
        Harness h(exchange, kSecret, "someone-elses-key");
        const BinanceReply reply = h.await([&](auto done) { h.gateway->account(std::move(done)); });
        QCOMPARE(reply.kind, BinanceReply::Kind::VenueReject);
        QCOMPARE(reply.code, -2015);
    }

    void staleTimestampIsRejectedWithMinus1021() {
        ExchangeProcess exchange(exchangeArgs());
        QVERIFY(exchange.command("pause").startsWith("ok"));
        Harness h(exchange);
        h.gateway->setServerTimeOffsetMs(-6000);  // older than the 5000 ms recvWindow
        const Touch t = serverTouch(exchange);
        const BinanceReply reply = h.place(limitBuy(t.bid - 10, 100), "fs-stale");
        QCOMPARE(reply.kind, BinanceReply::Kind::VenueReject);
        QCOMPARE(reply.code, -1021);
        h.gateway->setServerTimeOffsetMs(+3000);  // more than 1 s ahead
        QCOMPARE(h.await([&](auto done) { h.gateway->account(std::move(done)); }).code, -1021);
        QCOMPARE(orderStats(exchange)["placed"].toInt(), 0);
    }

    void clientOrderIdOutsideBinancesPatternIsRefusedAndNeverSent() {
        ExchangeProcess exchange(exchangeArgs());
        QVERIFY(exchange.command("pause").startsWith("ok"));
        Harness h(exchange);
        const Touch t = serverTouch(exchange);
        const BinanceReply resting = h.place(limitBuy(t.bid - 100, 200), "victim-1");
        QVERIFY2(resting.ok(), resting.body.c_str());
        const qint64 victimId = json(resting).object()["orderId"].toInteger();
        QCOMPARE(orderStats(exchange)["signedRequests"].toInt(), 1);

        // Each would have been one more parameter had the id been pasted into the query.
        const ClientOrderId cancelInjection = "nope&orderId=" + std::to_string(victimId);
        const BinanceReply cancel =
            h.await([&](auto done) { h.gateway->cancelOrder(cancelInjection, std::move(done)); });
        QCOMPARE(cancel.kind, BinanceReply::Kind::Refused);
        const BinanceReply query = h.await(
            [&](auto done) { h.gateway->queryOrder(ClientOrderId("a b"), std::move(done)); });
        QCOMPARE(query.kind, BinanceReply::Kind::Refused);
        OrderRequest sell = limitBuy(t.bid - 100, 200);
        const BinanceReply order = h.place(sell, "x&side=SELL");
        QCOMPARE(order.kind, BinanceReply::Kind::Refused);
        QCOMPARE(h.place(sell, std::string(37, 'a')).kind, BinanceReply::Kind::Refused);
        QCOMPARE(h.gateway->requestsSent(), std::uint64_t{1});
        QCOMPARE(orderStats(exchange)["signedRequests"].toInt(), 1);

        // The victim still rests.
        const BinanceReply still = h.await(
            [&](auto done) { h.gateway->queryOrder(ClientOrderId("victim-1"), std::move(done)); });
        QCOMPARE(json(still).object()["status"].toString(), QString("NEW"));
    }

    void apiKeyWithALineBreakIsRefusedAndNeverSent() {
        ExchangeProcess exchange(exchangeArgs());
        Harness h(exchange, kSecret, std::string(kKey) + "\r\nX-Injected: 1");
        const BinanceReply reply =
            h.await([&](auto done) { h.gateway->openOrders(std::move(done)); });
        QCOMPARE(reply.kind, BinanceReply::Kind::Refused);
        QVERIFY(reply.message.find(kKey) == std::string::npos);
        QCOMPARE(h.gateway->requestsSent(), std::uint64_t{0});
        QCOMPARE(orderStats(exchange)["signedRequests"].toInt(), 0);
    }

    void riskBlockNeverReachesTheExchange() {
        ExchangeProcess exchange(exchangeArgs());
        QVERIFY(exchange.command("pause").startsWith("ok"));
        Harness h(exchange);
        const Touch t = serverTouch(exchange);
        const BinanceReply big = h.place(limitBuy(t.bid, 100'001), "fs-big");  // over 1 BTC
        QCOMPARE(big.kind, BinanceReply::Kind::Refused);
        QCOMPARE(big.riskRule, std::optional<RiskRule>(RiskRule::MaxOrderSize));
        // 3% below the bid: outside the 1% band.
        const BinanceReply far = h.place(limitBuy(t.bid * 97 / 100, 100), "fs-far");
        QCOMPARE(far.riskRule, std::optional<RiskRule>(RiskRule::PriceBand));
        QVERIFY(far.message.find("price band") != std::string::npos);
        QCOMPARE(h.gateway->requestsSent(), std::uint64_t{0});
        QCOMPARE(orderStats(exchange)["signedRequests"].toInt(), 0);
    }

    void weightBudgetStopsRequestsBeforeTheLimit() {
        ExchangeProcess exchange(exchangeArgs());
        BinanceGatewayConfig config;
        config.weightLimitPerMinute = 30;  // account costs 20: one fits, a second does not
        config.weightReserve = 0;
        Harness h(exchange, kSecret, kKey, config);
        QVERIFY(h.await([&](auto done) { h.gateway->account(std::move(done)); }).ok());
        const BinanceReply second =
            h.await([&](auto done) { h.gateway->account(std::move(done)); });
        QCOMPARE(second.kind, BinanceReply::Kind::Refused);
        QVERIFY(second.message.find("request weight") != std::string::npos);
        QCOMPARE(orderStats(exchange)["signedRequests"].toInt(), 1);
    }

    void requestsShareOneConnectionOpenedAhead() {
        ExchangeProcess exchange(exchangeArgs());
        QVERIFY(exchange.command("pause").startsWith("ok"));
        Harness h(exchange);
        // The gateway dialled when it was made: the handshake is done before any request.
        const auto start = std::chrono::steady_clock::now();
        while (h.gateway->connectionStats().handshakes == 0 &&
               std::chrono::steady_clock::now() - start < std::chrono::seconds(5))
            h.loop.runFor(10'000'000);
        // The exchange counts its side of the handshake a moment after the client is done.
        while (connectionStat(exchange, "tlsHandshakes") == 0 &&
               std::chrono::steady_clock::now() - start < std::chrono::seconds(5))
            h.loop.runFor(10'000'000);
        QCOMPARE(connectionStat(exchange, "tlsHandshakes"), 1);
        QVERIFY(h.await([&](auto done) { h.gateway->syncTime(std::move(done)); }).ok());
        const Touch t = serverTouch(exchange);
        QVERIFY(h.place(limitBuy(t.bid - 100, 200), "keep-1").ok());
        const RequestTiming timing = h.gateway->lastOrderTiming();
        QVERIFY(timing.reusedConnection);
        QVERIFY(timing.queuedSteadyNs > 0);
        QVERIFY(timing.writeIssuedSteadyNs >= timing.queuedSteadyNs);
        QVERIFY(timing.writtenSteadyNs >= timing.writeIssuedSteadyNs);
        QVERIFY(timing.answeredSteadyNs >= timing.writtenSteadyNs);
        QVERIFY(h.await([&](auto done) {
                     h.gateway->cancelOrder(ClientOrderId("keep-1"), std::move(done));
                 }).ok());
        QVERIFY(h.await([&](auto done) { h.gateway->openOrders(std::move(done)); }).ok());
        QVERIFY(h.await([&](auto done) { h.gateway->account(std::move(done)); }).ok());
        QCOMPARE(connectionStat(exchange, "accepted"), 1);
        QCOMPARE(connectionStat(exchange, "tlsHandshakes"), 1);
        QCOMPARE(h.gateway->connectionStats().connectionsOpened, std::uint64_t{1});
        QCOMPARE(h.gateway->connectionStats().reusedRequests, std::uint64_t{5});
    }

    void withoutKeepAliveEachRequestHasItsOwnConnection() {
        ExchangeProcess exchange(exchangeArgs());
        BinanceGatewayConfig config;
        config.keepAlive = false;
        Harness h(exchange, kSecret, kKey, config);
        QVERIFY(h.await([&](auto done) { h.gateway->syncTime(std::move(done)); }).ok());
        QVERIFY(h.await([&](auto done) { h.gateway->openOrders(std::move(done)); }).ok());
        QCOMPARE(connectionStat(exchange, "accepted"), 2);
        QCOMPARE(h.gateway->connectionStats().reusedRequests, std::uint64_t{0});
    }

    void orderWhoseConnectionDiesIsReportedNotResentAndTheQuerySettlesIt() {
        ExchangeProcess exchange(exchangeArgs());
        QVERIFY(exchange.command("pause").startsWith("ok"));
        Harness h(exchange);
        QVERIFY(h.await([&](auto done) { h.gateway->syncTime(std::move(done)); }).ok());
        const Touch t = serverTouch(exchange);
        // The exchange takes the order, then the connection dies before the answer.
        QVERIFY(exchange.command("fault rest-hangup").startsWith("ok"));
        const BinanceReply lost = h.place(limitBuy(t.bid - 100, 200), "lost-1");
        QCOMPARE(lost.kind, BinanceReply::Kind::NetworkError);
        QVERIFY2(lost.message.find("not sent again") != std::string::npos, lost.message.c_str());
        QCOMPARE(connectionStat(exchange, "restHangups"), 1);
        QCOMPARE(orderStats(exchange)["placed"].toInt(), 1);
        QCOMPARE(orderStats(exchange)["signedRequests"].toInt(), 1);  // sent once, and only once
        // What the order entry does with an unknown outcome: ask the venue by client order id
        // (a GET, on a new connection).
        const BinanceReply query = h.await(
            [&](auto done) { h.gateway->queryOrder(ClientOrderId("lost-1"), std::move(done)); });
        QVERIFY2(query.ok(), query.body.c_str());
        QCOMPARE(json(query).object()["status"].toString(), QString("NEW"));
        QCOMPARE(orderStats(exchange)["placed"].toInt(), 1);
    }

    void queryWhoseConnectionDiesIsSentAgain() {
        ExchangeProcess exchange(exchangeArgs());
        Harness h(exchange);
        QVERIFY(h.await([&](auto done) { h.gateway->syncTime(std::move(done)); }).ok());
        QVERIFY(exchange.command("fault rest-hangup").startsWith("ok"));
        const BinanceReply open =
            h.await([&](auto done) { h.gateway->openOrders(std::move(done)); });
        QVERIFY2(open.ok(), open.message.c_str());
        QCOMPARE(json(open).array().size(), 0);
        QCOMPARE(h.gateway->connectionStats().retries, std::uint64_t{1});
        QCOMPARE(orderStats(exchange)["signedRequests"].toInt(), 2);
        QCOMPARE(connectionStat(exchange, "accepted"), 2);
    }

    void exchangeChecksSymbolAndMandatoryParameters() {
        ExchangeProcess exchange(exchangeArgs());
        net::EventLoop loop;
        net::HttpsClient client(loop, net::TlsConfig{exchange.caFile()});
        auto send = [&](const std::string& params) {
            const auto nowMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count();
            const std::string query = params + "&timestamp=" + std::to_string(nowMs);
            net::HttpRequest request;
            request.method = "POST";
            request.url = *net::Url::join(exchange.restUrl(),
                                          "/api/v3/order?" + signBinanceQuery(query, kSecret));
            request.headers.emplace_back("X-MBX-APIKEY", kKey);
            std::optional<net::HttpResponse> response;
            client.request(request, [&](net::HttpResponse r) { response = std::move(r); });
            for (int i = 0; i < 500 && !response; ++i)
                loop.runFor(20'000'000);
            int code = 0;
            std::string message;
            // 0 (never a Binance code) when there was no answer or it was not an error.
            if (!response || !parseBinanceError(response->body, code, message)) return 0;
            return code;
        };
        QCOMPARE(send("symbol=ETHUSDT&side=BUY&type=MARKET&quantity=0.001"), -1121);
        QCOMPARE(send("symbol=BTCUSDT&type=MARKET&quantity=0.001"), -1102);  // no side
        QCOMPARE(send("symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.001"),
                 -1102);  // no price
        QCOMPARE(send("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.000001"),
                 -1013);  // finer than the lot
    }
};

QTEST_GUILESS_MAIN(TestBinanceGateway)
#include "tst_binance_gateway.moc"
