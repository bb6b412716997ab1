// Kraken WebSocket v2 adapter: Kraken's documented checksum examples, snapshot + updates mirrored
// by a listener, truncation to the subscribed depth, checksum mismatch -> resubscribe, malformed
// and ignored messages, trades. Expected checksums are computed here with a bitwise CRC-32 over
// preimages written by hand, never with the code under test.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "mirror_listener.h"
#include "test_printers.h"
#include "venues/kraken_adapter.h"
#include "venues/kraken_checksum.h"
#include "venues/kraken_timestamp.h"

using namespace flowscope;
using namespace flowscope::venues;
using flowscope::testing::MirrorListener;

namespace {

// Bitwise CRC-32 (reflected 0xEDB88320), independent of the zlib table the adapter uses.
quint32 referenceCrc32(const QByteArray& bytes) {
    quint32 crc = 0xFFFFFFFFu;
    for (const char c : bytes) {
        crc ^= static_cast<quint8>(c);
        for (int k = 0; k < 8; ++k)
            crc = (crc & 1u) ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
    }
    return ~crc;
}

using Levels = std::vector<std::pair<const char*, const char*>>;  // (price, qty) as text

// Kraken's preimage of one number: '.' removed, leading zeros stripped.
QByteArray stripped(const char* text) {
    QByteArray s(text);
    s.replace(".", "");
    while (s.startsWith('0'))
        s.remove(0, 1);
    return s;
}

// Expected checksum from levels printed with the pair's precision, best first.
quint32 expectedChecksum(const Levels& bids, const Levels& asks) {
    QByteArray preimage;
    for (std::size_t i = 0; i < asks.size() && i < 10; ++i)
        preimage += stripped(asks[i].first) + stripped(asks[i].second);
    for (std::size_t i = 0; i < bids.size() && i < 10; ++i)
        preimage += stripped(bids[i].first) + stripped(bids[i].second);
    return referenceCrc32(preimage);
}

// Levels as v2 sends them: JSON numbers.
QByteArray levelsJson(const Levels& levels) {
    QByteArray out = "[";
    for (const auto& [price, qty] : levels) {
        if (out.size() > 1) out += ",";
        out += QByteArray("{\"price\":") + price + ",\"qty\":" + qty + "}";
    }
    return out + "]";
}

std::string bookFrame(const char* type, const Levels& bids, const Levels& asks, quint32 checksum,
                      const char* symbol = "BTC/USD") {
    return (QByteArray("{\"channel\":\"book\",\"type\":\"") + type + "\",\"data\":[{\"symbol\":\"" +
            symbol + "\",\"bids\":" + levelsJson(bids) + ",\"asks\":" + levelsJson(asks) +
            ",\"checksum\":" + QByteArray::number(checksum) +
            ",\"timestamp\":\"2023-10-06T17:35:55.440295Z\"}]}")
        .toStdString();
}

Instrument btcUsd() {
    return Instrument("BTC/USD", *DecimalStep::parse("0.1"), *DecimalStep::parse("0.00000001"));
}

const Levels kBids3{{"100.3", "1.00000000"}, {"100.2", "2.00000000"}, {"100.1", "3.00000000"}};
const Levels kAsks3{{"100.5", "0.50000000"}, {"100.6", "0.60000000"}, {"100.7", "0.70000000"}};

// An adapter that is Live on kBids3/kAsks3.
struct LiveKraken {
    MirrorListener listener;
    KrakenAdapter adapter{"BTC/USD", btcUsd(), listener, 10};
    LiveKraken() {
        adapter.onConnected(0);
        adapter.onMessage(bookFrame("snapshot", kBids3, kAsks3, expectedChecksum(kBids3, kAsks3)),
                          1);
        if (adapter.syncState() != SyncState::Live) qFatal("snapshot not accepted");
    }
};

QJsonObject parseObject(const std::string& frame) {
    return QJsonDocument::fromJson(QByteArray::fromStdString(frame)).object();
}

}  // namespace

class TestKrakenAdapter : public QObject {
    Q_OBJECT

