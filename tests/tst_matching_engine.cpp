// The simulator's matching engine: price-time priority, order types, cancel and reduce, the events
// it emits (L2 updates, trades, user fills, queue positions), and a long random run checked against
// a naive reference matcher and against the L2 book rebuilt from the emitted updates.
#include <QtTest>

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include "book/order_book.h"
#include "sim/matching_engine.h"
#include "test_printers.h"

using namespace flowscope;
using namespace flowscope::sim;

namespace {

// Records everything the engine emits, in order.
struct Recorder final : MarketSink {
    enum class Kind { Level, Trade, Fill, Queue };
    std::vector<Kind> order;
    std::vector<LevelUpdate> levels;
    std::vector<Trade> trades;
    std::vector<Fill> fills;
    std::vector<QueuePosition> queue;

    void onLevel(const LevelUpdate& u) override {
        order.push_back(Kind::Level);
        levels.push_back(u);
    }
    void onTrade(const Trade& t) override {
        order.push_back(Kind::Trade);
        trades.push_back(t);
    }
    void onFill(const Fill& f) override {
        order.push_back(Kind::Fill);
        fills.push_back(f);
    }
    void onQueuePosition(const QueuePosition& q) override {
        order.push_back(Kind::Queue);
        queue.push_back(q);
    }
    void clear() { *this = Recorder{}; }
};

OrderRequest limit(Side side, PriceTicks price, Lots qty, Owner owner = Owner::Flow) {
    return {OrderType::Limit, side, price, qty, owner};
}

OrderId place(MatchingEngine& engine, const OrderRequest& request, TimeNs t = 0) {
    const SubmitResult r = engine.submit(request, t);
    if (!r.accepted()) qFatal("setup order rejected: %s", describe(r.reason));
    return r.id;
}

// Asks: 101 x 10 (a1), 101 x 5 (a2), 102 x 8 (a3). Bids: 99 x 4 (b1), 98 x 6 (b2).
struct SmallBook {
    MatchingEngine engine;
    OrderId a1, a2, a3, b1, b2;
    SmallBook() {
        a1 = place(engine, limit(Side::Ask, 101, 10));
        a2 = place(engine, limit(Side::Ask, 101, 5));
        a3 = place(engine, limit(Side::Ask, 102, 8));
        b1 = place(engine, limit(Side::Bid, 99, 4));
        b2 = place(engine, limit(Side::Bid, 98, 6));
    }
};

struct Print {
    PriceTicks price;
    Lots qty;
    friend bool operator==(const Print&, const Print&) = default;
};

std::vector<Print> prints(std::span<const Fill> fills) {
    std::vector<Print> out;
    for (const Fill& f : fills)
        out.push_back({f.priceTicks, f.qty});
    return out;
}

}  // namespace

Q_DECLARE_METATYPE(flowscope::Side)
Q_DECLARE_METATYPE(flowscope::Level)
Q_DECLARE_METATYPE(flowscope::sim::OrderType)
Q_DECLARE_METATYPE(flowscope::sim::RejectReason)
Q_DECLARE_METATYPE(std::vector<Print>)

class TestMatchingEngine : public QObject {
    Q_OBJECT

  private slots:
    void restingLimitOrderEmitsOneLevelUpdate() {
        MatchingEngine engine;
        Recorder rec;
        engine.setSink(&rec);
        const SubmitResult r = engine.submit(limit(Side::Bid, 100, 7), 55);
        QVERIFY(r.accepted());
        QCOMPARE(r.resting, Lots{7});
        QCOMPARE(r.filled, Lots{0});
        QCOMPARE(rec.levels.size(), std::size_t{1});
        QCOMPARE(rec.levels[0].side, Side::Bid);
        QCOMPARE(rec.levels[0].priceTicks, PriceTicks{100});
        QCOMPARE(rec.levels[0].qty, Lots{7});
        QCOMPARE(rec.levels[0].sequence, std::uint64_t{1});
        QCOMPARE(rec.levels[0].timeNs, TimeNs{55});
        QVERIFY(engine.submit(limit(Side::Bid, 100, 3), 56).accepted());
        QCOMPARE(rec.levels.back().qty, Lots{10});  // the new total at the price, not a delta
        QCOMPARE(engine.bestBid(), (Level{100, 10}));
        QVERIFY(rec.trades.empty());
        QVERIFY(rec.fills.empty());  // flow orders get no fill events
    }

