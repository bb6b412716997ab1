// OKX v5 adapter: OKX's documented checksum examples, snapshot + updates mirrored by a listener
// with each level's original text kept, seqId/prevSeqId rules (gap, keep-alive, reset), checksum
// mismatch -> resubscribe, OKX's deprecated checksum 0, malformed and ignored messages, trades,
// ping/pong. Expected checksums are computed here with a bitwise CRC-32 over preimages written by
// hand, never with the code under test.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "mirror_listener.h"
#include "test_printers.h"
#include "venues/okx_adapter.h"
#include "venues/okx_checksum.h"

using namespace flowscope;
using namespace flowscope::venues;
using flowscope::testing::MirrorListener;

namespace {

// Bitwise CRC-32 (reflected 0xEDB88320), independent of the zlib table the adapter uses.
qint32 referenceSignedCrc32(const QByteArray& bytes) {
    quint32 crc = 0xFFFFFFFFu;
    for (const char c : bytes) {
        crc ^= static_cast<quint8>(c);
        for (int k = 0; k < 8; ++k)
            crc = (crc & 1u) ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
    }
    return static_cast<qint32>(~crc);
}

using Levels = std::vector<std::pair<const char*, const char*>>;  // (px, sz) as OKX sends them

// OKX's preimage: bid and ask fields interleaved level by level, ':' between all of them.
qint32 expectedChecksum(const Levels& bids, const Levels& asks) {
    QList<QByteArray> fields;
    for (std::size_t i = 0; i < 25 && (i < bids.size() || i < asks.size()); ++i) {
        if (i < bids.size()) fields << bids[i].first << bids[i].second;
        if (i < asks.size()) fields << asks[i].first << asks[i].second;
    }
    return referenceSignedCrc32(fields.join(':'));
}

QByteArray levelsJson(const Levels& levels) {
    QByteArray out = "[";
    for (const auto& [px, sz] : levels) {
        if (out.size() > 1) out += ",";
        out += QByteArray("[\"") + px + "\",\"" + sz + "\",\"0\",\"1\"]";
    }
    return out + "]";
}

struct Seq {
    qint64 prev;
    qint64 seq;
};

std::string bookFrame(const char* action, const Levels& bids, const Levels& asks,
                      std::optional<qint32> checksum, std::optional<Seq> seq = std::nullopt,
                      const char* instId = "BTC-USDT") {
    QByteArray data = "{\"asks\":" + levelsJson(asks) + ",\"bids\":" + levelsJson(bids) +
                      ",\"ts\":\"1652459225453\"";
    if (checksum) data += ",\"checksum\":" + QByteArray::number(*checksum);
    if (seq)
        data += ",\"prevSeqId\":" + QByteArray::number(seq->prev) +
                ",\"seqId\":" + QByteArray::number(seq->seq);
    return (QByteArray("{\"arg\":{\"channel\":\"books\",\"instId\":\"") + instId +
            "\"},\"action\":\"" + action + "\",\"data\":[" + data + "}]}")
        .toStdString();
}

Instrument btcUsdt() {
    return Instrument("BTC-USDT", *DecimalStep::parse("0.1"), *DecimalStep::parse("0.00000001"));
}

const Levels kBids{{"30237.2", "0.5"}, {"30236.1", "0.05452"}, {"30235", "1"}};
const Levels kAsks{{"30243.5", "1.2112"}, {"30243.6", "0.059"}, {"30261", "4"}};

// An adapter that is Live on kBids/kAsks at seqId 10.
struct LiveOkx {
    MirrorListener listener;
    OkxAdapter adapter{"BTC-USDT", btcUsdt(), listener};
    LiveOkx() {
        adapter.onConnected(0);
        adapter.onMessage(
            bookFrame("snapshot", kBids, kAsks, expectedChecksum(kBids, kAsks), Seq{-1, 10}), 1);
        if (adapter.syncState() != SyncState::Live) qFatal("snapshot not accepted");
    }
};

QJsonObject parseObject(const std::string& frame) {
    return QJsonDocument::fromJson(QByteArray::fromStdString(frame)).object();
}

std::vector<TextLevel> text(const Levels& levels) {
    std::vector<TextLevel> out;
    for (const auto& [px, sz] : levels)
        out.push_back({px, sz});
    return out;
}

}  // namespace

