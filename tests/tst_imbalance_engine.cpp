// The imbalance engine on hand-worked sequences: per-event OFI at two levels, windows in event
// and clock time, trade flow, instantaneous measures, z-scores, resets and the fast path.
#include <QtTest>

#include <cmath>
#include <limits>
#include <random>

#include "signals/book_measures.h"
#include "signals/imbalance_engine.h"
#include "test_printers.h"

using namespace flowscope;

namespace {
constexpr TimeNs kMs = 1'000'000;
constexpr TimeNs kSecond = 1000 * kMs;

void apply(OrderBook& book, Side s, PriceTicks p, Lots q) {
    if (book.apply(s, p, q, 0, 0) != BookError::None) qFatal("update rejected");
}

bool close(double a, double b) {
    return std::abs(a - b) < 1e-12;
}
}  // namespace

class TestImbalanceEngine : public QObject {
    Q_OBJECT

  private slots:
    void handWorkedSequence() {
        EngineConfig config;
        config.ofiLevels = 2;
        config.depthLevels = 2;
        config.windows = {WindowSpec::events(2), WindowSpec::seconds(1)};
        ImbalanceEngine engine(config);
        OrderBook book;
        const Level bids[] = {{100, 10}, {99, 5}}, asks[] = {{101, 4}, {102, 6}};
        QCOMPARE(book.applySnapshot(bids, asks, 1, 0), BookError::None);

        engine.onBook(book, 0);  // first state: recorded, not flow
        SignalSnapshot s = engine.snapshot();
        QCOMPARE(s.lastOfi, Lots{0});
        QCOMPARE(s.mid, 100.5);
        QVERIFY(close(s.microPrice, (101.0 * 10 + 100.0 * 4) / 14.0));
        QVERIFY(close(s.microOffset, (101.0 * 10 + 100.0 * 4) / 14.0 - 100.5));
        QVERIFY(close(s.queueImbalance, 6.0 / 14.0));
        QVERIFY(close(s.depthImbalance, (15.0 - 10.0) / 25.0));

        // t=100ms: bid 100 grows to 12: e1 = 12 - 10 = 2, e2 = 0.
        apply(book, Side::Bid, 100, 12);
        engine.onBookUpdate(book, Side::Bid, 100, 100 * kMs);
        QCOMPARE(engine.lastLevelOfi()[0], Lots{2});
        QCOMPARE(engine.lastLevelOfi()[1], Lots{0});

        // t=200ms: ask 101 is taken: level 1 ask 101x4 -> 102x6, e1 = +4;
        // level 2 ask 102x6 -> none, e2 = +6.
        apply(book, Side::Ask, 101, 0);
        engine.onBookUpdate(book, Side::Ask, 101, 200 * kMs);
        QCOMPARE(engine.lastLevelOfi()[0], Lots{4});
        QCOMPARE(engine.lastLevelOfi()[1], Lots{6});
        s = engine.snapshot();
        QCOMPARE(s.windows[0].ofi, Lots{6});  // events 1, 2
        QCOMPARE(s.windows[0].mlofi, Lots{12});
        QCOMPARE(s.windows[1].ofi, Lots{6});  // all three events are within 1 s
        QCOMPARE(s.windows[1].mlofi, Lots{12});

        // A buyer lifts 4 at 101 at t=200ms.
        engine.onTrade({101, 4, Side::Bid, 200 * kMs, 0});
        s = engine.snapshot();
        QCOMPARE(s.windows[0].ofi, Lots{4});  // events 2 (book) and 3 (trade)
        QCOMPARE(s.windows[0].mlofi, Lots{10});
        QCOMPARE(s.windows[0].buyVolume, Lots{4});
        QCOMPARE(s.windows[0].tradeImbalance, 1.0);
        QCOMPARE(s.cumulativeDelta, Lots{4});

        // t=1150ms: a bid behind the tracked levels: no change to the top two, e = 0.
        apply(book, Side::Bid, 98, 7);
        engine.onBookUpdate(book, Side::Bid, 98, 1150 * kMs);
        QCOMPARE(engine.lastLevelOfi()[0], Lots{0});
        QCOMPARE(engine.lastLevelOfi()[1], Lots{0});
        s = engine.snapshot();
        QCOMPARE(s.events, std::uint64_t{5});
        QCOMPARE(s.windows[0].ofi, Lots{0});  // events 3 (trade) and 4
        QCOMPARE(s.windows[0].buyVolume, Lots{4});
        // The 1 s window at 1150 ms covers [160 ms, 1160 ms): the 100 ms event has left.
        QCOMPARE(s.windows[1].ofi, Lots{4});
        QCOMPARE(s.windows[1].mlofi, Lots{10});
        QCOMPARE(s.windows[1].buyVolume, Lots{4});
        QCOMPARE(s.windows[1].sellVolume, Lots{0});
    }