    void ordersAtOnePriceFillInArrivalOrder() {
        SmallBook b;
        const SubmitResult r = b.engine.submit(limit(Side::Bid, 101, 12), 1);
        QVERIFY(r.accepted());
        QCOMPARE(prints(r.fills), (std::vector<Print>{{101, 10}, {101, 2}}));
        QVERIFY(!b.engine.find(b.a1));                // the first arrival is gone...
        QCOMPARE(b.engine.find(b.a2)->qty, Lots{3});  // ...the second partially filled
        QCOMPARE(b.engine.bestAsk(), (Level{101, 3}));
    }

    void marketOrderSweepsLevelsInPriceTimePriority_data() {
        QTest::addColumn<Lots>("qty");
        QTest::addColumn<std::vector<Print>>("expected");
        QTest::addColumn<Level>("bestAskAfter");
        QTest::addColumn<Lots>("cancelled");
        QTest::newRow("inside the first order")
            << Lots{4} << std::vector<Print>{{101, 4}} << Level{101, 11} << Lots{0};
        QTest::newRow("whole first price")
            << Lots{15} << std::vector<Print>{{101, 10}, {101, 5}} << Level{102, 8} << Lots{0};
        QTest::newRow("into the second price")
            << Lots{20} << std::vector<Print>{{101, 10}, {101, 5}, {102, 5}} << Level{102, 3}
            << Lots{0};
        QTest::newRow("more than the side holds")
            << Lots{30} << std::vector<Print>{{101, 10}, {101, 5}, {102, 8}}
            << emptyLevel(Side::Ask) << Lots{7};
    }
    void marketOrderSweepsLevelsInPriceTimePriority() {
        QFETCH(Lots, qty);
        QFETCH(std::vector<Print>, expected);
        QFETCH(Level, bestAskAfter);
        QFETCH(Lots, cancelled);
        SmallBook b;
        Recorder rec;
        b.engine.setSink(&rec);
        const SubmitResult r = b.engine.submit({OrderType::Market, Side::Bid, 0, qty}, 9);
        QVERIFY(r.accepted());
        QCOMPARE(prints(r.fills), expected);
        QCOMPARE(r.cancelled, cancelled);
        QCOMPARE(r.resting, Lots{0});
        QCOMPARE(r.filled, qty - cancelled);
        QCOMPARE(b.engine.bestAsk(), bestAskAfter);
        QCOMPARE(b.engine.bestBid(), (Level{99, 4}));  // own side untouched
        QCOMPARE(rec.trades.size(), expected.size());
        for (std::size_t i = 0; i < expected.size(); ++i) {
            QCOMPARE(rec.trades[i].price, expected[i].price);
            QCOMPARE(rec.trades[i].qty, expected[i].qty);
            QCOMPARE(rec.trades[i].aggressor, Side::Bid);
            QCOMPARE(rec.trades[i].timeNs, TimeNs{9});
        }
    }

    void limitOrderRestsItsRemainderAfterCrossing() {
        SmallBook b;
        Recorder rec;
        b.engine.setSink(&rec);
        const SubmitResult r = b.engine.submit(limit(Side::Bid, 101, 20), 3);
        QCOMPARE(r.filled, Lots{15});
        QCOMPARE(r.resting, Lots{5});
        QCOMPARE(b.engine.bestBid(), (Level{101, 5}));
        QCOMPARE(b.engine.bestAsk(), (Level{102, 8}));
        // The ask level is removed before the bid appears, so the feed never shows a crossed book.
        QCOMPARE(rec.levels.size(), std::size_t{2});
        QCOMPARE(rec.levels[0].side, Side::Ask);
        QCOMPARE(rec.levels[0].qty, Lots{0});
        QCOMPARE(rec.levels[1].side, Side::Bid);
        QCOMPARE(rec.levels[1].qty, Lots{5});
    }

