// Coinbase Advanced Trade adapter: Coinbase's documented message examples, level2 snapshot +
// updates, deletes, sequence_num gaps (reconnect), duplicates, malformed input, market_trades
// with the aggressor, heartbeats, unknown channels, RFC 3339 times and steady-state allocations.
// A listener rebuilds the book from the callbacks alone and must equal the adapter's book at
// every onBookUpdateEnd.
#include <QDateTime>
#include <QtTest>

#include <string>
#include <vector>

#include "allocation_count.h"
#include "mirror_listener.h"
#include "test_printers.h"
#include "venues/coinbase_adapter.h"
#include "venues/coinbase_time.h"

using namespace flowscope;
using flowscope::testing::AllocationCount;
using namespace flowscope::venues;
using flowscope::testing::MirrorListener;

namespace {

Instrument btcusd() {
    return Instrument("BTC-USD", *DecimalStep::parse("0.01"), *DecimalStep::parse("0.00000001"));
}

/// Epoch ns of a UTC civil time, computed by Qt (independent of the parser under test).
TimeNs utcNs(int y, int mo, int d, int h, int mi, int s, std::int64_t fractionNs = 0) {
    const QDateTime t(QDate(y, mo, d), QTime(h, mi, s), Qt::UTC);
    return t.toMSecsSinceEpoch() * 1'000'000 + fractionNs;
}

std::string level(const char* side, const char* price, const char* qty) {
    return std::string(R"({"side":")") + side +
           R"(","event_time":"2023-02-09T20:32:50.01Z","price_level":")" + price +
           R"(","new_quantity":")" + qty + R"("})";
}

std::string l2(std::uint64_t seq, const char* type, const std::string& updates,
               const char* product = "BTC-USD", const char* timestamp = "2023-02-09T20:32:51.5Z") {
    return std::string(R"({"channel":"l2_data","client_id":"","timestamp":")") + timestamp +
           R"(","sequence_num":)" + std::to_string(seq) + R"(,"events":[{"type":")" + type +
           R"(","product_id":")" + product + R"(","updates":[)" + updates + "]}]}";
}

std::string heartbeat(std::uint64_t seq) {
    return R"({"channel":"heartbeats","client_id":"","timestamp":"2023-06-23T20:31:26.122969572Z","sequence_num":)" +
           std::to_string(seq) +
           R"(,"events":[{"current_time":"2023-06-23 20:31:56.121961769 +0000 UTC m=+91717.525857105","heartbeat_counter":"3049"}]})";
}

std::string trades(std::uint64_t seq, const std::string& list, const char* type = "update") {
    return R"({"channel":"market_trades","client_id":"","timestamp":"2023-02-09T20:19:35.39625135Z","sequence_num":)" +
           std::to_string(seq) + R"(,"events":[{"type":")" + type + R"(","trades":[)" + list +
           "]}]}";
}

std::string trade(const char* id, const char* price, const char* size, const char* side,
                  const char* product = "BTC-USD") {
    return std::string(R"({"trade_id":")") + id + R"(","product_id":")" + product +
           R"(","price":")" + price + R"(","size":")" + size + R"(","side":")" + side +
           R"(","time":"2019-08-14T20:42:27.265Z"})";
}

// Coinbase Advanced Trade docs, WebSocket Channels > Level2 Channel, the l2_data example (its
// trailing comma after the last update removed: as printed it is not JSON).
constexpr const char* kDocLevel2 = R"({
  "channel": "l2_data",
  "client_id": "",
  "timestamp": "2023-02-09T20:32:50.714964855Z",
  "sequence_num": 0,
  "events": [
    {
      "type": "snapshot",
      "product_id": "BTC-USD",
      "updates": [
        {
          "side": "bid",
          "event_time": "1970-01-01T00:00:00Z",
          "price_level": "21921.73",
          "new_quantity": "0.06317902"
        },
        {
          "side": "bid",
          "event_time": "1970-01-01T00:00:00Z",
          "price_level": "21921.3",
          "new_quantity": "0.02"
        }
      ]
    }
  ]
})";