    void zscoreComparesWithPreviousAlignedWindows() {
        EngineConfig config;
        config.ofiLevels = 1;
        config.depthLevels = 1;
        config.windows = {WindowSpec::seconds(1)};
        config.zscoreLookback = 3;
        ImbalanceEngine engine(config);
        OrderBook book;
        apply(book, Side::Bid, 100, 10);
        apply(book, Side::Ask, 101, 10);
        engine.onBook(book, 0);
        // One bid increase in the middle of each second: OFI per second 2, 4, 6, 8.
        const Lots sizes[] = {12, 16, 22, 30};
        for (int k = 0; k < 4; ++k) {
            apply(book, Side::Bid, 100, sizes[k]);
            engine.onBookUpdate(book, Side::Bid, 100, k * kSecond + kSecond / 2);
        }
        // At 4.5 s: +10. Baseline = last 3 completed seconds {4, 6, 8}: mean 6, stddev 2.
        // The rolling 1 s window holds only this event: z = (10 - 6) / 2.
        apply(book, Side::Bid, 100, 40);
        engine.onBookUpdate(book, Side::Bid, 100, 4 * kSecond + kSecond / 2);
        SignalSnapshot s = engine.snapshot();
        QCOMPARE(s.windows[0].ofi, Lots{10});
        QVERIFY(close(s.windows[0].ofiZ, 2.0));
        // Quiet seconds count as zero: at 7.5 s the baseline is {10, 0, 0}.
        apply(book, Side::Bid, 100, 41);
        engine.onBookUpdate(book, Side::Bid, 100, 7 * kSecond + kSecond / 2);
        s = engine.snapshot();
        const double mean = 10.0 / 3.0;
        const double sd = std::sqrt(((10 - mean) * (10 - mean) + 2 * mean * mean) / 2.0);
        QCOMPARE(s.windows[0].ofi, Lots{1});
        QVERIFY(close(s.windows[0].ofiZ, (1.0 - mean) / sd));
    }

    void resetBookDoesNotCountTheResyncJumpAsFlow() {
        EngineConfig config;
        config.windows = {WindowSpec::events(10)};
        ImbalanceEngine engine(config);
        OrderBook book;
        apply(book, Side::Bid, 100, 10);
        apply(book, Side::Ask, 101, 10);
        engine.onBook(book, 0);
        engine.resetBook();
        const Level bids[] = {{200, 1000}}, asks[] = {{201, 1}};
        QCOMPARE(book.applySnapshot(bids, asks, 2, 1), BookError::None);
        engine.onBook(book, 1);
        QCOMPARE(engine.lastLevelOfi()[0], Lots{0});
        QCOMPARE(engine.snapshot().windows[0].ofi, Lots{0});
        QCOMPARE(engine.snapshot().bestBid, (Level{200, 1000}));
    }

    void fastPathAgreesWithFullScan() {
        // Two engines, one told which level changed, one scanning the book every time.
        EngineConfig config;
        config.ofiLevels = 5;
        config.depthLevels = 3;
        ImbalanceEngine fast(config), full(config);
        OrderBook book;
        std::mt19937_64 rng(11);
        for (int i = 0; i < 50'000; ++i) {
            const Side side = rng() & 1 ? Side::Bid : Side::Ask;
            const PriceTicks d = static_cast<PriceTicks>(rng() % 12);
            const PriceTicks price = side == Side::Bid ? 1000 - d : 1001 + d;
            const Lots qty = rng() % 3 == 0 ? 0 : static_cast<Lots>(rng() % 50 + 1);
            apply(book, side, price, qty);
            const TimeNs t = i * 3 * kMs;
            fast.onBookUpdate(book, side, price, t);
            full.onBook(book, t);
            if (rng() % 5 == 0) {
                const Trade trade{price, 1, opposite(side), t, 0};
                fast.onTrade(trade);
                full.onTrade(trade);
            }
            for (int m = 0; m < 5; ++m)
                QCOMPARE(fast.lastLevelOfi()[m], full.lastLevelOfi()[m]);
        }
        const SignalSnapshot a = fast.snapshot(), b = full.snapshot();
        for (std::size_t w = 0; w < a.windowCount; ++w) {
            QCOMPARE(a.windows[w].ofi, b.windows[w].ofi);
            QCOMPARE(a.windows[w].mlofi, b.windows[w].mlofi);
        }
        QCOMPARE(a.cumulativeDelta, b.cumulativeDelta);
    }

