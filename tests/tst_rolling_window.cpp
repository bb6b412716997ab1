// Rolling sums in event time (exact) and clock time (sub-buckets), and the z-score baseline.
#include <QtTest>

#include <cmath>
#include <stdexcept>

#include "signals/rolling_window.h"
#include "signals/zscore_baseline.h"

using namespace flowscope;

class TestRollingWindow : public QObject {
    Q_OBJECT

  private slots:
    void eventWindowKeepsExactlyTheLastNEvents() {
        RollingWindow w(3, 3, 1);
        const std::int64_t expected[] = {1, 3, 6, 9, 12, 15};  // sums of the last 3 of 1..6
        for (std::int64_t i = 0; i < 6; ++i) {
            const std::int64_t v = i + 1;
            w.add(i, std::span(&v, 1));
            QCOMPARE(w.total(0), expected[i]);
        }
    }

    void clockWindowExpiresWholeSubBuckets() {
        // 1000 units in 10 buckets of 100: the total covers the current bucket and the 9 before.
        RollingWindow w(1000, 10, 2);
        const std::int64_t a[] = {1, 10}, b[] = {2, 20}, c[] = {4, 40};
        w.add(0, a);
        w.add(150, b);
        w.add(950, c);
        QCOMPARE(w.total(0), std::int64_t{7});
        QCOMPARE(w.total(1), std::int64_t{70});
        w.advanceTo(1000);  // bucket 10: bucket 0 (t=0) leaves
        QCOMPARE(w.total(0), std::int64_t{6});
        w.advanceTo(1149);  // bucket 11: bucket 1 (t=150) leaves
        QCOMPARE(w.total(0), std::int64_t{4});
        QCOMPARE(w.total(1), std::int64_t{40});
        w.advanceTo(5000);  // far jump clears everything
        QCOMPARE(w.total(0), std::int64_t{0});
        QCOMPARE(w.total(1), std::int64_t{0});
    }

    void earlierClockCountsInCurrentBucket() {
        RollingWindow w(1000, 10, 1);
        const std::int64_t one = 1;
        w.add(500, std::span(&one, 1));
        w.add(100, std::span(&one, 1));  // out of order: kept, in bucket 5
        QCOMPARE(w.total(0), std::int64_t{2});
        w.advanceTo(1499);  // bucket 14 keeps buckets 5..14
        QCOMPARE(w.total(0), std::int64_t{2});
        w.advanceTo(1500);
        QCOMPARE(w.total(0), std::int64_t{0});
    }

    void singleColumnAdd() {
        RollingWindow w(4, 4, 3);
        w.addAt(0, 2, 5);
        w.addAt(1, 2, 6);
        QCOMPARE(w.total(2), std::int64_t{11});
        QCOMPARE(w.total(0), std::int64_t{0});
    }

    void invalidShapesAreRefused() {
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, RollingWindow(1000, 7, 1));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, RollingWindow(0, 1, 1));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, RollingWindow(10, 10, 0));
    }

    void zscoreUsesSampleStddevOfLastK() {
        ZScoreBaseline z(3);
        QVERIFY(std::isnan(z.z(1.0)));  // no history
        z.push(1);
        QVERIFY(std::isnan(z.z(1.0)));  // one sample has no spread
        z.push(2);
        z.push(3);
        z.push(4);  // keeps 2, 3, 4: mean 3, sample stddev 1
        QCOMPARE(z.mean(), 3.0);
        QCOMPARE(z.stddev(), 1.0);
        QCOMPARE(z.z(5.0), 2.0);
        z.push(std::nan(""));  // undefined samples are ignored
        QCOMPARE(z.mean(), 3.0);
    }

    void zscoreOfFourSamples() {
        ZScoreBaseline z(10);
        for (double x : {1.0, 2.0, 3.0, 4.0})
            z.push(x);
        // mean 2.5, sample variance (2.25 + 0.25 + 0.25 + 2.25) / 3 = 5/3
        QVERIFY(qFuzzyCompare(z.z(5.0), 2.5 / std::sqrt(5.0 / 3.0)));
    }

    void zscoreOfConstantHistoryIsUndefined() {
        ZScoreBaseline z(5);
        z.pushZeros(5);
        QVERIFY(std::isnan(z.z(3.0)));
    }
};

QTEST_GUILESS_MAIN(TestRollingWindow)
#include "tst_rolling_window.moc"