// Same page, Market Trades Channel example (trailing comma removed).
constexpr const char* kDocMarketTrades = R"({
  "channel": "market_trades",
  "client_id": "",
  "timestamp": "2023-02-09T20:19:35.39625135Z",
  "sequence_num": 0,
  "events": [
    {
      "type": "snapshot",
      "trades": [
        {
          "trade_id": "000000000",
          "product_id": "ETH-USD",
          "price": "1260.01",
          "size": "0.3",
          "side": "BUY",
          "time": "2019-08-14T20:42:27.265Z"
        }
      ]
    }
  ]
})";

// Same page, Heartbeats Channel example (trailing comma removed).
constexpr const char* kDocHeartbeat = R"({
  "channel": "heartbeats",
  "client_id": "",
  "timestamp": "2023-06-23T20:31:26.122969572Z",
  "sequence_num": 0,
  "events": [
    {
      "current_time": "2023-06-23 20:31:56.121961769 +0000 UTC m=+91717.525857105",
      "heartbeat_counter": "3049"
    }
  ]
})";

constexpr const char* kSubscriptions =
    R"({"channel":"subscriptions","client_id":"","timestamp":"2023-02-09T20:32:50.714964855Z","sequence_num":1,"events":[{"subscriptions":{"level2":["BTC-USD"]}}]})";

/// bids 100.00 x 1, 99.99 x 2; asks 100.01 x 3 at sequence 1 (after a subscriptions message 0).
void syncSmallBook(CoinbaseAdapter& adapter) {
    adapter.onConnected(1);
    adapter.onMessage(
        R"({"channel":"subscriptions","client_id":"","timestamp":"2023-02-09T20:32:50Z","sequence_num":0,"events":[]})",
        2);
    adapter.onMessage(l2(1, "snapshot",
                         level("bid", "100.00", "1") + "," + level("bid", "99.99", "2") + "," +
                             level("offer", "100.01", "3")),
                      3);
}

}  // namespace

class TestCoinbaseAdapter : public QObject {
    Q_OBJECT

  private slots:
    void usdcProductsShowTheUsdBookCoinbasePublishes() {
        // Coinbase's WebSocket channels docs: "-USDC" products are only on the user channel;
        // the market data channels return the matching "-USD" product's data, except USDT-USDC
        // and EURC-USDC. Subscribing to BTC-USDC would show nothing: its events name BTC-USD.
        QCOMPARE(coinbaseMarketDataProduct("BTC-USDC"), std::string("BTC-USD"));
        QCOMPARE(coinbaseMarketDataProduct("ETH-USDC"), std::string("ETH-USD"));
        QCOMPARE(coinbaseMarketDataProduct("USDT-USDC"), std::string("USDT-USDC"));
        QCOMPARE(coinbaseMarketDataProduct("EURC-USDC"), std::string("EURC-USDC"));
        QCOMPARE(coinbaseMarketDataProduct("BTC-USD"), std::string("BTC-USD"));
        QCOMPARE(coinbaseMarketDataProduct("BTC-EUR"), std::string("BTC-EUR"));
        QCOMPARE(coinbaseMarketDataProduct("-USDC"), std::string("-USDC"));

        MirrorListener listener;
        CoinbaseAdapter adapter("BTC-USDC", btcusd(), listener);
        for (const std::string& frame : adapter.subscribeMessages())
            QVERIFY2(frame.find("\"BTC-USD\"") != std::string::npos, frame.c_str());
        QCOMPARE(adapter.problemSamples().size(), std::size_t{1});
        QVERIFY(adapter.problemSamples()[0].find("as BTC-USD") != std::string::npos);
        adapter.onConnected(0);
        adapter.onMessage(
            l2(0, "snapshot", level("bid", "100.00", "1") + "," + level("offer", "101.00", "2")),
            1);
        QCOMPARE(adapter.syncState(), SyncState::Live);
        QCOMPARE(adapter.book().bestBid().price, PriceTicks{10000});
    }

    void subscribesOneChannelPerMessage() {
        MirrorListener listener;
        CoinbaseAdapter adapter("BTC-USD", btcusd(), listener);
        QCOMPARE(adapter.venue(), VenueId::Coinbase);
        QCOMPARE(adapter.wsPath(), std::string("/"));
        QCOMPARE(
            adapter.subscribeMessages(),
            (std::vector<std::string>{
                R"({"type":"subscribe","product_ids":["BTC-USD"],"channel":"heartbeats"})",
                R"({"type":"subscribe","product_ids":["BTC-USD"],"channel":"level2"})",
                R"({"type":"subscribe","product_ids":["BTC-USD"],"channel":"market_trades"})"}));
        QVERIFY(adapter.heartbeatMessage().empty());  // the heartbeats channel is server-sent
        QCOMPARE(
            coinbase::subscriptionFrame("level2", "ETH-USD", "abc.def.ghi"),
            std::string(
                R"({"type":"subscribe","product_ids":["ETH-USD"],"channel":"level2","jwt":"abc.def.ghi"})"));
    }

