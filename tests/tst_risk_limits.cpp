// Pre-trade risk: a matrix where each rule blocks what it should (just over its limit) and lets
// through what it should (at its limit), the messages name the rule and the numbers, and the
// arm switch blocks everything. Instrument: SIM's BTC-USD, tick 0.5, lot 0.001.
#include <QtTest>

#include <optional>
#include <vector>

#include "trading/risk_limits.h"

using namespace flowscope;
using namespace flowscope::trading;

namespace {

Instrument btc() {
    return Instrument("BTC-USD", DecimalStep{5, 1}, DecimalStep{1, 3});
}

RiskLimits baseLimits() {
    RiskLimits l;
    l.maxOrderQty = 1'000;           // 1.000 BTC
    l.maxOrderNotional = 100'000.0;  // USD
    l.priceBandBps = 100;            // 1%
    l.maxOpenOrders = 3;
    l.maxPositionQty = 2'000;  // 2.000 BTC
    l.maxOrdersPerSecond = 5;
    l.dailyLossLimit = 1'000.0;  // USD
    return l;
}

constexpr TimeNs kNow = 10'000'000'000;

struct Scenario {
    RiskLimits limits = baseLimits();
    OrderRequest request{Side::Bid, OrderType::Limit, 120'000, 100};
    // Touch 59,999.5 / 60,000.5: mid 120,000 ticks = 60,000.0.
    std::optional<PriceTicks> bid = 119'999;
    std::optional<PriceTicks> ask = 120'001;
    int openOrders = 0;
    Lots openBuy = 0, openSell = 0, position = 0;
    std::vector<TimeNs> recent;
    double dayPnl = 0;
    bool armed = true;
    std::optional<RiskRule> expected;  ///< nullopt: passes
    QString message;                   ///< checked when not empty
};

std::vector<std::pair<const char*, Scenario>> scenarios() {
    std::vector<std::pair<const char*, Scenario>> out;
    auto add = [&](const char* name, auto&& edit) {
        Scenario s;
        edit(s);
        out.emplace_back(name, s);
    };
    add("base buy passes", [](Scenario&) {});
    add("base sell passes", [](Scenario& s) { s.request.side = Side::Ask; });
    add("disarmed blocks", [](Scenario& s) {
        s.armed = false;
        s.expected = RiskRule::Disarmed;
        s.message = "disarmed: trading is not armed";
    });
    add("zero size is invalid", [](Scenario& s) {
        s.request.qty = 0;
        s.expected = RiskRule::InvalidOrder;
    });
    add("zero price on a limit is invalid", [](Scenario& s) {
        s.request.priceTicks = 0;
        s.expected = RiskRule::InvalidOrder;
    });
    add("market order needs no price", [](Scenario& s) {
        s.request.type = OrderType::Market;
        s.request.priceTicks = 0;
    });
    add("size at limit passes", [](Scenario& s) { s.request.qty = 1'000; });
    add("size over limit blocks", [](Scenario& s) {
        s.request.qty = 1'001;
        s.expected = RiskRule::MaxOrderSize;
        s.message = "order size: 1.001 exceeds the limit 1.000";
    });
    // 100 lots x 60,000.0 = 6,000.00
    add("notional at limit passes", [](Scenario& s) { s.limits.maxOrderNotional = 6'000.0; });
    add("notional over limit blocks", [](Scenario& s) {
        s.limits.maxOrderNotional = 6'000.0;
        s.request.qty = 101;  // 6,060.00
        s.expected = RiskRule::MaxNotional;
        s.message = "notional: 6,060.00 exceeds the limit 6,000.00";
    });
    add("market buy is valued at the ask", [](Scenario& s) {
        s.limits.maxOrderNotional = 6'000.0;
        s.request.type = OrderType::Market;  // 0.1 x 60,000.5 = 6,000.05
        s.expected = RiskRule::MaxNotional;
    });
    add("market sell is valued at the bid", [](Scenario& s) {
        s.limits.maxOrderNotional = 6'000.0;
        s.request.type = OrderType::Market;  // 0.1 x 59,999.5 = 5,999.95
        s.request.side = Side::Ask;
    });
    add("no bid blocks", [](Scenario& s) {
        s.bid.reset();
        s.expected = RiskRule::NoMarketPrice;
    });
    add("no ask blocks", [](Scenario& s) {
        s.ask.reset();
        s.expected = RiskRule::NoMarketPrice;
    });
    // 1% of 120,000 ticks is 1,200 ticks.
    add("buy at band edge passes", [](Scenario& s) { s.request.priceTicks = 121'200; });
    add("buy one tick past band blocks", [](Scenario& s) {
        s.request.priceTicks = 121'201;
        s.expected = RiskRule::PriceBand;
    });
    add("sell at band edge passes", [](Scenario& s) {
        s.request.side = Side::Ask;
        s.request.priceTicks = 118'800;
    });
    add("sell one tick past band blocks", [](Scenario& s) {
        s.request.side = Side::Ask;
        s.request.priceTicks = 118'799;
        s.expected = RiskRule::PriceBand;
    });
    add("band message", [](Scenario& s) {
        s.request.priceTicks = 122'500;  // 61,250.0: 1,250 / 60,000 = 2.08%
        s.expected = RiskRule::PriceBand;
        s.message = "price band: 61,250.0 is 2.1% from mid 60,000.0, limit 1.0%";
    });
    add("band message with a half-tick mid", [](Scenario& s) {
        s.bid = 120'000;
        s.ask = 120'001;                 // mid 60,000.25
        s.request.priceTicks = 125'000;  // 62,500.0: 2,499.75 / 60,000.25 = 4.166%
        s.limits.priceBandBps = 25;
        s.expected = RiskRule::PriceBand;
        s.message = "price band: 62,500.0 is 4.2% from mid 60,000.25, limit 0.25%";
    });
    add("open orders below limit pass", [](Scenario& s) { s.openOrders = 2; });
    add("open orders at limit block", [](Scenario& s) {
        s.openOrders = 3;
        s.expected = RiskRule::MaxOpenOrders;
        s.message = "open orders: 3 open, limit 3";
    });
    add("long position reaching limit passes", [](Scenario& s) {
        s.position = 1'500;
        s.openBuy = 400;  // 1,500 + 400 + 100 = 2,000
    });
    add("long position past limit blocks", [](Scenario& s) {
        s.position = 1'500;
        s.openBuy = 400;
        s.request.qty = 101;  // 2,001
        s.expected = RiskRule::MaxPosition;
        s.message = "position: would reach 2.001 if open orders fill, limit 2.000";
    });
    add("short position reaching limit passes", [](Scenario& s) {
        s.request.side = Side::Ask;
        s.position = -1'500;
        s.openSell = 400;
    });
    add("short position past limit blocks", [](Scenario& s) {
        s.request.side = Side::Ask;
        s.position = -1'500;
        s.openSell = 400;
        s.request.qty = 101;
        s.expected = RiskRule::MaxPosition;
    });
    add("open buys do not count against a sell", [](Scenario& s) {
        s.request.side = Side::Ask;
        s.position = 1'900;
        s.openBuy = 1'000;  // worst case for the sell: 1,900 - 100 = 1,800
    });
    add("four orders in the last second pass", [](Scenario& s) {
        s.recent = {kNow - 900'000'000, kNow - 500'000'000, kNow - 1, kNow};
    });
    add("five orders in the last second block", [](Scenario& s) {
        s.recent = {kNow - 999'999'999, kNow - 900'000'000, kNow - 500'000'000, kNow - 1, kNow};
        s.expected = RiskRule::OrderRate;
        s.message = "order rate: 5 orders in the last second, limit 5";
    });
    add("an order exactly one second old has left the window", [](Scenario& s) {
        s.recent = {kNow - 1'000'000'000, kNow - 900'000'000, kNow - 500'000'000, kNow - 1, kNow};
    });
    add("loss just under the limit passes", [](Scenario& s) { s.dayPnl = -999.99; });
    add("loss at the limit blocks", [](Scenario& s) {
        s.dayPnl = -1'000.0;
        s.expected = RiskRule::DailyLoss;
        s.message =
            "daily loss: today's P&L -1,000.00 is at or below -1,000.00; only reducing orders "
            "allowed";
    });
    add("loss at the limit still lets a long be reduced", [](Scenario& s) {
        s.dayPnl = -1'500.0;
        s.position = 500;
        s.request.side = Side::Ask;
        s.request.qty = 500;
    });
    add("loss at the limit blocks a flip", [](Scenario& s) {
        s.dayPnl = -1'500.0;
        s.position = 500;
        s.request.side = Side::Ask;
        s.request.qty = 501;
        s.expected = RiskRule::DailyLoss;
    });
    add("loss at the limit blocks adding to a long", [](Scenario& s) {
        s.dayPnl = -1'500.0;
        s.position = 500;
        s.expected = RiskRule::DailyLoss;
    });
    add("loss at the limit lets a short be covered", [](Scenario& s) {
        s.dayPnl = -1'500.0;
        s.position = -500;
        s.request.qty = 300;
    });
    return out;
}

}  // namespace

class TestRiskLimits : public QObject {
    Q_OBJECT

  private slots:
    void eachRuleBlocksExactlyItsCase_data() {
        QTest::addColumn<int>("index");
        const auto all = scenarios();
        for (std::size_t i = 0; i < all.size(); ++i)
            QTest::newRow(all[i].first) << static_cast<int>(i);
    }
    void eachRuleBlocksExactlyItsCase() {
        QFETCH(int, index);
        const Scenario s = scenarios()[static_cast<std::size_t>(index)].second;
        RiskCheck check(btc(), s.limits);
        check.setArmed(s.armed);
        RiskContext c;
        c.bestBid = s.bid;
        c.bestAsk = s.ask;
        c.openOrders = s.openOrders;
        c.openBuyQty = s.openBuy;
        c.openSellQty = s.openSell;
        c.positionQty = s.position;
        c.recentSubmitsNs = s.recent;
        c.nowNs = kNow;
        c.dayPnl = s.dayPnl;
        const auto result = check.check(s.request, c);
        if (!s.expected) {
            QVERIFY2(!result, result ? result->message.c_str() : "");
            return;
        }
        QVERIFY(result.has_value());
        QCOMPARE(static_cast<int>(result->rule), static_cast<int>(*s.expected));
        QVERIFY(QString::fromStdString(result->message).startsWith(describe(*s.expected)));
        if (!s.message.isEmpty()) QCOMPARE(QString::fromStdString(result->message), s.message);
    }

    void startsDisarmedAndTheToggleArms() {
        RiskCheck check(btc(), baseLimits());
        QVERIFY(!check.armed());
        RiskContext c;
        c.bestBid = 119'999;
        c.bestAsk = 120'001;
        const OrderRequest r{Side::Bid, OrderType::Limit, 120'000, 100};
        QCOMPARE(static_cast<int>(check.check(r, c)->rule), static_cast<int>(RiskRule::Disarmed));
        check.setArmed(true);
        QVERIFY(!check.check(r, c));
        check.setArmed(false);
        QVERIFY(check.check(r, c).has_value());
    }

    void sizesOffTheVenuesOrderStepAreRefused() {
        // Binance BTCUSDT: the book's lot is 1e-8, LOT_SIZE stepSize 0.00001 = 1000 book lots.
        RiskCheck check(Instrument("BTCUSDT", DecimalStep{1, 2}, DecimalStep{1, 8}), [] {
            RiskLimits l = baseLimits();
            l.maxOrderQty = 500'000'000;  // 5 BTC
            l.maxPositionQty = 2'000'000'000;
            l.maxOrderNotional = 1e9;
            return l;
        }());
        check.setArmed(true);
        QCOMPARE(check.orderStepLots(), Lots{1});
        QVERIFY(check.setOrderStep(DecimalStep{1, 5}));
        QCOMPARE(check.orderStepLots(), Lots{1'000});
        QVERIFY(!check.setOrderStep(DecimalStep{1, 9}));  // finer than the lot: not a multiple
        QCOMPARE(check.orderStepLots(), Lots{1'000});
        RiskContext c;
        c.bestBid = 6'000'000;  // 60,000.00
        c.bestAsk = 6'000'001;
        c.nowNs = kNow;
        OrderRequest r{Side::Bid, OrderType::Limit, 6'000'000, 1'500};  // 0.000015 BTC
        const auto refused = check.check(r, c);
        QVERIFY(refused.has_value());
        QCOMPARE(static_cast<int>(refused->rule), static_cast<int>(RiskRule::InvalidOrder));
        QVERIFY2(refused->message.find("0.00001000") != std::string::npos,
                 refused->message.c_str());
        r.qty = 2'000;  // 0.00002 BTC
        QVERIFY(!check.check(r, c));
    }

    void validateNamesTheBadField() {
        QVERIFY(baseLimits().validate().empty());
        QVERIFY(!RiskLimits{}.validate().empty());
        RiskLimits l = baseLimits();
        l.priceBandBps = 0;
        QCOMPARE(QString::fromStdString(l.validate()), QString("price band must be positive"));
        l = baseLimits();
        l.dailyLossLimit = -1;
        QCOMPARE(QString::fromStdString(l.validate()),
                 QString("daily loss limit must be positive"));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, RiskCheck(btc(), RiskLimits{}));
    }

    void thousandsSeparators() {
        QCOMPARE(withThousands("0.5"), std::string("0.5"));
        QCOMPARE(withThousands("999"), std::string("999"));
        QCOMPARE(withThousands("1000"), std::string("1,000"));
        QCOMPARE(withThousands("61250.0"), std::string("61,250.0"));
        QCOMPARE(withThousands("-1234567.89"), std::string("-1,234,567.89"));
    }
};

QTEST_GUILESS_MAIN(TestRiskLimits)
#include "tst_risk_limits.moc"
