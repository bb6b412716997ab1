// Live order entry on Binance spot against the loopback exchange over TLS, which checks keys and
// signatures as Binance does: the entry starts disarmed, orders rest, fill and get rejected with
// Binance's codes, a double click sends one order, a restart adopts the venue's open orders
// without re-sending anything, the kill switch empties the venue within a second, a move ends
// with one order at the new price, and the audit file never holds the keys.
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "binance_test_account.h"
#include "exchange_process.h"
#include "feed/feed_engine.h"
#include "feed/feed_thread.h"
#include "feed/venue_source.h"
#include "net/event_loop.h"
#include "trading/binance_order_entry.h"

using namespace flowscope;
using namespace flowscope::trading;
using namespace flowscope::testing;  // the exchange and the test account

namespace {

/// A paused exchange (a fixed touch), one loop, and entries on it.
class Desk {
  public:
    Desk() : exchange({"--api-key", kKey, "--api-secret", kSecret}) {
        if (!exchange.command("pause").startsWith("ok")) throw std::runtime_error("pause");
        touch = serverTouch(exchange);
    }

    std::unique_ptr<BinanceOrderEntry> makeEntry(std::string auditPath = {},
                                                 TimeNs sessionNs = 1'700'000'000'000'000'000) {
        BinanceOrderEntryConfig config;
        config.gateway.restUrl = exchange.restUrl();
        config.gateway.tls.caFile = exchange.caFile();
        config.credentials = {SecretText(kKey), SecretText(kSecret)};
        config.limits = limits();
        config.auditPath = std::move(auditPath);
        config.pollIntervalNs = 200'000'000;
        auto entry =
            std::make_unique<BinanceOrderEntry>(loop, btcusdt(), std::move(config), sessionNs);
        entry->onMarket(touch.bid, touch.ask);
        return entry;
    }

    bool runUntil(const std::function<bool()>& done, int timeoutMs = 5000) {
        QElapsedTimer timer;
        timer.start();
        while (!done()) {
            if (timer.elapsed() > timeoutMs) return false;
            loop.runFor(2'000'000);
        }
        return true;
    }

    /// An armed entry long 200 lots at market with a bracket (take-profit 50 ticks, stop 30),
    /// once the take-profit rests at the venue; null if it never gets there.
    std::unique_ptr<BinanceOrderEntry> longWithBracket() {
        auto entry = makeEntry();
        if (!runUntil([&] { return !entry->reconciling(); })) return nullptr;
        entry->setArmed(true);
        const OrderRequest buy{Side::Bid, OrderType::Market, 0, 200,
                               TimeInForce::ImmediateOrCancel};
        if (entry->submitBracket(buy, {50, 30}, "bracket").status != SubmitStatus::Sent)
            return nullptr;
        const bool resting = runUntil([&] {
            return entry->manager().position().qty() == 200 && venueOpenOrders().size() == 1;
        });
        return resting ? std::move(entry) : nullptr;
    }

    /// The venue's open orders, asked with a gateway of its own (not the entry's view).
    /// A gateway of its own on the same account: another program, or the test's own eyes.
    std::unique_ptr<BinanceRestGateway> otherGateway() {
        BinanceGatewayConfig config;
        config.restUrl = exchange.restUrl();
        config.tls.caFile = exchange.caFile();
        return std::make_unique<BinanceRestGateway>(
            loop, config, ApiCredentials{SecretText(kKey), SecretText(kSecret)},
            RiskCheck(btcusdt(), limits()));
    }

    QJsonArray venueOpenOrders() {
        const auto gateway = otherGateway();
        std::optional<BinanceReply> reply;
        gateway->openOrders([&](BinanceReply r) { reply = std::move(r); });
        if (!runUntil([&] { return reply.has_value(); }) || !reply->ok()) return {};
        return QJsonDocument::fromJson(QByteArray::fromStdString(reply->body)).array();
    }

