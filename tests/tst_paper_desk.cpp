// Paper trading behind the simulated source, as the terminal uses it: order commands between
// polls keep the feed in sequence, every execution is listed at its own price, and flatten
// closes positions larger than one order may be.
#include <QtTest>

#include <cmath>

#include "feed/feed_engine.h"
#include "feed/simulated_source.h"
#include "trading/paper_desk.h"

using namespace flowscope;

namespace {

struct Desk {
    Desk() : source(sim::SimulatedMarketConfig{}, 1.0, 0), feed(source.instrument()) {
        source.start(feed, 0);
        source.poll(feed, 2'000'000'000);  // two seconds of simulated flow
    }
    trading::OrderEntry& entry() { return *source.orderEntry(); }
    trading::PaperDesk& desk() { return static_cast<trading::PaperDesk&>(entry()); }
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
        (void)d.entry().submitMarket(Side::Bid, 500,
                                     "a");  // takes liquidity: level updates + trades
        const Level bid = d.feed.book().bestBid();
        (void)d.entry().submitLimit(Side::Bid, bid.price - 4, 300, "b");  // rests: one level update
        QVERIFY(d.feed.status().messages > before);  // seen at once, not dropped
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

    void reverseFlipsThePositionOnceAndCancelsWorkingOrders() {
        Desk d;
        (void)d.entry().submitMarket(Side::Bid, 300, "open");
        const PriceTicks resting = d.feed.book().bestBid().price - 8;
        (void)d.entry().submitLimit(Side::Bid, resting, 100, "resting");
        QCOMPARE(d.entry().state().positionQty, Lots{300});
        QCOMPARE(d.entry().state().orders.size(), std::size_t{1});

        const auto first = d.entry().reverse(300, "reverse:1");
        QCOMPARE(first.status, trading::SubmitStatus::Sent);
        QCOMPARE(d.entry().state().positionQty, Lots{-300});
        QVERIFY(d.entry().state().orders.empty());  // the working bid went with the flatten
        // The same request again (a double click) sees -300, not the 300 it was made for.
        const auto again = d.entry().reverse(300, "reverse:2");
        QCOMPARE(again.status, trading::SubmitStatus::NotOpen);
        QCOMPARE(d.entry().state().positionQty, Lots{-300});
        // Flat: nothing to reverse.
        d.entry().flatten();
        QCOMPARE(d.entry().reverse(0, "reverse:3").status, trading::SubmitStatus::NotOpen);
        QCOMPARE(d.entry().state().positionQty, Lots{0});
    }

    void reverseRefusedByTheRiskLimitsLeavesThePositionFlat() {
        Desk d;
        // 8 BTC long; the opening 8 BTC sell is above the 5 BTC per-order limit.
        (void)d.entry().submitMarket(Side::Bid, 4'000, "one");
        d.source.poll(d.feed, 2'500'000'000);
        (void)d.entry().submitMarket(Side::Bid, 4'000, "two");
        QCOMPARE(d.entry().state().positionQty, Lots{8'000});
        const auto outcome = d.entry().reverse(8'000, "reverse");
        QCOMPARE(outcome.status, trading::SubmitStatus::Blocked);
        QVERIFY(outcome.rejection);
        QCOMPARE(d.entry().state().positionQty, Lots{0});
        QVERIFY2(d.entry().state().lastMessage.find("size") != std::string::npos,
                 d.entry().state().lastMessage.c_str());
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

    void bracketFollowsTheEntryOnThePaperDesk() {
        Desk d;
        using trading::OrderRole;
        const auto out = d.entry().submitBracket({Side::Bid, trading::OrderType::Market, 0, 300,
                                                  trading::TimeInForce::ImmediateOrCancel},
                                                 {20, 15}, "bracket");
        QCOMPARE(static_cast<int>(out.status), static_cast<int>(trading::SubmitStatus::Sent));
        trading::TradingState s = d.entry().state();
        QCOMPARE(s.positionQty, Lots{300});
        // The legs sit at the distances from the average fill (rounded away from the entry
        // for the take-profit, toward it for the stop).
        const auto avg = static_cast<PriceTicks>(std::ceil(s.averagePriceTicks - 1e-9));
        QCOMPARE(s.orders.size(), std::size_t{2});
        const trading::WorkingOrder* tp = nullptr;
        const trading::WorkingOrder* sl = nullptr;
        for (const auto& o : s.orders)
            (o.role == OrderRole::TakeProfit ? tp : sl) = &o;
        QVERIFY(tp && sl);
        QCOMPARE(static_cast<int>(sl->role), static_cast<int>(OrderRole::StopLoss));
        QCOMPARE(tp->side, Side::Ask);
        QCOMPARE(tp->priceTicks, avg + 20);
        QCOMPARE(tp->remaining, Lots{300});
        QVERIFY(!tp->heldLocally);
        QCOMPARE(sl->side, Side::Ask);
        QCOMPARE(sl->priceTicks, avg - 15);
        QCOMPARE(sl->remaining, Lots{300});
        QVERIFY(sl->heldLocally);
        const std::string tpId = tp->id;
        const std::string slId = sl->id;

        // Moving the take-profit replaces it; moving the stop just changes its price.
        const auto movedTp = d.entry().moveOrder(tpId, avg + 25);
        QCOMPARE(static_cast<int>(movedTp.status), static_cast<int>(trading::SubmitStatus::Sent));
        QVERIFY(movedTp.id != tpId);
        (void)d.entry().moveOrder(slId, avg - 30);
        s = d.entry().state();
        QCOMPARE(s.orders.size(), std::size_t{2});
        for (const auto& o : s.orders)
            QCOMPARE(o.priceTicks, o.role == OrderRole::TakeProfit ? avg + 25 : avg - 30);

        // A stop moved to the bid fires at once: market sell, the take-profit cancelled.
        QCOMPARE(s.positionQty, Lots{300});
        (void)d.entry().moveOrder(slId, d.feed.book().bestBid().price);
        s = d.entry().state();
        QCOMPARE(s.positionQty, Lots{0});
        QVERIFY(s.orders.empty());
        QCOMPARE(d.desk().brackets().bracketCount(), 0);
        QCOMPARE(d.desk().brackets().stopsTriggered(), std::uint64_t{1});
        QVERIFY(d.desk().manager().find(movedTp.id));
        QCOMPARE(static_cast<int>(d.desk().manager().find(movedTp.id)->state()),
                 static_cast<int>(trading::OrderState::Cancelled));
    }

    void stopFiredByTheFlowExitsOnceOnThePaperDesk() {
        // Issue 12, item 0: a stop that the market's own flow fires (a print or the touch, seen
        // at service()) sent its market order, which filled inside the call; the order was then
        // seen closed before its fill was handed over, read as unfilled, and sent again: the
        // trader ended short what he had bought. The position must go to zero, never below.
        Desk d;
        (void)d.entry().submitBracket({Side::Bid, trading::OrderType::Market, 0, 100,
                                       trading::TimeInForce::ImmediateOrCancel},
                                      {60, 2}, "bracket");
        QCOMPARE(d.entry().state().positionQty, Lots{100});
        TimeNs t = 2'000'000'000;
        for (int i = 0; i < 2'000 && d.desk().brackets().stopsTriggered() == 0; ++i) {
            t += 10'000'000;
            d.source.poll(d.feed, t);
            QVERIFY(d.entry().state().positionQty >= 0);
        }
        QCOMPARE(d.desk().brackets().stopsTriggered(), std::uint64_t{1});
        for (int i = 0; i < 100; ++i) {  // and it stays closed as the flow goes on
            t += 10'000'000;
            d.source.poll(d.feed, t);
        }
        const trading::TradingState s = d.entry().state();
        QCOMPARE(s.positionQty, Lots{0});
        QVERIFY(s.orders.empty());
        QCOMPARE(d.desk().brackets().bracketCount(), 0);
        Lots sold = 0;  // every order the desk sent, by its own record
        for (const trading::ClientOrderId& id : d.desk().manager().orderIds()) {
            const trading::Order* o = d.desk().manager().find(id);
            if (o->request().side == Side::Ask) sold += o->filledQty();
        }
        QCOMPARE(sold, Lots{100});
    }

    void takeProfitFillDropsTheStopOnThePaperDesk() {
        Desk d;
        (void)d.entry().submitBracket({Side::Bid, trading::OrderType::Market, 0, 200,
                                       trading::TimeInForce::ImmediateOrCancel},
                                      {30, 30}, "bracket");
        QCOMPARE(d.entry().state().orders.size(), std::size_t{2});
        std::string tpId;
        for (const auto& o : d.entry().state().orders)
            if (o.role == trading::OrderRole::TakeProfit) tpId = o.id;
        // The take-profit moved well into the bids fills at once: the stop is dropped.
        (void)d.entry().moveOrder(tpId, d.feed.book().bestBid().price - 20);
        const trading::TradingState s = d.entry().state();
        QCOMPARE(s.positionQty, Lots{0});
        QVERIFY(s.orders.empty());
        QCOMPARE(d.desk().brackets().bracketCount(), 0);
        QCOMPARE(d.desk().brackets().stopsTriggered(), std::uint64_t{0});
    }

    void restingEntryGetsItsTakeProfitWhenTheFlowFillsIt() {
        Desk d;
        const PriceTicks price = d.feed.book().bestBid().price;
        (void)d.entry().submitBracket({Side::Bid, trading::OrderType::Limit, price, 50}, {10, 0},
                                      "maker");
        // The flow fills the resting entry inside the market's advance; the desk hands the fill
        // to the bracket at service(), as the source does after each poll.
        TimeNs t = 2'000'000'000;
        while (d.entry().state().positionQty == 0 && t < 60'000'000'000) {
            t += 250'000'000;
            d.source.poll(d.feed, t);
            d.desk().service();
        }
        const trading::TradingState s = d.entry().state();
        QVERIFY(s.positionQty > 0);
        const trading::WorkingOrder* tp = nullptr;
        for (const auto& o : s.orders)
            if (o.role == trading::OrderRole::TakeProfit) tp = &o;
        QVERIFY(tp);
        QCOMPARE(tp->remaining, s.positionQty);
        QCOMPARE(tp->priceTicks, price + 10);  // every fill of a limit buy is at its price
    }

    void restingEntryBracketsAfterMakerFillsAndCancelAllDropsIt() {
        Desk d;
        const PriceTicks price = d.feed.book().bestBid().price - 4;
        const auto out = d.entry().submitBracket({Side::Bid, trading::OrderType::Limit, price, 100},
                                                 {10, 10}, "resting");
        QCOMPARE(static_cast<int>(out.status), static_cast<int>(trading::SubmitStatus::Sent));
        QCOMPARE(d.entry().state().orders.size(), std::size_t{1});  // no legs before a fill
        QCOMPARE(static_cast<int>(d.entry().state().orders[0].role),
                 static_cast<int>(trading::OrderRole::Entry));
        d.entry().cancelAll();
        QVERIFY(d.entry().state().orders.empty());
        QCOMPARE(d.desk().brackets().bracketCount(), 0);
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