class TestOkxAdapter : public QObject {
    Q_OBJECT

  private slots:
    void documentedChecksumExamples() {
        // OKX's checksum documentation: equal sides give "3366.1:7:3366.8:9:3366:6:3368:8"
        // (-1881014294); one bid and three asks give "3366.1:7:3366.8:9:3368:8:3372:8"
        // (831078360).
        const Levels evenBids{{"3366.1", "7"}, {"3366", "6"}};
        const Levels evenAsks{{"3366.8", "9"}, {"3368", "8"}};
        QCOMPARE(okxChecksum(text(evenBids), text(evenAsks)), qint32{-1881014294});
        const Levels oddBids{{"3366.1", "7"}};
        const Levels oddAsks{{"3366.8", "9"}, {"3368", "8"}, {"3372", "8"}};
        QCOMPARE(okxChecksum(text(oddBids), text(oddAsks)), qint32{831078360});
        // The same preimages through the test's own CRC.
        QCOMPARE(expectedChecksum(evenBids, evenAsks), qint32{-1881014294});
        QCOMPARE(expectedChecksum(oddBids, oddAsks), qint32{831078360});
    }

    void onlyTheTop25LevelsCount() {
        std::vector<QByteArray> prices;
        Levels bids, asks;
        for (int i = 0; i < 30; ++i)
            prices.push_back(QByteArray::number(1000 - i));
        for (int i = 0; i < 30; ++i)
            bids.push_back({prices[static_cast<std::size_t>(i)].constData(), "1"});
        asks.push_back({"2000", "3"});
        const Levels top25(bids.begin(), bids.begin() + 25);
        QCOMPARE(okxChecksum(text(bids), text(asks)), expectedChecksum(top25, asks));
        QVERIFY(okxChecksum(text(bids), text(asks)) !=
                referenceSignedCrc32("1000:1:2000:3"));  // the other side's fields continue
    }

    void snapshotThenUpdatesKeepTheMirrorAndTheTextExact() {
        LiveOkx k;
        QCOMPARE(k.adapter.checksumsVerified(), std::uint64_t{1});
        QCOMPARE(k.adapter.book().bestBid(), (Level{302372, 50000000}));
        struct Step {
            Levels bids, asks;
            Levels bookBids, bookAsks;  // expected book text after the step, best first
        };
        const std::vector<Step> steps{
            // A size change, and the best ask re-sent as "30243.50": the new text must be kept.
            {{{"30236.1", "0.1"}},
             {{"30243.50", "1.2112"}},
             {{"30237.2", "0.5"}, {"30236.1", "0.1"}, {"30235", "1"}},
             {{"30243.50", "1.2112"}, {"30243.6", "0.059"}, {"30261", "4"}}},
            // Delete a bid, insert an ask and a new best bid.
            {{{"30237.2", "0"}, {"30240", "2"}},
             {{"30250.1", "0.3"}},
             {{"30240", "2"}, {"30236.1", "0.1"}, {"30235", "1"}},
             {{"30243.50", "1.2112"}, {"30243.6", "0.059"}, {"30250.1", "0.3"}, {"30261", "4"}}},
        };
        qint64 seq = 10;
        for (const Step& s : steps) {
            k.adapter.onMessage(
                bookFrame("update", s.bids, s.asks, expectedChecksum(s.bookBids, s.bookAsks),
                          Seq{seq, seq + 5}),
                2);
            seq += 5;
        }
        QCOMPARE(k.adapter.counters().checksumFailures, std::uint64_t{0});
        QCOMPARE(k.adapter.counters().gaps, std::uint64_t{0});
        QCOMPARE(k.adapter.counters().appliedEvents, std::uint64_t{2});
        QCOMPARE(k.adapter.checksumsVerified(), std::uint64_t{3});
        QCOMPARE(k.listener.updateEnds, 2);
        QVERIFY(k.listener.mirrorMatched());
        QCOMPARE(k.adapter.book().bestBid(), (Level{302400, 200000000}));
        QCOMPARE(k.adapter.book().sequence(), std::uint64_t{20});
        QCOMPARE(k.listener.lastEventNs, TimeNs{1652459225453000000});
        std::vector<TextLevel> asks(4);
        QCOMPARE(k.adapter.textBook().top(Side::Ask, asks), std::size_t{4});
        QCOMPARE(asks[0].price, std::string_view("30243.50"));
        QCOMPARE(asks[2].price, std::string_view("30250.1"));
        QCOMPARE(k.adapter.textBook().depth(Side::Bid), std::size_t{3});
    }