    void documentedSnapshotBuildsTheBook() {
        MirrorListener listener;
        CoinbaseAdapter adapter("BTC-USD", btcusd(), listener);
        adapter.onConnected(1);
        adapter.onMessage(kDocLevel2, 2);
        QCOMPARE(adapter.syncState(), SyncState::Live);
        QCOMPARE(adapter.counters().snapshots, std::uint64_t{1});
        QCOMPARE(adapter.counters().parseErrors, std::uint64_t{0});
        QCOMPARE(adapter.book().bids().depth(), std::size_t{2});
        QCOMPARE(adapter.book().bestBid(), (Level{2192173, 6317902}));
        QCOMPARE(adapter.book().bids().level(1), (Level{2192130, 2000000}));
        QVERIFY(adapter.book().asks().empty());
        QCOMPARE(listener.snapshots, 1);
        QCOMPARE(listener.updateEnds, 0);  // a snapshot ends with onBookSnapshot
        QCOMPARE(listener.lastEventNs, utcNs(2023, 2, 9, 20, 32, 50, 714964855));
        QCOMPARE(adapter.lastSequence(), std::uint64_t{0});
    }

    void updatesSetAndDeleteLevelsAcrossChannels() {
        MirrorListener listener;
        CoinbaseAdapter adapter("BTC-USD", btcusd(), listener);
        syncSmallBook(adapter);
        adapter.onMessage(l2(2, "update", level("bid", "100.00", "1.5")), 4);
        adapter.onMessage(heartbeat(3), 5);  // sequence_num counts every channel
        adapter.onMessage(trades(4, trade("1", "100.01", "0.1", "SELL")), 6);
        adapter.onMessage(l2(5, "update",
                             level("offer", "100.01", "0") + "," + level("offer", "100.02", "4") +
                                 "," + level("bid", "50.00", "0")),
                          7);
        QCOMPARE(adapter.counters().appliedEvents, std::uint64_t{2});
        QCOMPARE(adapter.counters().gaps, std::uint64_t{0});
        QCOMPARE(listener.updateEnds, 2);
        QCOMPARE(listener.levels, 3);  // the delete of 50.00 (never held) is not reported
        QCOMPARE(listener.mismatches, 0);
        QCOMPARE(adapter.book().bestBid(), (Level{10000, 150000000}));
        QCOMPARE(adapter.book().bestAsk(), (Level{10002, 400000000}));
        QCOMPARE(adapter.book().asks().depth(), std::size_t{1});
        QCOMPARE(listener.lastEventNs, utcNs(2023, 2, 9, 20, 32, 51, 500000000));
        QCOMPARE(adapter.lastSequence(), std::uint64_t{5});
    }

    void sequenceGapInvalidatesAndReconnects() {
        MirrorListener listener;
        CoinbaseAdapter adapter("BTC-USD", btcusd(), listener);
        syncSmallBook(adapter);
        adapter.onMessage(heartbeat(3), 4);  // 2 is missing: it may have been a book update
        QCOMPARE(adapter.counters().gaps, std::uint64_t{1});
        QCOMPARE(adapter.counters().resyncs, std::uint64_t{1});
        QCOMPARE(listener.invalidReasons, std::vector<std::string>{"sequence gap"});
        QCOMPARE(adapter.syncState(), SyncState::WaitingSnapshot);
        QVERIFY(adapter.takeReconnectRequest());
        QVERIFY(!adapter.takeReconnectRequest());
        QVERIFY(adapter.takeOutgoing().empty());
        // The rest of the abandoned connection changes nothing.
        adapter.onMessage(l2(4, "update", level("bid", "100.00", "9")), 5);
        adapter.onMessage(l2(9, "update", level("bid", "100.00", "9")), 6);
        QCOMPARE(adapter.counters().gaps, std::uint64_t{1});
        QCOMPARE(adapter.counters().appliedEvents, std::uint64_t{0});
        QVERIFY(!adapter.takeReconnectRequest());
        QCOMPARE(listener.invalidReasons.size(), std::size_t{1});
        // A new connection numbers from 0 again and brings a snapshot.
        syncSmallBook(adapter);
        QCOMPARE(adapter.syncState(), SyncState::Live);
        adapter.onMessage(l2(2, "update", level("bid", "100.00", "9")), 7);
        QCOMPARE(adapter.book().bestBid(), (Level{10000, 900000000}));
        QCOMPARE(adapter.counters().resyncs, std::uint64_t{1});
        QCOMPARE(listener.mismatches, 0);
    }

