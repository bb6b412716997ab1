// e_n of Cont, Kukanov & Stoikov, case by case, worked out by hand from the formula
//   e = 1{Pb >= Pb'} qb - 1{Pb <= Pb'} qb' - 1{Pa <= Pa'} qa + 1{Pa >= Pa'} qa'
// (primes: the previous state); and its multi-level form.
#include <QtTest>

#include "signals/level_ofi.h"
#include "test_printers.h"

using namespace flowscope;

namespace {
constexpr qint64 kNone = -1;  // marks an empty level in the data table
Level bidOf(qint64 p, qint64 q) {
    return p == kNone ? emptyLevel(Side::Bid) : Level{p, q};
}
Level askOf(qint64 p, qint64 q) {
    return p == kNone ? emptyLevel(Side::Ask) : Level{p, q};
}
}  // namespace

class TestLevelOfi : public QObject {
    Q_OBJECT

  private slots:
    void contribution_data() {
        QTest::addColumn<qint64>("prevBidPx");
        QTest::addColumn<qint64>("prevBidQty");
        QTest::addColumn<qint64>("bidPx");
        QTest::addColumn<qint64>("bidQty");
        QTest::addColumn<qint64>("prevAskPx");
        QTest::addColumn<qint64>("prevAskQty");
        QTest::addColumn<qint64>("askPx");
        QTest::addColumn<qint64>("askQty");
        QTest::addColumn<qint64>("expected");
        // Same prices: bid +10 -10, ask -5 +5.
        QTest::newRow("unchanged")
            << 100LL << 10LL << 100LL << 10LL << 101LL << 5LL << 101LL << 5LL << 0LL;
        // Bid queue grows at the same price: +15 - 10.
        QTest::newRow("bid size up")
            << 100LL << 10LL << 100LL << 15LL << 101LL << 5LL << 101LL << 5LL << 5LL;
        QTest::newRow("bid size down")
            << 100LL << 10LL << 100LL << 4LL << 101LL << 5LL << 101LL << 5LL << -6LL;
        // Better bid: only the new size counts, +7.
        QTest::newRow("bid price up")
            << 100LL << 10LL << 101LL << 7LL << 102LL << 5LL << 102LL << 5LL << 7LL;
        // Bid consumed: only the old size counts, -10.
        QTest::newRow("bid price down")
            << 100LL << 10LL << 99LL << 20LL << 101LL << 5LL << 101LL << 5LL << -10LL;
        // Ask queue grows at the same price: -8 + 5.
        QTest::newRow("ask size up")
            << 100LL << 10LL << 100LL << 10LL << 101LL << 5LL << 101LL << 8LL << -3LL;
        // Better ask: -4.
        QTest::newRow("ask price down")
            << 99LL << 10LL << 99LL << 10LL << 101LL << 5LL << 100LL << 4LL << -4LL;
        // Ask consumed: +5.
        QTest::newRow("ask price up")
            << 100LL << 10LL << 100LL << 10LL << 101LL << 5LL << 102LL << 9LL << 5LL;
        // Both sides move up: bid +3, ask +5.
        QTest::newRow("both up") << 100LL << 10LL << 101LL << 3LL << 102LL << 5LL << 103LL << 6LL
                                 << 8LL;
        // Both sides move down: bid -10, ask -2.
        QTest::newRow("both down")
            << 100LL << 10LL << 99LL << 4LL << 102LL << 5LL << 101LL << 2LL << -12LL;
        // Empty sides: no bid is minus infinity, no ask plus infinity, size zero.
        QTest::newRow("bid appears")
            << kNone << 0LL << 100LL << 10LL << 101LL << 5LL << 101LL << 5LL << 10LL;
        QTest::newRow("bid vanishes")
            << 100LL << 10LL << kNone << 0LL << 101LL << 5LL << 101LL << 5LL << -10LL;
        QTest::newRow("ask appears")
            << 100LL << 10LL << 100LL << 10LL << kNone << 0LL << 101LL << 5LL << -5LL;
        QTest::newRow("ask vanishes")
            << 100LL << 10LL << 100LL << 10LL << 101LL << 5LL << kNone << 0LL << 5LL;
        QTest::newRow("all empty")
            << kNone << 0LL << kNone << 0LL << kNone << 0LL << kNone << 0LL << 0LL;
    }
    void contribution() {
        QFETCH(qint64, prevBidPx);
        QFETCH(qint64, prevBidQty);
        QFETCH(qint64, bidPx);
        QFETCH(qint64, bidQty);
        QFETCH(qint64, prevAskPx);
        QFETCH(qint64, prevAskQty);
        QFETCH(qint64, askPx);
        QFETCH(qint64, askQty);
        QFETCH(qint64, expected);
        const Lots e = ofiContribution(bidOf(prevBidPx, prevBidQty), bidOf(bidPx, bidQty),
                                       askOf(prevAskPx, prevAskQty), askOf(askPx, askQty));
        QCOMPARE(e, expected);
    }

    void multiLevelAppliesTheFormulaPerLevel() {
        // Level 1: bid 100x10 -> 100x12 (+2), ask 101x5 unchanged: e1 = 2.
        // Level 2: bid 99x8 -> 98x3 (bid price down: -8), ask 102x4 -> 103x1 (ask up: +4): e2 = -4.
        // Level 3: bid absent -> 97x6 (+6), ask 103x2 -> absent (+2): e3 = 8.
        const Level prevBids[] = {{100, 10}, {99, 8}, emptyLevel(Side::Bid)};
        const Level bids[] = {{100, 12}, {98, 3}, {97, 6}};
        const Level prevAsks[] = {{101, 5}, {102, 4}, {103, 2}};
        const Level asks[] = {{101, 5}, {103, 1}, emptyLevel(Side::Ask)};
        Lots out[3] = {};
        multiLevelOfi(prevBids, prevAsks, bids, asks, out);
        QCOMPARE(out[0], Lots{2});
        QCOMPARE(out[1], Lots{-4});
        QCOMPARE(out[2], Lots{8});
    }
};

QTEST_GUILESS_MAIN(TestLevelOfi)
#include "tst_level_ofi.moc"