    void sequenceGapResubscribes() {
        LiveOkx k;
        k.adapter.onMessage(
            bookFrame("update", {{"30236.1", "0.1"}}, {}, std::nullopt, Seq{11, 12}), 2);
        QCOMPARE(k.adapter.counters().gaps, std::uint64_t{1});
        QCOMPARE(k.adapter.counters().resyncs, std::uint64_t{1});
        QCOMPARE(k.adapter.syncState(), SyncState::WaitingSnapshot);
        QCOMPARE(k.listener.invalidReasons, std::vector<std::string>{"sequence gap"});
        // Nothing of the gapped message reached the book or the listener.
        QCOMPARE(k.listener.bids.at(302361), Lots{5452000});
        const auto frames = k.adapter.takeOutgoing();
        QCOMPARE(frames.size(), std::size_t{2});
        QCOMPARE(parseObject(frames[0])["op"].toString(), QStringLiteral("unsubscribe"));
        QCOMPARE(parseObject(frames[1])["op"].toString(), QStringLiteral("subscribe"));
        for (const std::string& f : frames) {
            const QJsonArray args = parseObject(f)["args"].toArray();
            QCOMPARE(args.size(), 1);
            QCOMPARE(args[0].toObject()["channel"].toString(), QStringLiteral("books"));
            QCOMPARE(args[0].toObject()["instId"].toString(), QStringLiteral("BTC-USDT"));
        }
        k.adapter.onMessage(bookFrame("update", {}, {}, std::nullopt, Seq{12, 13}), 3);
        QCOMPARE(k.adapter.counters().droppedBeforeSync, std::uint64_t{1});
        k.adapter.onMessage(
            bookFrame("snapshot", kBids, kAsks, expectedChecksum(kBids, kAsks), Seq{-1, 40}), 4);
        QCOMPARE(k.adapter.syncState(), SyncState::Live);
        k.adapter.onMessage(bookFrame("update", {}, {}, std::nullopt, Seq{40, 41}), 5);
        QCOMPARE(k.adapter.counters().gaps, std::uint64_t{1});
        QCOMPARE(k.adapter.counters().appliedEvents, std::uint64_t{1});
    }

    void keepAliveAndSequenceResetAreLegal() {
        // OKX docs, "Sequence ID": an empty update with seqId == prevSeqId is a keep-alive, and
        // after maintenance seqId may restart below prevSeqId; the chain continues from it.
        LiveOkx k;
        const qint32 unchanged = expectedChecksum(kBids, kAsks);
        k.adapter.onMessage(bookFrame("update", {}, {}, unchanged, Seq{10, 10}), 2);
        k.adapter.onMessage(bookFrame("update", {}, {}, unchanged, Seq{10, 3}), 3);
        k.adapter.onMessage(bookFrame("update", {}, {}, unchanged, Seq{3, 5}), 4);
        QCOMPARE(k.adapter.counters().gaps, std::uint64_t{0});
        QCOMPARE(k.adapter.counters().appliedEvents, std::uint64_t{3});
        QCOMPARE(k.adapter.checksumsVerified(), std::uint64_t{4});
        QCOMPARE(k.adapter.syncState(), SyncState::Live);
        // The chain now continues from 5: a message naming 4 as its predecessor is a gap.
        k.adapter.onMessage(bookFrame("update", {}, {}, unchanged, Seq{4, 7}), 5);
        QCOMPARE(k.adapter.counters().gaps, std::uint64_t{1});
    }

