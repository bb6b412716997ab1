// Paper trading on the simulated venue: orders rest in and match against the simulator's book
// with price-time priority, fills (partial, then full) reach the order manager through the
// market's sink, queue positions are tracked, and the P&L adds up against the fills recorded
// independently of the manager.
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <vector>

#include "trading/paper_gateway.h"

using namespace flowscope;
using namespace flowscope::trading;

namespace {

constexpr TimeNs kSec = 1'000'000'000;

RiskLimits limits() {
    RiskLimits l;
    l.maxOrderQty = 10'000;
    l.maxOrderNotional = 10'000'000.0;
    l.priceBandBps = 200;
    l.maxOpenOrders = 10;
    l.maxPositionQty = 100'000;
    l.maxOrdersPerSecond = 100;
    l.dailyLossLimit = 1'000'000.0;
    return l;
}

constexpr FeeRates kFees{-1.0, 5.0};  // maker rebate 1 bp, taker 5 bp

/// The market's sink: records what the venue reports, then hands it to the gateway, as the
/// app's SimulatedSource would.
struct Tee final : sim::MarketSink {
    PaperGateway* gateway = nullptr;
    std::vector<sim::Fill> fills;
    void onLevel(const sim::LevelUpdate& u) override { gateway->onLevel(u); }
    void onFill(const sim::Fill& f) override {
        fills.push_back(f);
        gateway->onFill(f);
    }
    void onQueuePosition(const sim::QueuePosition& q) override { gateway->onQueuePosition(q); }
};

struct Rig {
    sim::SimulatedMarket market;
    MemoryAuditLog audit;
    OrderManager manager;
    PaperGateway gateway;
    Tee tee;

    explicit Rig(std::uint64_t seed = 1)
        : market(sim::SimulatedMarketConfig{seed}),
          manager(RiskCheck(market.instrument(), limits()), kFees, ClientOrderIdGenerator("p"),
                  audit),
          gateway(market, manager) {
        tee.gateway = &gateway;
        market.setSink(&tee);
        manager.setArmed(true, 0);
    }
    std::vector<sim::Fill> fillsOf(std::uint64_t venueId) const {
        std::vector<sim::Fill> out;
        for (const sim::Fill& f : tee.fills)
            if (f.orderId == venueId) out.push_back(f);
        return out;
    }
};

bool near(double a, double b) {
    return std::abs(a - b) < 1e-9 * std::max(1.0, std::abs(b));
}

}  // namespace

class TestPaperGateway : public QObject {
    Q_OBJECT

  private slots:
    void restingBuyIsFilledPartlyThenFullyByTheFlow() {
        Rig rig;
        const Level bid = rig.market.engine().bestBid();
        constexpr Lots kQty = 400;  // more than most market orders: expect several fills
        const SubmitOutcome out =
            rig.manager.submit({Side::Bid, OrderType::Limit, bid.price, kQty}, "buy", 0);
        QCOMPARE(static_cast<int>(out.status), static_cast<int>(SubmitStatus::Sent));
        const Order* order = rig.manager.find(out.id);
        QCOMPARE(order->state(), OrderState::Acknowledged);
        // Joined the back of the queue: everything already at the price is ahead.
        const auto queue = rig.gateway.queuePosition(out.id);
        QVERIFY(queue.has_value());
        QCOMPARE(queue->ahead, bid.qty);
        QCOMPARE(queue->remaining, kQty);

        bool sawPartial = false;
        for (TimeNs t = kSec; t <= 3'600 * kSec && order->state() != OrderState::Filled;
             t += kSec) {
            (void)rig.market.advanceTo(t);
            sawPartial = sawPartial || order->state() == OrderState::PartiallyFilled;
        }
        QCOMPARE(order->state(), OrderState::Filled);
        QVERIFY(sawPartial);
        const auto fills = rig.fillsOf(order->venueOrderId());
        QVERIFY(fills.size() >= 2);
        Lots total = 0;
        for (const sim::Fill& f : fills) {
            QCOMPARE(f.priceTicks, bid.price);  // a resting limit fills at its own price
            QCOMPARE(f.liquidity, sim::Liquidity::Maker);
            total += f.qty;
        }
        QCOMPARE(total, kQty);
        QVERIFY(!rig.gateway.queuePosition(out.id));  // forgotten once done
        QCOMPARE(rig.manager.openOrderCount(), 0);

        // Every fill is in the history: Ack, then one step per fill.
        QCOMPARE(order->history().size(), std::size_t{2} + fills.size());

        // P&L: long kQty at the bid price, marked at mid, maker rebate of 1 bp.
        const Position& pos = rig.manager.position();
        QCOMPARE(pos.qty(), kQty);
        QCOMPARE(pos.averagePriceTicks(), static_cast<double>(bid.price));
        const Level b = rig.market.engine().bestBid(), a = rig.market.engine().bestAsk();
        const double mid = (static_cast<double>(b.price) + static_cast<double>(a.price)) / 2;
        const double unrealised = (mid - static_cast<double>(bid.price)) * kQty;
        const double fees = -1e-4 * static_cast<double>(bid.price) * kQty;
        // tick 0.5 x lot 0.001 = 0.0005 quote per tick-lot
        QVERIFY(near(rig.manager.dayPnl(), (unrealised - fees) * 0.0005));

        // Close with a market sell: its taker fills arrive with the submission.
        const SubmitOutcome close =
            rig.manager.submit({Side::Ask, OrderType::Market, 0, kQty}, "close", 0);
        const Order* closing = rig.manager.find(close.id);
        QCOMPARE(closing->state(), OrderState::Filled);
        QCOMPARE(pos.qty(), Lots{0});
        double realised = 0, takerFees = 0;
        for (const sim::Fill& f : rig.fillsOf(closing->venueOrderId())) {
            QCOMPARE(f.liquidity, sim::Liquidity::Taker);
            realised += static_cast<double>((f.priceTicks - bid.price) * f.qty);
            takerFees += 5e-4 * static_cast<double>(f.priceTicks * f.qty);
        }
        QVERIFY(near(pos.realisedTickLots(), realised));
        QVERIFY(near(pos.feesTickLots(), fees + takerFees));
        QVERIFY(near(rig.manager.dayPnl(), (realised - fees - takerFees) * 0.0005));
    }

