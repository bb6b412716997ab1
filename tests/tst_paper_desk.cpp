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
        d.entry().submitMarket(Side::Bid, 500, "a");  // takes liquidity: level updates + trades
        const Level bid = d.feed.book().bestBid();
        d.entry().submitLimit(Side::Bid, bid.price - 4, 300, "b");  // rests: one level update
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
        d.entry().submitMarket(Side::Bid, qty, "sweep");
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
        d.entry().submitMarket(Side::Bid, 4'000, "one");
        d.source.poll(d.feed, 2'500'000'000);
        d.entry().submitMarket(Side::Bid, 4'000, "two");
        QCOMPARE(d.entry().state().positionQty, Lots{8'000});
        d.entry().flatten();
        const trading::TradingState s = d.entry().state();
        QCOMPARE(s.positionQty, Lots{0});
        QVERIFY2(s.lastMessage.empty(), s.lastMessage.c_str());
    }

    void doubleSubmitWithTheSameKeySendsOneOrder() {
        Desk d;
        const PriceTicks price = d.feed.book().bestBid().price - 6;
        d.entry().submitLimit(Side::Bid, price, 100, "click");
        d.entry().submitLimit(Side::Bid, price, 100, "click");
        QCOMPARE(d.entry().state().orders.size(), std::size_t{1});
        d.entry().cancelAtPrice(price);
        QVERIFY(d.entry().state().orders.empty());
    }
};

QTEST_GUILESS_MAIN(TestPaperDesk)
#include "tst_paper_desk.moc"