    void checksumMismatchResubscribes() {
        LiveOkx k;
        k.adapter.onMessage(bookFrame("update", {{"30237.2", "0.6"}}, {},
                                      expectedChecksum(kBids, kAsks), Seq{10, 11}),
                            2);
        QCOMPARE(k.adapter.counters().checksumFailures, std::uint64_t{1});
        QCOMPARE(k.adapter.counters().resyncs, std::uint64_t{1});
        QCOMPARE(k.listener.invalidReasons, std::vector<std::string>{"checksum mismatch"});
        QCOMPARE(k.listener.updateEnds, 0);
        QCOMPARE(k.adapter.takeOutgoing().size(), std::size_t{2});
        QVERIFY(k.adapter.book().bids().empty());
        QCOMPARE(k.adapter.textBook().depth(Side::Bid), std::size_t{0});
    }

    void deprecatedZeroChecksumIsNotVerified() {
        // OKX fixed the field to 0 when it deprecated it: counted as absent, not as a mismatch.
        LiveOkx k;
        k.adapter.onMessage(bookFrame("update", {{"30237.2", "0.6"}}, {}, 0, Seq{10, 11}), 2);
        k.adapter.onMessage(bookFrame("update", {{"30237.2", "0.7"}}, {}, std::nullopt), 3);
        QCOMPARE(k.adapter.counters().checksumFailures, std::uint64_t{0});
        QCOMPARE(k.adapter.checksumsAbsent(), std::uint64_t{2});
        QCOMPARE(k.adapter.counters().appliedEvents, std::uint64_t{2});
        QCOMPARE(k.adapter.book().bestBid(), (Level{302372, 70000000}));
    }

    void malformedBookMessagesResync_data() {
        QTest::addColumn<QByteArray>("frame");
        const QByteArray head = "{\"arg\":{\"channel\":\"books\",\"instId\":\"BTC-USDT\"},";
        QTest::newRow("truncated JSON") << QByteArray("{\"arg\":{\"channel\":\"books\",");
        QTest::newRow("action unknown")
            << head + "\"action\":\"delta\",\"data\":[{\"asks\":[],\"bids\":[],\"ts\":\"1\"}]}";
        QTest::newRow("data not an array")
            << head + "\"action\":\"update\",\"data\":{\"asks\":[],\"bids\":[]}}";
        QTest::newRow("px as a number")
            << head +
                   "\"action\":\"update\",\"data\":[{\"asks\":[[30243.5,\"1\",\"0\",\"1\"]],"
                   "\"bids\":[],\"ts\":\"1\"}]}";
        QTest::newRow("level with one field")
            << head +
                   "\"action\":\"update\",\"data\":[{\"asks\":[[\"30243.5\"]],\"bids\":[],"
                   "\"ts\":\"1\"}]}";
        QTest::newRow("negative size")
            << head +
                   "\"action\":\"update\",\"data\":[{\"asks\":[[\"30243.5\",\"-1\",\"0\",\"1\"]],"
                   "\"bids\":[],\"ts\":\"1\"}]}";
        QTest::newRow("garbage price")
            << head +
                   "\"action\":\"update\",\"data\":[{\"asks\":[[\"30243.5x\",\"1\",\"0\",\"1\"]],"
                   "\"bids\":[],\"ts\":\"1\"}]}";
        QTest::newRow("NaN size")
            << head +
                   "\"action\":\"update\",\"data\":[{\"asks\":[[\"30243.5\",\"NaN\",\"0\",\"1\"]],"
                   "\"bids\":[],\"ts\":\"1\"}]}";
        QTest::newRow("price off the tick")
            << head +
                   "\"action\":\"update\",\"data\":[{\"asks\":[[\"30243.55\",\"1\",\"0\",\"1\"]],"
                   "\"bids\":[],\"ts\":\"1\"}]}";
        QTest::newRow("bids missing")
            << head + "\"action\":\"update\",\"data\":[{\"asks\":[],\"ts\":\"1\"}]}";
        QTest::newRow("ts missing")
            << head + "\"action\":\"update\",\"data\":[{\"asks\":[],\"bids\":[]}]}";
        QTest::newRow("ts not a number")
            << head + "\"action\":\"update\",\"data\":[{\"asks\":[],\"bids\":[],\"ts\":\"soon\"}]}";
        QTest::newRow("checksum as a string")
            << head +
                   "\"action\":\"update\",\"data\":[{\"asks\":[],\"bids\":[],\"ts\":\"1\","
                   "\"checksum\":\"5\"}]}";
        QTest::newRow("seqId as a string")
            << head +
                   "\"action\":\"update\",\"data\":[{\"asks\":[],\"bids\":[],\"ts\":\"1\","
                   "\"seqId\":\"5\"}]}";
        QTest::newRow("arg not an object") << QByteArray("{\"arg\":5,\"data\":[]}");
    }