    void selfMatchShowsPriceTimePriorityAndPartialFills() {
        Rig rig;
        // Wait for a spread of two ticks or more, so that a sell inside it is alone at the best.
        while (rig.market.engine().bestAsk().price - rig.market.engine().bestBid().price < 2)
            (void)rig.market.step();
        rig.gateway.syncMarket();
        const PriceTicks inside = rig.market.engine().bestAsk().price - 1;
        const auto sell = rig.manager.submit({Side::Ask, OrderType::Limit, inside, 100}, "sell", 0);
        QCOMPARE(rig.manager.find(sell.id)->state(), OrderState::Acknowledged);
        QCOMPARE(rig.gateway.queuePosition(sell.id)->ahead, Lots{0});

        const auto buy1 =
            rig.manager.submit({Side::Bid, OrderType::ImmediateOrCancel, inside, 40}, "buy1", 0);
        QCOMPARE(rig.manager.find(buy1.id)->state(), OrderState::Filled);
        QCOMPARE(rig.manager.find(sell.id)->state(), OrderState::PartiallyFilled);
        QCOMPARE(rig.manager.find(sell.id)->filledQty(), Lots{40});
        QCOMPARE(rig.gateway.queuePosition(sell.id)->remaining, Lots{60});

        const auto buy2 =
            rig.manager.submit({Side::Bid, OrderType::ImmediateOrCancel, inside, 60}, "buy2", 0);
        QCOMPARE(rig.manager.find(buy2.id)->state(), OrderState::Filled);
        QCOMPARE(rig.manager.find(sell.id)->state(), OrderState::Filled);
        QCOMPARE(rig.manager.openOrderCount(), 0);

        // Bought 100 and sold 100 at one price: flat, nothing realised; fees are the taker's
        // 5 bp less the maker's 1 bp rebate on 100 lots at `inside`.
        const Position& pos = rig.manager.position();
        QCOMPARE(pos.qty(), Lots{0});
        QCOMPARE(pos.realisedTickLots(), 0.0);
        QVERIFY(near(pos.feesTickLots(), 4e-4 * static_cast<double>(inside) * 100));
    }

    void iocRemainderExpires() {
        Rig rig;
        const Level ask = rig.market.engine().bestAsk();
        const auto out = rig.manager.submit(
            {Side::Bid, OrderType::ImmediateOrCancel, ask.price, ask.qty + 5}, "ioc", 0);
        const Order* order = rig.manager.find(out.id);
        QCOMPARE(order->state(), OrderState::Expired);
        QCOMPARE(order->filledQty(), ask.qty);  // took the touch, not the level behind it
        QCOMPARE(rig.manager.position().qty(), ask.qty);
    }

    void postOnlyThatWouldCrossIsRejectedByTheVenue() {
        Rig rig;
        const Level ask = rig.market.engine().bestAsk();
        const auto out =
            rig.manager.submit({Side::Bid, OrderType::PostOnly, ask.price, 10}, "po", 0);
        const Order* order = rig.manager.find(out.id);
        QCOMPARE(order->state(), OrderState::Rejected);
        QCOMPARE(order->rejectReason(), std::string("post-only order would cross"));
        QCOMPARE(rig.manager.openOrderCount(), 0);
    }

    void cancelRemovesTheOrderFromTheBook() {
        Rig rig;
        const PriceTicks deep = rig.market.engine().bestBid().price - 100;
        const auto out = rig.manager.submit({Side::Bid, OrderType::Limit, deep, 10}, "deep", 0);
        const std::uint64_t venueId = rig.manager.find(out.id)->venueOrderId();
        QVERIFY(rig.market.engine().find(venueId).has_value());
        QCOMPARE(rig.manager.cancel(out.id, 1), CancelStatus::Sent);
        QCOMPARE(rig.manager.find(out.id)->state(), OrderState::Cancelled);
        QVERIFY(!rig.market.engine().find(venueId).has_value());
        QCOMPARE(rig.manager.cancelAll(2), 0);
    }

    void reduceOnlyIsRefusedOnSim() {
        Rig rig;
        OrderRequest r{Side::Ask, OrderType::Limit, rig.market.engine().bestAsk().price, 10};
        r.reduceOnly = true;
        const auto out = rig.manager.submit(r, "ro", 0);
        const Order* order = rig.manager.find(out.id);
        QCOMPARE(order->state(), OrderState::Rejected);
        QCOMPARE(order->rejectReason(), std::string("reduce-only is not supported by SIM"));
        QCOMPARE(order->venueOrderId(), std::uint64_t{0});  // never reached the book
    }
};

QTEST_GUILESS_MAIN(TestPaperGateway)
#include "tst_paper_gateway.moc"
