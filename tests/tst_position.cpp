// Position and P&L by average cost, every expected value worked out by hand in the comments.
#include <QtTest>

#include <algorithm>
#include <cmath>

#include "trading/position.h"

using namespace flowscope;
using namespace flowscope::trading;

namespace {

constexpr auto B = Side::Bid;
constexpr auto A = Side::Ask;
constexpr auto T = Liquidity::Taker;
constexpr auto M = Liquidity::Maker;

bool near(double a, double b) {
    return std::abs(a - b) < 1e-9 * std::max(1.0, std::abs(b));
}

}  // namespace

class TestPosition : public QObject {
    Q_OBJECT

  private slots:
    void flatPositionHasNothing() {
        Position p;
        QCOMPARE(p.qty(), Lots{0});
        QCOMPARE(p.averagePriceTicks(), 0.0);
        QCOMPARE(p.unrealisedTickLots(123.0), 0.0);
        QCOMPARE(p.realisedTickLots(), 0.0);
    }

    void openingLongMarksAtTheMid() {
        Position p;
        p.applyFill(B, 100, 3, T);
        QCOMPARE(p.qty(), Lots{3});
        QCOMPARE(p.averagePriceTicks(), 100.0);
        QCOMPARE(p.unrealisedTickLots(110.0), 30.0);  // (110 - 100) x 3
        QCOMPARE(p.unrealisedTickLots(100.5), 1.5);   // a half-tick mid
        QCOMPARE(p.realisedTickLots(), 0.0);
    }

    void addingAveragesTheEntry() {
        Position p;
        p.applyFill(B, 100, 3, T);
        p.applyFill(B, 104, 1, T);
        QCOMPARE(p.averagePriceTicks(), 101.0);      // (300 + 104) / 4
        QCOMPARE(p.unrealisedTickLots(103.0), 8.0);  // (103 - 101) x 4
    }

    void reducingRealisesAgainstTheAverage() {
        Position p;
        p.applyFill(B, 100, 3, T);
        p.applyFill(B, 104, 1, T);
        p.applyFill(A, 105, 1, T);
        QCOMPARE(p.realisedTickLots(), 4.0);  // (105 - 101) x 1
        QCOMPARE(p.qty(), Lots{3});
        QCOMPARE(p.averagePriceTicks(), 101.0);  // a reduction leaves the average alone
        QCOMPARE(p.unrealisedTickLots(101.0), 0.0);
    }

    void longThreeSellFiveIsShortTwoAtTheNewPrice() {
        Position p;
        p.applyFill(B, 100, 3, T);
        p.applyFill(A, 110, 5, T);
        QCOMPARE(p.realisedTickLots(), 30.0);  // the 3 closed: (110 - 100) x 3
        QCOMPARE(p.qty(), Lots{-2});
        QCOMPARE(p.averagePriceTicks(), 110.0);       // the 2 opened at the fill price
        QCOMPARE(p.unrealisedTickLots(105.0), 10.0);  // short 2 from 110, mark 105
        QCOMPARE(p.unrealisedTickLots(112.0), -4.0);
        QCOMPARE(p.boughtQty(), Lots{3});
        QCOMPARE(p.soldQty(), Lots{5});
    }

    void shortFourBuySixIsLongTwo() {
        Position p;
        p.applyFill(A, 200, 4, T);
        p.applyFill(B, 190, 6, T);
        QCOMPARE(p.realisedTickLots(), 40.0);  // short 4 covered 10 lower
        QCOMPARE(p.qty(), Lots{2});
        QCOMPARE(p.averagePriceTicks(), 190.0);
    }

    void coveringAShortAtALoss() {
        Position p;
        p.applyFill(A, 110, 2, T);
        p.applyFill(B, 115, 2, T);
        QCOMPARE(p.realisedTickLots(), -10.0);  // (110 - 115) x 2
        QCOMPARE(p.qty(), Lots{0});
        QCOMPARE(p.averagePriceTicks(), 0.0);
        QCOMPARE(p.unrealisedTickLots(500.0), 0.0);
    }

    void fractionalAverageAddsUpWhenFlat() {
        Position p;
        p.applyFill(B, 100, 1, T);
        p.applyFill(B, 101, 2, T);
        QVERIFY(near(p.averagePriceTicks(), 302.0 / 3));
        p.applyFill(A, 104, 1, T);
        QVERIFY(near(p.realisedTickLots(), 10.0 / 3));  // 104 - 302/3
        QVERIFY(near(p.averagePriceTicks(), 302.0 / 3));
        p.applyFill(A, 101, 2, T);
        // Flat: realised is sells minus buys, 104 + 202 - 302 = 4.
        QVERIFY(near(p.realisedTickLots(), 4.0));
        QCOMPARE(p.qty(), Lots{0});
    }

    void feesFromMakerAndTakerRates() {
        // BTC-USD: tick 0.5, lot 0.001. Taker 5 bps, maker rebate 1 bp.
        const Instrument btc("BTC-USD", DecimalStep{5, 1}, DecimalStep{1, 3});
        Position p(FeeRates{-1.0, 5.0});
        p.applyFill(B, 120'000, 1'000, T);  // 1 BTC at 60,000.0: fee 60,000 x 0.0005 = 30.00
        QVERIFY(near(toQuote(btc, p.feesTickLots()), 30.0));
        p.applyFill(A, 120'200, 1'000, M);  // at 60,100.0: rebate 60,100 x 0.0001 = 6.01
        QVERIFY(near(toQuote(btc, p.feesTickLots()), 23.99));
        QVERIFY(near(toQuote(btc, p.realisedTickLots()), 100.0));  // 100.0 x 1 BTC
        QVERIFY(near(toQuote(btc, p.netTickLots(0.0)), 76.01));
    }

    void netIsRealisedPlusUnrealisedMinusFees() {
        Position p(FeeRates{0.0, 10.0});
        p.applyFill(B, 1'000, 10, T);  // fee 10,000 x 0.001 = 10
        p.applyFill(A, 1'010, 4, T);   // fee 4,040 x 0.001 = 4.04; realised 40
        // unrealised at 1,005: 5 x 6 = 30. Net: 40 + 30 - 14.04 = 55.96
        QVERIFY(near(p.netTickLots(1'005.0), 55.96));
    }

    void tickLotsToQuote() {
        const Instrument btc("BTC-USD", DecimalStep{5, 1}, DecimalStep{1, 3});
        QCOMPARE(toQuote(btc, 120'000.0 * 1'000), 60'000.0);
    }
};

QTEST_GUILESS_MAIN(TestPosition)
#include "tst_position.moc"