    ExchangeProcess exchange;
    net::EventLoop loop;
    Touch touch;
};

bool stateIs(const BinanceOrderEntry& entry, const ClientOrderId& id, OrderState state) {
    const Order* o = entry.manager().find(id);
    return o && o->state() == state;
}

}  // namespace

class TestBinanceOrderEntry : public QObject {
    Q_OBJECT

  private slots:
    void startsDisarmedAndBlocksWithRuleDisarmed() {
        Desk desk;
        auto entry = desk.makeEntry();
        QVERIFY(entry->state().available);
        QVERIFY(!entry->state().armed);
        const SubmitOutcome outcome =
            entry->submitLimit(Side::Bid, desk.touch.bid - 100, 200, "click-1");
        QCOMPARE(outcome.status, SubmitStatus::Blocked);
        QVERIFY(outcome.rejection);
        QCOMPARE(outcome.rejection->rule, RiskRule::Disarmed);
        QVERIFY(desk.runUntil([&] { return !entry->reconciling(); }));
        QCOMPARE(orderStats(desk.exchange)["placed"].toInt(), 0);
    }

    void limitOrderRestsAndShowsInState() {
        Desk desk;
        auto entry = desk.makeEntry();
        QVERIFY(desk.runUntil([&] { return !entry->reconciling(); }));
        entry->setArmed(true);
        const PriceTicks price = desk.touch.bid - 100;
        const SubmitOutcome outcome = entry->submitLimit(Side::Bid, price, 200, "click-1");
        QCOMPARE(outcome.status, SubmitStatus::Sent);
        QVERIFY(
            desk.runUntil([&] { return stateIs(*entry, outcome.id, OrderState::Acknowledged); }));
        const TradingState s = entry->state();
        QCOMPARE(s.orders.size(), std::size_t{1});
        QCOMPARE(s.orders[0].id, outcome.id);
        QCOMPARE(s.orders[0].priceTicks, price);
        QCOMPARE(s.orders[0].remaining, Lots{200});
        const QJsonArray venue = desk.venueOpenOrders();
        QCOMPARE(venue.size(), 1);
        QCOMPARE(venue[0].toObject()["clientOrderId"].toString(),
                 QString::fromStdString(outcome.id));
        QCOMPARE(venue[0].toObject()["origQty"].toString(), QString("0.00200000"));
    }

    void marketOrderFillsAndMovesPositionAndPnl() {
        Desk desk;
        auto entry = desk.makeEntry();
        QVERIFY(desk.runUntil([&] { return !entry->reconciling(); }));
        entry->setArmed(true);
        const SubmitOutcome outcome = entry->submitMarket(Side::Bid, 100, "buy-1");  // 0.001 BTC
        QCOMPARE(outcome.status, SubmitStatus::Sent);
        QVERIFY(desk.runUntil([&] { return stateIs(*entry, outcome.id, OrderState::Filled); }));
        const TradingState s = entry->state();
        QCOMPARE(s.positionQty, Lots{100});
        QCOMPARE(s.averagePriceTicks, static_cast<double>(desk.touch.ask));
        QCOMPARE(s.lastFills.size(), std::size_t{1});
        QCOMPARE(s.lastFills[0].priceTicks, desk.touch.ask);
        // Bought at the ask, marked at the mid: half the spread lost on 0.001 BTC.
        const double halfSpread = static_cast<double>(desk.touch.ask - desk.touch.bid) / 2.0;
        QVERIFY(std::abs(s.unrealisedQuote - (-halfSpread * 0.01 * 0.001)) < 1e-9);
        // Taker fee 10 bps of the notional.
        const double notional = static_cast<double>(desk.touch.ask) * 0.01 * 0.001;
        QVERIFY(std::abs(s.feesQuote - notional * 0.001) < 1e-9);
        QVERIFY(s.orders.empty());
    }