    void eventWindowsEqualBruteForceSumsOfTheLastEvents() {
        // Random book changes and trades; the test keeps every event's contributions and sums the
        // last L of them itself.
        EngineConfig config;
        config.ofiLevels = 3;
        config.depthLevels = 3;
        config.windows = {WindowSpec::events(7), WindowSpec::events(100)};
        ImbalanceEngine engine(config);
        OrderBook book;
        struct Row {
            Lots e[3];
            Lots buy, sell;
        };
        std::vector<Row> rows;
        std::mt19937_64 rng(5);
        for (int i = 0; i < 5000; ++i) {
            const TimeNs t = i * kMs;
            if (i > 0 && rng() % 4 == 0) {
                const bool buy = rng() & 1;
                const Lots q = static_cast<Lots>(rng() % 9 + 1);
                engine.onTrade({1000, q, buy ? Side::Bid : Side::Ask, t, 0});
                rows.push_back({{0, 0, 0}, buy ? q : 0, buy ? 0 : q});
            } else {
                const Side side = rng() & 1 ? Side::Bid : Side::Ask;
                const PriceTicks price = side == Side::Bid
                                             ? 999 - static_cast<PriceTicks>(rng() % 6)
                                             : 1001 + static_cast<PriceTicks>(rng() % 6);
                apply(book, side, price, rng() % 3 ? static_cast<Lots>(rng() % 40 + 1) : 0);
                engine.onBook(book, t);
                const auto e = engine.lastLevelOfi();
                rows.push_back({{e[0], e[1], e[2]}, 0, 0});
            }
            if (i % 37 != 0) continue;
            const SignalSnapshot s = engine.snapshot();
            for (std::size_t w = 0; w < 2; ++w) {
                const std::size_t length = w == 0 ? 7 : 100;
                const std::size_t first = rows.size() > length ? rows.size() - length : 0;
                Lots ofi = 0, mlofi = 0, buy = 0, sell = 0;
                for (std::size_t k = first; k < rows.size(); ++k) {
                    ofi += rows[k].e[0];
                    mlofi += rows[k].e[0] + rows[k].e[1] + rows[k].e[2];
                    buy += rows[k].buy;
                    sell += rows[k].sell;
                }
                QCOMPARE(s.windows[w].ofi, ofi);
                QCOMPARE(s.windows[w].mlofi, mlofi);
                QCOMPARE(s.windows[w].buyVolume, buy);
                QCOMPARE(s.windows[w].sellVolume, sell);
            }
        }
    }

    void eventWindowZscoreUsesCompletedBlocksOfEvents() {
        EngineConfig config;
        config.ofiLevels = 1;
        config.depthLevels = 1;
        config.windows = {WindowSpec::events(2)};
        config.zscoreLookback = 2;
        ImbalanceEngine engine(config);
        OrderBook book;
        apply(book, Side::Bid, 100, 10);
        apply(book, Side::Ask, 101, 10);
        engine.onBook(book, 0);  // event 0: e = 0
        // Events 1..4 raise the bid queue by 1, 3, 5, 2. Blocks [0,2) and [2,4) sum to 1 and 8.
        const Lots sizes[] = {11, 14, 19, 21};
        for (int k = 0; k < 4; ++k) {
            apply(book, Side::Bid, 100, sizes[k]);
            engine.onBookUpdate(book, Side::Bid, 100, (k + 1) * kMs);
        }
        const SignalSnapshot s = engine.snapshot();
        QCOMPARE(s.windows[0].ofi, Lots{7});  // events 3 and 4
        const double mean = 4.5, sd = std::sqrt(2 * 3.5 * 3.5);
        QVERIFY(close(s.windows[0].ofiZ, (7 - mean) / sd));
    }

    void resyncDoesNotSampleTheBlindStretchAsQuiet() {
        // Steady flow of +2 per second; then a 20 s blind stretch (gap + resync); then the same
        // flow. The z-score of the same flow must stay unremarkable.
        EngineConfig config;
        config.ofiLevels = 1;
        config.depthLevels = 1;
        config.windows = {WindowSpec::seconds(1)};
        config.zscoreLookback = 10;
        ImbalanceEngine engine(config);
        OrderBook book;
        apply(book, Side::Bid, 100, 10);
        apply(book, Side::Ask, 101, 10);
        engine.onBook(book, 0);
        Lots size = 10;
        const auto second = [&](int k, Lots step) {
            size += step;
            apply(book, Side::Bid, 100, size);
            engine.onBookUpdate(book, Side::Bid, 100, k * kSecond + kSecond / 2);
        };
        for (int k = 0; k < 12; ++k)
            second(k, k % 2 ? 1 : 3);  // 3, 1, 3, 1, ...: mean 2
        engine.resetBook();
        engine.onBook(book, 32 * kSecond + kSecond / 4);  // resync snapshot after the gap
        for (int k = 33; k < 36; ++k)
            second(k, k % 2 ? 1 : 3);
        const SignalSnapshot s = engine.snapshot();
        QVERIFY(!std::isnan(s.windows[0].ofiZ));
        QVERIFY2(std::abs(s.windows[0].ofiZ) < 1.5, qPrintable(QString::number(s.windows[0].ofiZ)));
    }

