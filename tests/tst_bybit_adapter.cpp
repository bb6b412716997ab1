// Bybit v5 public adapter: Bybit's documented message examples, snapshot + deltas, deletes, the
// depth cut, update-id gaps (resubscribe), duplicates, restarts, malformed input, trades, replies
// and steady-state allocations. A listener rebuilds the book from the callbacks alone and must
// equal the adapter's book at every onBookUpdateEnd.
#include <QtTest>

#include <string>
#include <vector>

#include "allocation_count.h"
#include "mirror_listener.h"
#include "test_printers.h"
#include "venues/bybit_adapter.h"

using namespace flowscope;
using flowscope::testing::AllocationCount;
using namespace flowscope::venues;
using flowscope::testing::MirrorListener;

namespace {

Instrument btcusdt() {
    return Instrument("BTCUSDT", *DecimalStep::parse("0.01"), *DecimalStep::parse("0.001"));
}

/// ticks of 0.01 and lots of 0.001, computed by hand for readability.
constexpr PriceTicks px(double dollars) {
    return static_cast<PriceTicks>(dollars * 100.0 + (dollars >= 0 ? 0.5 : -0.5));
}
constexpr Lots lots(double size) {
    return static_cast<Lots>(size * 1000.0 + 0.5);
}

std::string book(const std::string& type, std::uint64_t u, const std::string& bids,
                 const std::string& asks, const std::string& topic = "orderbook.50.BTCUSDT") {
    return R"({"topic":")" + topic + R"(","type":")" + type +
           R"(","ts":1700000000100,"data":{"s":"BTCUSDT","b":[)" + bids + R"(],"a":[)" + asks +
           R"(],"u":)" + std::to_string(u) + R"(,"seq":1},"cts":1700000000090})";
}

// Bybit v5 docs, WebSocket Stream > Public > Orderbook, response example "Snapshot" (the "..."
// elisions removed).
constexpr const char* kDocSnapshot = R"({
    "topic": "orderbook.50.BTCUSDT",
    "type": "snapshot",
    "ts": 1672304484978,
    "data": {
        "s": "BTCUSDT",
        "b": [
            ["16493.50", "0.006"],
            ["16493.00", "0.100"]
        ],
        "a": [
            ["16611.00", "0.029"],
            ["16612.00", "0.213"]
        ],
        "u": 18521288,
        "seq": 7961638724
    },
    "cts": 1672304484976
})";

// Same page, response example "Delta".
constexpr const char* kDocDelta = R"({
    "topic": "orderbook.50.BTCUSDT",
    "type": "delta",
    "ts": 1687940967466,
    "data": {
        "s": "BTCUSDT",
        "b": [
            ["30247.20", "30.028"],
            ["30245.40", "0.224"],
            ["30242.10", "1.593"],
            ["30240.30", "1.305"],
            ["30240.00", "0"]
        ],
        "a": [
            ["30248.70", "0"],
            ["30249.30", "0.892"],
            ["30249.50", "1.778"],
            ["30249.60", "0"],
            ["30251.90", "2.947"],
            ["30252.20", "0.659"],
            ["30252.50", "4.591"]
        ],
        "u": 177400507,
        "seq": 66544703342
    },
    "cts": 1687940967464
})";

// WebSocket Stream > Public > Trade, response example.
constexpr const char* kDocTrade = R"({
    "topic": "publicTrade.BTCUSDT",
    "type": "snapshot",
    "ts": 1672304486868,
    "data": [
        {
            "T": 1672304486865,
            "s": "BTCUSDT",
            "S": "Buy",
            "v": "0.001",
            "p": "16578.50",
            "L": "PlusTick",
            "i": "20f43950-d8dd-5b31-9112-a178eb6023af",
            "BT": false
        }
    ]
})";

// WebSocket Connect: the subscribe answer and the public pongs (spot, then linear).
constexpr const char* kDocSubscribed =
    R"({"success":true,"ret_msg":"","conn_id":"3cd84cb1-4d06-4a05-930a-2efe5fc70f0f","req_id":"","op":"subscribe"})";