    void venueRejectCarriesBinanceCodeAndMessage() {
        Desk desk;
        auto entry = desk.makeEntry();
        QVERIFY(desk.runUntil([&] { return !entry->reconciling(); }));
        entry->setArmed(true);
        // A post-only buy at the ask would take: Binance refuses the LIMIT_MAKER with -2010.
        const SubmitOutcome outcome = entry->submit(
            OrderRequest{Side::Bid, OrderType::PostOnly, desk.touch.ask, 100}, "maker-1");
        QCOMPARE(outcome.status, SubmitStatus::Sent);
        QVERIFY(desk.runUntil([&] { return stateIs(*entry, outcome.id, OrderState::Rejected); }));
        const std::string expected = "binance -2010: Order would immediately match and take.";
        QCOMPARE(entry->manager().find(outcome.id)->rejectReason(), expected);
        QVERIFY(entry->state().lastMessage.find(expected) != std::string::npos);
    }

    void doubleSubmitWithOneKeySendsOneOrder() {
        Desk desk;
        auto entry = desk.makeEntry();
        QVERIFY(desk.runUntil([&] { return !entry->reconciling(); }));
        entry->setArmed(true);
        const SubmitOutcome first =
            entry->submitLimit(Side::Ask, desk.touch.ask + 100, 300, "click-7");
        const SubmitOutcome second =
            entry->submitLimit(Side::Ask, desk.touch.ask + 100, 300, "click-7");
        QCOMPARE(first.status, SubmitStatus::Sent);
        QCOMPARE(second.status, SubmitStatus::Duplicate);
        QCOMPARE(second.id, first.id);
        QVERIFY(desk.runUntil([&] { return stateIs(*entry, first.id, OrderState::Acknowledged); }));
        // After the acknowledgement too: still the same order.
        QCOMPARE(entry->submitLimit(Side::Ask, desk.touch.ask + 100, 300, "click-7").status,
                 SubmitStatus::Duplicate);
        QCOMPARE(orderStats(desk.exchange)["placed"].toInt(), 1);
        QCOMPARE(desk.venueOpenOrders().size(), 1);
    }

    void reconciliationAdoptsVenueOrdersAndResendsNothing() {
        Desk desk;
        ClientOrderId a, b;
        {
            auto first = desk.makeEntry({}, 1'700'000'000'000'000'000);
            QVERIFY(desk.runUntil([&] { return !first->reconciling(); }));
            first->setArmed(true);
            a = first->submitLimit(Side::Bid, desk.touch.bid - 100, 200, "a").id;
            b = first->submitLimit(Side::Ask, desk.touch.ask + 100, 300, "b").id;
            QVERIFY(desk.runUntil([&] {
                return stateIs(*first, a, OrderState::Acknowledged) &&
                       stateIs(*first, b, OrderState::Acknowledged);
            }));
            // A reconnect of the same session: its orders are settled, not doubled.
            first->reconcile();
            QVERIFY(first->reconciling());
            QVERIFY(desk.runUntil([&] { return !first->reconciling(); }));
            QCOMPARE(first->state().orders.size(), std::size_t{2});
            QVERIFY(first->adoptedOrders().empty());
        }
        // A restart: a new session finds the earlier one's orders at the venue.
        auto second = desk.makeEntry({}, 1'700'000'100'000'000'000);
        second->setArmed(true);
        QVERIFY(second->reconciling());
        const SubmitOutcome early =
            second->submitLimit(Side::Bid, desk.touch.bid - 200, 100, "early");
        QCOMPARE(early.status, SubmitStatus::NotConnected);
        QCOMPARE(second->state().lastMessage,
                 std::string("reconciling open orders with the venue"));
        QVERIFY(desk.runUntil([&] { return !second->reconciling(); }));
        QCOMPARE(second->adoptedOrders().size(), std::size_t{2});
        QVERIFY(second->adoptedOrders().count(a));
        QVERIFY(second->adoptedOrders().count(b));
        QCOMPARE(second->adoptedOrders().at(b).origQty, Lots{300});
        QCOMPARE(second->state().orders.size(), std::size_t{2});
        QCOMPARE(orderStats(desk.exchange)["placed"].toInt(), 2);
        // Adopted orders can be cancelled like ours.
        QCOMPARE(second->cancel(a), CancelStatus::Sent);
        QVERIFY(desk.runUntil([&] { return second->adoptedOrders().size() == 1; }));
        QCOMPARE(desk.venueOpenOrders().size(), 1);
        QCOMPARE(orderStats(desk.exchange)["placed"].toInt(), 2);
    }

