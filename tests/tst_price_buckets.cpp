// Price buckets for the heatmaps: the bucket chosen from the price, bucket low prices, bucket
// levels from the touch, their OFI, and the heatmap columns cut in buckets, all against values
// worked out by hand.
#include <QtTest>

#include "book/book_side.h"
#include "feed/feed_engine.h"
#include "feed/price_buckets.h"
#include "test_printers.h"

using namespace flowscope;

namespace {
constexpr TimeNs kMs = 1'000'000;

std::vector<HeatmapColumn> drain(FeedEngine& feed) {
    std::vector<HeatmapColumn> out;
    while (auto c = feed.columns().pop())
        out.push_back(std::move(*c));
    return out;
}
}  // namespace

class TestPriceBuckets : public QObject {
    Q_OBJECT

  private slots:
    void bucketCoversTheRangeAtANiceStep_data() {
        QTest::addColumn<qlonglong>("priceTicks");
        QTest::addColumn<int>("halfRows");
        QTest::addColumn<qlonglong>("expected");
        // BTCUSDT at 62,000.00 (tick 0.01): 2% is 124,000 ticks, over 500 rows 248 -> 250.
        QTest::newRow("btcusdt") << 6'200'000LL << 500 << 250LL;
        // The simulator's 60,000.0 at a 0.5 tick: 2,400 / 500 = 4.8 -> 5 ticks ($2.50).
        QTest::newRow("simulator") << 120'000LL << 500 << 5LL;
        // 2% of 100 ticks is 2 ticks: one tick per row is enough.
        QTest::newRow("small price") << 100LL << 5 << 1LL;
        // Exactly on a step: 100,000 / 500 = 200.
        QTest::newRow("exact step") << 5'000'000LL << 500 << 200LL;
        // 20,000 / 250 = 80 -> 100.
        QTest::newRow("next decade") << 1'000'000LL << 250 << 100LL;
        // 2.2 -> 5: no 2.5 step below ten ticks (not a whole tick).
        QTest::newRow("no half ticks") << 55'000LL << 500 << 5LL;
    }
    void bucketCoversTheRangeAtANiceStep() {
        QFETCH(qlonglong, priceTicks);
        QFETCH(int, halfRows);
        QFETCH(qlonglong, expected);
        const PriceTicks b = heatmapBucketTicks(priceTicks, halfRows, 0.02);
        QCOMPARE(b, PriceTicks{expected});
        QVERIFY(b * halfRows >= priceTicks / 50);  // the ±2% really is kept
    }

    void bucketLowRoundsDown() {
        QCOMPARE(bucketLow(12'345, 100), PriceTicks{12'300});
        QCOMPARE(bucketLow(12'300, 100), PriceTicks{12'300});
        QCOMPARE(bucketLow(12'399, 100), PriceTicks{12'300});
        QCOMPARE(bucketLow(-1, 10), PriceTicks{-10});
        QCOMPARE(bucketLow(7, 1), PriceTicks{7});
    }

    void levelsAreNonEmptyBucketsFromTheTouch() {
        BookSide bids(Side::Bid), asks(Side::Ask);
        for (auto [p, q] :
             {std::pair<PriceTicks, Lots>{1005, 3}, {1001, 4}, {999, 5}, {990, 7}, {950, 1}})
            bids.set(p, q);
        for (auto [p, q] : {std::pair<PriceTicks, Lots>{1011, 2}, {1019, 3}, {1020, 4}, {1100, 1}})
            asks.set(p, q);
        // Buckets of 10: bids 1000: 3+4, 990: 5+7, 950: 1 (940..980 empty buckets are skipped).
        std::vector<Level> two(2);
        QCOMPARE(bucketLevels(bids, Side::Bid, 10, two), std::size_t{2});
        QCOMPARE(two[0], (Level{1000, 7}));
        QCOMPARE(two[1], (Level{990, 12}));
        std::vector<Level> five(5);
        QCOMPARE(bucketLevels(bids, Side::Bid, 10, five), std::size_t{3});
        QCOMPARE(five[2], (Level{950, 1}));
        QCOMPARE(five[3], emptyLevel(Side::Bid));
        QCOMPARE(five[4], emptyLevel(Side::Bid));
        QCOMPARE(bucketLevels(asks, Side::Ask, 10, five), std::size_t{3});
        QCOMPARE(five[0], (Level{1010, 5}));
        QCOMPARE(five[1], (Level{1020, 4}));
        QCOMPARE(five[2], (Level{1100, 1}));
        QCOMPARE(five[3], emptyLevel(Side::Ask));
        // One tick per bucket: the book's own levels.
        QCOMPARE(bucketLevels(bids, Side::Bid, 1, two), std::size_t{2});
        QCOMPARE(two[0], (Level{1005, 3}));
        QCOMPARE(two[1], (Level{1001, 4}));
    }

