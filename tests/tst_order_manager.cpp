// The order manager: idempotent submission (double click, retry, reconnect resend), risk
// blocks that send nothing and name their rule, venue answers through the state machine,
// cancelAll, and the audit trail, against a fake venue that records what left.
#include <QtTest>

#include <QFile>
#include <QTemporaryDir>

#include <functional>
#include <vector>

#include "trading/order_manager.h"

using namespace flowscope;
using namespace flowscope::trading;

namespace {

constexpr TimeNs kMs = 1'000'000;
constexpr TimeNs kSec = 1'000'000'000;

struct FakeVenue final : VenueGateway {
    std::vector<ClientOrderId> sent;
    std::vector<ClientOrderId> cancels;
    std::function<void(const Order&)> onSend;  ///< answers synchronously when set
    void sendNew(const Order& order) override {
        sent.push_back(order.id());
        if (onSend) onSend(order);
    }
    void sendCancel(const Order& order) override { cancels.push_back(order.id()); }
};

RiskLimits limits() {
    RiskLimits l;
    l.maxOrderQty = 1'000;
    l.maxOrderNotional = 1'000'000.0;
    l.priceBandBps = 100;
    l.maxOpenOrders = 10;
    l.maxPositionQty = 10'000;
    l.maxOrdersPerSecond = 100;
    l.dailyLossLimit = 1'000.0;
    return l;
}

struct Fixture {
    MemoryAuditLog audit;
    FakeVenue venue;
    OrderManager manager;