    void killSwitchEmptiesTheVenueWithinOneSecond() {
        Desk desk;
        {
            auto earlier = desk.makeEntry({}, 1'700'000'000'000'000'000);
            QVERIFY(desk.runUntil([&] { return !earlier->reconciling(); }));
            earlier->setArmed(true);
            const auto id = earlier->submitLimit(Side::Bid, desk.touch.bid - 300, 100, "old").id;
            QVERIFY(desk.runUntil([&] { return stateIs(*earlier, id, OrderState::Acknowledged); }));
        }
        auto entry = desk.makeEntry({}, 1'700'000'100'000'000'000);
        QVERIFY(desk.runUntil([&] { return !entry->reconciling(); }));
        entry->setArmed(true);
        const auto buy = entry->submitMarket(Side::Bid, 100, "buy");
        std::vector<ClientOrderId> resting;
        for (int i = 1; i <= 3; ++i) {
            const SubmitOutcome o = entry->submitLimit(Side::Bid, desk.touch.bid - 10 * i, 100,
                                                       "rest-" + std::to_string(i));
            QCOMPARE(o.status, SubmitStatus::Sent);
            resting.push_back(o.id);
        }
        QVERIFY(desk.runUntil([&] {
            for (const ClientOrderId& id : resting)
                if (!stateIs(*entry, id, OrderState::Acknowledged)) return false;
            return stateIs(*entry, buy.id, OrderState::Filled);
        }));
        QCOMPARE(desk.venueOpenOrders().size(), 4);

        QElapsedTimer timer;
        timer.start();
        entry->killSwitch(true);
        QVERIFY(!entry->state().armed);
        QVERIFY(desk.runUntil(
            [&] {
                return entry->manager().openOrderCount() == 0 && entry->adoptedOrders().empty() &&
                       entry->manager().position().qty() == 0;
            },
            1000));
        const qint64 elapsedMs = timer.elapsed();
        qInfo("kill switch: 4 cancels and a flattening sell confirmed in %lld ms", elapsedMs);
        QVERIFY(elapsedMs < 1000);
        QCOMPARE(desk.venueOpenOrders().size(), 0);
        QCOMPARE(orderStats(desk.exchange)["cancelled"].toInt(), 4);
        QVERIFY(!entry->state().armed);
        // Disarmed afterwards: nothing new leaves.
        QCOMPARE(entry->submitMarket(Side::Bid, 100, "after").status, SubmitStatus::Blocked);
    }

    void moveOrderEndsWithOneOrderAtTheNewPrice() {
        Desk desk;
        auto entry = desk.makeEntry();
        QVERIFY(desk.runUntil([&] { return !entry->reconciling(); }));
        entry->setArmed(true);
        const PriceTicks from = desk.touch.bid - 100;
        const PriceTicks to = desk.touch.bid - 150;
        const auto id = entry->submitLimit(Side::Bid, from, 250, "order").id;
        QVERIFY(desk.runUntil([&] { return stateIs(*entry, id, OrderState::Acknowledged); }));
        QCOMPARE(entry->moveOrder(id, to).status, SubmitStatus::Sent);
        // A second drag to the same price while the cancel is on its way changes nothing.
        QCOMPARE(entry->moveOrder(id, to).status, SubmitStatus::Duplicate);
        QVERIFY(desk.runUntil([&] {
            const TradingState s = entry->state();
            return stateIs(*entry, id, OrderState::Cancelled) && s.orders.size() == 1 &&
                   entry->manager().openOrderCount() == 1 &&
                   stateIs(*entry, s.orders[0].id, OrderState::Acknowledged);
        }));
        const TradingState s = entry->state();
        QCOMPARE(s.orders[0].priceTicks, to);
        QCOMPARE(s.orders[0].remaining, Lots{250});
        const QJsonArray venue = desk.venueOpenOrders();
        QCOMPARE(venue.size(), 1);
        QCOMPARE(venue[0].toObject()["price"].toString(),
                 QString::fromStdString(btcusdt().formatPrice(to)) + "000000");
        QCOMPARE(orderStats(desk.exchange)["placed"].toInt(), 2);
        QCOMPARE(orderStats(desk.exchange)["cancelled"].toInt(), 1);
    }

