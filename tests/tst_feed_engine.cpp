// The feed thread's model of an instrument: sync and gaps, heatmap columns cut from a known book,
// traded volume at price, snapshots; and the feed thread end to end on the simulated market.
#include <QtTest>

#include <chrono>
#include <thread>

#include "feed/feed_engine.h"
#include "feed/feed_thread.h"
#include "feed/simulated_source.h"
#include "test_printers.h"

using namespace flowscope;

namespace {
constexpr TimeNs kMs = 1'000'000;

InstrumentInfo testInstrument() {
    return {"TEST", "X-Y", DecimalStep{1, 2}, DecimalStep{1, 0}};
}

FeedEngineConfig smallConfig() {
    FeedEngineConfig c;
    c.heatmap.halfRangeRows = 5;
    c.heatmap.levels = 2;
    c.imbalance.ofiLevels = 2;
    c.imbalance.depthLevels = 2;
    return c;
}

std::vector<HeatmapColumn> drain(FeedEngine& feed) {
    std::vector<HeatmapColumn> out;
    while (auto c = feed.columns().pop())
        out.push_back(std::move(*c));
    return out;
}
}  // namespace

class TestFeedEngine : public QObject {
    Q_OBJECT

  private slots:
    void heatmapColumnHoldsTheBookAtTheBucketEnd() {
        FeedEngine feed(testInstrument(), smallConfig());
        const Level bids[] = {{100, 7}, {98, 3}}, asks[] = {{102, 5}, {104, 9}};
        QCOMPARE(feed.onSnapshot(bids, asks, 10, 0), BookError::None);
        QCOMPARE(feed.state(), FeedState::Live);
        // In bucket 0: the bid at 100 grows to 9 (e1 = +2).
        QCOMPARE(feed.onLevel(Side::Bid, 100, 9, 11, 50 * kMs), SequenceCheck::Applied);
        // The first event of bucket 1 closes bucket 0 from the book as it stood.
        QCOMPARE(feed.onLevel(Side::Ask, 102, 0, 12, 120 * kMs), SequenceCheck::Applied);
        auto columns = drain(feed);
        QCOMPARE(columns.size(), std::size_t{1});
        const HeatmapColumn& c = columns[0];
        QCOMPARE(c.startNs, TimeNs{0});
        QCOMPARE(c.endNs, 100 * kMs);
        QVERIFY(!c.gap);
        // Mid 101, five rows each side: prices 96..106.
        QCOMPARE(c.basePrice, PriceTicks{96});
        QCOMPARE(c.sizes.size(), std::size_t{11});
        const float expected[] = {0, 0, 3, 0, 9, 0, 5, 0, 9, 0, 0};
        for (int i = 0; i < 11; ++i)
            QCOMPARE(c.sizes[i], expected[i]);
        QCOMPARE(c.bestBid, (Level{100, 9}));
        QCOMPARE(c.bestAsk, (Level{102, 5}));
        QCOMPARE(c.levelOfi[0], Lots{2});
        QCOMPARE(c.levelOfi[1], Lots{0});
        QCOMPARE(c.levelBidQty[1], Lots{3});
        QCOMPARE(c.levelAskQty[1], Lots{9});
        QVERIFY(qFuzzyCompare(c.microPrice, (102.0 * 9 + 100.0 * 5) / 14.0));
    }

    void quietBucketsRepeatTheStandingBook() {
        FeedEngine feed(testInstrument(), smallConfig());
        const Level bids[] = {{100, 7}}, asks[] = {{102, 5}};
        QCOMPARE(feed.onSnapshot(bids, asks, 1, 0), BookError::None);
        feed.onClock(350 * kMs);
        auto columns = drain(feed);
        QCOMPARE(columns.size(), std::size_t{3});  // buckets 0, 1, 2 are closed
        for (const auto& c : columns) {
            QVERIFY(!c.gap);
            QCOMPARE(c.sizes[static_cast<std::size_t>(100 - c.basePrice)], 7.0f);
        }
    }

