// The order state machine: every legal edge and every illegal one, transitions stamped with
// their time, fills driving partial/filled, and client order ids that never repeat.
#include <QtTest>

#include <set>
#include <utility>

#include "trading/order.h"

using namespace flowscope;
using namespace flowscope::trading;

namespace flowscope::trading {
inline char* toString(OrderState s) {
    return QTest::toString(describe(s));
}
inline char* toString(TransitionError e) {
    return QTest::toString(describe(e));
}
}  // namespace flowscope::trading

Q_DECLARE_METATYPE(flowscope::trading::OrderState)

namespace {

using S = OrderState;
constexpr S kAll[] = {S::New,    S::Pending,   S::Acknowledged, S::PartiallyFilled,
                      S::Filled, S::Cancelled, S::Rejected,     S::Expired};

// Written out by hand from the lifecycle: New -> Pending -> Acknowledged -> partially
// filled -> filled / cancelled / rejected / expired; a fill may beat the ack; a blocked order
// goes from New straight to Rejected; terminal states have no way out.
const std::set<std::pair<S, S>> kLegal = {
    {S::New, S::Pending},
    {S::New, S::Rejected},
    {S::Pending, S::Acknowledged},
    {S::Pending, S::PartiallyFilled},
    {S::Pending, S::Filled},
    {S::Pending, S::Cancelled},
    {S::Pending, S::Rejected},
    {S::Pending, S::Expired},
    {S::Acknowledged, S::PartiallyFilled},
    {S::Acknowledged, S::Filled},
    {S::Acknowledged, S::Cancelled},
    {S::Acknowledged, S::Expired},
    {S::PartiallyFilled, S::PartiallyFilled},
    {S::PartiallyFilled, S::Filled},
    {S::PartiallyFilled, S::Cancelled},
    {S::PartiallyFilled, S::Expired},
};

OrderRequest limitBuy(Lots qty) {
    return {Side::Bid, OrderType::Limit, 120'000, qty, TimeInForce::GoodTillCancel, false};
}

// Drives a fresh order of 10 lots into `target` through legal steps.
Order orderIn(S target) {
    Order o("T-1", limitBuy(10), 0);
    auto must = [](TransitionError e) {
        if (e != TransitionError::None) qFatal("setup transition failed: %s", describe(e));
    };
    auto step = [&](S to) { must(o.transitionTo(to, 1)); };
    switch (target) {
        case S::New:
            break;
        case S::Pending:
            step(S::Pending);
            break;
        case S::Acknowledged:
            step(S::Pending);
            step(S::Acknowledged);
            break;
        case S::PartiallyFilled:
            step(S::Pending);
            must(o.applyFill(4, 120'000, 1));
            break;
        case S::Filled:
            step(S::Pending);
            must(o.applyFill(10, 120'000, 1));
            break;
        case S::Cancelled:
        case S::Expired:
            step(S::Pending);
            step(target);
            break;
        case S::Rejected:
            must(o.reject("no", 1));
            break;
    }
    if (o.state() != target) qFatal("setup reached the wrong state");
    return o;
}

}  // namespace

class TestOrderState : public QObject {
    Q_OBJECT

  private slots:
    void everyPairIsLegalExactlyWhenListed_data() {
        QTest::addColumn<OrderState>("from");
        QTest::addColumn<OrderState>("to");
        QTest::addColumn<bool>("legal");
        for (S from : kAll)
            for (S to : kAll)
                QTest::addRow("%s -> %s", describe(from), describe(to))
                    << from << to << (kLegal.count({from, to}) == 1);
    }
    void everyPairIsLegalExactlyWhenListed() {
        QFETCH(OrderState, from);
        QFETCH(OrderState, to);
        QFETCH(bool, legal);
        QCOMPARE(isLegalTransition(from, to), legal);
    }

    // The same table through a real Order: legal edges are taken (and stamped), illegal ones
    // return Illegal and leave the order as it was.
    void orderFollowsTheTable_data() { everyPairIsLegalExactlyWhenListed_data(); }
    void orderFollowsTheTable() {
        QFETCH(OrderState, from);
        QFETCH(OrderState, to);
        QFETCH(bool, legal);
        Order o = orderIn(from);
        const std::size_t historyBefore = o.history().size();
        const Lots filledBefore = o.filledQty();
        TransitionError error;
        if (to == S::PartiallyFilled)
            error = o.applyFill(1, 120'000, 777);
        else if (to == S::Filled)
            error = o.applyFill(o.remainingQty(), 120'000, 777);
        else
            error = o.transitionTo(to, 777);
        if (from == S::New && (to == S::PartiallyFilled || to == S::Filled)) {
            QCOMPARE(error, TransitionError::InvalidFill);  // nothing was sent: nothing fills
            QCOMPARE(o.state(), from);
            return;
        }
        if (legal) {
            QCOMPARE(error, TransitionError::None);
            QCOMPARE(o.state(), to);
            QCOMPARE(o.history().size(), historyBefore + 1);
            QCOMPARE(o.history().back().from, from);
            QCOMPARE(o.history().back().to, to);
            QCOMPARE(o.history().back().timeNs, TimeNs{777});
        } else {
            QCOMPARE(error, TransitionError::Illegal);
            QCOMPARE(o.state(), from);
            QCOMPARE(o.history().size(), historyBefore);
            QCOMPARE(o.filledQty(), filledBefore);
        }
    }

    void filledToCancelledIsIllegal() {
        Order o = orderIn(S::Filled);
        QCOMPARE(o.transitionTo(S::Cancelled, 5), TransitionError::Illegal);
        QCOMPARE(o.state(), S::Filled);
    }

    void fullLifecycleIsStampedInOrder() {
        Order o("T-1", limitBuy(10), 100);
        QCOMPARE(o.state(), S::New);
        QCOMPARE(o.transitionTo(S::Pending, 200), TransitionError::None);
        QCOMPARE(o.transitionTo(S::Acknowledged, 300), TransitionError::None);
        QCOMPARE(o.applyFill(3, 120'000, 400), TransitionError::None);
        QCOMPARE(o.state(), S::PartiallyFilled);
        QCOMPARE(o.applyFill(7, 120'010, 500), TransitionError::None);
        QCOMPARE(o.state(), S::Filled);
        const std::vector<StateChange>& h = o.history();
        QCOMPARE(h.size(), std::size_t{4});
        const S expectedTo[] = {S::Pending, S::Acknowledged, S::PartiallyFilled, S::Filled};
        const TimeNs expectedNs[] = {200, 300, 400, 500};
        for (std::size_t i = 0; i < 4; ++i) {
            QCOMPARE(h[i].to, expectedTo[i]);
            QCOMPARE(h[i].timeNs, expectedNs[i]);
            QCOMPARE(h[i].from, i == 0 ? S::New : expectedTo[i - 1]);
        }
        QCOMPARE(o.filledQty(), Lots{10});
        QCOMPARE(o.remainingQty(), Lots{0});
        // (3 x 120,000 + 7 x 120,010) / 10 = 120,007
        QCOMPARE(o.averageFillPriceTicks(), 120'007.0);
    }

    void partialFillCanRepeat() {
        Order o = orderIn(S::PartiallyFilled);  // 4 of 10
        QCOMPARE(o.applyFill(5, 120'000, 2), TransitionError::None);
        QCOMPARE(o.state(), S::PartiallyFilled);
        QCOMPARE(o.remainingQty(), Lots{1});
    }

    void overfillIsRefusedAndChangesNothing() {
        Order o = orderIn(S::PartiallyFilled);  // 4 of 10
        QCOMPARE(o.applyFill(7, 120'000, 2), TransitionError::Overfill);
        QCOMPARE(o.filledQty(), Lots{4});
        QCOMPARE(o.state(), S::PartiallyFilled);
    }

    void zeroOrNegativeFillIsInvalid() {
        Order o = orderIn(S::Acknowledged);
        QCOMPARE(o.applyFill(0, 120'000, 2), TransitionError::InvalidFill);
        QCOMPARE(o.applyFill(-1, 120'000, 2), TransitionError::InvalidFill);
        QCOMPARE(o.state(), S::Acknowledged);
    }

    void fillStatesNeedAFill() {
        Order o = orderIn(S::Acknowledged);
        QCOMPARE(o.transitionTo(S::PartiallyFilled, 2), TransitionError::InvalidFill);
        QCOMPARE(o.transitionTo(S::Filled, 2), TransitionError::InvalidFill);
        QCOMPARE(o.state(), S::Acknowledged);
    }

    void rejectKeepsTheReason() {
        Order o("T-1", limitBuy(1), 0);
        QCOMPARE(o.reject("price band: too far", 9), TransitionError::None);
        QCOMPARE(o.state(), S::Rejected);
        QCOMPARE(o.rejectReason(), std::string("price band: too far"));
        QCOMPARE(o.reject("again", 10), TransitionError::Illegal);
        QCOMPARE(o.rejectReason(), std::string("price band: too far"));
    }

    void clientOrderIdsAreMonotonicAndNeverRepeat() {
        ClientOrderIdGenerator ids("abc");
        QCOMPARE(ids.next(), ClientOrderId("abc-1"));
        QCOMPARE(ids.next(), ClientOrderId("abc-2"));
        std::set<ClientOrderId> seen;
        for (int i = 0; i < 10'000; ++i)
            QVERIFY(seen.insert(ids.next()).second);
        QCOMPARE(ids.issued(), std::uint64_t{10'002});
        ClientOrderIdGenerator other("abd");  // another session
        QVERIFY(seen.count(other.next()) == 0);
    }

    void sessionPrefixIsBase36Milliseconds() {
        QCOMPARE(ClientOrderIdGenerator::sessionPrefixFor(0), std::string("0"));
        QCOMPARE(ClientOrderIdGenerator::sessionPrefixFor(36'000'000), std::string("10"));
        // 1,000 ms = 27 x 36 + 28 -> "rs"
        QCOMPARE(ClientOrderIdGenerator::sessionPrefixFor(1'000'000'000), std::string("rs"));
    }
};

QTEST_GUILESS_MAIN(TestOrderState)
#include "tst_order_state.moc"