  private slots:
    void documentedV1ExampleChecksum() {
        // docs.kraken.com "Book checksum (WebSocket v1)": ten asks 0.05005..0.05050 and ten bids
        // 0.05000..0.04950, all 0.00000500, give 974947235.
        const char* askPrices[] = {"0.05005", "0.05010", "0.05015", "0.05020", "0.05025",
                                   "0.05030", "0.05035", "0.05040", "0.05045", "0.05050"};
        const char* bidPrices[] = {"0.05000", "0.04995", "0.04990", "0.04980", "0.04975",
                                   "0.04970", "0.04965", "0.04960", "0.04955", "0.04950"};
        std::vector<TextLevel> bids, asks;
        for (int i = 0; i < 10; ++i) {
            asks.push_back({askPrices[i], "0.00000500"});
            bids.push_back({bidPrices[i], "0.00000500"});
        }
        QCOMPARE(krakenChecksum(bids, asks), quint32{974947235});
        // Levels past the tenth do not count.
        bids.push_back({"0.04900", "1.00000000"});
        QCOMPARE(krakenChecksum(bids, asks), quint32{974947235});
    }

    void documentedV2ExampleChecksumThroughTheAdapter() {
        // docs.kraken.com "Book checksum (WebSocket v2)": the BTC/USD snapshot gives 3310070434.
        const Levels bids{{"45283.5", "0.10000000"}, {"45283.4", "1.54582015"},
                          {"45282.1", "0.10000000"}, {"45281.0", "0.10000000"},
                          {"45280.3", "1.54592586"}, {"45279.0", "0.07990000"},
                          {"45277.6", "0.03310103"}, {"45277.5", "0.30000000"},
                          {"45277.3", "1.54602737"}, {"45276.6", "0.15445238"}};
        const Levels asks{{"45285.2", "0.00100000"}, {"45286.4", "1.54571953"},
                          {"45286.6", "1.54571109"}, {"45289.6", "1.54560911"},
                          {"45290.2", "0.15890660"}, {"45291.8", "1.54553491"},
                          {"45294.7", "0.04454749"}, {"45296.1", "0.35380000"},
                          {"45297.5", "0.09945542"}, {"45299.5", "0.18772827"}};
        std::vector<TextLevel> textBids, textAsks;
        for (const auto& [p, q] : bids)
            textBids.push_back({p, q});
        for (const auto& [p, q] : asks)
            textAsks.push_back({p, q});
        QCOMPARE(krakenChecksum(textBids, textAsks), quint32{3310070434u});

        MirrorListener listener;
        KrakenAdapter adapter("BTC/USD", btcUsd(), listener, 10);
        adapter.onConnected(0);
        adapter.onMessage(bookFrame("snapshot", bids, asks, 3310070434u), 5);
        QCOMPARE(adapter.syncState(), SyncState::Live);
        QCOMPARE(adapter.checksumsVerified(), std::uint64_t{1});
        QCOMPARE(adapter.counters().checksumFailures, std::uint64_t{0});
        QCOMPARE(adapter.book().bestBid(), (Level{452835, 10000000}));
        QCOMPARE(adapter.book().bestAsk(), (Level{452852, 100000}));
        QCOMPARE(listener.snapshots, 1);
    }

    void numbersWithoutTrailingZerosAreReprintedWithThePairPrecision() {
        // v2 numbers lose trailing zeros (0.566 for a 4-decimal pair); the checksum is over the
        // precision's digits: "5660" and "1809715470000".
        const Instrument matic("MATIC/USD", *DecimalStep::parse("0.0001"),
                               *DecimalStep::parse("0.00000001"));
        const quint32 expected = referenceCrc32(
            "5667"
            "10000000000"
            "5660"
            "1809715470000");
        MirrorListener listener;
        KrakenAdapter adapter("MATIC/USD", matic, listener, 10);
        adapter.onMessage(bookFrame("snapshot", {{"0.566", "18097.1547"}}, {{"0.5667", "100"}},
                                    expected, "MATIC/USD"),
                          1);
        QCOMPARE(adapter.syncState(), SyncState::Live);
        QCOMPARE(adapter.checksumsVerified(), std::uint64_t{1});
        QCOMPARE(krakenBookChecksum(adapter.book(), matic), expected);
    }

