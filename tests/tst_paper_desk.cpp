// Paper trading behind the simulated source, as the terminal uses it: order commands between
// polls keep the feed in sequence, every execution is listed at its own price, and flatten
// closes positions larger than one order may be.
#include <QtTest>

#include "feed/feed_engine.h"
#include "sim/simulated_source.h"

using namespace flowscope;

namespace {

struct Desk {
    Desk() : source(sim::SimulatedMarketConfig{}, 1.0, 0), feed(source.instrument()) {
        source.start(feed, 0);
        source.poll(feed, 2'000'000'000);  // two seconds of simulated flow
    }
    trading::OrderEntry& entry() { return *source.orderEntry(); }
    sim::SimulatedSource source;
    FeedEngine feed;
};

}  // namespace

class TestPaperDesk : public QObject {
    Q_OBJECT

  private slots:
    void orderCommandsBetweenPollsKeepTheFeedInSequence() {
        Desk d;
        const std::uint64_t before = d.feed.status().messages;
        int trades = 0;
        while (d.feed.trades().pop())
            ++trades;
        (void)d.entry().submitMarket(Side::Bid, 500, "a");  // takes liquidity: level updates + trades
        const Level bid = d.feed.book().bestBid();
        (void)d.entry().submitLimit(Side::Bid, bid.price - 4, 300, "b");  // rests: one level update
        QVERIFY(d.feed.status().messages > before);                 // seen at once, not dropped
        int ownTrades = 0;
        while (auto t = d.feed.trades().pop())
            ownTrades += t->trade.aggressor == Side::Bid;
        QVERIFY(ownTrades >= 1);
        d.source.poll(d.feed, 3'000'000'000);
        QCOMPARE(d.feed.status().gaps, std::uint64_t{0});
        QCOMPARE(d.feed.state(), FeedState::Live);
        // The feed's book holds the resting order's size exactly like the venue's book.
        QCOMPARE(d.feed.book().sizeAt(Side::Bid, bid.price - 4),
                 d.source.market().engine().sizeAt(Side::Bid, bid.price - 4));
    }

    void everyExecutionIsListedAtItsOwnPrice() {
        Desk d;
        // A market buy larger than the touch sweeps several levels.
        const Lots touch = d.feed.book().bestAsk().qty;
        const Lots qty = touch + d.feed.book().asks().level(1).qty + 1;
        (void)d.entry().submitMarket(Side::Bid, qty, "sweep");
        const trading::TradingState s = d.entry().state();
        QCOMPARE(s.positionQty, qty);
        QVERIFY(s.lastFills.size() >= 3);  // at least three levels (or makers) took part
        Lots total = 0;
        std::uint64_t sequence = s.lastFills.front().sequence + 1;
        for (const trading::FillRecord& f : s.lastFills) {
            total += f.qty;
            QVERIFY(f.sequence < sequence);  // newest first, strictly increasing numbers
            sequence = f.sequence;
        }
        QCOMPARE(total, qty);
        QVERIFY(s.lastFills.front().priceTicks > s.lastFills.back().priceTicks);  // swept upward
    }

    void flattenClosesAPositionLargerThanOneOrder() {
        Desk d;
        // 8 BTC in two orders of 4 (the paper limit is 5 BTC an order).
        (void)d.entry().submitMarket(Side::Bid, 4'000, "one");
        d.source.poll(d.feed, 2'500'000'000);
        (void)d.entry().submitMarket(Side::Bid, 4'000, "two");
        QCOMPARE(d.entry().state().positionQty, Lots{8'000});
        d.entry().flatten();
        const trading::TradingState s = d.entry().state();
        QCOMPARE(s.positionQty, Lots{0});
        QVERIFY2(s.lastMessage.empty(), s.lastMessage.c_str());
    }

    void doubleSubmitWithTheSameKeySendsOneOrder() {
        Desk d;
        const PriceTicks price = d.feed.book().bestBid().price - 6;
        (void)d.entry().submitLimit(Side::Bid, price, 100, "click");
        (void)d.entry().submitLimit(Side::Bid, price, 100, "click");
        QCOMPARE(d.entry().state().orders.size(), std::size_t{1});
        d.entry().cancelAtPrice(price);
        QVERIFY(d.entry().state().orders.empty());
    }

    void moveOrderCancelsAndReplacesAtTheNewPrice() {
        Desk d;
        const PriceTicks price = d.feed.book().bestBid().price - 6;
        const auto placed = d.entry().submitLimit(Side::Bid, price, 100, "click");
        QCOMPARE(static_cast<int>(placed.status), static_cast<int>(trading::SubmitStatus::Sent));
        const auto moved = d.entry().moveOrder(placed.id, price - 3);
        QCOMPARE(static_cast<int>(moved.status), static_cast<int>(trading::SubmitStatus::Sent));
        const trading::TradingState s = d.entry().state();
        QCOMPARE(s.orders.size(), std::size_t{1});
        QCOMPARE(s.orders[0].priceTicks, price - 3);
        QCOMPARE(s.orders[0].remaining, Lots{100});
        QVERIFY(s.orders[0].id != placed.id);
        // The old order is gone: moving it again sends nothing.
        const auto stale = d.entry().moveOrder(placed.id, price - 5);
        QCOMPARE(static_cast<int>(stale.status), static_cast<int>(trading::SubmitStatus::NotOpen));
        QCOMPARE(d.entry().state().orders.size(), std::size_t{1});
    }

    void killSwitchCancelsFlattensAndDisarms() {
        Desk d;
        (void)d.entry().submitMarket(Side::Bid, 300, "long");
        const PriceTicks price = d.feed.book().bestBid().price - 6;
        (void)d.entry().submitLimit(Side::Bid, price, 100, "resting");
        QCOMPARE(d.entry().state().positionQty, Lots{300});
        QCOMPARE(d.entry().state().orders.size(), std::size_t{1});
        d.entry().killSwitch(true);
        const trading::TradingState s = d.entry().state();
        QVERIFY(!s.armed);
        QVERIFY(s.orders.empty());
        QCOMPARE(s.positionQty, Lots{0});
        // Disarmed: nothing new leaves.
        const auto after = d.entry().submitMarket(Side::Bid, 100, "after");
        QCOMPARE(static_cast<int>(after.status), static_cast<int>(trading::SubmitStatus::Blocked));
    }

    void killSwitchWithoutFlattenKeepsThePosition() {
        Desk d;
        (void)d.entry().submitMarket(Side::Ask, 200, "short");
        d.entry().killSwitch(false);
        QCOMPARE(d.entry().state().positionQty, Lots{-200});
        QVERIFY(!d.entry().state().armed);
    }
};

QTEST_GUILESS_MAIN(TestPaperDesk)
#include "tst_paper_desk.moc"