    void immediateOrCancelRemainderIsCancelled() {
        SmallBook b;
        const SubmitResult r =
            b.engine.submit({OrderType::ImmediateOrCancel, Side::Ask, 99, 9, Owner::User}, 0);
        QVERIFY(r.accepted());
        QCOMPARE(prints(r.fills), (std::vector<Print>{{99, 4}}));
        QCOMPARE(r.cancelled, Lots{5});
        QCOMPARE(r.resting, Lots{0});
        QCOMPARE(b.engine.bestBid(), (Level{98, 6}));  // stopped at its limit, 98 not touched
        QCOMPARE(b.engine.bestAsk(), (Level{101, 15}));
        QVERIFY(!b.engine.find(r.id));
    }

    void postOnlyIsRejectedWhenItWouldCross_data() {
        QTest::addColumn<Side>("side");
        QTest::addColumn<PriceTicks>("price");
        QTest::addColumn<RejectReason>("reason");
        QTest::newRow("bid through the ask")
            << Side::Bid << PriceTicks{102} << RejectReason::WouldCross;
        QTest::newRow("bid at the ask") << Side::Bid << PriceTicks{101} << RejectReason::WouldCross;
        QTest::newRow("bid inside the spread")
            << Side::Bid << PriceTicks{100} << RejectReason::None;
        QTest::newRow("ask at the bid") << Side::Ask << PriceTicks{99} << RejectReason::WouldCross;
        QTest::newRow("ask joining the best ask")
            << Side::Ask << PriceTicks{101} << RejectReason::None;
    }
    void postOnlyIsRejectedWhenItWouldCross() {
        QFETCH(Side, side);
        QFETCH(PriceTicks, price);
        QFETCH(RejectReason, reason);
        SmallBook b;
        Recorder rec;
        b.engine.setSink(&rec);
        const SubmitResult r = b.engine.submit({OrderType::PostOnly, side, price, 3}, 0);
        QCOMPARE(r.reason, reason);
        if (reason == RejectReason::None) {
            QCOMPARE(r.resting, Lots{3});
            QCOMPARE(rec.levels.size(), std::size_t{1});
        } else {
            QCOMPARE(r.id, kNoOrder);
            QVERIFY(rec.order.empty());  // a reject changes nothing
        }
        QVERIFY(rec.trades.empty());
    }

    void invalidRequestsAreRejected_data() {
        QTest::addColumn<OrderType>("type");
        QTest::addColumn<Side>("side");
        QTest::addColumn<PriceTicks>("price");
        QTest::addColumn<Lots>("qty");
        QTest::addColumn<RejectReason>("reason");
        QTest::newRow("zero size") << OrderType::Limit << Side::Bid << PriceTicks{99} << Lots{0}
                                   << RejectReason::InvalidQuantity;
        QTest::newRow("negative size") << OrderType::Market << Side::Bid << PriceTicks{0}
                                       << Lots{-1} << RejectReason::InvalidQuantity;
        QTest::newRow("zero price") << OrderType::Limit << Side::Bid << PriceTicks{0} << Lots{1}
                                    << RejectReason::InvalidPrice;
        QTest::newRow("negative price IOC")
            << OrderType::ImmediateOrCancel << Side::Ask << PriceTicks{-5} << Lots{1}
            << RejectReason::InvalidPrice;
    }
    void invalidRequestsAreRejected() {
        QFETCH(OrderType, type);
        QFETCH(Side, side);
        QFETCH(PriceTicks, price);
        QFETCH(Lots, qty);
        QFETCH(RejectReason, reason);
        SmallBook b;
        QCOMPARE(b.engine.submit({type, side, price, qty}, 0).reason, reason);
        QCOMPARE(b.engine.sequence(), std::uint64_t{5});  // only the five setup orders
    }