    void duplicateSequenceIsDropped() {
        MirrorListener listener;
        CoinbaseAdapter adapter("BTC-USD", btcusd(), listener);
        syncSmallBook(adapter);
        adapter.onMessage(l2(2, "update", level("bid", "100.00", "5")), 4);
        adapter.onMessage(l2(2, "update", level("bid", "100.00", "6")), 5);
        adapter.onMessage(l2(1, "update", level("bid", "100.00", "7")), 6);
        QCOMPARE(adapter.counters().droppedBeforeSync, std::uint64_t{2});
        QCOMPARE(adapter.counters().gaps, std::uint64_t{0});
        QCOMPARE(adapter.book().bestBid(), (Level{10000, 500000000}));
        adapter.onMessage(l2(3, "update", level("bid", "100.00", "8")), 7);
        QCOMPARE(adapter.book().bestBid(), (Level{10000, 800000000}));
        QVERIFY(!adapter.takeReconnectRequest());
    }

    void updateBeforeTheSnapshotMeansItWasLost() {
        MirrorListener listener;
        CoinbaseAdapter adapter("BTC-USD", btcusd(), listener);
        adapter.onConnected(1);
        adapter.onMessage(l2(7, "update", level("bid", "100.00", "5")), 2);
        QCOMPARE(adapter.counters().droppedBeforeSync, std::uint64_t{1});
        QCOMPARE(adapter.counters().resyncs, std::uint64_t{0});  // it was never live
        QVERIFY(adapter.takeReconnectRequest());
        QVERIFY(listener.invalidReasons.empty());
    }

    void reconnectInvalidatesALiveBook() {
        MirrorListener listener;
        CoinbaseAdapter adapter("BTC-USD", btcusd(), listener);
        syncSmallBook(adapter);
        adapter.onConnected(10);
        QCOMPARE(listener.invalidReasons, std::vector<std::string>{"reconnected"});
        QCOMPARE(adapter.counters().resyncs, std::uint64_t{1});
        QCOMPARE(adapter.syncState(), SyncState::WaitingSnapshot);
    }

    void documentedTradesAndHeartbeatsAreHandled() {
        MirrorListener listener;
        CoinbaseAdapter adapter("ETH-USD", btcusd(), listener);
        adapter.onConnected(1);
        // The subscribe-time snapshot is history from before the connection: not passed on.
        adapter.onMessage(kDocMarketTrades, 2);
        adapter.onMessage(kDocHeartbeat, 3);  // its own connection: sequence_num 0 again
        QVERIFY(listener.trades.empty());
        QCOMPARE(adapter.counters().trades, std::uint64_t{0});
        QCOMPARE(adapter.counters().parseErrors, std::uint64_t{0});
        QCOMPARE(adapter.counters().unknownMessages, std::uint64_t{0});
        QCOMPARE(adapter.counters().droppedBeforeSync, std::uint64_t{0});
        QVERIFY(adapter.problemSamples().size() == 1);  // the repeated 0 is a duplicate
        adapter.onConnected(4);
        adapter.onMessage(kDocHeartbeat, 5);
        adapter.onMessage(kSubscriptions, 6);
        QCOMPARE(adapter.lastSequence(), std::uint64_t{1});
        QCOMPARE(adapter.counters().unknownMessages, std::uint64_t{0});
    }