    void sequenceGapInvalidatesTheBookUntilResync() {
        FeedEngine feed(testInstrument(), smallConfig());
        const Level bids[] = {{100, 7}}, asks[] = {{102, 5}};
        QCOMPARE(feed.onSnapshot(bids, asks, 1, 0), BookError::None);
        QCOMPARE(feed.onLevel(Side::Bid, 100, 8, 2, 10 * kMs), SequenceCheck::Applied);
        QCOMPARE(feed.onLevel(Side::Bid, 100, 8, 2, 10 * kMs), SequenceCheck::Duplicate);
        QCOMPARE(feed.onLevel(Side::Bid, 100, 1, 4, 20 * kMs), SequenceCheck::Gap);
        QCOMPARE(feed.state(), FeedState::Resyncing);
        QCOMPARE(feed.status().gaps, std::uint64_t{1});
        QCOMPARE(feed.book().bestBid(), (Level{100, 8}));  // the gapped update was not applied
        QCOMPARE(feed.onLevel(Side::Bid, 100, 1, 5, 30 * kMs), SequenceCheck::NotSynced);
        // Buckets while resyncing are gaps, not the old book.
        feed.onClock(250 * kMs);
        auto columns = drain(feed);
        QCOMPARE(columns.size(), std::size_t{2});
        QVERIFY(columns[0].gap);
        QVERIFY(columns[1].gap);
        QVERIFY(columns[1].sizes.empty());
        // Resync brings it back, counted.
        const Level bids2[] = {{101, 1}}, asks2[] = {{103, 2}};
        QCOMPARE(feed.onSnapshot(bids2, asks2, 9, 260 * kMs), BookError::None);
        QCOMPARE(feed.state(), FeedState::Live);
        QCOMPARE(feed.status().resyncs, std::uint64_t{1});
        QCOMPARE(feed.onLevel(Side::Ask, 103, 3, 10, 270 * kMs), SequenceCheck::Applied);
        // The resync jump is not order flow.
        QCOMPARE(feed.imbalanceEngine().lastLevelOfi()[0], Lots{-1});  // only the ask 2 -> 3
    }

    void snapshotCarriesBookSignalsAndVolumeAtPrice() {
        FeedEngine feed(testInstrument(), smallConfig());
        const Level bids[] = {{100, 7}, {99, 1}}, asks[] = {{102, 5}};
        QCOMPARE(feed.onSnapshot(bids, asks, 1, 0), BookError::None);
        feed.onTrade({102, 2, Side::Bid, 5 * kMs, 1});
        feed.onTrade({102, 1, Side::Ask, 6 * kMs, 2});
        feed.onTrade({100, 4, Side::Ask, 7 * kMs, 3});
        auto s = feed.makeSnapshot(1);
        QCOMPARE(s->bids.size(), std::size_t{2});
        QCOMPARE(s->asks.front(), (Level{102, 5}));
        QVERIFY(s->hasLastTrade);
        QCOMPARE(s->lastTrade.price, PriceTicks{100});
        QCOMPARE(s->imbalance.cumulativeDelta, Lots{2 - 1 - 4});
        QCOMPARE(s->volumeAtPrice.size(), std::size_t{2});
        QCOMPARE(s->volumeAtPrice[0].price, PriceTicks{100});
        QCOMPARE(s->volumeAtPrice[0].sell, Lots{4});
        QCOMPARE(s->volumeAtPrice[1].buy, Lots{2});
        QCOMPARE(s->volumeAtPrice[1].sell, Lots{1});
        QCOMPARE(s->windowLevelOfi.size(), s->windows.size());
        QCOMPARE(s->status.state, FeedState::Live);
        QCOMPARE(s->serial, std::uint64_t{1});
        int trades = 0;
        while (feed.trades().pop())
            ++trades;
        QCOMPARE(trades, 3);
    }