    void malformedBookMessagesResync() {
        QFETCH(QByteArray, frame);
        LiveOkx k;
        k.adapter.onMessage(frame.toStdString(), 2);
        QCOMPARE(k.adapter.counters().parseErrors, std::uint64_t{1});
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
        QTest::newRow("pong") << QByteArray("pong") << 0;
        QTest::newRow("subscribe ack") << QByteArray(
                                              "{\"event\":\"subscribe\",\"arg\":{\"channel\":"
                                              "\"books\",\"instId\":\"BTC-USDT\"},"
                                              "\"connId\":\"a4d3ae55\"}")
                                       << 0;
        QTest::newRow("tickers")
            << QByteArray(
                   "{\"arg\":{\"channel\":\"tickers\",\"instId\":\"BTC-USDT\"},\"data\":[{\"last\":"
                   "\"30218.8\"}]}")
            << 1;
        QTest::newRow("another instrument's book")
            << QByteArray::fromStdString(
                   bookFrame("update", {{"1", "1"}}, {}, 5, Seq{1, 2}, "ETH-USDT"))
            << 1;
        QTest::newRow("another instrument's trade")
            << QByteArray(
                   "{\"arg\":{\"channel\":\"trades\",\"instId\":\"ETH-USDT\"},\"data\":[{"
                   "\"instId\":"
                   "\"ETH-USDT\",\"tradeId\":\"1\",\"px\":\"2000\",\"sz\":\"1\",\"side\":\"buy\","
                   "\"ts\":\"1\"}]}")
            << 1;
        QTest::newRow("a malformed trade of another channel")
            << QByteArray("{\"arg\":{\"channel\":\"trades\",\"instId\":\"BTC-USDT\"},\"data\":5}")
            << 0;
    }

    void knownAndUnknownMessagesLeaveTheBook() {
        QFETCH(QByteArray, frame);
        QFETCH(int, unknown);
        LiveOkx k;
        k.adapter.onMessage(frame.toStdString(), 2);
        QCOMPARE(k.adapter.counters().unknownMessages, std::uint64_t(unknown));
        QCOMPARE(k.adapter.syncState(), SyncState::Live);
        QVERIFY(k.listener.invalidReasons.empty());
        QVERIFY(k.adapter.takeOutgoing().empty());
        QCOMPARE(k.adapter.book().bestBid(), (Level{302372, 50000000}));
    }