    void marketOrderOnAnEmptySideIsRejected() {
        MatchingEngine engine;
        place(engine, limit(Side::Bid, 10, 1));
        QCOMPARE(engine.submit({OrderType::Market, Side::Bid, 0, 1}, 0).reason,
                 RejectReason::NoLiquidity);
        QVERIFY(engine.submit({OrderType::Market, Side::Ask, 0, 1}, 0).accepted());
    }

    void cancelRemovesTheOrderAndItsSize() {
        SmallBook b;
        Recorder rec;
        b.engine.setSink(&rec);
        const AmendResult r = b.engine.cancel(b.a1, 4);
        QVERIFY(r.accepted());
        QCOMPARE(r.removed, Lots{10});
        QCOMPARE(b.engine.bestAsk(), (Level{101, 5}));
        QCOMPARE(rec.levels.size(), std::size_t{1});
        QCOMPARE(rec.levels[0].qty, Lots{5});
        QVERIFY(b.engine.cancel(b.a2, 5).accepted());
        QCOMPARE(rec.levels.back().qty, Lots{0});  // level gone
        QCOMPARE(b.engine.bestAsk(), (Level{102, 8}));
        QCOMPARE(b.engine.cancel(b.a2, 6).reason, RejectReason::UnknownOrder);
        QCOMPARE(b.engine.cancel(987654, 6).reason, RejectReason::UnknownOrder);
        QCOMPARE(b.engine.orderCount(Side::Ask), std::size_t{1});
    }

    void reduceKeepsTimePriority() {
        SmallBook b;
        const AmendResult r = b.engine.reduce(b.a1, 2, 1);
        QVERIFY(r.accepted());
        QCOMPARE(r.removed, Lots{8});
        QCOMPARE(b.engine.bestAsk(), (Level{101, 7}));
        const SubmitResult buy = b.engine.submit({OrderType::Market, Side::Bid, 0, 3}, 2);
        QCOMPARE(prints(buy.fills), (std::vector<Print>{{101, 2}, {101, 1}}));
        QVERIFY(!b.engine.find(b.a1));  // a1 was still first in line
    }

    void reduceOnlyAcceptsASmallerPositiveSize_data() {
        QTest::addColumn<Lots>("newQty");
        QTest::newRow("same size") << Lots{10};
        QTest::newRow("larger") << Lots{11};
        QTest::newRow("zero") << Lots{0};
        QTest::newRow("negative") << Lots{-3};
    }
    void reduceOnlyAcceptsASmallerPositiveSize() {
        QFETCH(Lots, newQty);
        SmallBook b;
        QCOMPARE(b.engine.reduce(b.a1, newQty, 0).reason, RejectReason::NotAReduction);
        QCOMPARE(b.engine.find(b.a1)->qty, Lots{10});
    }

    void tradesAndFillsPrecedeTheLevelUpdateThatRemovesThem() {
        MatchingEngine engine;
        const OrderId maker = place(engine, limit(Side::Ask, 50, 6, Owner::User));
        place(engine, limit(Side::Ask, 50, 6));
        Recorder rec;
        engine.setSink(&rec);
        const SubmitResult taker =
            engine.submit({OrderType::Market, Side::Bid, 0, 8, Owner::User}, 77);
        using K = Recorder::Kind;
        // match 1 (user maker 6): trade, maker fill, taker fill; match 2 (flow 2): trade, taker
        // fill; then the one level update for the price.
        QCOMPARE(rec.order,
                 (std::vector<K>{K::Trade, K::Fill, K::Fill, K::Trade, K::Fill, K::Level}));
        QCOMPARE(rec.fills[0].orderId, maker);
        QCOMPARE(rec.fills[0].liquidity, Liquidity::Maker);
        QCOMPARE(rec.fills[0].remaining, Lots{0});
        QCOMPARE(rec.fills[0].side, Side::Ask);
        QCOMPARE(rec.fills[1].orderId, taker.id);
        QCOMPARE(rec.fills[1].liquidity, Liquidity::Taker);
        QCOMPARE(rec.fills[1].remaining, Lots{2});
        QCOMPARE(rec.fills[2].remaining, Lots{0});
        QCOMPARE(rec.levels[0].qty, Lots{4});
        QCOMPARE(rec.trades[0].sequence + 1, rec.trades[1].sequence);
    }