constexpr const char* kDocSpotPong =
    R"({"success":true,"ret_msg":"pong","conn_id":"0970e817-426e-429a-a679-ff7f55e0b16a","op":"ping"})";
constexpr const char* kDocLinearPong =
    R"({"success":true,"ret_msg":"pong","conn_id":"465772b1-7630-4fdc-a492-e003e6f0f260","req_id":"","op":"ping"})";

const std::string kUnsubscribeBook = R"({"op":"unsubscribe","args":["orderbook.50.BTCUSDT"]})";
const std::string kSubscribeBook = R"({"op":"subscribe","args":["orderbook.50.BTCUSDT"]})";

// bids 100.00 x 1, 99.50 x 2; asks 100.50 x 3, 101.00 x 4 at u = 100
std::string smallSnapshot(std::uint64_t u = 100) {
    return book("snapshot", u, R"(["100.00","1"],["99.50","2"])",
                R"(["100.50","3"],["101.00","4"])");
}

}  // namespace

class TestBybitAdapter : public QObject {
    Q_OBJECT

  private slots:
    void pathsSubscriptionAndHeartbeatFollowBybitSpelling() {
        MirrorListener listener;
        BybitAdapter spot(BybitCategory::Spot, "BTCUSDT", btcusdt(), listener);
        BybitAdapter linear(BybitCategory::Linear, "ETHUSDT", btcusdt(), listener, 200);
        QCOMPARE(spot.venue(), VenueId::Bybit);
        QCOMPARE(spot.wsPath(), std::string("/v5/public/spot"));
        QCOMPARE(linear.wsPath(), std::string("/v5/public/linear"));
        QCOMPARE(linear.venue(), VenueId::BybitLinear);
        QCOMPARE(
            spot.subscribeMessages(),
            std::vector<std::string>{
                R"({"op":"subscribe","args":["orderbook.50.BTCUSDT","publicTrade.BTCUSDT"]})"});
        QCOMPARE(
            linear.subscribeMessages(),
            std::vector<std::string>{
                R"({"op":"subscribe","args":["orderbook.200.ETHUSDT","publicTrade.ETHUSDT"]})"});
        QCOMPARE(spot.heartbeatMessage(), std::string(R"({"op":"ping"})"));
        QCOMPARE(spot.heartbeatIntervalNs(), TimeNs{20'000'000'000});
        QVERIFY(spot.staleAfterNs() > spot.heartbeatIntervalNs());
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 BybitAdapter(BybitCategory::Spot, "X", btcusdt(), listener, 0));
    }

    void documentedSnapshotBuildsTheBook() {
        MirrorListener listener;
        BybitAdapter adapter(BybitCategory::Linear, "BTCUSDT", btcusdt(), listener);
        adapter.onConnected(1);
        adapter.onMessage(kDocSnapshot, 2);
        QCOMPARE(adapter.syncState(), SyncState::Live);
        QCOMPARE(adapter.counters().snapshots, std::uint64_t{1});
        QCOMPARE(adapter.counters().parseErrors, std::uint64_t{0});
        QCOMPARE(adapter.lastUpdateId(), std::uint64_t{18521288});
        QCOMPARE(adapter.book().bids().depth(), std::size_t{2});
        QCOMPARE(adapter.book().bestBid(), (Level{1649350, 6}));
        QCOMPARE(adapter.book().bids().level(1), (Level{1649300, 100}));
        QCOMPARE(adapter.book().bestAsk(), (Level{1661100, 29}));
        QCOMPARE(adapter.book().asks().level(1), (Level{1661200, 213}));
        QCOMPARE(listener.snapshots, 1);
        // cts (matching engine time) wins over ts.
        QCOMPARE(listener.lastEventNs, TimeNs{1672304484976} * 1'000'000);
        QCOMPARE(adapter.priceDecimalsSeen(), 2);
        QCOMPARE(adapter.sizeDecimalsSeen(), 3);
    }

    void documentedDeltaSetsAndDeletesLevels() {
        MirrorListener listener;
        BybitAdapter adapter(BybitCategory::Linear, "BTCUSDT", btcusdt(), listener);
        adapter.onConnected(1);
        // A book the documented delta (u 177400507) follows: it holds the levels it deletes.
        adapter.onMessage(
            book("snapshot", 177400506, R"(["30247.20","1"],["30240.00","5"],["30239.00","6"])",
                 R"(["30248.70","2"],["30249.60","3"],["30260.00","7"])"),
            2);
        adapter.onMessage(kDocDelta, 3);
        QCOMPARE(adapter.counters().appliedEvents, std::uint64_t{1});
        QCOMPARE(adapter.lastUpdateId(), std::uint64_t{177400507});
        const OrderBook& b = adapter.book();
        QCOMPARE(b.bids().depth(), std::size_t{5});
        QCOMPARE(b.bestBid(), (Level{px(30247.20), lots(30.028)}));
        QCOMPARE(b.sizeAt(Side::Bid, px(30240.00)), Lots{0});
        QCOMPARE(b.sizeAt(Side::Bid, px(30239.00)), lots(6));
        QCOMPARE(b.asks().depth(), std::size_t{6});
        QCOMPARE(b.bestAsk(), (Level{px(30249.30), lots(0.892)}));
        QCOMPARE(b.sizeAt(Side::Ask, px(30248.70)), Lots{0});
        QCOMPARE(b.sizeAt(Side::Ask, px(30249.60)), Lots{0});
        QCOMPARE(b.sizeAt(Side::Ask, px(30260.00)), lots(7));
        QCOMPARE(listener.updateEnds, 1);
        QCOMPARE(listener.deletes, 3);
        QCOMPARE(listener.mismatches, 0);
        QCOMPARE(listener.lastEventNs, TimeNs{1687940967464} * 1'000'000);
    }

    void snapshotThenDeltasKeepTheMirrorEqual() {
        MirrorListener listener;
        BybitAdapter adapter(BybitCategory::Spot, "BTCUSDT", btcusdt(), listener);
        adapter.onConnected(1);
        adapter.onMessage(smallSnapshot(), 2);
        adapter.onMessage(book("delta", 101, R"(["100.00","1.5"])", ""), 3);
        adapter.onMessage(book("delta", 102, R"(["100.25","0.7"])", R"(["100.50","0"])"), 4);
        // A delete of a level we never held changes nothing and is not reported.
        adapter.onMessage(book("delta", 103, R"(["50.00","0"])", ""), 5);
        QCOMPARE(adapter.counters().appliedEvents, std::uint64_t{3});
        QCOMPARE(listener.updateEnds, 3);
        QCOMPARE(listener.mismatches, 0);
        QCOMPARE(listener.levels, 3);
        QCOMPARE(adapter.book().bestBid(), (Level{px(100.25), lots(0.7)}));
        QCOMPARE(adapter.book().bids().level(1), (Level{px(100.00), lots(1.5)}));
        QCOMPARE(adapter.book().bestAsk(), (Level{px(101.00), lots(4)}));
        QCOMPARE(adapter.book().asks().depth(), std::size_t{1});
    }

    void bookIsCutToTheSubscribedDepth() {
        MirrorListener listener;
        BybitAdapter adapter(BybitCategory::Spot, "BTCUSDT", btcusdt(), listener, 3);
        const std::string topic = "orderbook.3.BTCUSDT";
        adapter.onConnected(1);
        adapter.onMessage(book("snapshot", 10, R"(["100","1"],["99","1"],["98","1"])",
                               R"(["101","1"],["102","1"],["103","1"])", topic),
                          2);
        // A better bid pushes 98 out of the top 3; Bybit need not send its delete.
        adapter.onMessage(book("delta", 11, R"(["100.50","2"])", "", topic), 3);
        QCOMPARE(adapter.book().bids().depth(), std::size_t{3});
        QCOMPARE(adapter.book().sizeAt(Side::Bid, px(98)), Lots{0});
        QCOMPARE(adapter.book().bids().level(2), (Level{px(99), lots(1)}));
        // Two better asks in one message push out 103 and 102.
        adapter.onMessage(book("delta", 12, "", R"(["100.75","1"],["100.80","1"])", topic), 4);
        QCOMPARE(adapter.book().asks().depth(), std::size_t{3});
        QCOMPARE(adapter.book().asks().level(2), (Level{px(101), lots(1)}));
        // A level re-published from below after a delete comes back.
        adapter.onMessage(book("delta", 13, "", R"(["100.75","0"],["102","5"])", topic), 5);
        QCOMPARE(adapter.book().asks().level(2), (Level{px(102), lots(5)}));
        QCOMPARE(listener.mismatches, 0);
        QCOMPARE(listener.updateEnds, 3);
        QCOMPARE(listener.deletes, 1 + 2 + 1);
        // A snapshot deeper than the depth is cut before the listener sees it.
        adapter.onMessage(book("snapshot", 20, R"(["100","1"],["99","1"],["98","1"],["97","1"])",
                               R"(["101","1"])", topic),
                          6);
        QCOMPARE(adapter.book().bids().depth(), std::size_t{3});
        QCOMPARE(listener.bids.size(), std::size_t{3});
    }

    void updateIdGapResubscribesAndInvalidates() {
        MirrorListener listener;
        BybitAdapter adapter(BybitCategory::Spot, "BTCUSDT", btcusdt(), listener);
        adapter.onConnected(1);
        adapter.onMessage(smallSnapshot(100), 2);
        QVERIFY(adapter.takeOutgoing().empty());
        adapter.onMessage(book("delta", 102, R"(["100.00","9"])", ""), 3);
        QCOMPARE(adapter.counters().gaps, std::uint64_t{1});
        QCOMPARE(adapter.counters().resyncs, std::uint64_t{1});
        QCOMPARE(adapter.syncState(), SyncState::WaitingSnapshot);
        QCOMPARE(listener.invalidReasons, std::vector<std::string>{"update id gap"});
        QCOMPARE(adapter.takeOutgoing(),
                 (std::vector<std::string>{kUnsubscribeBook, kSubscribeBook}));
        QVERIFY(!adapter.takeReconnectRequest());
        QVERIFY(adapter.book().bids().empty());
        // Deltas in flight from the old subscription are dropped until the new snapshot.
        adapter.onMessage(book("delta", 103, R"(["100.00","9"])", ""), 4);
        QCOMPARE(adapter.counters().droppedBeforeSync, std::uint64_t{1});
        adapter.onMessage(kDocSubscribed, 5);
        adapter.onMessage(smallSnapshot(500), 6);
        QCOMPARE(adapter.syncState(), SyncState::Live);
        adapter.onMessage(book("delta", 501, R"(["100.00","9"])", ""), 7);
        QCOMPARE(adapter.book().bestBid(), (Level{px(100), lots(9)}));
        QCOMPARE(adapter.counters().gaps, std::uint64_t{1});
        QCOMPARE(listener.mismatches, 0);
        QVERIFY(adapter.takeOutgoing().empty());
    }

    void resubscribesAreSpacedAndARefusalReconnects() {
        MirrorListener listener;
        BybitAdapter adapter(BybitCategory::Spot, "BTCUSDT", btcusdt(), listener);
        adapter.onConnected(0);
        // Snapshots that can never be used (a price off the tick) must not flood Bybit.
        const std::string bad = book("snapshot", 1, R"(["100.005","1"])", "");
        adapter.onMessage(bad, 1'000);
        QCOMPARE(adapter.takeOutgoing().size(), std::size_t{2});
        adapter.onMessage(bad, 2'000);
        QVERIFY(adapter.takeOutgoing().empty());
        adapter.onMessage(kDocSpotPong, 1'000'001'000);
        QCOMPARE(adapter.takeOutgoing().size(), std::size_t{2});
        QCOMPARE(adapter.counters().parseErrors, std::uint64_t{2});
        QCOMPARE(adapter.counters().resyncs, std::uint64_t{0});  // never live
        // Bybit refuses the resubscribe: no snapshot will come on this connection.
        adapter.onMessage(
            R"({"success":false,"ret_msg":"error:already subscribed,topic:orderbook.50.BTCUSDT","conn_id":"x","req_id":"","op":"subscribe"})",
            1'000'002'000);
        QVERIFY(adapter.takeReconnectRequest());
        QVERIFY(adapter.problemSamples().back().find("already subscribed") != std::string::npos);
    }

    void refusedFirstSubscriptionIsLoggedNotRetried() {
        MirrorListener listener;
        BybitAdapter adapter(BybitCategory::Spot, "NOPE", btcusdt(), listener);
        adapter.onConnected(0);
        adapter.onMessage(
            R"({"success":false,"ret_msg":"error:handler not found,topic:orderbook.50.NOPE","conn_id":"x","op":"subscribe"})",
            1);
        QVERIFY(!adapter.takeReconnectRequest());
        QVERIFY(adapter.takeOutgoing().empty());
        QCOMPARE(adapter.problemSamples().size(), std::size_t{1});
        QVERIFY(adapter.problemSamples()[0].find("handler not found") != std::string::npos);
    }

    void duplicateAndOldDeltasAreDropped() {
        MirrorListener listener;
        BybitAdapter adapter(BybitCategory::Spot, "BTCUSDT", btcusdt(), listener);
        adapter.onConnected(1);
        adapter.onMessage(smallSnapshot(100), 2);
        adapter.onMessage(book("delta", 100, R"(["100.00","7"])", ""), 3);  // in the snapshot
        adapter.onMessage(book("delta", 101, R"(["100.00","8"])", ""), 4);
        adapter.onMessage(book("delta", 101, R"(["100.00","7"])", ""), 5);  // repeated
        QCOMPARE(adapter.counters().droppedBeforeSync, std::uint64_t{2});
        QCOMPARE(adapter.counters().gaps, std::uint64_t{0});
        QCOMPARE(adapter.counters().appliedEvents, std::uint64_t{1});
        QCOMPARE(adapter.book().bestBid(), (Level{px(100), lots(8)}));
        QCOMPARE(adapter.syncState(), SyncState::Live);
    }

    void restartSnapshotWithUpdateIdOneReplacesTheBook() {
        MirrorListener listener;
        BybitAdapter adapter(BybitCategory::Linear, "BTCUSDT", btcusdt(), listener);
        adapter.onConnected(1);
        adapter.onMessage(smallSnapshot(5000), 2);
        adapter.onMessage(book("snapshot", 1, R"(["90.00","1"])", R"(["91.00","1"])"), 3);
        QCOMPARE(adapter.lastUpdateId(), std::uint64_t{1});
        QCOMPARE(adapter.book().bids().depth(), std::size_t{1});
        adapter.onMessage(book("delta", 2, R"(["90.00","2"])", ""), 4);
        QCOMPARE(adapter.book().bestBid(), (Level{px(90), lots(2)}));
        QCOMPARE(adapter.counters().gaps, std::uint64_t{0});
        QCOMPARE(adapter.counters().snapshots, std::uint64_t{2});
        QCOMPARE(listener.mismatches, 0);
    }

    void deltaBeforeAnySnapshotIsDropped() {
        MirrorListener listener;
        BybitAdapter adapter(BybitCategory::Spot, "BTCUSDT", btcusdt(), listener);
        adapter.onConnected(1);
        adapter.onMessage(book("delta", 7, R"(["100.00","1"])", ""), 2);
        QCOMPARE(adapter.counters().droppedBeforeSync, std::uint64_t{1});
        QCOMPARE(adapter.syncState(), SyncState::WaitingSnapshot);
        QCOMPARE(listener.updateEnds, 0);
    }

    void reconnectInvalidatesALiveBook() {
        MirrorListener listener;
        BybitAdapter adapter(BybitCategory::Spot, "BTCUSDT", btcusdt(), listener);
        adapter.onConnected(1);
        adapter.onMessage(smallSnapshot(), 2);
        adapter.onConnected(3);
        QCOMPARE(listener.invalidReasons, std::vector<std::string>{"reconnected"});
        QCOMPARE(adapter.counters().resyncs, std::uint64_t{1});
        QCOMPARE(adapter.syncState(), SyncState::WaitingSnapshot);
        QVERIFY(adapter.takeOutgoing().empty());  // the new connection subscribes afresh
    }

    void badInputIsCountedAndAnsweredRightly_data() {
        QTest::addColumn<QString>("frame");
        QTest::addColumn<bool>("resyncs");
        const auto row = [](const char* name, const std::string& frame, bool resyncs) {
            QTest::newRow(name) << QString::fromStdString(frame) << resyncs;
        };
        row("not JSON", "hello", false);
        row("JSON array", "[1,2]", false);
        row("topic not a string", R"({"topic":5})", false);
        // simdjson rejects an unbalanced document before any field is read, so nothing says it
        // was a book message; if it was, the next delta's update id skips and resyncs.
        row("truncated delta",
            R"({"topic":"orderbook.50.BTCUSDT","type":"delta","ts":1,"data":{"b":[["100.00")",
            false);
        row("missing u",
            R"({"topic":"orderbook.50.BTCUSDT","type":"delta","ts":1,"data":{"b":[],"a":[]}})",
            true);
        row("u is a string",
            R"({"topic":"orderbook.50.BTCUSDT","type":"delta","ts":1,"data":{"b":[],"a":[],"u":"101"}})",
            true);
        row("negative u",
            R"({"topic":"orderbook.50.BTCUSDT","type":"delta","ts":1,"data":{"b":[],"a":[],"u":-1}})",
            true);
        row("missing ts",
            R"({"topic":"orderbook.50.BTCUSDT","type":"delta","data":{"b":[],"a":[],"u":101}})",
            true);
        row("price is a number", book("delta", 101, R"([100.00,"1"])", ""), true);
        row("negative price", book("delta", 101, R"(["-100.00","1"])", ""), true);
        row("zero price", book("delta", 101, R"(["0","1"])", ""), true);
        row("negative size", book("delta", 101, R"(["100.00","-1"])", ""), true);
        row("NaN size", book("delta", 101, R"(["100.00","NaN"])", ""), true);
        row("garbage price", book("delta", 101, R"(["1e5","1"])", ""), true);
        row("price off the tick", book("delta", 101, R"(["100.005","1"])", ""), true);
        row("size off the lot", book("delta", 101, R"(["100.00","0.0001"])", ""), true);
        row("three-element level", book("delta", 101, R"(["100.00","1","x"])", ""), true);
        row("unknown book type", book("partial", 101, R"(["100.00","1"])", ""), true);
        row("snapshot listing a price twice",
            book("snapshot", 200, R"(["100.00","1"],["100.00","2"])", ""), true);
        row("trade without a side",
            R"({"topic":"publicTrade.BTCUSDT","type":"snapshot","ts":1,"data":[{"T":1,"v":"1","p":"100.00","i":"1"}]})",
            false);
        row("trade with a negative price",
            R"({"topic":"publicTrade.BTCUSDT","type":"snapshot","ts":1,"data":[{"T":1,"S":"Buy","v":"1","p":"-1","i":"1"}]})",
            false);
        row("trade with side Up",
            R"({"topic":"publicTrade.BTCUSDT","type":"snapshot","ts":1,"data":[{"T":1,"S":"Up","v":"1","p":"100.00","i":"1"}]})",
            false);
        row("trade data not an array",
            R"({"topic":"publicTrade.BTCUSDT","type":"snapshot","ts":1,"data":{}})", false);
        row("success not a bool", R"({"success":"yes","op":"subscribe"})", false);
    }
    void badInputIsCountedAndAnsweredRightly() {
        QFETCH(QString, frame);
        QFETCH(bool, resyncs);
        MirrorListener listener;
        BybitAdapter adapter(BybitCategory::Spot, "BTCUSDT", btcusdt(), listener);
        adapter.onConnected(1);
        adapter.onMessage(smallSnapshot(100), 2);
        const std::string text = frame.toStdString();
        adapter.onMessage(text, 3);
        QCOMPARE(adapter.counters().parseErrors, std::uint64_t{1});
        QCOMPARE(adapter.problemSamples().size(), std::size_t{1});
        QVERIFY(adapter.problemSamples()[0].find("parse error") != std::string::npos);
        QCOMPARE(adapter.counters().trades, std::uint64_t{0});
        if (resyncs) {
            QCOMPARE(adapter.counters().resyncs, std::uint64_t{1});
            QCOMPARE(listener.invalidReasons.size(), std::size_t{1});
            QCOMPARE(adapter.syncState(), SyncState::WaitingSnapshot);
            QCOMPARE(adapter.takeOutgoing(),
                     (std::vector<std::string>{kUnsubscribeBook, kSubscribeBook}));
        } else {
            QCOMPARE(adapter.counters().resyncs, std::uint64_t{0});
            QCOMPARE(adapter.syncState(), SyncState::Live);
            QCOMPARE(adapter.book().bestBid(), (Level{px(100), lots(1)}));
            QVERIFY(adapter.takeOutgoing().empty());
            // The book goes on: the next delta applies.
            adapter.onMessage(book("delta", 101, R"(["100.00","3"])", ""), 4);
            QCOMPARE(adapter.book().bestBid(), (Level{px(100), lots(3)}));
        }
        QVERIFY(!adapter.takeReconnectRequest());
    }

    void unknownMessagesAreCountedAndSkipped() {
        MirrorListener listener;
        BybitAdapter adapter(BybitCategory::Spot, "BTCUSDT", btcusdt(), listener);
        adapter.onConnected(1);
        adapter.onMessage(smallSnapshot(), 2);
        adapter.onMessage(R"({"topic":"tickers.BTCUSDT","type":"snapshot","ts":1,"data":{}})", 3);
        adapter.onMessage(R"({"hello":"world"})", 4);
        adapter.onMessage(R"({"success":true,"ret_msg":"","op":"auth"})", 5);
        adapter.onMessage(book("snapshot", 1, R"(["1.00","1"])", "", "orderbook.50.ETHUSDT"), 6);
        QCOMPARE(adapter.counters().unknownMessages, std::uint64_t{4});
        QCOMPARE(adapter.counters().parseErrors, std::uint64_t{0});
        QCOMPARE(adapter.book().bestBid(), (Level{px(100), lots(1)}));
        QCOMPARE(adapter.counters().messages, std::uint64_t{5});
    }

    void documentedRepliesAreKnownAndIgnored() {
        MirrorListener listener;
        BybitAdapter adapter(BybitCategory::Spot, "BTCUSDT", btcusdt(), listener);
        adapter.onConnected(1);
        adapter.onMessage(kDocSubscribed, 2);
        adapter.onMessage(kDocSpotPong, 3);
        adapter.onMessage(kDocLinearPong, 4);
        adapter.onMessage(R"({"req_id":"1","op":"pong","args":["1675418560633"],"conn_id":"c"})",
                          5);
        QCOMPARE(adapter.counters().messages, std::uint64_t{4});
        QCOMPARE(adapter.counters().unknownMessages, std::uint64_t{0});
        QCOMPARE(adapter.counters().parseErrors, std::uint64_t{0});
        QVERIFY(adapter.problemSamples().empty());
    }

    void tradesCarryTheTakerAsAggressor() {
        MirrorListener listener;
        BybitAdapter adapter(BybitCategory::Linear, "BTCUSDT", btcusdt(), listener);
        adapter.onConnected(1);
        adapter.onMessage(kDocTrade, 77);
        adapter.onMessage(
            R"({"topic":"publicTrade.BTCUSDT","type":"snapshot","ts":2,"data":[{"T":1700000000001,"s":"BTCUSDT","S":"Sell","v":"0.250","p":"16578.00","i":"2290000000036455162","BT":false},{"T":1700000000002,"S":"Sell","v":"x","p":"1","i":"3"},{"T":1700000000003,"s":"BTCUSDT","S":"Buy","v":"1","p":"16579.00","i":"9"}]})",
            78);
        QCOMPARE(listener.trades.size(), std::size_t{3});
        const Trade& buy = listener.trades[0];
        QCOMPARE(buy.aggressor, Side::Bid);  // "S":"Buy" is the taker: a buyer lifted the ask
        QCOMPARE(buy.price, px(16578.50));
        QCOMPARE(buy.qty, lots(0.001));
        QCOMPARE(buy.timeNs, TimeNs{1672304486865} * 1'000'000);
        QCOMPARE(buy.sequence, std::uint64_t{0});  // a UUID id has no order
        const Trade& sell = listener.trades[1];
        QCOMPARE(sell.aggressor, Side::Ask);
        QCOMPARE(sell.qty, lots(0.25));
        QCOMPARE(sell.sequence, std::uint64_t{2290000000036455162});
        // The bad middle trade is skipped, the one after it still arrives.
        QCOMPARE(listener.trades[2].price, px(16579));
        QCOMPARE(adapter.counters().trades, std::uint64_t{3});
        QCOMPARE(adapter.counters().parseErrors, std::uint64_t{1});
    }

    void steadyStateDeltasAndTradesDoNotAllocate() {
        class QuietListener final : public VenueListener {
          public:
            void onBookSnapshot(const OrderBook&, TimeNs, TimeNs) override {}
            void onBookLevel(Side, PriceTicks, Lots, TimeNs) override {}
            void onBookUpdateEnd(const OrderBook&, TimeNs, TimeNs) override {}
            void onTrade(const Trade&, TimeNs) override {}
            void onBookInvalid(std::string_view) override {}
        } listener;
        BybitAdapter adapter(BybitCategory::Spot, "BTCUSDT", btcusdt(), listener);
        adapter.onConnected(1);
        adapter.onMessage(kDocSnapshot, 2);
        std::vector<std::string> frames;
        for (std::uint64_t u = 18521289; u < 18521289 + 200; ++u) {
            frames.push_back(
                book("delta", u,
                     R"(["16493.50","0.00)" + std::to_string(u % 9 + 1) + R"("],["16490.00","0"])",
                     R"(["16611.00","0.030"])"));
        }
        // Warm-up: the parser's buffers grow to the largest frame once.
        for (std::size_t i = 0; i < 10; ++i)
            adapter.onMessage(frames[i], 3);
        adapter.onMessage(kDocTrade, 3);
        {
            // The counter sees this test's heap use (else a zero below would prove nothing).
            AllocationCount probe;
            auto* text = new std::string(64, 'x');
            probe.stop();
            QVERIFY(probe.allocations() > 0);
            delete text;
        }
        AllocationCount count;
        for (std::size_t i = 10; i < frames.size(); ++i) {
            adapter.onMessage(frames[i], 4);
            adapter.onMessage(kDocTrade, 4);
        }
        count.stop();
        QCOMPARE(count.allocations(), std::size_t{0});
        QCOMPARE(adapter.counters().appliedEvents, std::uint64_t{200});
        QCOMPARE(adapter.counters().parseErrors, std::uint64_t{0});
    }
};

QTEST_GUILESS_MAIN(TestBybitAdapter)
#include "tst_bybit_adapter.moc"