    void tradesCarryTheTakerSideAsAggressor() {
        LiveOkx k;
        k.adapter.onMessage(
            "{\"arg\":{\"channel\":\"trades\",\"instId\":\"BTC-USDT\"},\"data\":["
            "{\"instId\":\"BTC-USDT\",\"tradeId\":\"7849\",\"px\":\"30218.8\",\"sz\":\"0.01\","
            "\"side\":\"buy\",\"ts\":\"1652459199958\"},"
            "{\"instId\":\"BTC-USDT\",\"tradeId\":\"7850\",\"px\":\"30218.7\",\"sz\":\"2\","
            "\"side\":\"sell\",\"ts\":\"1652459199959\"}]}",
            5);
        QCOMPARE(k.listener.trades.size(), std::size_t{2});
        const Trade buy = k.listener.trades[0];
        QCOMPARE(buy.aggressor, Side::Bid);
        QCOMPARE(buy.price, PriceTicks{302188});
        QCOMPARE(buy.qty, Lots{1000000});
        QCOMPARE(buy.timeNs, TimeNs{1652459199958000000});
        QCOMPARE(buy.sequence, std::uint64_t{7849});
        QCOMPARE(k.listener.trades[1].aggressor, Side::Ask);
        QCOMPARE(k.adapter.counters().trades, std::uint64_t{2});
        // Bad prints are counted and dropped; the book is untouched.
        k.adapter.onMessage(
            "{\"arg\":{\"channel\":\"trades\",\"instId\":\"BTC-USDT\"},\"data\":["
            "{\"instId\":\"BTC-USDT\",\"tradeId\":\"1\",\"px\":\"30218.8\",\"sz\":\"1\","
            "\"side\":\"up\",\"ts\":\"1\"},"
            "{\"instId\":\"BTC-USDT\",\"tradeId\":\"2\",\"px\":\"-5\",\"sz\":\"1\","
            "\"side\":\"buy\",\"ts\":\"1\"}]}",
            6);
        QCOMPARE(k.listener.trades.size(), std::size_t{2});
        QCOMPARE(k.adapter.counters().parseErrors, std::uint64_t{2});
        QCOMPARE(k.adapter.syncState(), SyncState::Live);
    }

    void subscriptionAndKeepAlive() {
        MirrorListener listener;
        OkxAdapter adapter("BTC-USDT", btcUsdt(), listener);
        QCOMPARE(adapter.wsPath(), std::string("/ws/v5/public"));
        QCOMPARE(adapter.heartbeatMessage(), std::string("ping"));
        QVERIFY(adapter.heartbeatIntervalNs() < TimeNs{30} * 1000000000);
        const auto frames = adapter.subscribeMessages();
        QCOMPARE(frames.size(), std::size_t{1});
        const QJsonObject subscribe = parseObject(frames[0]);
        QCOMPARE(subscribe["op"].toString(), QStringLiteral("subscribe"));
        const QJsonArray args = subscribe["args"].toArray();
        QCOMPARE(args.size(), 2);
        QCOMPARE(args[0].toObject()["channel"].toString(), QStringLiteral("books"));
        QCOMPARE(args[1].toObject()["channel"].toString(), QStringLiteral("trades"));
        for (const auto& a : args)
            QCOMPARE(a.toObject()["instId"].toString(), QStringLiteral("BTC-USDT"));
    }

    void venueErrorsAndNoticesAskForAReconnect() {
        LiveOkx k;
        // An error while resubscribing leaves no way to a snapshot: reconnect.
        k.adapter.onMessage(bookFrame("update", {}, {}, std::nullopt, Seq{99, 100}), 2);
        k.adapter.onMessage(
            "{\"event\":\"error\",\"code\":\"60012\",\"msg\":\"Invalid request\",\"connId\":\"x\"}",
            3);
        QVERIFY(k.adapter.takeReconnectRequest());
        QVERIFY(k.adapter.problemSamples().back().find("Invalid request") != std::string::npos);
        // 64008: the server announces it will close the socket for an upgrade.
        k.adapter.onMessage(
            "{\"event\":\"notice\",\"code\":\"64008\",\"msg\":\"The connection will soon be "
            "closed for a service upgrade. Please reconnect.\",\"connId\":\"x\"}",
            4);
        QVERIFY(k.adapter.takeReconnectRequest());
    }