    void snapshotThenUpdatesKeepTheListenerMirrorExact() {
        LiveKraken k;
        // Modify the best bid, insert an ask, delete a bid, and one price twice (the later wins).
        struct Step {
            Levels bids, asks;
            Levels bookBids, bookAsks;  // expected book after the step, best first
        };
        const std::vector<Step> steps{
            {{{"100.3", "1.50000000"}},
             {},
             {{"100.3", "1.50000000"}, {"100.2", "2.00000000"}, {"100.1", "3.00000000"}},
             kAsks3},
            {{},
             {{"100.4", "0.01000000"}},
             {{"100.3", "1.50000000"}, {"100.2", "2.00000000"}, {"100.1", "3.00000000"}},
             {{"100.4", "0.01000000"},
              {"100.5", "0.50000000"},
              {"100.6", "0.60000000"},
              {"100.7", "0.70000000"}}},
            {{{"100.2", "0"}, {"100.0", "4.00000000"}, {"100.0", "5.00000000"}},
             {},
             {{"100.3", "1.50000000"}, {"100.1", "3.00000000"}, {"100.0", "5.00000000"}},
             {{"100.4", "0.01000000"},
              {"100.5", "0.50000000"},
              {"100.6", "0.60000000"},
              {"100.7", "0.70000000"}}},
        };
        for (const Step& s : steps)
            k.adapter.onMessage(
                bookFrame("update", s.bids, s.asks, expectedChecksum(s.bookBids, s.bookAsks)), 2);
        QCOMPARE(k.adapter.counters().checksumFailures, std::uint64_t{0});
        QCOMPARE(k.adapter.counters().appliedEvents, std::uint64_t{3});
        QCOMPARE(k.adapter.checksumsVerified(), std::uint64_t{4});
        QCOMPARE(k.listener.updateEnds, 3);
        QVERIFY(k.listener.mirrorMatched());
        QCOMPARE(k.adapter.book().bids().depth(), std::size_t{3});
        QCOMPARE(k.adapter.book().bids().level(2), (Level{1000, 500000000}));
        QCOMPARE(k.adapter.book().bestAsk(), (Level{1004, 1000000}));
        // 2023-10-06T17:35:55.440295Z: 19636 days after the epoch, plus 63355 s.
        QCOMPARE(k.listener.lastEventNs, TimeNs{1696613755440295000});
    }

    void levelsPushedPastTheDepthAreDropped() {
        // Depth 10, ten bids. A better bid pushes the worst out (Kraken sends no delete for it);
        // deleting the best then leaves nine: the old worst must not come back.
        Levels bids, asks{{"200.0", "1.00000000"}};
        const char* prices[] = {"100.9", "100.8", "100.7", "100.6", "100.5",
                                "100.4", "100.3", "100.2", "100.1", "100.0"};
        for (const char* p : prices)
            bids.push_back({p, "1.00000000"});
        MirrorListener listener;
        KrakenAdapter adapter("BTC/USD", btcUsd(), listener, 10);
        adapter.onMessage(bookFrame("snapshot", bids, asks, expectedChecksum(bids, asks)), 1);
        QCOMPARE(adapter.syncState(), SyncState::Live);

        Levels afterInsert{{"101.0", "2.00000000"}};
        afterInsert.insert(afterInsert.end(), bids.begin(), bids.end() - 1);
        adapter.onMessage(
            bookFrame("update", {{"101.0", "2.00000000"}}, {}, expectedChecksum(afterInsert, asks)),
            2);
        QCOMPARE(adapter.book().bids().depth(), std::size_t{10});
        QCOMPARE(adapter.book().sizeAt(Side::Bid, 1000), Lots{0});
        QVERIFY(listener.mirrorMatched());
        QVERIFY(listener.bids.find(1000) == listener.bids.end());

        const Levels afterDelete(bids.begin(), bids.end() - 1);
        adapter.onMessage(
            bookFrame("update", {{"101.0", "0"}}, {}, expectedChecksum(afterDelete, asks)), 3);
        QCOMPARE(adapter.counters().checksumFailures, std::uint64_t{0});
        QCOMPARE(adapter.book().bids().depth(), std::size_t{9});
        QCOMPARE(listener.updateEnds, 2);
        QVERIFY(listener.mirrorMatched());
    }