    void tradeSideIsTheMakerSoTheAggressorIsOpposite() {
        MirrorListener listener;
        CoinbaseAdapter adapter("BTC-USD", btcusd(), listener);
        adapter.onConnected(1);
        adapter.onMessage(trades(0, trade("100", "100.01", "0.5", "SELL") + "," +
                                        trade("101", "100.00", "0.25", "BUY") + "," +
                                        trade("102", "100.00", "-1", "BUY") + "," +
                                        trade("103", "100.00", "1", "BUY", "ETH-USD")),
                          9);
        QCOMPARE(listener.trades.size(), std::size_t{2});
        // A SELL maker was lifted by a buyer.
        QCOMPARE(listener.trades[0].aggressor, Side::Bid);
        QCOMPARE(listener.trades[0].price, PriceTicks{10001});
        QCOMPARE(listener.trades[0].qty, Lots{50000000});
        QCOMPARE(listener.trades[0].sequence, std::uint64_t{100});
        QCOMPARE(listener.trades[0].timeNs, utcNs(2019, 8, 14, 20, 42, 27, 265000000));
        QCOMPARE(listener.trades[1].aggressor, Side::Ask);
        QCOMPARE(adapter.counters().trades, std::uint64_t{2});
        QCOMPARE(adapter.counters().parseErrors, std::uint64_t{1});
        QCOMPARE(adapter.counters().unknownMessages, std::uint64_t{1});
    }

    void badInputIsCountedAndAnsweredRightly_data() {
        QTest::addColumn<QString>("frame");
        QTest::addColumn<bool>("reconnects");
        const auto row = [](const char* name, const std::string& frame, bool reconnects) {
            QTest::newRow(name) << QString::fromStdString(frame) << reconnects;
        };
        row("not JSON", "{{{", false);
        row("channel not a string", R"({"channel":1,"sequence_num":2})", false);
        row("level2 without sequence_num",
            R"({"channel":"l2_data","timestamp":"2023-02-09T20:32:50Z","events":[]})", true);
        row("sequence_num negative",
            R"({"channel":"l2_data","timestamp":"2023-02-09T20:32:50Z","sequence_num":-2,"events":[]})",
            true);
        row("events not an array",
            R"({"channel":"l2_data","timestamp":"2023-02-09T20:32:50Z","sequence_num":2,"events":{}})",
            true);
        // Unreadable as a whole (simdjson rejects it before any field): the next sequence_num
        // decides (malformedFrameIsCaughtByTheNextSequence).
        row("truncated level2",
            R"({"channel":"l2_data","timestamp":"2023-02-09T20:32:50Z","sequence_num":2,"events":[{"type":"update","product_id":"BTC-USD","updates":[{"side":"bid")",
            false);
        row("missing new_quantity", l2(2, "update", R"({"side":"bid","price_level":"100.00"})"),
            true);
        row("price is a number",
            l2(2, "update", R"({"side":"bid","price_level":100.00,"new_quantity":"1"})"), true);
        row("negative price", l2(2, "update", level("bid", "-100.00", "1")), true);
        row("negative size", l2(2, "update", level("bid", "100.00", "-1")), true);
        row("NaN size", l2(2, "update", level("bid", "100.00", "NaN")), true);
        row("garbage price", l2(2, "update", level("bid", "10O.00", "1")), true);
        row("price off the tick", l2(2, "update", level("bid", "100.001", "1")), true);
        row("side ask", l2(2, "update", level("ask", "100.00", "1")), true);
        row("unknown event type", l2(2, "delta", level("bid", "100.00", "1")), true);
        row("bad timestamp",
            l2(2, "update", level("bid", "100.00", "1"), "BTC-USD", "2023-02-30T00:00:00Z"), true);
        row("snapshot listing a price twice",
            l2(2, "snapshot", level("bid", "100.00", "1") + "," + level("bid", "100.00", "2")),
            true);
        row("trade without a price",
            trades(
                2,
                R"({"trade_id":"1","product_id":"BTC-USD","size":"1","side":"BUY","time":"2019-08-14T20:42:27Z"})"),
            false);
        row("trade with side HOLD", trades(2, trade("1", "100.00", "1", "HOLD")), false);
        row("trade with a bad time",
            trades(
                2,
                R"({"trade_id":"1","product_id":"BTC-USD","price":"1","size":"1","side":"BUY","time":"yesterday"})"),
            false);
        row("trades not an array",
            R"({"channel":"market_trades","timestamp":"2023-02-09T20:32:50Z","sequence_num":2,"events":[{"type":"update","trades":5}]})",
            false);
    }
    void badInputIsCountedAndAnsweredRightly() {
        QFETCH(QString, frame);
        QFETCH(bool, reconnects);
        MirrorListener listener;
        CoinbaseAdapter adapter("BTC-USD", btcusd(), listener);
        syncSmallBook(adapter);
        adapter.onMessage(frame.toStdString(), 4);
        QCOMPARE(adapter.counters().parseErrors, std::uint64_t{1});
        QCOMPARE(adapter.problemSamples().size(), std::size_t{1});
        QVERIFY(adapter.problemSamples()[0].find("parse error") != std::string::npos);
        QCOMPARE(adapter.counters().trades, std::uint64_t{0});
        QCOMPARE(adapter.takeReconnectRequest(), reconnects);
        if (reconnects) {
            QCOMPARE(adapter.counters().resyncs, std::uint64_t{1});
            QCOMPARE(listener.invalidReasons.size(), std::size_t{1});
            QCOMPARE(adapter.syncState(), SyncState::WaitingSnapshot);
        } else {
            QCOMPARE(adapter.counters().resyncs, std::uint64_t{0});
            QCOMPARE(adapter.syncState(), SyncState::Live);
            QCOMPARE(adapter.book().bestBid(), (Level{10000, 100000000}));
        }
    }