    void swapSizesAreContractsShownInBaseUnits() {
        // okx-swap BTC-USDT-SWAP: one contract is 0.01 BTC (ctVal), so "12.5" contracts rest as
        // 0.125 BTC = 1250 lots of 0.0001 BTC; the checksum still runs over OKX's own strings.
        MirrorListener listener;
        const Instrument swap("BTC-USDT-SWAP", *DecimalStep::parse("0.1"),
                              *DecimalStep::parse("0.0001"));
        OkxAdapter adapter("BTC-USDT-SWAP", swap, listener, -2);
        QCOMPARE(adapter.venue(), VenueId::OkxSwap);
        const Levels bids{{"60000.1", "12.5"}, {"60000.0", "3"}};
        const Levels asks{{"60000.2", "0.01"}};
        adapter.onConnected(0);
        adapter.onMessage(bookFrame("snapshot", bids, asks, expectedChecksum(bids, asks),
                                    Seq{-1, 10}, "BTC-USDT-SWAP"),
                          1);
        QCOMPARE(adapter.syncState(), SyncState::Live);
        QCOMPARE(adapter.checksumsVerified(), std::uint64_t{1});
        QCOMPARE(adapter.book().sizeAt(Side::Bid, 600001), Lots{1250});
        QCOMPARE(adapter.book().sizeAt(Side::Bid, 600000), Lots{300});
        QCOMPARE(adapter.book().sizeAt(Side::Ask, 600002), Lots{1});
        adapter.onMessage(
            R"({"arg":{"channel":"trades","instId":"BTC-USDT-SWAP"},"data":[{"instId":"BTC-USDT-SWAP","tradeId":"77","px":"60000.2","sz":"2.5","side":"buy","ts":"1652459225453"}]})",
            2);
        QCOMPARE(listener.trades.size(), std::size_t{1});
        QCOMPARE(listener.trades[0].qty, Lots{250});  // 2.5 contracts = 0.025 BTC
        // Spot OKX is unchanged: sizes as sent.
        MirrorListener spotListener;
        OkxAdapter spot("BTC-USDT", btcUsdt(), spotListener);
        QCOMPARE(spot.venue(), VenueId::Okx);
    }

    void repeatedResyncsBackOff() {
        // Issue 11: a book that fails again after every fresh snapshot must not resubscribe on
        // every frame. The first resync goes at once; while the book has not stayed live 30 s,
        // each further one waits 1 s, 2 s, 4 s ... and the reason says so.
        constexpr TimeNs s = 1'000'000'000;
        LiveOkx k;  // live from t = 1 ns
        const qint32 good = expectedChecksum(kBids, kAsks);
        const auto badSnapshot = [&] {
            return bookFrame("snapshot", kBids, kAsks, good + 1, Seq{-1, 20});
        };
        k.adapter.onMessage(bookFrame("update", {{"30237.2", "0.6"}}, {}, good, Seq{10, 11}), 2);
        QCOMPARE(k.adapter.takeOutgoing().size(), std::size_t{2});  // at once
        k.adapter.onMessage(badSnapshot(), 10 * s);
        QCOMPARE(k.listener.invalidReasons.back(),
                 std::string("checksum mismatch (resync 2 in a row; resubscribing in 1 s)"));
        QVERIFY(k.adapter.takeOutgoing().empty());
        k.adapter.onMessage("pong", 11 * s - 1);
        QVERIFY(k.adapter.takeOutgoing().empty());
        k.adapter.onMessage("pong", 11 * s);  // due: the next frame carries it
        QCOMPARE(k.adapter.takeOutgoing().size(), std::size_t{2});
        k.adapter.onMessage(badSnapshot(), 12 * s);
        QCOMPARE(k.listener.invalidReasons.back(),
                 std::string("checksum mismatch (resync 3 in a row; resubscribing in 2 s)"));
        k.adapter.onMessage("pong", 14 * s - 1);
        QVERIFY(k.adapter.takeOutgoing().empty());
        k.adapter.onMessage("pong", 14 * s);
        QCOMPARE(k.adapter.takeOutgoing().size(), std::size_t{2});
        k.adapter.onMessage(badSnapshot(), 15 * s);
        QCOMPARE(k.listener.invalidReasons.back(),
                 std::string("checksum mismatch (resync 4 in a row; resubscribing in 4 s)"));
        k.adapter.onMessage("pong", 19 * s);
        QCOMPARE(k.adapter.takeOutgoing().size(), std::size_t{2});
        QCOMPARE(k.adapter.counters().resyncs, std::uint64_t{4});
        // A good snapshot; live for 30 s: the run is over, the next resync goes at once again.
        k.adapter.onMessage(bookFrame("snapshot", kBids, kAsks, good, Seq{-1, 30}), 20 * s);
        QCOMPARE(k.adapter.syncState(), SyncState::Live);
        k.adapter.onMessage(bookFrame("update", {}, {}, std::nullopt, Seq{29, 31}), 50 * s);
        QCOMPARE(k.listener.invalidReasons.back(), std::string("sequence gap"));
        QCOMPARE(k.adapter.takeOutgoing().size(), std::size_t{2});
    }