    void snapshotsThatKeepFailingBackOff() {
        // Issue 11: a checksum that fails after every fresh snapshot (e.g. a wrong pair
        // precision) resubscribes at once the first time, then after 1 s, 2 s, ... not on every
        // frame; Kraken's heartbeats carry the due resubscription.
        constexpr TimeNs s = 1'000'000'000;
        LiveKraken k;
        const quint32 good = expectedChecksum(kBids3, kAsks3);
        k.adapter.onMessage(bookFrame("update", {{"100.3", "9.00000000"}}, {}, good), 10);
        QCOMPARE(k.adapter.takeOutgoing().size(), std::size_t{2});
        k.adapter.onMessage(bookFrame("snapshot", kBids3, kAsks3, good + 1), 5 * s);
        QCOMPARE(k.listener.invalidReasons.back(),
                 std::string("checksum mismatch (resync 2 in a row; resubscribing in 1 s)"));
        const std::string heartbeat = R"({"channel":"heartbeat"})";
        k.adapter.onMessage(heartbeat, 5 * s + s / 2);
        QVERIFY(k.adapter.takeOutgoing().empty());
        k.adapter.onMessage(heartbeat, 6 * s);
        QCOMPARE(k.adapter.takeOutgoing().size(), std::size_t{2});
        k.adapter.onMessage(bookFrame("snapshot", kBids3, kAsks3, good + 1), 7 * s);
        QCOMPARE(k.listener.invalidReasons.back(),
                 std::string("checksum mismatch (resync 3 in a row; resubscribing in 2 s)"));
        k.adapter.onMessage(heartbeat, 8 * s);
        QVERIFY(k.adapter.takeOutgoing().empty());
        k.adapter.onMessage(heartbeat, 9 * s);
        QCOMPARE(k.adapter.takeOutgoing().size(), std::size_t{2});
        QCOMPARE(k.adapter.counters().resyncs, std::uint64_t{3});
    }

    void checksumMismatchResubscribesForAFreshSnapshot() {
        LiveKraken k;
        const quint32 wrong = expectedChecksum(kBids3, kAsks3);  // before the change: stale
        k.adapter.onMessage(bookFrame("update", {{"100.3", "9.00000000"}}, {}, wrong), 10);
        QCOMPARE(k.adapter.counters().checksumFailures, std::uint64_t{1});
        QCOMPARE(k.adapter.counters().resyncs, std::uint64_t{1});
        QCOMPARE(k.adapter.syncState(), SyncState::WaitingSnapshot);
        QCOMPARE(k.listener.invalidReasons, std::vector<std::string>{"checksum mismatch"});
        QCOMPARE(k.listener.updateEnds, 0);
        QVERIFY(k.adapter.book().bids().empty());

        const auto frames = k.adapter.takeOutgoing();
        QCOMPARE(frames.size(), std::size_t{2});
        const QJsonObject unsubscribe = parseObject(frames[0]);
        const QJsonObject subscribe = parseObject(frames[1]);
        QCOMPARE(unsubscribe["method"].toString(), QStringLiteral("unsubscribe"));
        QCOMPARE(subscribe["method"].toString(), QStringLiteral("subscribe"));
        for (const QJsonObject& o : {unsubscribe, subscribe}) {
            const QJsonObject params = o["params"].toObject();
            QCOMPARE(params["channel"].toString(), QStringLiteral("book"));
            QCOMPARE(params["symbol"].toArray(), QJsonArray{QStringLiteral("BTC/USD")});
            QCOMPARE(params["depth"].toInt(), 10);
        }
        QVERIFY(k.adapter.takeOutgoing().empty());

        // Updates before the new snapshot are dropped; the snapshot brings the book back.
        k.adapter.onMessage(bookFrame("update", {{"100.3", "1.00000000"}}, {}, 1), 11);
        QCOMPARE(k.adapter.counters().droppedBeforeSync, std::uint64_t{1});
        k.adapter.onMessage(bookFrame("snapshot", kBids3, kAsks3, expectedChecksum(kBids3, kAsks3)),
                            12);
        QCOMPARE(k.adapter.syncState(), SyncState::Live);
        QCOMPARE(k.adapter.counters().snapshots, std::uint64_t{2});
        QCOMPARE(k.listener.snapshots, 2);
        QVERIFY(!k.adapter.takeReconnectRequest());
    }