    void startingMidWindowSkipsOnlyThePartialWindow() {
        // Start at 0.3 s: [0, 1) is partial and not sampled; [1, 2), [2, 3) are.
        EngineConfig config;
        config.ofiLevels = 1;
        config.depthLevels = 1;
        config.windows = {WindowSpec::seconds(1)};
        config.zscoreLookback = 5;
        ImbalanceEngine engine(config);
        OrderBook book;
        apply(book, Side::Bid, 100, 10);
        apply(book, Side::Ask, 101, 10);
        engine.onBook(book, 300 * kMs);
        const Lots sizes[] = {19, 20, 22, 26};  // +9 in the partial second, then +1, +2, +4
        for (int k = 0; k < 4; ++k) {
            apply(book, Side::Bid, 100, sizes[k]);
            engine.onBookUpdate(book, Side::Bid, 100, k * kSecond + 600 * kMs);
        }
        // At 3.6 s the baseline is {1, 2}: mean 1.5, sd 0.7071; the 1 s window holds +4.
        const SignalSnapshot s = engine.snapshot();
        QCOMPARE(s.windows[0].ofi, Lots{4});
        QVERIFY(close(s.windows[0].ofiZ, (4 - 1.5) / std::sqrt(0.5)));
    }

    void invalidConfigurationIsRefused_data() {
        QTest::addColumn<int>("levels");
        QTest::addColumn<qint64>("windowLength");
        QTest::newRow("no levels") << 0 << 1'000'000'000LL;
        QTest::newRow("too many levels") << 65 << 1'000'000'000LL;
        QTest::newRow("window not a bucket multiple") << 10 << 1'000'000'001LL;
        QTest::newRow("zero window") << 10 << 0LL;
    }
    void invalidConfigurationIsRefused() {
        QFETCH(int, levels);
        QFETCH(qint64, windowLength);
        EngineConfig config;
        config.ofiLevels = levels;
        config.windows = {WindowSpec{WindowSpec::Clock::Time, windowLength}};
        QVERIFY(!config.validate().empty());
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, ImbalanceEngine{config});
    }

    // Sizes near 2^63 (the LOBSTER case: depth imbalance 0.022 instead of about +1)
    // must not wrap the sums of the depth, queue and micro-price measures.
    void measuresOfHugeSizesDoNotWrap() {
        constexpr Lots big = Lots{1} << 62;
        const Level bids[] = {{100, big}, {99, big}, {98, big}};  // 3 * 2^62: wraps int64
        const Level asks[] = {{101, 1}, {102, 1}, {103, 1}};
        // (3*2^62 - 3) / (3*2^62 + 3) is 1 - 2e-18: 1.0 in doubles.
        QCOMPARE(depthImbalance(bids, asks), 1.0);
        QCOMPARE(depthImbalance(asks, bids), -1.0);
        const Level hugeBid{100, std::numeric_limits<Lots>::max()};
        const Level hugeAsk{101, std::numeric_limits<Lots>::max()};
        QCOMPARE(queueImbalance(hugeBid, hugeAsk), 0.0);
        QCOMPARE(microPrice(hugeBid, hugeAsk), 100.5);
        QCOMPARE(queueImbalance(hugeBid, Level{101, 0}), 1.0);
        QVERIFY(std::isnan(depthImbalance(std::span(bids).first(0), std::span(asks).first(0))));
        // Ordinary sizes are unchanged: (7 - 3) / (7 + 3).
        const Level b2[] = {{100, 4}, {99, 3}}, a2[] = {{101, 2}, {102, 1}};
        QCOMPARE(depthImbalance(b2, a2), 4.0 / 10.0);
    }

    void windowLabels() {
        QCOMPARE(WindowSpec::seconds(10).label(), std::string("10s"));
        QCOMPARE(WindowSpec::events(100).label(), std::string("100ev"));
        QCOMPARE((WindowSpec{WindowSpec::Clock::Time, 250 * kMs}).label(), std::string("250ms"));
    }
};

QTEST_GUILESS_MAIN(TestImbalanceEngine)
#include "tst_imbalance_engine.moc"