    void aReconnectKeepsTheBackoff() {
        constexpr TimeNs s = 1'000'000'000;
        LiveOkx k;
        const qint32 good = expectedChecksum(kBids, kAsks);
        k.adapter.onMessage(bookFrame("update", {}, {}, std::nullopt, Seq{9, 11}), 2);
        QCOMPARE(k.adapter.takeOutgoing().size(), std::size_t{2});
        k.adapter.onConnected(3 * s);  // a new socket subscribes by itself
        k.adapter.onMessage(bookFrame("snapshot", kBids, kAsks, good + 1, Seq{-1, 20}), 4 * s);
        QCOMPARE(k.listener.invalidReasons.back(),
                 std::string("checksum mismatch (resync 2 in a row; resubscribing in 1 s)"));
        QVERIFY(k.adapter.takeOutgoing().empty());
    }

    void resyncWithoutASnapshotFallsBackToReconnecting() {
        LiveOkx k;
        k.adapter.onMessage(bookFrame("update", {}, {}, std::nullopt, Seq{99, 100}), 1000);
        k.adapter.onMessage("pong", 1000 + OkxAdapter::kResyncTimeoutNs);
        QVERIFY(!k.adapter.takeReconnectRequest());
        k.adapter.onMessage("pong", 1001 + OkxAdapter::kResyncTimeoutNs);
        QVERIFY(k.adapter.takeReconnectRequest());
    }

    void reconnectInvalidatesTheBook() {
        LiveOkx k;
        k.adapter.onConnected(100);
        QCOMPARE(k.adapter.syncState(), SyncState::WaitingSnapshot);
        QVERIFY(k.adapter.book().asks().empty());
        QCOMPARE(k.adapter.textBook().depth(Side::Ask), std::size_t{0});
        QCOMPARE(k.listener.invalidReasons, std::vector<std::string>{"reconnected"});
        // The sequence chain restarts with the next snapshot: no stale prevSeqId check.
        k.adapter.onMessage(
            bookFrame("snapshot", kBids, kAsks, expectedChecksum(kBids, kAsks), Seq{-1, 500}), 101);
        k.adapter.onMessage(bookFrame("update", {}, {}, std::nullopt, Seq{500, 501}), 102);
        QCOMPARE(k.adapter.counters().gaps, std::uint64_t{0});
        QCOMPARE(k.adapter.counters().appliedEvents, std::uint64_t{1});
    }
};

QTEST_GUILESS_MAIN(TestOkxAdapter)
#include "tst_okx_adapter.moc"