    void resyncWithoutASnapshotFallsBackToReconnecting() {
        LiveKraken k;
        k.adapter.onMessage(bookFrame("update", {{"100.3", "9.00000000"}}, {}, 1), 1000);
        QVERIFY(!k.adapter.takeReconnectRequest());
        k.adapter.onMessage("{\"channel\":\"heartbeat\"}", 1000 + KrakenAdapter::kResyncTimeoutNs);
        QVERIFY(!k.adapter.takeReconnectRequest());
        k.adapter.onMessage("{\"channel\":\"heartbeat\"}", 1001 + KrakenAdapter::kResyncTimeoutNs);
        QVERIFY(k.adapter.takeReconnectRequest());
    }

    void rejectedResubscriptionAsksForAReconnect() {
        LiveKraken k;
        k.adapter.onMessage(bookFrame("update", {{"100.3", "9.00000000"}}, {}, 1), 1);
        k.adapter.onMessage(
            "{\"error\":\"Already "
            "subscribed\",\"method\":\"subscribe\",\"success\":false,\"symbol\":\"BTC/USD\"}",
            2);
        QVERIFY(k.adapter.takeReconnectRequest());
        QVERIFY(k.adapter.problemSamples().back().find("Already subscribed") != std::string::npos);
    }

    void malformedBookMessagesResync_data() {
        QTest::addColumn<QByteArray>("frame");
        const QByteArray head =
            "{\"channel\":\"book\",\"type\":\"update\",\"data\":[{\"symbol\":\"BTC/USD\",";
        const QByteArray tail =
            ",\"asks\":[],\"checksum\":1,\"timestamp\":\"2023-10-06T17:35:55Z\"}]}";
        QTest::newRow("truncated JSON") << QByteArray("{\"channel\":\"book\",\"type\":\"upd");
        QTest::newRow("not an object") << QByteArray("[1,2,3]");
        QTest::newRow("price as a string")
            << head + "\"bids\":[{\"price\":\"100.3\",\"qty\":1}]" + tail;
        QTest::newRow("qty missing") << head + "\"bids\":[{\"price\":100.3}]" + tail;
        QTest::newRow("negative qty") << head + "\"bids\":[{\"price\":100.3,\"qty\":-1}]" + tail;
        QTest::newRow("zero price") << head + "\"bids\":[{\"price\":0,\"qty\":1}]" + tail;
        QTest::newRow("price off the tick")
            << head + "\"bids\":[{\"price\":100.35,\"qty\":1}]" + tail;
        QTest::newRow("exponent number")
            << head + "\"bids\":[{\"price\":1.003e2,\"qty\":1}]" + tail;
        QTest::newRow("bids not an array") << head + "\"bids\":{\"price\":100.3}" + tail;
        QTest::newRow("checksum as a string") << head +
                                                     "\"bids\":[],\"asks\":[],\"checksum\":\"1\","
                                                     "\"timestamp\":\"2023-10-06T17:35:55Z\"}]}";
        QTest::newRow("checksum missing")
            << head + "\"bids\":[],\"asks\":[],\"timestamp\":\"2023-10-06T17:35:55Z\"}]}";
        QTest::newRow("checksum beyond 32 bits")
            << head + "\"bids\":[],\"asks\":[],\"checksum\":4294967296}]}";
        QTest::newRow("bad timestamp")
            << head + "\"bids\":[],\"asks\":[],\"checksum\":1,\"timestamp\":\"yesterday\"}]}";
        QTest::newRow("type unknown")
            << QByteArray("{\"channel\":\"book\",\"type\":\"delta\",\"data\":[]}");
        QTest::newRow("data missing") << QByteArray("{\"channel\":\"book\",\"type\":\"update\"}");
    }

    void malformedBookMessagesResync() {
        QFETCH(QByteArray, frame);
        LiveKraken k;
        k.adapter.onMessage(frame.toStdString(), 2);
        QCOMPARE(k.adapter.counters().parseErrors, std::uint64_t{1});
        QCOMPARE(k.adapter.counters().checksumFailures, std::uint64_t{0});
        QCOMPARE(k.adapter.counters().resyncs, std::uint64_t{1});
        QCOMPARE(k.adapter.syncState(), SyncState::WaitingSnapshot);
        QCOMPARE(k.listener.invalidReasons.size(), std::size_t{1});
        QCOMPARE(k.listener.updateEnds, 0);
        QCOMPARE(k.adapter.takeOutgoing().size(), std::size_t{2});
        QCOMPARE(k.adapter.problemSamples().size(), std::size_t{1});
    }

