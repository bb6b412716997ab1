// A live feed recorded while it runs replays to the same book and the same signals: the engine
// fed live from the loopback exchange (with a fault and a reconnect on the way) and the engine
// fed from the recording end in identical states.
#include <QTemporaryDir>
#include <QTest>

#include <cstring>

#include "exchange_process.h"
#include "feed/feed_engine.h"
#include "feed/feed_venue_listener.h"
#include "feed/venue_connection.h"
#include "net/event_loop.h"
#include "record/recording_file.h"
#include "record/replay_driver.h"
#include "test_printers.h"
#include "venues/adapter_factory.h"

using namespace flowscope;

namespace {

InstrumentInfo btcusdt(const char* venue) {
    return {venue, "BTCUSDT", *DecimalStep::parse("0.01"), *DecimalStep::parse("0.00001")};
}

/// Every field of the signal snapshot, compared bit for bit (NaN equals NaN here).
bool sameBits(double a, double b) {
    return std::memcmp(&a, &b, sizeof a) == 0;
}

void compareSignals(const SignalSnapshot& live, const SignalSnapshot& replay) {
    QCOMPARE(replay.events, live.events);
    QVERIFY(sameBits(replay.mid, live.mid));
    QVERIFY(sameBits(replay.microPrice, live.microPrice));
    QVERIFY(sameBits(replay.queueImbalance, live.queueImbalance));
    QVERIFY(sameBits(replay.depthImbalance, live.depthImbalance));
    QCOMPARE(replay.lastOfi, live.lastOfi);
    QCOMPARE(replay.cumulativeDelta, live.cumulativeDelta);
    QCOMPARE(replay.windowCount, live.windowCount);
    for (std::size_t w = 0; w < live.windowCount; ++w) {
        const WindowSignals& a = live.windows[w];
        const WindowSignals& b = replay.windows[w];
        QCOMPARE(b.ofi, a.ofi);
        QCOMPARE(b.mlofi, a.mlofi);
        QCOMPARE(b.buyVolume, a.buyVolume);
        QCOMPARE(b.sellVolume, a.sellVolume);
        QVERIFY(sameBits(b.ofiZ, a.ofiZ));
        QVERIFY(sameBits(b.mlofiZ, a.mlofiZ));
        QVERIFY(sameBits(b.queueImbalanceZ, a.queueImbalanceZ));
    }
}

}  // namespace

class TestLiveReplayIdentity : public QObject {
    Q_OBJECT

  private slots:
    // Binance USD-M runs two sockets (depth on /public, trades on /market): the recording holds
    // both sockets' frames in the order the adapter saw them.
    void recordedLiveFeedReplaysToIdenticalBookAndSignals_data() {
        QTest::addColumn<bool>("usdm");
        QTest::newRow("binance-spot") << false;
        QTest::newRow("binance-usdm") << true;
    }
    void recordedLiveFeedReplaysToIdenticalBookAndSignals() {
        QFETCH(bool, usdm);
        QTemporaryDir dir;
        const std::string path = dir.filePath("live.rec").toStdString();
        QStringList args{"--rate", "400"};
        if (usdm) args += QStringList{"--binance-market", "usdm"};
        testing::ExchangeProcess exchange(args);
        const char* venueName = usdm ? "binance-usdm" : "binance-spot";
        const venues::VenueId venue =
            usdm ? venues::VenueId::BinanceUsdm : venues::VenueId::BinanceSpot;
        const InstrumentInfo info = btcusdt(venueName);

        FeedEngine liveEngine(info);
        FeedVenueListener liveListener;
        liveListener.attach(&liveEngine);
        auto liveAdapter = venues::makeAdapter(venue, info.symbol, info.instrument(), liveListener);
        {
            record::RecordingHeader header;
            header.venue = venueName;
            header.symbol = info.symbol;
            record::RecordingWriter writer(path, header);
            net::EventLoop loop;
            net::ReconnectPolicy policy;
            policy.initialBackoffNs = 50'000'000;
            policy.snapshotSpacingNs = 100'000'000;
            net::VenueConnection connection(
                loop, *liveAdapter, {exchange.wsUrl(), exchange.restUrl(), exchange.caFile()},
                {{},
                 [&](record::RecordKind kind, TimeNs receiveNs, std::string_view payload) {
                     writer.append(kind, receiveNs, payload);
                 }},
                policy);
            QVERIFY(connection.start().empty());
            const auto pump = [&](int ms) {
                QElapsedTimer t;
                t.start();
                while (t.elapsed() < ms)
                    loop.runFor(5'000'000);
            };
            pump(1500);
            QVERIFY(exchange.command("fault skip").startsWith("ok"));  // a gap and a resync
            pump(1000);
            QVERIFY(exchange.command("fault drop").startsWith("ok"));  // a reconnect
            pump(1500);
            connection.stop();
            writer.close();
        }
        QVERIFY(liveAdapter->counters().gaps >= 1);
        QVERIFY(liveAdapter->counters().resyncs >= 2);
        QVERIFY(liveAdapter->counters().appliedEvents > 20);
        QVERIFY(liveAdapter->counters().trades > 0);

        FeedEngine replayEngine(info);
        FeedVenueListener replayListener;
        replayListener.attach(&replayEngine);
        auto replayAdapter =
            venues::makeAdapter(venue, info.symbol, info.instrument(), replayListener);
        auto recording = record::openRecording(path);
        record::ReplayDriver driver(*recording, *replayAdapter);
        driver.runToEnd();
        QVERIFY2(recording->error().empty(), recording->error().c_str());

        const venues::AdapterCounters& a = liveAdapter->counters();
        const venues::AdapterCounters& b = replayAdapter->counters();
        QCOMPARE(b.messages, a.messages);
        QCOMPARE(b.appliedEvents, a.appliedEvents);
        QCOMPARE(b.snapshots, a.snapshots);
        QCOMPARE(b.gaps, a.gaps);
        QCOMPARE(b.resyncs, a.resyncs);
        QCOMPARE(b.trades, a.trades);
        QCOMPARE(b.droppedBeforeSync, a.droppedBeforeSync);
        // The books: every level of both sides.
        const auto levels = [](const BookSide& side) {
            return std::vector<Level>(side.worstToBest().begin(), side.worstToBest().end());
        };
        QCOMPARE(levels(replayAdapter->book().bids()), levels(liveAdapter->book().bids()));
        QCOMPARE(levels(replayAdapter->book().asks()), levels(liveAdapter->book().asks()));
        QCOMPARE(levels(replayEngine.book().bids()), levels(liveEngine.book().bids()));
        QCOMPARE(levels(replayEngine.book().asks()), levels(liveEngine.book().asks()));
        // The signals, bit for bit, at the same final event time.
        const auto liveSnapshot = liveEngine.makeSnapshot(0);
        const auto replaySnapshot = replayEngine.makeSnapshot(0);
        QCOMPARE(replaySnapshot->eventTimeNs, liveSnapshot->eventTimeNs);
        compareSignals(liveSnapshot->imbalance, replaySnapshot->imbalance);
        QCOMPARE(replaySnapshot->status.gaps, liveSnapshot->status.gaps);
    }
};

QTEST_GUILESS_MAIN(TestLiveReplayIdentity)
#include "tst_live_replay_identity.moc"