    void userQueuePositionDecreasesAsOrdersAheadFillOrCancel() {
        MatchingEngine engine;
        const OrderId f1 = place(engine, limit(Side::Bid, 100, 5));
        const OrderId f2 = place(engine, limit(Side::Bid, 100, 7));
        Recorder rec;
        engine.setSink(&rec);
        const OrderId mine = place(engine, limit(Side::Bid, 100, 4, Owner::User), 1);
        place(engine, limit(Side::Bid, 100, 9), 2);  // behind: does not change the position
        QCOMPARE(rec.queue.size(), std::size_t{1});
        QCOMPARE(rec.queue[0].orderId, mine);
        QCOMPARE(rec.queue[0].ahead, Lots{12});
        QCOMPARE(rec.queue[0].remaining, Lots{4});

        QVERIFY(engine.submit({OrderType::Market, Side::Ask, 0, 3, Owner::Flow}, 3)
                    .accepted());  // f1 5 -> 2
        QCOMPARE(rec.queue.back().ahead, Lots{9});
        QVERIFY(engine.cancel(f2, 4).accepted());
        QCOMPARE(rec.queue.back().ahead, Lots{2});
        QVERIFY(engine.reduce(f1, 1, 5).accepted());
        QCOMPARE(rec.queue.back().ahead, Lots{1});
        QCOMPARE(engine.find(mine)->ahead, Lots{1});

        QVERIFY(engine.submit({OrderType::Market, Side::Ask, 0, 3, Owner::Flow}, 6)
                    .accepted());  // f1 gone, mine 4 -> 2
        QCOMPARE(rec.queue.back().ahead, Lots{0});
        QCOMPARE(rec.queue.back().remaining, Lots{2});
        QCOMPARE(rec.fills.back().orderId, mine);
        QCOMPARE(rec.fills.back().qty, Lots{2});
        QCOMPARE(rec.fills.back().liquidity, Liquidity::Maker);
        QCOMPARE(rec.queue.size(), std::size_t{5});
    }

    void idsFollowArrivalOrder() {
        MatchingEngine engine;
        const OrderId a = place(engine, limit(Side::Bid, 10, 1));
        const OrderId b = place(engine, {OrderType::Market, Side::Ask, 0, 1});
        const OrderId c = place(engine, limit(Side::Bid, 9, 1));
        QVERIFY(a < b && b < c);
        QVERIFY(a != kNoOrder);
    }

    void randomRunMatchesReferenceAndReplaysIntoOrderBook();
};

namespace {

// A deliberately naive matcher: every resting order in one vector, the best maker found by a full
// scan (best price, then lowest arrival number). Independent of the engine's data structures.
struct ReferenceBook {
    struct Order {
        OrderId id;
        Side side;
        PriceTicks price;
        Lots qty;
    };
    std::vector<Order> orders;

    Lots submit(OrderId id, const OrderRequest& r) {
        Lots remaining = r.qty;
        Lots traded = 0;
        while (remaining > 0) {
            Order* best = nullptr;
            for (Order& o : orders) {
                if (o.side == r.side) continue;
                const bool crosses =
                    r.type == OrderType::Market ||
                    (r.side == Side::Bid ? o.price <= r.priceTicks : o.price >= r.priceTicks);
                if (!crosses) continue;
                if (!best || isBetter(o.side, o.price, best->price) ||
                    (o.price == best->price && o.id < best->id))
                    best = &o;
            }
            if (!best) break;
            const Lots q = std::min(remaining, best->qty);
            best->qty -= q;
            remaining -= q;
            traded += q;
            std::erase_if(orders, [](const Order& o) { return o.qty == 0; });
        }
        if (remaining > 0 && r.type == OrderType::Limit)
            orders.push_back({id, r.side, r.priceTicks, remaining});
        return traded;
    }
    Lots sizeAt(Side side, PriceTicks price) const {
        Lots total = 0;
        for (const Order& o : orders)
            if (o.side == side && o.price == price) total += o.qty;
        return total;
    }
};

struct ReplaySink final : MarketSink {
    OrderBook book;
    std::uint64_t lastSequence = 0;
    bool gap = false;
    bool crossed = false;
    Lots traded = 0;
    void onLevel(const LevelUpdate& u) override {
        gap = gap || u.sequence != lastSequence + 1;
        lastSequence = u.sequence;
        if (book.apply(u.side, u.priceTicks, u.qty, u.sequence, u.timeNs) != BookError::None)
            gap = true;
        const BookState s = book.state();
        crossed = crossed || s == BookState::Crossed || s == BookState::Locked;
    }
    void onTrade(const Trade& t) override { traded += t.qty; }
};

}  // namespace