    explicit Fixture(RiskLimits l = limits())
        : manager(RiskCheck(Instrument("BTC-USD", DecimalStep{5, 1}, DecimalStep{1, 3}), l),
                  FeeRates{}, ClientOrderIdGenerator("s"), audit) {
        manager.setGateway(&venue);
        manager.onMarket(119'999, 120'001);  // mid 60,000.0
        manager.setArmed(true, 0);
    }
};

const OrderRequest kBuy{Side::Bid, OrderType::Limit, 120'000, 100};
const OrderRequest kSell{Side::Ask, OrderType::Limit, 120'002, 100};

}  // namespace

class TestOrderManager : public QObject {
    Q_OBJECT

  private slots:
    void doubleClickSendsOneOrder() {
        Fixture f;
        const SubmitOutcome first = f.manager.submit(kBuy, "click-1", 1 * kSec);
        const SubmitOutcome second = f.manager.submit(kBuy, "click-1", 1 * kSec + 150 * kMs);
        QCOMPARE(static_cast<int>(first.status), static_cast<int>(SubmitStatus::Sent));
        QCOMPARE(static_cast<int>(second.status), static_cast<int>(SubmitStatus::Duplicate));
        QCOMPARE(second.id, first.id);
        QCOMPARE(f.venue.sent.size(), std::size_t{1});
        QCOMPARE(f.manager.openOrderCount(), 1);
        QCOMPARE(f.manager.orderIds().size(), std::size_t{1});
    }

    void retryAfterTimeoutReturnsTheLiveOrder() {
        Fixture f;
        const SubmitOutcome first = f.manager.submit(kBuy, "intent-7", 1 * kSec);
        // No answer for 30 s (past the duplicate window): the retry must not send again.
        const SubmitOutcome retry = f.manager.submit(kBuy, "intent-7", 31 * kSec);
        QCOMPARE(static_cast<int>(retry.status), static_cast<int>(SubmitStatus::Duplicate));
        QCOMPARE(retry.id, first.id);
        // Nor does a resend after a reconnect, once the order is known live.
        f.manager.onAcknowledged(first.id, 99, 40 * kSec);
        const SubmitOutcome resend = f.manager.submit(kBuy, "intent-7", 60 * kSec);
        QCOMPARE(resend.id, first.id);
        QCOMPARE(f.venue.sent.size(), std::size_t{1});
    }

    void doneIntentWithinWindowIsStillADuplicate() {
        Fixture f;
        const SubmitOutcome first = f.manager.submit(kBuy, "k", 1 * kSec);
        f.manager.onFill(first.id, 120'000, 100, Liquidity::Taker, 1 * kSec + kMs);
        QCOMPARE(f.manager.find(first.id)->state(), OrderState::Filled);
        const SubmitOutcome again = f.manager.submit(kBuy, "k", 2 * kSec);  // 1 s later
        QCOMPARE(static_cast<int>(again.status), static_cast<int>(SubmitStatus::Duplicate));
        QCOMPARE(f.manager.position().qty(), Lots{100});  // bought once
        // After the window the same key is a new intent.
        const SubmitOutcome later = f.manager.submit(kBuy, "k", 3 * kSec + 1);
        QCOMPARE(static_cast<int>(later.status), static_cast<int>(SubmitStatus::Sent));
        QVERIFY(later.id != first.id);
        QCOMPARE(f.venue.sent.size(), std::size_t{2});
    }

    void distinctIntentsAndEmptyKeysSendEach() {
        Fixture f;
        const auto a = f.manager.submit(kBuy, "a", 1);
        const auto b = f.manager.submit(kBuy, "b", 2);
        const auto c = f.manager.submit(kBuy, "", 3);
        const auto d = f.manager.submit(kBuy, "", 4);
        QCOMPARE(f.venue.sent.size(), std::size_t{4});
        QCOMPARE(a.id, ClientOrderId("s-1"));
        QCOMPARE(d.id, ClientOrderId("s-4"));
        QVERIFY(b.id != c.id);
    }

    void disarmedBlocksWithTheRuleAndSendsNothing() {
        Fixture f;
        f.manager.setArmed(false, 5);
        const SubmitOutcome out = f.manager.submit(kBuy, "k", 10);
        QCOMPARE(static_cast<int>(out.status), static_cast<int>(SubmitStatus::Blocked));
        QVERIFY(out.rejection.has_value());
        QCOMPARE(static_cast<int>(out.rejection->rule), static_cast<int>(RiskRule::Disarmed));
        QVERIFY(f.venue.sent.empty());
        const Order* order = f.manager.find(out.id);
        QVERIFY(order);
        QCOMPARE(static_cast<int>(order->state()), static_cast<int>(OrderState::Rejected));
        QCOMPARE(order->rejectReason(), std::string("disarmed: trading is not armed"));
        QCOMPARE(f.manager.openOrderCount(), 0);
        // The block did not consume the intent: once armed the same click goes.
        f.manager.setArmed(true, 20);
        const SubmitOutcome retry = f.manager.submit(kBuy, "k", 30);
        QCOMPARE(static_cast<int>(retry.status), static_cast<int>(SubmitStatus::Sent));
        QCOMPARE(f.venue.sent.size(), std::size_t{1});
    }

    void openOrderAndRateLimitsSeeTheManagersState() {
        RiskLimits l = limits();
        l.maxOpenOrders = 3;
        Fixture f(l);
        for (int i = 0; i < 3; ++i)
            QCOMPARE(static_cast<int>(f.manager.submit(kBuy, "", i).status),
                     static_cast<int>(SubmitStatus::Sent));
        const auto fourth = f.manager.submit(kBuy, "", 3);
        QCOMPARE(static_cast<int>(fourth.rejection->rule),
                 static_cast<int>(RiskRule::MaxOpenOrders));
        f.manager.onCancelled("s-1", 4);  // frees a slot
        QCOMPARE(static_cast<int>(f.manager.submit(kBuy, "", 5).status),
                 static_cast<int>(SubmitStatus::Sent));

        RiskLimits r = limits();
        r.maxOrdersPerSecond = 2;
        Fixture g(r);
        (void)g.manager.submit(kBuy, "", 1 * kSec);
        (void)g.manager.submit(kBuy, "", 1 * kSec + 10);
        const auto third = g.manager.submit(kBuy, "", 1 * kSec + 20);
        QCOMPARE(static_cast<int>(third.rejection->rule), static_cast<int>(RiskRule::OrderRate));
        const auto later = g.manager.submit(kBuy, "", 2 * kSec + 10);  // the first has aged out
        QCOMPARE(static_cast<int>(later.status), static_cast<int>(SubmitStatus::Sent));
    }

    void venueAnswersWalkTheStateMachine() {
        Fixture f;
        const auto out = f.manager.submit(kBuy, "k", 1);
        QCOMPARE(f.manager.find(out.id)->state(), OrderState::Pending);
        f.manager.onAcknowledged(out.id, 42, 2);
        QCOMPARE(f.manager.find(out.id)->state(), OrderState::Acknowledged);
        QCOMPARE(f.manager.find(out.id)->venueOrderId(), std::uint64_t{42});
        f.manager.onFill(out.id, 120'000, 40, Liquidity::Maker, 3);
        QCOMPARE(f.manager.find(out.id)->state(), OrderState::PartiallyFilled);
        QCOMPARE(f.manager.position().qty(), Lots{40});
        f.manager.onFill(out.id, 120'000, 60, Liquidity::Maker, 4);
        QCOMPARE(f.manager.find(out.id)->state(), OrderState::Filled);
        QCOMPARE(f.manager.openOrderCount(), 0);
        QCOMPARE(f.manager.position().qty(), Lots{100});
        // Marked at mid 120,000 ticks: flat P&L. Then the touch moves up 10 ticks (5.0 USD).
        QCOMPARE(f.manager.dayPnl(), 0.0);
        f.manager.onMarket(120'009, 120'011);
        QCOMPARE(f.manager.dayPnl(), 0.5);  // 0.1 BTC x 5.0
    }

    void dailyLossLimitCountsFromMidnightUtc() {
        // 2026-12-07 23:00 UTC on an injected wall clock.
        TimeNs wall = 1'796'684'400 * kSec;
        MemoryAuditLog audit;
        FakeVenue venue;
        OrderManagerConfig config;
        config.wallClockNs = [&] { return wall; };
        OrderManager manager(
            RiskCheck(Instrument("BTC-USD", DecimalStep{5, 1}, DecimalStep{1, 3}), limits()),
            FeeRates{}, ClientOrderIdGenerator("s"), audit, config);
        manager.setGateway(&venue);
        manager.onMarket(119'999, 120'001);  // mid 60,000.0
        manager.setArmed(true, 0);
        // Long 1 BTC at 60,000, then the market falls 1,200 USD: today's loss passes the limit.
        const auto buy = manager.submit({Side::Bid, OrderType::Limit, 120'000, 1'000}, "buy", 1);
        manager.onFill(buy.id, 120'000, 1'000, Liquidity::Taker, 2);
        manager.onMarket(117'599, 117'601);  // mid 58,800.0
        QCOMPARE(manager.dayPnl(), -1'200.0);
        const OrderRequest add{Side::Bid, OrderType::Limit, 117'600, 10};
        const SubmitOutcome blocked = manager.submit(add, "add-1", 3);
        QCOMPARE(static_cast<int>(blocked.status), static_cast<int>(SubmitStatus::Blocked));
        QCOMPARE(blocked.rejection->rule, RiskRule::DailyLoss);
        // Past midnight UTC the day starts again at that moment's P&L: the loss is yesterday's.
        wall += 3'600 * kSec;
        manager.onMarket(117'599, 117'601);
        QCOMPARE(manager.dayPnl(), 0.0);
        QCOMPARE(manager.sessionPnl(), -1'200.0);
        const SubmitOutcome sent = manager.submit(add, "add-2", 4);
        QCOMPARE(static_cast<int>(sent.status), static_cast<int>(SubmitStatus::Sent));
        // Today's own moves count from there.
        manager.onMarket(117'399, 117'401);  // another -100 USD on 1 BTC
        QCOMPARE(manager.dayPnl(), -100.0);
    }

    void answersTheStateMachineRefusesChangeNothing() {
        Fixture f;
        const auto out = f.manager.submit(kBuy, "k", 1);
        f.manager.onAcknowledged(out.id, 1, 2);
        f.manager.onCancelled(out.id, 3);
        f.manager.onFill(out.id, 120'000, 10, Liquidity::Maker, 4);  // late fill after cancel
        f.manager.onFill("nobody-1", 120'000, 10, Liquidity::Maker, 5);
        QCOMPARE(f.manager.find(out.id)->state(), OrderState::Cancelled);
        QCOMPARE(f.manager.position().qty(), Lots{0});
        QCOMPARE(f.manager.ignoredAnswers(), std::uint64_t{2});
        const AuditRecord& last = f.audit.records().back();
        QCOMPARE(last.action, std::string("fill"));
        QCOMPARE(last.answer, std::string("0.010 @ 60000.0 maker; ignored: unknown order"));
    }

    void cancelAllCancelsEachOpenOrderOnce() {
        Fixture f;
        const auto a = f.manager.submit(kBuy, "a", 1);
        const auto b = f.manager.submit(kBuy, "b", 2);
        const auto c = f.manager.submit(kSell, "c", 3);
        const auto d = f.manager.submit(kSell, "d", 4);
        f.manager.onFill(d.id, 120'002, 100, Liquidity::Taker, 5);  // done: not cancelled
        QCOMPARE(f.manager.cancel(a.id, 6), CancelStatus::Sent);
        QCOMPARE(f.manager.cancel(a.id, 7), CancelStatus::AlreadyRequested);
        QCOMPARE(f.manager.cancel(d.id, 7), CancelStatus::NotOpen);
        QCOMPARE(f.manager.cancel("s-999", 7), CancelStatus::UnknownOrder);
        QCOMPARE(f.manager.cancelAll(8), 2);  // b and c; a is already on its way
        QCOMPARE(f.venue.cancels, (std::vector<ClientOrderId>{a.id, b.id, c.id}));
        QCOMPARE(f.manager.cancelAll(9), 0);  // nothing sent twice
        for (const auto& id : {a.id, b.id, c.id})
            f.manager.onCancelled(id, 10);
        QCOMPARE(f.manager.openOrderCount(), 0);
        QCOMPARE(f.manager.find(b.id)->state(), OrderState::Cancelled);
    }

    void synchronousVenueMayAnswerInsideSubmit() {
        Fixture f;
        f.venue.onSend = [&](const Order& o) {
            f.manager.onAcknowledged(o.id(), 5, 2);
            f.manager.onFill(o.id(), o.request().priceTicks, o.request().qty, Liquidity::Taker, 2);
        };
        const auto out = f.manager.submit(kBuy, "k", 1);
        QCOMPARE(static_cast<int>(out.status), static_cast<int>(SubmitStatus::Sent));
        QCOMPARE(f.manager.find(out.id)->state(), OrderState::Filled);
        QCOMPARE(f.manager.openOrderCount(), 0);
    }

    void everyActionIsAudited() {
        Fixture f;  // records "arm" at 0
        const auto out = f.manager.submit(kBuy, "k", 2);
        (void)f.manager.submit(kBuy, "k", 3);
        f.manager.onAcknowledged(out.id, 7, 4);
        f.manager.onFill(out.id, 120'000, 100, Liquidity::Maker, 5);
        f.manager.setArmed(false, 6);
        (void)f.manager.submit(kSell, "x", 7);
        const std::vector<AuditRecord> expected = {
            {0, "arm", "symbol=BTC-USD", ""},
            {2, "submit",
             "id=s-1 symbol=BTC-USD side=buy type=limit price=60000.0 qty=0.100 tif=gtc "
             "reduceOnly=0",
             ""},
            {3, "duplicate",
             "id=s-1 symbol=BTC-USD side=buy type=limit price=60000.0 qty=0.100 tif=gtc "
             "reduceOnly=0",
             "intent k is pending"},
            {4, "ack", "id=s-1", "venue id 7; now acknowledged"},
            {5, "fill", "id=s-1", "0.100 @ 60000.0 maker; now filled"},
            {6, "disarm", "symbol=BTC-USD", ""},
            {7, "block",
             "id=s-2 symbol=BTC-USD side=sell type=limit price=60001.0 qty=0.100 tif=gtc "
             "reduceOnly=0",
             "disarmed: trading is not armed"},
        };
        const auto& got = f.audit.records();
        QCOMPARE(got.size(), expected.size());
        for (std::size_t i = 0; i < got.size(); ++i) {
            QCOMPARE(got[i].timeNs, expected[i].timeNs);
            QCOMPARE(got[i].action, expected[i].action);
            QCOMPARE(got[i].params, expected[i].params);
            QCOMPARE(got[i].answer, expected[i].answer);
        }
    }

    void auditLineFormat() {
        QCOMPARE(isoTime(0), std::string("1970-01-01T00:00:00.000000000Z"));
        // 1,764,034,378 s is 2025-11-25T01:32:58 UTC (date -u -d @1764034378).
        QCOMPARE(isoTime(1'764'034'378'123'456'789), std::string("2025-11-25T01:32:58.123456789Z"));
        QCOMPARE(formatAuditLine({0, "fill", "id=a\tb", "x\ny"}),
                 std::string("1970-01-01T00:00:00.000000000Z\tfill\tid=a b\tx y\n"));
    }

    void fileLogAppendsAndNeverTruncates() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::string path = dir.filePath("audit.log").toStdString();
        {
            FileAuditLog log(path);
            QVERIFY(log.isOpen());
            log.record({0, "submit", "id=s-1", ""});
            // Flushed per line: readable before the log is closed.
            QFile file(QString::fromStdString(path));
            QVERIFY(file.open(QIODevice::ReadOnly));
            QCOMPARE(file.readAll(),
                     QByteArray("1970-01-01T00:00:00.000000000Z\tsubmit\tid=s-1\t\n"));
        }
        {
            FileAuditLog log(path);  // a second session
            log.record({1'000'000'000, "ack", "id=s-1", "venue id 3; now acknowledged"});
            QCOMPARE(log.failedWrites(), std::uint64_t{0});
        }
        QFile file(QString::fromStdString(path));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = file.readAll().split('\n');
        QCOMPARE(lines.size(), 3);  // two lines and the empty tail
        QVERIFY(lines[0].startsWith("1970-01-01T00:00:00.000000000Z\tsubmit"));
        QCOMPARE(lines[1], QByteArray("1970-01-01T00:00:01.000000000Z\tack\tid=s-1\t"
                                      "venue id 3; now acknowledged"));
    }
};

QTEST_GUILESS_MAIN(TestOrderManager)
#include "tst_order_manager.moc"