    void knownAndUnknownMessagesLeaveTheBook_data() {
        QTest::addColumn<QByteArray>("frame");
        QTest::addColumn<int>("unknown");
        QTest::newRow("heartbeat") << QByteArray("{\"channel\":\"heartbeat\"}") << 0;
        QTest::newRow("status") << QByteArray(
                                       "{\"channel\":\"status\",\"type\":\"update\",\"data\":[{"
                                       "\"system\":\"online\",\"api_version\":\"v2\"}]}")
                                << 0;
        QTest::newRow("subscribe ack")
            << QByteArray(
                   "{\"method\":\"subscribe\",\"result\":{\"channel\":\"book\",\"depth\":10,"
                   "\"snapshot\":true,\"symbol\":\"BTC/"
                   "USD\"},\"success\":true,\"time_in\":\"2023-10-06T17:35:55.219022Z\",\"time_"
                   "out\":\"2023-10-06T17:35:55.219067Z\"}")
            << 0;
        QTest::newRow("pong") << QByteArray(
                                     "{\"method\":\"pong\",\"time_in\":\"x\",\"time_out\":\"y\"}")
                              << 0;
        QTest::newRow("ticker channel") << QByteArray(
                                               "{\"channel\":\"ticker\",\"type\":\"update\","
                                               "\"data\":[{\"symbol\":\"BTC/USD\"}]}")
                                        << 1;
        QTest::newRow("another symbol's book")
            << QByteArray::fromStdString(bookFrame("update", {{"1.0", "1"}}, {}, 1, "ETH/USD"))
            << 1;
        QTest::newRow("no channel or method") << QByteArray("{\"hello\":\"world\"}") << 1;
    }

    void knownAndUnknownMessagesLeaveTheBook() {
        QFETCH(QByteArray, frame);
        QFETCH(int, unknown);
        LiveKraken k;
        k.adapter.onMessage(frame.toStdString(), 2);
        QCOMPARE(k.adapter.counters().unknownMessages, std::uint64_t(unknown));
        QCOMPARE(k.adapter.counters().parseErrors, std::uint64_t{0});
        QCOMPARE(k.adapter.syncState(), SyncState::Live);
        QVERIFY(k.listener.invalidReasons.empty());
        QVERIFY(k.adapter.takeOutgoing().empty());
        QCOMPARE(k.adapter.book().bestBid(), (Level{1003, 100000000}));
    }

    void tradesCarryTheTakerSideAsAggressor() {
        LiveKraken k;
        k.adapter.onMessage(
            "{\"channel\":\"trade\",\"type\":\"update\",\"data\":["
            "{\"symbol\":\"BTC/"
            "USD\",\"side\":\"buy\",\"price\":100.5,\"qty\":0.25,\"ord_type\":\"market\",\"trade_"
            "id\":4665906,\"timestamp\":\"2023-09-25T07:49:37.708706Z\"},"
            "{\"symbol\":\"BTC/"
            "USD\",\"side\":\"sell\",\"price\":100.3,\"qty\":1,\"ord_type\":\"limit\",\"trade_id\":"
            "4665907,\"timestamp\":\"2023-09-25T07:49:37.708706Z\"}]}",
            9);
        QCOMPARE(k.listener.trades.size(), std::size_t{2});
        const Trade buy = k.listener.trades[0];
        QCOMPARE(buy.aggressor, Side::Bid);
        QCOMPARE(buy.price, PriceTicks{1005});
        QCOMPARE(buy.qty, Lots{25000000});
        QCOMPARE(buy.sequence, std::uint64_t{4665906});
        // 2023-09-25: 19625 days after the epoch; 07:49:37 is 28177 s.
        QCOMPARE(buy.timeNs, TimeNs{1695628177708706000});
        QCOMPARE(k.listener.trades[1].aggressor, Side::Ask);
        QCOMPARE(k.listener.trades[1].qty, Lots{100000000});
        QCOMPARE(k.adapter.counters().trades, std::uint64_t{2});

        // A bad print is counted and dropped; the book is untouched.
        k.adapter.onMessage(
            "{\"channel\":\"trade\",\"type\":\"update\",\"data\":[{\"symbol\":\"BTC/"
            "USD\",\"side\":\"hold\",\"price\":100.5,\"qty\":1,\"trade_id\":1,\"timestamp\":\"2023-"
            "09-25T07:49:37Z\"}]}",
            10);
        k.adapter.onMessage(
            "{\"channel\":\"trade\",\"type\":\"update\",\"data\":[{\"symbol\":\"BTC/"
            "USD\",\"side\":\"buy\",\"price\":100.5,\"qty\":-1,\"trade_id\":1,\"timestamp\":\"2023-"
            "09-25T07:49:37Z\"}]}",
            10);
        QCOMPARE(k.listener.trades.size(), std::size_t{2});
        QCOMPARE(k.adapter.counters().parseErrors, std::uint64_t{2});
        QCOMPARE(k.adapter.syncState(), SyncState::Live);
        // The trade snapshot is history from before the connection: not shown as new prints.
        k.adapter.onMessage(
            "{\"channel\":\"trade\",\"type\":\"snapshot\",\"data\":[{\"symbol\":\"BTC/"
            "USD\",\"side\":\"buy\",\"price\":100.5,\"qty\":1,\"trade_id\":1,\"timestamp\":\"2023-"
            "09-25T07:49:37Z\"}]}",
            11);
        QCOMPARE(k.listener.trades.size(), std::size_t{2});
    }