    void negativeSizeIsRejectedNotApplied() {
        FeedEngine feed(testInstrument(), smallConfig());
        const Level bids[] = {{100, 7}}, asks[] = {{102, 5}};
        QCOMPARE(feed.onSnapshot(bids, asks, 1, 0), BookError::None);
        QCOMPARE(feed.onLevel(Side::Bid, 100, -3, 2, 1), SequenceCheck::Rejected);
        QCOMPARE(feed.book().bestBid(), (Level{100, 7}));
        // The book can no longer be trusted: resync, with the reason, not a false gap later.
        QCOMPARE(feed.state(), FeedState::Resyncing);
        QCOMPARE(QString::fromStdString(feed.status().reason),
                 QString("rejected update 2: negative size"));
        QVERIFY(needsResync(SequenceCheck::Rejected));
        QCOMPARE(feed.onLevel(Side::Bid, 100, 3, 3, 2), SequenceCheck::NotSynced);
        QCOMPARE(feed.status().gaps, std::uint64_t{0});
    }

    void windowedSignalsDecayInAQuietMarket() {
        FeedEngine feed(testInstrument(), smallConfig());
        const Level bids[] = {{100, 7}}, asks[] = {{102, 5}};
        QCOMPARE(feed.onSnapshot(bids, asks, 1, 0), BookError::None);
        QCOMPARE(feed.onLevel(Side::Bid, 100, 9, 2, 500 * kMs), SequenceCheck::Applied);
        QCOMPARE(feed.makeSnapshot(1)->imbalance.windows[0].ofi, Lots{2});  // 1 s window
        feed.onClock(31'000 * kMs);  // thirty quiet seconds later
        const auto s = feed.makeSnapshot(2);
        QCOMPARE(s->imbalance.windows[0].ofi, Lots{0});
        QCOMPARE(s->imbalance.windows[1].ofi, Lots{0});  // 10 s
        QCOMPARE(s->imbalance.windows[2].ofi, Lots{2});  // 60 s still holds it
    }

    void longSilenceEmitsABoundedCatchUp() {
        FeedEngine feed(testInstrument(), smallConfig());
        const Level bids[] = {{100, 7}}, asks[] = {{102, 5}};
        QCOMPARE(feed.onSnapshot(bids, asks, 1, 0), BookError::None);
        feed.onClock(3'600'000 * kMs);  // an hour without a message
        const auto columns = drain(feed);
        // The open bucket, then at most a minute of quiet buckets ending at the present.
        QCOMPARE(columns.size(), std::size_t{1 + HeatmapBuilder::kMaxCatchUpBuckets});
        QCOMPARE(columns.front().startNs, TimeNs{0});
        QCOMPARE(columns.back().endNs, 3'600'000 * kMs);
        QCOMPARE(feed.status().droppedColumns, std::uint64_t{0});
    }

    void feedThreadRunsTheSimulatedMarketAndStopsCleanly() {
        sim::SimulatedMarketConfig config;
        config.seed = 3;
        auto source =
            std::make_unique<sim::SimulatedSource>(config, 50.0, 1'700'000'000'000'000'000LL);
        FeedThread thread(std::move(source));
        thread.start();
        std::shared_ptr<const MarketSnapshot> s;
        std::size_t columns = 0;
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (std::chrono::steady_clock::now() < deadline) {
            while (thread.columns().pop())
                ++columns;
            s = thread.latest();
            if (s && columns >= 5 && s->imbalance.events > 100) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        QVERIFY(s);
        QCOMPARE(s->status.state, FeedState::Live);
        QVERIFY(columns >= 5);
        QVERIFY(!s->bids.empty() && !s->asks.empty());
        QVERIFY(s->bids.front().price < s->asks.front().price);
        QCOMPARE(QString::fromStdString(s->instrument.displayName()), QString("SIM:BTC-USD"));
        QCOMPARE(s->status.gaps, std::uint64_t{0});
        thread.stop();
        thread.stop();  // idempotent
    }
};

QTEST_GUILESS_MAIN(TestFeedEngine)
#include "tst_feed_engine.moc"