    void malformedFrameIsCaughtByTheNextSequence() {
        MirrorListener listener;
        CoinbaseAdapter adapter("BTC-USD", btcusd(), listener);
        syncSmallBook(adapter);
        adapter.onMessage(R"({"channel":"l2_data","sequence_num":2,"events":[)", 4);
        QCOMPARE(adapter.counters().parseErrors, std::uint64_t{1});
        QVERIFY(!adapter.takeReconnectRequest());
        adapter.onMessage(heartbeat(3), 5);  // 2 was never accepted
        QCOMPARE(adapter.counters().gaps, std::uint64_t{1});
        QVERIFY(adapter.takeReconnectRequest());
        QCOMPARE(listener.invalidReasons, std::vector<std::string>{"sequence gap"});
    }

    void unknownChannelsAndErrorsAreSkipped() {
        MirrorListener listener;
        CoinbaseAdapter adapter("BTC-USD", btcusd(), listener);
        syncSmallBook(adapter);
        adapter.onMessage(
            R"({"channel":"ticker","client_id":"","timestamp":"2023-02-09T20:30:37.167359596Z","sequence_num":2,"events":[]})",
            4);
        adapter.onMessage(l2(3, "update", level("bid", "1.00", "1"), "ETH-USD"), 5);
        adapter.onMessage(R"({"hello":"world"})", 6);
        adapter.onMessage(R"({"type":"error","message":"failure to subscribe"})", 7);
        // The ticker and the other product's level2 still counted in the sequence.
        adapter.onMessage(l2(4, "update", level("bid", "100.00", "2")), 8);
        QCOMPARE(adapter.counters().unknownMessages, std::uint64_t{3});
        QCOMPARE(adapter.counters().gaps, std::uint64_t{0});
        QCOMPARE(adapter.counters().parseErrors, std::uint64_t{0});
        QCOMPARE(adapter.book().bestBid(), (Level{10000, 200000000}));
        bool errorLogged = false;
        for (const std::string& sample : adapter.problemSamples())
            errorLogged = errorLogged || sample.find("failure to subscribe") != std::string::npos;
        QVERIFY(errorLogged);
        QVERIFY(!adapter.takeReconnectRequest());
    }