    void keysNeverReachTheAuditFile() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath("audit.log");
        Desk desk;
        {
            auto entry = desk.makeEntry(path.toStdString());
            QVERIFY(desk.runUntil([&] { return !entry->reconciling(); }));
            entry->setArmed(true);
            const auto id = entry->submitLimit(Side::Bid, desk.touch.bid - 100, 200, "c").id;
            QVERIFY(desk.runUntil([&] { return stateIs(*entry, id, OrderState::Acknowledged); }));
            QCOMPARE(entry->cancel(id), CancelStatus::Sent);
            QVERIFY(desk.runUntil([&] { return stateIs(*entry, id, OrderState::Cancelled); }));
        }
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray text = file.readAll();
        QVERIFY(text.contains("submit"));
        QVERIFY(text.contains("cancelled"));
        QVERIFY(!text.contains(kKey));
        QVERIFY(!text.contains(kSecret));
    }

    void orderGoneFromTheVenueIsSettledByThePoll() {
        Desk desk;
        auto entry = desk.makeEntry();
        QVERIFY(desk.runUntil([&] { return !entry->reconciling(); }));
        entry->setArmed(true);
        const auto id = entry->submitLimit(Side::Bid, desk.touch.bid - 100, 200, "x").id;
        QVERIFY(desk.runUntil([&] { return stateIs(*entry, id, OrderState::Acknowledged); }));
        // Cancelled by someone else (another program on the account, the venue's web page).
        const auto other = desk.otherGateway();
        std::optional<BinanceReply> reply;
        other->cancelOrder(id, [&](BinanceReply r) { reply = std::move(r); });
        QVERIFY(desk.runUntil([&] { return reply.has_value(); }));
        QVERIFY(reply->ok());
        // The entry polls every 200 ms here; the order is missing from openOrders, so the entry
        // asks the venue for it (GET /api/v3/order) and takes the venue's word: cancelled.
        QVERIFY(desk.runUntil([&] { return stateIs(*entry, id, OrderState::Cancelled); }, 2000));
        QVERIFY(entry->state().orders.empty());
        QVERIFY2(entry->state().lastMessage.find("at the venue, not by us") != std::string::npos,
                 entry->state().lastMessage.c_str());
    }

    void bracketRestsATakeProfitAtTheVenueAndItsStopClosesThePosition() {
        Desk desk;
        auto entry = desk.makeEntry();
        QVERIFY(desk.runUntil([&] { return !entry->reconciling(); }));
        entry->setArmed(true);
        const auto outcome = entry->submitBracket(
            {Side::Bid, OrderType::Market, 0, 200, TimeInForce::ImmediateOrCancel}, {50, 30},
            "bracket");
        QCOMPARE(outcome.status, SubmitStatus::Sent);
        const auto legs = [&] {
            std::optional<WorkingOrder> tp, sl;
            for (const WorkingOrder& o : entry->state().orders) {
                if (o.role == OrderRole::TakeProfit && !o.heldLocally) tp = o;
                if (o.role == OrderRole::StopLoss && o.heldLocally) sl = o;
            }
            return std::pair{tp, sl};
        };
        // The take-profit rests at the venue once the entry's fill is in; the stop waits here.
        QVERIFY(desk.runUntil([&] {
            const auto [tp, sl] = legs();
            return entry->manager().position().qty() == 200 && tp && sl &&
                   stateIs(*entry, tp->id, OrderState::Acknowledged);
        }));
        const PriceTicks average = entry->manager().position().averagePriceTicks();
        auto [tp, sl] = legs();
        QCOMPARE(tp->side, Side::Ask);
        QCOMPARE(tp->remaining, Lots{200});
        QCOMPARE(tp->priceTicks, average + 50);
        QCOMPARE(sl->priceTicks, average - 30);
        QJsonArray venue = desk.venueOpenOrders();
        QCOMPARE(venue.size(), 1);
        QCOMPARE(venue[0].toObject()["side"].toString(), QString("SELL"));

        // Dragging the stop moves it here only; nothing is sent for it.
        const auto stats = orderStats(desk.exchange);
        QCOMPARE(entry->moveOrder(sl->id, average - 20).status, SubmitStatus::Sent);
        QCOMPARE(legs().second->priceTicks, average - 20);
        QCOMPARE(orderStats(desk.exchange)["placed"], stats["placed"]);

        // The touch falls to the stop: a market sell closes the position, the take-profit goes.
        entry->onMarket(average - 21, average - 19);
        QVERIFY(desk.runUntil([&] {
            return entry->manager().position().qty() == 0 && entry->state().orders.empty();
        }));
        QCOMPARE(entry->brackets().stopsTriggered(), std::uint64_t{1});
        QCOMPARE(desk.venueOpenOrders().size(), 0);
        QVERIFY(stateIs(*entry, tp->id, OrderState::Cancelled));
    }

    void bracketStopFiresOnATradePrintBeforeTheTouchMoves() {
        // Binance's depth comes every 100 ms; a trade through the stop is seen first.
        Desk desk;
        auto entry = desk.longWithBracket();
        QVERIFY(entry);
        const PriceTicks stopPrice = entry->manager().position().averagePriceTicks() - 30;
        QVERIFY(desk.touch.bid > stopPrice);

        // A print above the stop, the touch unchanged: nothing happens.
        entry->onPrint(stopPrice + 1);
        entry->onMarket(desk.touch.bid, desk.touch.ask);
        desk.runUntil([] { return false; }, 100);
        QCOMPARE(entry->brackets().stopsTriggered(), std::uint64_t{0});
        QCOMPARE(entry->manager().position().qty(), Lots{200});

        // A print at the stop, the touch still above it: the stop closes the position.
        entry->onPrint(stopPrice);
        entry->onMarket(desk.touch.bid, desk.touch.ask);
        QCOMPARE(entry->brackets().stopsTriggered(), std::uint64_t{1});
        QVERIFY(desk.runUntil([&] {
            return entry->manager().position().qty() == 0 && entry->state().orders.empty();
        }));
        QCOMPARE(desk.venueOpenOrders().size(), 0);
    }

    void stopAfterATakeProfitFilledUnseenDoesNotSellTwice() {
        // The take-profit fills at the venue; before the entry's poll has seen it, the stop
        // fires. Its cancel of the take-profit meets "unknown order", the venue's word settles
        // the fill, and no stop order leaves: selling again would open a short.
        Desk desk;
        auto entry = desk.longWithBracket();
        QVERIFY(entry);
        const PriceTicks average = entry->manager().position().averagePriceTicks();
        QCOMPARE(orderStats(desk.exchange)["placed"].toInt(), 2);  // entry, take-profit
        QCOMPARE(desk.exchange.command("fill-resting"), QByteArray("ok filled 1 resting orders"));
        entry->onMarket(average - 31, average - 29);  // through the stop at once
        QCOMPARE(entry->brackets().stopsTriggered(), std::uint64_t{1});
        QVERIFY(desk.runUntil([&] {
            return entry->manager().position().qty() == 0 && entry->state().orders.empty() &&
                   entry->brackets().bracketCount() == 0;
        }));
        desk.runUntil([] { return false; }, 300);  // a late stop order would show by now
        QCOMPARE(orderStats(desk.exchange)["placed"].toInt(), 2);
        QCOMPARE(entry->manager().position().qty(), Lots{0});
        // Closed at the take-profit's price: 50 ticks of profit on 200 lots.
        QCOMPARE(entry->state().lastFills.front().priceTicks, average + 50);
    }

    void killSwitchAlsoCancelsOrdersThisSessionNeverSaw() {
        Desk desk;
        auto entry = desk.makeEntry();
        QVERIFY(desk.runUntil([&] { return !entry->reconciling(); }));
        entry->setArmed(true);
        const auto ours = entry->submitLimit(Side::Bid, desk.touch.bid - 100, 100, "ours").id;
        QVERIFY(desk.runUntil([&] { return stateIs(*entry, ours, OrderState::Acknowledged); }));
        // Placed by another program on the account after the reconciliation: the entry has not
        // seen it (its next poll has not run), yet the kill switch must take it too.
        const auto other = desk.otherGateway();
        other->risk().setArmed(true);
        std::optional<BinanceReply> placed;
        RiskContext context;
        context.bestBid = desk.touch.bid;
        context.bestAsk = desk.touch.ask;
        other->placeOrder({Side::Ask, OrderType::Limit, desk.touch.ask + 200, 100},
                          ClientOrderId("other-program-1"), context,
                          [&](BinanceReply r) { placed = std::move(r); });
        QVERIFY(desk.runUntil([&] { return placed.has_value(); }));
        QVERIFY2(placed->ok(), placed->message.c_str());
        QCOMPARE(desk.venueOpenOrders().size(), 2);

        entry->killSwitch(false);
        QVERIFY(desk.runUntil([&] { return desk.venueOpenOrders().empty(); }, 1000));
        QVERIFY(desk.runUntil([&] { return stateIs(*entry, ours, OrderState::Cancelled); }));
        QVERIFY(desk.runUntil(
            [&] { return entry->state().lastMessage.find("had not seen") != std::string::npos; }));
    }

    void venueSourceTradesAndReconcilesAfterAReconnect() {
        ExchangeProcess exchange({"--api-key", kKey, "--api-secret", kSecret});
        VenueSourceConfig config;
        config.venue = venues::VenueId::BinanceSpot;
        config.instrument = {"binance-spot", "BTCUSDT", *DecimalStep::parse("0.01"),
                             *DecimalStep::parse("0.00001")};
        config.endpoints = {exchange.wsUrl(), exchange.restUrl(), exchange.caFile()};
        {
            VenueSource withoutKeys(config);
            QVERIFY(withoutKeys.orderEntry() == nullptr);
        }
        config.trading = VenueTradingConfig{{SecretText(kKey), SecretText(kSecret)}, limits(), {}};
        VenueSource source(config);
        FeedEngine feed(config.instrument);
        source.start(feed, 0);
        auto pump = [&](const std::function<bool()>& done) {
            QElapsedTimer timer;
            timer.start();
            while (!done() && timer.elapsed() < 8000) {
                source.waitForInput(5'000'000);
                source.poll(feed, static_cast<TimeNs>(timer.nsecsElapsed()));
            }
            return done();
        };
        OrderEntry* entry = source.orderEntry();
        QVERIFY(entry != nullptr);
        QVERIFY(entry->state().available);
        QVERIFY(pump([&] { return feed.state() == FeedState::Live; }));
        // Only the reconciliation has been signed so far (no open orders: no polling).
        QVERIFY(pump([&] { return orderStats(exchange)["signedRequests"].toInt() == 1; }));

        QVERIFY(exchange.command("fault drop").startsWith("ok"));
        QVERIFY(pump([&] { return feed.state() != FeedState::Live; }));
        QVERIFY(pump([&] { return feed.state() == FeedState::Live; }));
        QVERIFY(pump([&] { return orderStats(exchange)["signedRequests"].toInt() == 2; }));

        // Priced from the feed's own book: a buy 0.5% under the touch rests.
        entry->setArmed(true);
        const Touch t = serverTouch(exchange);
        const SubmitOutcome o = entry->submitLimit(Side::Bid, t.bid * 995 / 1000, 100, "live");
        QCOMPARE(o.status, SubmitStatus::Sent);
        QVERIFY(pump([&] { return entry->state().orders.size() == 1; }));
        QVERIFY(pump([&] { return orderStats(exchange)["placed"].toInt() == 1; }));
        entry->killSwitch(false);
        QVERIFY(pump([&] { return entry->state().orders.empty(); }));
        source.stop(feed);
    }

    void alertRuleAutoSubmitsOnTheLiveVenueWithinItsBudget() {
        // The semi-automatic mode end to end on the live path: feed thread, venue feed over TLS,
        // the rule on every complete event, the order signed and placed at the loopback exchange.
        ExchangeProcess exchange({"--api-key", kKey, "--api-secret", kSecret});
        VenueSourceConfig config;
        config.venue = venues::VenueId::BinanceSpot;
        config.instrument = {"binance-spot", "BTCUSDT", *DecimalStep::parse("0.01"),
                             *DecimalStep::parse("0.00001")};
        config.endpoints = {exchange.wsUrl(), exchange.restUrl(), exchange.caFile()};
        config.trading = VenueTradingConfig{{SecretText(kKey), SecretText(kSecret)}, limits(), {}};
        FeedThread thread(std::make_unique<VenueSource>(config));
        thread.start();
        const auto waitFor = [&](const std::function<bool()>& done) {
            const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(8);
            while (!done() && std::chrono::steady_clock::now() < deadline)
                std::this_thread::sleep_for(std::chrono::milliseconds(5));
            return done();
        };
        // Live, reconciled (the one signed request so far) and armed before the rule exists, so
        // its first firing meets a desk that can trade.
        QVERIFY(waitFor([&] {
            const auto s = thread.latest();
            return s && s->status.state == FeedState::Live;
        }));
        QVERIFY(waitFor([&] { return orderStats(exchange)["signedRequests"].toInt() >= 1; }));
        thread.post([](MarketSource& source, FeedEngine&) { source.orderEntry()->setArmed(true); });
        QVERIFY(waitFor([&] {
            const auto s = thread.latest();
            return s && s->trading.armed;
        }));
        // True on about half the events of the moving market: it fires again and again.
        thread.setAlertRules(
            "lean: queue_imbalance > 0 then auto buy 0.001 limit at bid max_orders 1");
        thread.setSemiAutomatic(true);
        std::vector<AlertRecord> records;
        QVERIFY(waitFor([&] {
            while (auto r = thread.alerts().pop())
                records.push_back(*r);
            return !records.empty();
        }));
        QVERIFY(waitFor([&] { return orderStats(exchange)["placed"].toInt() == 1; }));
        QCOMPARE(records.front().ruleName, std::string("lean"));
        QVERIFY2(records.front().outcome.starts_with("submitted buy 0.00100"),
                 records.front().outcome.c_str());
        // The rule's budget is one order: the next firing is refused by it and sends nothing.
        QVERIFY(waitFor([&] {
            while (auto r = thread.alerts().pop())
                records.push_back(*r);
            return records.size() >= 2;
        }));
        QVERIFY2(records[1].outcome.find("rule budget") != std::string::npos,
                 records[1].outcome.c_str());
        QCOMPARE(orderStats(exchange)["placed"].toInt(), 1);
        thread.post(
            [](MarketSource& source, FeedEngine&) { source.orderEntry()->killSwitch(false); });
        QVERIFY(waitFor([&] { return orderStats(exchange)["cancelled"].toInt() == 1; }));
        thread.stop();
    }
};

QTEST_GUILESS_MAIN(TestBinanceOrderEntry)
#include "tst_binance_order_entry.moc"