    void bucketOfiFollowsContsSigns() {
        const std::vector<Level> bids0{{1000, 7}, {990, 12}}, asks0{{1010, 5}, {1020, 4}};
        std::vector<Lots> e(2);
        // Same prices: level 1 bid +2, ask -3 (asks taken: buying) -> +5; level 2 bid -2 -> -2.
        const std::vector<Level> bids1{{1000, 9}, {990, 10}}, asks1{{1010, 2}, {1020, 4}};
        bucketLevelOfi(bids0, asks0, bids1, asks1, e);
        QCOMPARE(e[0], Lots{5});
        QCOMPARE(e[1], Lots{-2});
        // The bid's bucket moves up (new size 3 counts in full) and the ask's bucket moves up
        // (its old 5 counts as taken): 3 + 5 = 8. Level 2: bid bucket 1000 holds 7 now, above
        // 990 (+7); ask 1030 (2) above 1020 (old 4 gone): 7 + 4 = 11.
        const std::vector<Level> bids2{{1010, 3}, {1000, 7}}, asks2{{1020, 4}, {1030, 2}};
        bucketLevelOfi(bids0, asks0, bids2, asks2, e);
        QCOMPARE(e[0], Lots{8});
        QCOMPARE(e[1], Lots{11});
        // A level that vanished is the side's empty level: its size leaves (-12 on the bid).
        const std::vector<Level> bids3{{1000, 7}, emptyLevel(Side::Bid)};
        bucketLevelOfi(bids0, asks0, bids3, asks0, e);
        QCOMPARE(e[0], Lots{0});
        QCOMPARE(e[1], Lots{-12});
    }

    void columnSumsTicksIntoBuckets() {
        FeedEngineConfig config;
        config.heatmap.bucketTicks = 10;
        config.heatmap.halfRangeRows = 3;
        config.heatmap.levels = 2;
        config.imbalance.ofiLevels = 2;
        config.imbalance.depthLevels = 2;
        FeedEngine feed({"TEST", "X-Y", DecimalStep{1, 2}, DecimalStep{1, 0}}, config);
        const Level bids[] = {{1005, 3}, {1001, 4}, {999, 5}, {975, 2}};
        const Level asks[] = {{1011, 2}, {1019, 3}, {1020, 4}, {1043, 6}};
        QCOMPARE(feed.onSnapshot(bids, asks, 1, 0), BookError::None);
        // Bucket 1 opens with the ask at 1011 down to 0; it closes bucket 0 first.
        QCOMPARE(feed.onLevel(Side::Ask, 1011, 0, 0, 150 * kMs), SequenceCheck::Applied);
        feed.onClock(250 * kMs);
        const auto columns = drain(feed);
        QCOMPARE(columns.size(), std::size_t{2});
        const HeatmapColumn& c = columns[0];
        // Mid 1008 is in bucket 1000; three rows each side: 970..1040.
        QCOMPARE(c.bucketTicks, PriceTicks{10});
        QCOMPARE(c.basePrice, PriceTicks{970});
        const std::vector<float> expected{2, 0, 5, 7, 5, 4, 0};  // 1043 is past the range
        QCOMPARE(c.sizes, expected);
        QCOMPARE(c.levelBidQty, (std::vector<Lots>{7, 5}));
        QCOMPARE(c.levelAskQty, (std::vector<Lots>{5, 4}));
        QCOMPARE(c.levelOfi, (std::vector<Lots>{0, 0}));  // nothing to compare with yet
        // Bucket 1: the ask bucket 1010 went from 5 to 3 (2 taken): +2 at level 1. The mid is
        // now 1012 (1005 / 1019), in bucket 1010: rows 980..1040.
        const HeatmapColumn& d = columns[1];
        QCOMPARE(d.basePrice, PriceTicks{980});
        QCOMPARE(d.levelAskQty, (std::vector<Lots>{3, 4}));
        QCOMPARE(d.levelOfi, (std::vector<Lots>{2, 0}));
        QCOMPARE(d.sizes[3], 3.0f);
    }

    void columnSumsAreExactLots() {
        // Three levels of 100,000,001 lots (1.00000001 BTC at 1e-8) in one bucket: summed in
        // integers, then converted once. Summing floats would round each level first.
        FeedEngineConfig config;
        config.heatmap.bucketTicks = 10;
        config.heatmap.halfRangeRows = 2;
        FeedEngine feed({"TEST", "X-Y", DecimalStep{1, 2}, DecimalStep{1, 8}}, config);
        const Level bids[] = {{1009, 100'000'001}, {1005, 100'000'001}, {1001, 100'000'001}};
        const Level asks[] = {{1011, 1}};
        QCOMPARE(feed.onSnapshot(bids, asks, 1, 0), BookError::None);
        feed.onClock(150 * kMs);
        const auto columns = drain(feed);
        QCOMPARE(columns.size(), std::size_t{1});
        // Mid 1010: base 990, rows 990, 1000, 1010, 1020, 1030.
        QCOMPARE(columns[0].basePrice, PriceTicks{990});
        QCOMPARE(columns[0].sizes[1], static_cast<float>(Lots{300'000'003}));
    }

    void bucketIsChosenFromThePriceAtTheFirstBook() {
        FeedEngine feed({"binance-spot", "BTCUSDT", DecimalStep{1, 2}, DecimalStep{1, 8}});
        const Level bids[] = {{6'200'000, 5}, {6'199'000, 7}};
        const Level asks[] = {{6'200'001, 3}};
        QCOMPARE(feed.onSnapshot(bids, asks, 1, 0), BookError::None);
        feed.onClock(150 * kMs);
        const auto columns = drain(feed);
        QCOMPARE(columns.size(), std::size_t{1});
        // Mid 6,200,000: 248 ticks a row needed, 250 taken; 500 rows each side.
        QCOMPARE(columns[0].bucketTicks, PriceTicks{250});
        QCOMPARE(columns[0].sizes.size(), std::size_t{1001});
        QCOMPARE(columns[0].basePrice, PriceTicks{6'200'000 - 500 * 250});
        // 6,200,000 is row 500; 6,199,000 row 496.
        QCOMPARE(columns[0].sizes[500], 8.0f);  // the bid 5 and the ask 3 share the bucket
        QCOMPARE(columns[0].sizes[496], 7.0f);
    }
};

QTEST_GUILESS_MAIN(TestPriceBuckets)
#include "tst_price_buckets.moc"