    void subscriptionsUseAKrakenDepth() {
        MirrorListener listener;
        KrakenAdapter adapter("BTC/USD", btcUsd(), listener, 50);
        QCOMPARE(adapter.depth(), 100);
        QCOMPARE(adapter.wsPath(), std::string("/v2"));
        const auto frames = adapter.subscribeMessages();
        QCOMPARE(frames.size(), std::size_t{2});
        const QJsonObject book = parseObject(frames[0])["params"].toObject();
        QCOMPARE(book["channel"].toString(), QStringLiteral("book"));
        QCOMPARE(book["depth"].toInt(), 100);
        QCOMPARE(book["symbol"].toArray(), QJsonArray{QStringLiteral("BTC/USD")});
        const QJsonObject trade = parseObject(frames[1])["params"].toObject();
        QCOMPARE(trade["channel"].toString(), QStringLiteral("trade"));
        QCOMPARE(KrakenAdapter("BTC/USD", btcUsd(), listener, 5000).depth(), 1000);
        QCOMPARE(KrakenAdapter("BTC/USD", btcUsd(), listener, 10).depth(), 10);
    }

    void reconnectInvalidatesTheBook() {
        LiveKraken k;
        k.adapter.onConnected(100);
        QCOMPARE(k.adapter.syncState(), SyncState::WaitingSnapshot);
        QVERIFY(k.adapter.book().bids().empty());
        QCOMPARE(k.listener.invalidReasons, std::vector<std::string>{"reconnected"});
        k.adapter.onMessage(bookFrame("update", {{"100.3", "1"}}, {}, 1), 101);
        QCOMPARE(k.adapter.counters().droppedBeforeSync, std::uint64_t{1});
    }

    void timestampsParseExactly_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("ns");
        QTest::newRow("epoch") << "1970-01-01T00:00:00Z" << qint64{0};
        QTest::newRow("leap day") << "2024-02-29T12:00:00.5Z" << qint64{1709208000500000000};
        QTest::newRow("nanoseconds")
            << "2021-04-17T16:48:52.123456789Z" << qint64{1618678132123456789};
        QTest::newRow("no leap day") << "2023-02-29T00:00:00Z" << qint64{-1};
        QTest::newRow("no zone") << "2023-10-06T17:35:55.440295" << qint64{-1};
        QTest::newRow("ten fraction digits") << "2023-10-06T17:35:55.1234567891Z" << qint64{-1};
        QTest::newRow("garbage") << "2023-1x-06T17:35:55Z" << qint64{-1};
    }

    void timestampsParseExactly() {
        QFETCH(QString, text);
        QFETCH(qint64, ns);
        const auto parsed = parseKrakenTimestamp(text.toStdString());
        QCOMPARE(parsed.has_value(), ns >= 0);
        if (parsed) QCOMPARE(*parsed, ns);
    }
};

QTEST_GUILESS_MAIN(TestKrakenAdapter)
#include "tst_kraken_adapter.moc"