    void rfc3339TextBecomesEpochNanoseconds_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<qint64>("expectedNs");
        QTest::newRow("nanoseconds") << "2023-02-09T20:32:50.714964855Z" << true
                                     << qint64(utcNs(2023, 2, 9, 20, 32, 50, 714964855));
        QTest::newRow("no fraction") << "1970-01-01T00:00:00Z" << true << qint64(0);
        QTest::newRow("milliseconds") << "2019-08-14T20:42:27.265Z" << true
                                      << qint64(utcNs(2019, 8, 14, 20, 42, 27, 265000000));
        QTest::newRow("eight digits") << "2023-02-09T20:19:35.39625135Z" << true
                                      << qint64(utcNs(2023, 2, 9, 20, 19, 35, 396251350));
        QTest::newRow("ten digits truncate") << "2023-02-09T20:19:35.1234567899Z" << true
                                             << qint64(utcNs(2023, 2, 9, 20, 19, 35, 123456789));
        QTest::newRow("positive offset")
            << "2024-03-01T01:30:00+02:00" << true << qint64(utcNs(2024, 2, 29, 23, 30, 0));
        QTest::newRow("negative offset") << "2023-12-31T23:00:00.5-01:00" << true
                                         << qint64(utcNs(2024, 1, 1, 0, 0, 0, 500000000));
        QTest::newRow("before 1970") << "1969-12-31T23:59:59.9Z" << true << qint64(-100'000'000);
        QTest::newRow("leap day") << "2000-02-29T12:00:00Z" << true
                                  << qint64(utcNs(2000, 2, 29, 12, 0, 0));
        QTest::newRow("no leap day in 1900") << "1900-02-29T12:00:00Z" << false << qint64(0);
        QTest::newRow("February 30") << "2023-02-30T00:00:00Z" << false << qint64(0);
        QTest::newRow("month 13") << "2023-13-01T00:00:00Z" << false << qint64(0);
        QTest::newRow("hour 24") << "2023-02-09T24:00:00Z" << false << qint64(0);
        QTest::newRow("no zone") << "2023-02-09T20:32:50" << false << qint64(0);
        QTest::newRow("empty fraction") << "2023-02-09T20:32:50.Z" << false << qint64(0);
        QTest::newRow("space separator") << "2023-06-23 20:31:56Z" << false << qint64(0);
        QTest::newRow("trailing text") << "2023-02-09T20:32:50Z UTC" << false << qint64(0);
        QTest::newRow("beyond int64 ns") << "2300-01-01T00:00:00Z" << false << qint64(0);
        QTest::newRow("garbage") << "yesterday" << false << qint64(0);
        QTest::newRow("empty") << "" << false << qint64(0);
    }
    void rfc3339TextBecomesEpochNanoseconds() {
        QFETCH(QString, text);
        QFETCH(bool, valid);
        QFETCH(qint64, expectedNs);
        const std::string utf8 = text.toStdString();
        const auto ns = parseRfc3339Ns(utf8);
        QCOMPARE(ns.has_value(), valid);
        if (valid) QCOMPARE(qint64(*ns), expectedNs);
    }

    void steadyStateUpdatesAndTradesDoNotAllocate() {
        class QuietListener final : public VenueListener {
          public:
            void onBookSnapshot(const OrderBook&, TimeNs, TimeNs) override {}
            void onBookLevel(Side, PriceTicks, Lots, TimeNs) override {}
            void onBookUpdateEnd(const OrderBook&, TimeNs, TimeNs) override {}
            void onTrade(const Trade&, TimeNs) override {}
            void onBookInvalid(std::string_view) override {}
        } listener;
        CoinbaseAdapter adapter("BTC-USD", btcusd(), listener);
        std::vector<std::string> frames;
        std::uint64_t seq = 2;
        for (int i = 0; i < 300; ++i) {
            const std::string qty = std::to_string(i % 7 + 1);
            switch (i % 3) {
                case 0:
                    frames.push_back(l2(
                        seq++, "update",
                        level("bid", "100.00", qty.c_str()) + "," + level("offer", "100.05", "0")));
                    break;
                case 1:
                    frames.push_back(trades(seq++, trade("7", "100.01", "0.1", "SELL")));
                    break;
                default:
                    frames.push_back(heartbeat(seq++));
            }
        }
        syncSmallBook(adapter);
        for (std::size_t i = 0; i < 30; ++i)
            adapter.onMessage(frames[i], 5);  // warm-up
        {
            // The counter sees this test's heap use (else a zero below would prove nothing).
            AllocationCount probe;
            auto* text = new std::string(64, 'x');
            probe.stop();
            QVERIFY(probe.allocations() > 0);
            delete text;
        }
        AllocationCount count;
        for (std::size_t i = 30; i < frames.size(); ++i)
            adapter.onMessage(frames[i], 6);
        count.stop();
        QCOMPARE(count.allocations(), std::size_t{0});
        QCOMPARE(adapter.counters().appliedEvents, std::uint64_t{100});
        QCOMPARE(adapter.counters().trades, std::uint64_t{100});
        QCOMPARE(adapter.counters().gaps, std::uint64_t{0});
        QCOMPARE(adapter.counters().parseErrors, std::uint64_t{0});
    }
};

QTEST_GUILESS_MAIN(TestCoinbaseAdapter)
#include "tst_coinbase_adapter.moc"