void TestMatchingEngine::randomRunMatchesReferenceAndReplaysIntoOrderBook() {
    MatchingEngine engine(64);  // small reserve: growth paths are exercised too
    ReferenceBook reference;
    ReplaySink replay;
    engine.setSink(&replay);
    std::mt19937_64 rng(20240611);  // fixed seed; only raw outputs are used, which are portable
    std::vector<OrderId> live;
    Lots referenceTraded = 0;
    constexpr int kSteps = 20000;
    for (int step = 0; step < kSteps; ++step) {
        const std::uint64_t action = rng() % 10;
        if (action < 2 && !live.empty()) {
            const std::size_t k = rng() % live.size();
            const OrderId id = live[k];
            live[k] = live.back();
            live.pop_back();
            const AmendResult r = engine.cancel(id, step);
            const bool inReference =
                std::erase_if(reference.orders, [id](const auto& o) { return o.id == id; }) > 0;
            QCOMPARE(r.accepted(), inReference);  // filled ones are gone from both
            continue;
        }
        if (action == 2 && !live.empty()) {
            const OrderId id = live[rng() % live.size()];
            for (auto& o : reference.orders) {
                if (o.id != id || o.qty < 2) continue;
                QVERIFY(engine.reduce(id, o.qty / 2, step).accepted());
                o.qty /= 2;
            }
            continue;
        }
        OrderRequest r;
        r.side = rng() % 2 ? Side::Bid : Side::Ask;
        r.qty = 1 + static_cast<Lots>(rng() % 20);
        // Prices straddle 1000 so the two sides overlap and orders often cross.
        r.priceTicks = 990 + static_cast<PriceTicks>(rng() % 21);
        r.type = action == 9 ? OrderType::Market : OrderType::Limit;
        r.owner = rng() % 4 == 0 ? Owner::User : Owner::Flow;
        const SubmitResult result = engine.submit(r, step);
        if (!result.accepted()) {
            QCOMPARE(result.reason, RejectReason::NoLiquidity);
            continue;
        }
        const Lots referenceFilled = reference.submit(result.id, r);
        QCOMPARE(result.filled, referenceFilled);
        referenceTraded += referenceFilled;
        if (result.resting > 0) live.push_back(result.id);
    }
    QVERIFY(!replay.gap);
    QVERIFY(!replay.crossed);
    QCOMPARE(replay.traded, referenceTraded);
    for (Side side : {Side::Bid, Side::Ask}) {
        const auto levels = engine.levels(side);
        QCOMPARE(replay.book.side(side).depth(), levels.size());
        for (const PriceLevel& l : levels) {
            QCOMPARE(replay.book.sizeAt(side, l.priceTicks), l.qty);
            QCOMPARE(reference.sizeAt(side, l.priceTicks), l.qty);
        }
        for (PriceTicks p = 990; p <= 1010; ++p)
            QCOMPARE(engine.sizeAt(side, p), reference.sizeAt(side, p));
    }
    QCOMPARE(engine.orderCount(Side::Bid) + engine.orderCount(Side::Ask), reference.orders.size());
}

QTEST_GUILESS_MAIN(TestMatchingEngine)
#include "tst_matching_engine.moc"
