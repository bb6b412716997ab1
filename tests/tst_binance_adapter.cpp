// Binance spot and USD-M adapters: documented message examples, the full local-book sync
// procedure of each market (buffering, stale snapshots, dropping what the snapshot holds, the
// straddle rule, U/u continuity on spot, pu on USD-M, gaps and resyncs), malformed input of every
// kind, unknown messages, trades and their aggressor side, REST error bodies, the bounded sync
// buffer, and no allocation in steady state. A recording listener mirrors the book from the
// callbacks alone and checks it equals the adapter's book at every update end.
#include <QtTest>

#include <string>
#include <tuple>
#include <vector>

#include "allocation_count.h"
#include "mirror_listener.h"
#include "test_printers.h"
#include "venues/binance_adapter.h"

using namespace flowscope;
using flowscope::testing::AllocationCount;
using namespace flowscope::venues;
using flowscope::testing::MirrorListener;

namespace {

bool sameBook(const OrderBook& a, const OrderBook& b) {
    for (const Side side : {Side::Bid, Side::Ask}) {
        const auto x = a.side(side).worstToBest();
        const auto y = b.side(side).worstToBest();
        if (!std::equal(x.begin(), x.end(), y.begin(), y.end())) return false;
    }
    return true;
}

Instrument btcSpot() {
    return Instrument("BTCUSDT", *DecimalStep::parse("0.01"), *DecimalStep::parse("0.00001"));
}

/// For Binance's documentation examples ("0.0024", "10").
Instrument docInstrument(const char* symbol) {
    return Instrument(symbol, *DecimalStep::parse("0.0001"), *DecimalStep::parse("1"));
}

std::string pairs(std::initializer_list<std::pair<const char*, const char*>> levels) {
    std::string out = "[";
    for (const auto& [price, qty] : levels) {
        if (out.size() > 1) out += ",";
        out += std::string("[\"") + price + "\",\"" + qty + "\"]";
    }
    return out + "]";
}

using Levels = std::initializer_list<std::pair<const char*, const char*>>;

/// A spot diff-depth event in the combined-stream envelope, as the capture holds them.
std::string spotDepth(std::uint64_t first, std::uint64_t last, Levels bids, Levels asks,
                      std::uint64_t eventMs = 1723161255208) {
    return R"({"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":)" +
           std::to_string(eventMs) + R"(,"s":"BTCUSDT","U":)" + std::to_string(first) + R"(,"u":)" +
           std::to_string(last) + R"(,"b":)" + pairs(bids) + R"(,"a":)" + pairs(asks) + "}}";
}

std::string usdmDepth(std::uint64_t first, std::uint64_t last, std::int64_t previous, Levels bids,
                      Levels asks) {
    return R"({"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":1723161255208,)"
           R"("T":1723161255200,"s":"BTCUSDT","U":)" +
           std::to_string(first) + R"(,"u":)" + std::to_string(last) + R"(,"pu":)" +
           std::to_string(previous) + R"(,"b":)" + pairs(bids) + R"(,"a":)" + pairs(asks) + "}}";
}

std::string snapshot(std::uint64_t lastUpdateId, Levels bids, Levels asks) {
    return R"({"lastUpdateId":)" + std::to_string(lastUpdateId) + R"(,"bids":)" + pairs(bids) +
           R"(,"asks":)" + pairs(asks) + "}";
}

/// Snapshot used by most sync tests: bids 100.00 x 1, 99.99 x 2; asks 100.01 x 3, 100.02 x 4.
std::string standardSnapshot(std::uint64_t lastUpdateId) {
    return snapshot(lastUpdateId, {{"100.00", "1"}, {"99.99", "2"}},
                    {{"100.01", "3"}, {"100.02", "4"}});
}

/// The book as text levels through the instrument, best first, for comparisons by hand.
std::vector<Level> levelsOf(const Instrument& instrument, Levels text) {
    std::vector<Level> out;
    for (const auto& [price, qty] : text) {
        out.push_back({*instrument.parsePrice(price), *instrument.parseSize(qty)});
    }
    return out;
}

std::vector<Level> bestFirst(const BookSide& side) {
    std::vector<Level> out;
    for (std::size_t i = 0; i < side.depth(); ++i)
        out.push_back(side.level(i));
    return out;
}

bool hasProblem(const VenueAdapter& adapter, std::string_view needle) {
    for (const std::string& sample : adapter.problemSamples()) {
        if (sample.find(needle) != std::string::npos) return true;
    }
    return false;
}

/// A listener that never allocates, so any allocation counted is the adapter's.
class NullCountingListener final : public VenueListener {
  public:
    void onBookSnapshot(const OrderBook&, TimeNs, TimeNs) override {}
    void onBookLevel(Side, PriceTicks, Lots, TimeNs) override {}
    void onBookUpdateEnd(const OrderBook&, TimeNs, TimeNs) override { ++updateEnds; }
    void onTrade(const Trade&, TimeNs) override {}
    void onBookInvalid(std::string_view) override {}
    int updateEnds = 0;
};

constexpr TimeNs kReceiveNs = 1'000'000'000'000'000'000;

/// A spot adapter made live at update id 12 from standardSnapshot(7) and two events:
/// bids 100.00 x 1.5, 99.99 x 2, 99.98 x 0.3; asks 100.02 x 4, 100.03 x 2.
void makeLiveSpot(BinanceAdapter& adapter) {
    adapter.onConnected(kReceiveNs);
    adapter.onMessage(spotDepth(1, 5, {{"100.00", "5"}}, {}), kReceiveNs + 1);
    adapter.onMessage(spotDepth(6, 8, {{"100.00", "1.5"}}, {{"100.01", "0"}}), kReceiveNs + 2);
    adapter.onMessage(spotDepth(9, 12, {{"99.98", "0.3"}}, {{"100.03", "2"}}), kReceiveNs + 3);
    adapter.onSnapshotResponse(standardSnapshot(7), kReceiveNs + 4);
}

}  // namespace

class TestBinanceAdapter : public QObject {
    Q_OBJECT

  private slots:
    void endpointsPerMarket() {
        MirrorListener listener;
        BinanceAdapter spot(BinanceMarket::Spot, "BTCUSDT", btcSpot(), listener);
        QCOMPARE(spot.venue(), VenueId::BinanceSpot);
        QCOMPARE(spot.wsPath(), std::string("/stream?streams=btcusdt@depth@100ms/btcusdt@trade"));
        QCOMPARE(spot.snapshotPath(), std::string("/api/v3/depth?symbol=BTCUSDT&limit=1000"));
        QVERIFY(spot.subscribeMessages().empty());

        BinanceAdapter usdm(BinanceMarket::UsdM, "btcusdt", btcSpot(), listener);
        QCOMPARE(usdm.venue(), VenueId::BinanceUsdm);
        // Binance's routing since 2026-03-06: depth on /public, aggTrade on /market; the root
        // (/stream) is retired and silent. Two sockets, the book's first.
        QCOMPARE(usdm.wsPath(), std::string("/public/stream?streams=btcusdt@depth@100ms"));
        const std::vector<StreamSpec> streams = usdm.streams();
        QCOMPARE(streams.size(), std::size_t{2});
        QCOMPARE(streams[0].name, std::string("depth"));
        QCOMPARE(streams[0].path, std::string("/public/stream?streams=btcusdt@depth@100ms"));
        QCOMPARE(streams[1].name, std::string("trades"));
        QCOMPARE(streams[1].path, std::string("/market/stream?streams=btcusdt@aggTrade"));
        QVERIFY(streams[0].subscribeMessages.empty() && streams[1].subscribeMessages.empty());
        QCOMPARE(usdm.connectionLifetimeNs(), TimeNs{24LL * 3600 * 1'000'000'000});
        QCOMPARE(usdm.snapshotPath(), std::string("/fapi/v1/depth?symbol=BTCUSDT&limit=1000"));
        QVERIFY(usdm.subscribeMessages().empty());
        QVERIFY(usdm.staleAfterNs() > 0);
        // Spot keeps its one combined stream.
        QCOMPARE(spot.streams().size(), std::size_t{1});
        QCOMPARE(spot.streams()[0].path, spot.wsPath());
    }

    void usdmEventsWithTheFieldsAdded2026ApplyLikeThoseWithout() {
        // The same documented USD-M depth event and aggTrade, once as documented and once with
        // the fields Binance added ("ps", "st" after the levels; "nq" after "q"): same result.
        const auto run = [](bool withNewFields) {
            MirrorListener listener;
            BinanceAdapter usdm(BinanceMarket::UsdM, "BTCUSDT", docInstrument("BTCUSDT"), listener);
            usdm.onConnected(1);
            const std::string tail = withNewFields ? R"(,"ps":"BTCUSDT","st":0)" : "";
            usdm.onMessage(R"({"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":10,)"
                           R"("T":9,"s":"BTCUSDT","U":157,"u":160,"pu":149,)"
                           R"("b":[["0.0024","10"]],"a":[["0.0026","100"]])" +
                               tail + "}}",
                           2);
            usdm.onSnapshotResponse(R"({"lastUpdateId":158,"E":1,"T":1,"bids":[["0.0023","5"]],)"
                                    R"("asks":[["0.0027","5"]]})",
                                    3);
            const std::string nq = withNewFields ? R"("nq":"100",)" : "";
            usdm.onMessage(R"({"stream":"btcusdt@aggTrade","data":{"e":"aggTrade","E":20,)"
                           R"("s":"BTCUSDT","a":5933014,"p":"0.0025","q":"100",)" +
                               nq + R"("f":100,"l":105,"T":19,"m":true}})",
                           4);
            return std::make_tuple(usdm.syncState() == SyncState::Live, usdm.counters().trades,
                                   usdm.counters().parseErrors, usdm.book().bestBid().price,
                                   usdm.book().bestBid().qty, usdm.book().bestAsk().price,
                                   usdm.book().bestAsk().qty);
        };
        const auto plain = run(false);
        const auto extended = run(true);
        QVERIFY(std::get<0>(plain));
        QCOMPARE(std::get<1>(plain), std::uint64_t{1});
        QCOMPARE(std::get<2>(plain), std::uint64_t{0});
        // By hand: the event's levels (0.0024 x 10, 0.0026 x 100) beat the snapshot's.
        QCOMPARE(std::get<3>(plain), PriceTicks{24});
        QCOMPARE(std::get<4>(plain), Lots{10});
        QCOMPARE(std::get<5>(plain), PriceTicks{26});
        QCOMPARE(std::get<6>(plain), Lots{100});
        QVERIFY(plain == extended);
    }

    void documentedSpotExampleAppliesOnItsSnapshot() {
        // The depthUpdate example of Binance's spot "Diff. Depth Stream" page, as a bare event.
        MirrorListener listener;
        BinanceAdapter adapter(BinanceMarket::Spot, "BNBBTC", docInstrument("BNBBTC"), listener);
        adapter.onConnected(kReceiveNs);
        adapter.onMessage(R"({
  "e": "depthUpdate", "E": 1672515782136, "s": "BNBBTC", "U": 157, "u": 160,
  "b": [ [ "0.0024", "10" ] ],
  "a": [ [ "0.0026", "100" ] ]
})",
                          kReceiveNs + 5);
        QVERIFY(adapter.takeSnapshotRequest());
        adapter.onSnapshotResponse(
            R"({"lastUpdateId": 158, "bids": [["0.0023", "5"]], "asks": [["0.0026", "7"]]})",
            kReceiveNs + 9);
        QCOMPARE(adapter.syncState(), SyncState::Live);
        QCOMPARE(adapter.lastUpdateId(), std::uint64_t{160});
        const Instrument& i = adapter.instrument();
        QCOMPARE(bestFirst(adapter.book().bids()),
                 levelsOf(i, {{"0.0024", "10"}, {"0.0023", "5"}}));
        QCOMPARE(bestFirst(adapter.book().asks()), levelsOf(i, {{"0.0026", "100"}}));
        QCOMPARE(listener.lastEventNs, TimeNs{1672515782136} * 1'000'000);
        QCOMPARE(listener.lastReceiveNs, kReceiveNs + 5);
        QCOMPARE(adapter.counters().appliedEvents, std::uint64_t{1});
        QCOMPARE(adapter.counters().snapshots, std::uint64_t{1});
        QCOMPARE(listener.mismatches, 0);
        QCOMPARE(adapter.priceDecimalsSeen(), 4);
    }

    void snapshotIsRequestedWhenTheFirstEventIsBuffered() {
        MirrorListener listener;
        BinanceAdapter adapter(BinanceMarket::Spot, "BTCUSDT", btcSpot(), listener);
        adapter.onConnected(kReceiveNs);
        QVERIFY(!adapter.takeSnapshotRequest());
        QCOMPARE(adapter.syncState(), SyncState::WaitingSnapshot);
        adapter.onMessage(spotDepth(1, 5, {{"100.00", "5"}}, {}), kReceiveNs);
        QVERIFY(adapter.takeSnapshotRequest());
        adapter.onMessage(spotDepth(6, 8, {{"100.00", "1"}}, {}), kReceiveNs);
        QVERIFY(!adapter.takeSnapshotRequest());  // one request per attempt
        QCOMPARE(listener.updateEnds, 0);         // buffered, not applied
        QVERIFY(adapter.book().bids().empty());
    }

    void spotSyncDropsWhatTheSnapshotHoldsAndAppliesTheStraddlingEvent() {
        MirrorListener listener;
        BinanceAdapter adapter(BinanceMarket::Spot, "BTCUSDT", btcSpot(), listener);
        makeLiveSpot(adapter);
        QCOMPARE(adapter.syncState(), SyncState::Live);
        // (1..5) is in snapshot 7 and must not be applied (it would set 100.00 to 5);
        // (6..8) straddles 8 = lastUpdateId + 1; (9..12) continues it.
        QCOMPARE(adapter.counters().droppedBeforeSync, std::uint64_t{1});
        QCOMPARE(adapter.counters().appliedEvents, std::uint64_t{2});
        QCOMPARE(adapter.counters().snapshots, std::uint64_t{1});
        QCOMPARE(adapter.counters().gaps, std::uint64_t{0});
        QCOMPARE(adapter.lastUpdateId(), std::uint64_t{12});
        const Instrument& i = adapter.instrument();
        QCOMPARE(bestFirst(adapter.book().bids()),
                 levelsOf(i, {{"100.00", "1.5"}, {"99.99", "2"}, {"99.98", "0.3"}}));
        QCOMPARE(bestFirst(adapter.book().asks()), levelsOf(i, {{"100.02", "4"}, {"100.03", "2"}}));
        QCOMPARE(listener.snapshots, 1);
        QCOMPARE(listener.updateEnds, 2);
        QCOMPARE(listener.levels, 4);
        QCOMPARE(listener.lastReceiveNs, kReceiveNs + 3);  // each buffered event keeps its time
        QCOMPARE(listener.mismatches, 0);
        QVERIFY(listener.matches(adapter.book()));

        // Steady state: the next event applies at once.
        adapter.onMessage(spotDepth(13, 13, {}, {{"100.02", "0"}}), kReceiveNs + 10);
        QCOMPARE(bestFirst(adapter.book().asks()), levelsOf(i, {{"100.03", "2"}}));
        QCOMPARE(adapter.book().sequence(), std::uint64_t{13});
        QCOMPARE(listener.mismatches, 0);
    }

    void snapshotOlderThanTheStreamIsFetchedAgain_data() {
        QTest::addColumn<quint64>("staleId");
        QTest::newRow("well before U") << quint64{90};
        // Binance's spot step 4 says "lastUpdateId < U": followed literally even at U - 1.
        QTest::newRow("U - 1") << quint64{99};
    }
    void snapshotOlderThanTheStreamIsFetchedAgain() {
        QFETCH(quint64, staleId);
        MirrorListener listener;
        BinanceAdapter adapter(BinanceMarket::Spot, "BTCUSDT", btcSpot(), listener);
        adapter.onConnected(kReceiveNs);
        adapter.onMessage(spotDepth(100, 105, {{"100.00", "5"}}, {}), kReceiveNs);
        QVERIFY(adapter.takeSnapshotRequest());
        adapter.onSnapshotResponse(standardSnapshot(staleId), kReceiveNs);
        QCOMPARE(adapter.syncState(), SyncState::WaitingSnapshot);
        QVERIFY(adapter.takeSnapshotRequest());
        QCOMPARE(adapter.counters().snapshots, std::uint64_t{0});
        QCOMPARE(adapter.counters().gaps, std::uint64_t{0});
        QCOMPARE(listener.snapshots, 0);

        adapter.onMessage(spotDepth(106, 110, {{"99.98", "1"}}, {}), kReceiveNs);  // still buffered
        adapter.onSnapshotResponse(standardSnapshot(107), kReceiveNs);
        QCOMPARE(adapter.syncState(), SyncState::Live);
        QCOMPARE(adapter.counters().droppedBeforeSync, std::uint64_t{1});
        QCOMPARE(adapter.counters().appliedEvents, std::uint64_t{1});
        const Instrument& i = adapter.instrument();
        QCOMPARE(bestFirst(adapter.book().bids()),
                 levelsOf(i, {{"100.00", "1"}, {"99.99", "2"}, {"99.98", "1"}}));
        QCOMPARE(listener.mismatches, 0);
    }

    void snapshotArrivingBeforeAnyEventWaitsForOne() {
        MirrorListener listener;
        BinanceAdapter adapter(BinanceMarket::Spot, "BTCUSDT", btcSpot(), listener);
        adapter.onConnected(kReceiveNs);
        adapter.onSnapshotResponse(standardSnapshot(7), kReceiveNs);
        QCOMPARE(adapter.syncState(), SyncState::WaitingSnapshot);
        QCOMPARE(listener.snapshots, 0);  // held until an event continues it
        adapter.onMessage(spotDepth(8, 9, {{"99.98", "1"}}, {}), kReceiveNs);
        // First event of the attempt with U = lastUpdateId + 1: step 4's "lastUpdateId < U".
        QCOMPARE(adapter.syncState(), SyncState::WaitingSnapshot);
        QVERIFY(adapter.takeSnapshotRequest());
        adapter.onSnapshotResponse(standardSnapshot(8), kReceiveNs);
        QCOMPARE(adapter.syncState(), SyncState::Live);
        QCOMPARE(adapter.lastUpdateId(), std::uint64_t{9});
        QCOMPARE(listener.mismatches, 0);
    }

    void allBufferedEventsInTheSnapshotHoldItForTheNextEvent() {
        MirrorListener listener;
        BinanceAdapter adapter(BinanceMarket::Spot, "BTCUSDT", btcSpot(), listener);
        adapter.onConnected(kReceiveNs);
        adapter.onMessage(spotDepth(1, 5, {{"100.00", "5"}}, {}), kReceiveNs);
        adapter.onSnapshotResponse(standardSnapshot(7), kReceiveNs);
        QCOMPARE(adapter.syncState(), SyncState::WaitingSnapshot);
        QCOMPARE(adapter.counters().droppedBeforeSync, std::uint64_t{1});
        adapter.onMessage(spotDepth(6, 7, {{"100.00", "9"}}, {}), kReceiveNs);  // also in it
        QCOMPARE(adapter.counters().droppedBeforeSync, std::uint64_t{2});
        adapter.onMessage(spotDepth(8, 8, {{"99.99", "0"}}, {}), kReceiveNs);
        QCOMPARE(adapter.syncState(), SyncState::Live);
        const Instrument& i = adapter.instrument();
        QCOMPARE(bestFirst(adapter.book().bids()), levelsOf(i, {{"100.00", "1"}}));
        QCOMPARE(listener.mismatches, 0);
    }

    void gapInsideTheBufferAsksForAnotherSnapshot() {
        MirrorListener listener;
        BinanceAdapter adapter(BinanceMarket::Spot, "BTCUSDT", btcSpot(), listener);
        adapter.onConnected(kReceiveNs);
        adapter.onMessage(spotDepth(1, 5, {}, {}), kReceiveNs);
        adapter.onMessage(spotDepth(10, 12, {{"99.98", "1"}}, {}), kReceiveNs);  // 6..9 missing
        QVERIFY(adapter.takeSnapshotRequest());
        adapter.onSnapshotResponse(standardSnapshot(6), kReceiveNs);
        QCOMPARE(adapter.syncState(), SyncState::WaitingSnapshot);
        QCOMPARE(adapter.counters().gaps, std::uint64_t{1});
        QCOMPARE(adapter.counters().resyncs, std::uint64_t{0});  // never live
        QVERIFY(listener.invalidReasons.empty());
        QVERIFY(adapter.takeSnapshotRequest());
        adapter.onSnapshotResponse(standardSnapshot(10), kReceiveNs);
        QCOMPARE(adapter.syncState(), SyncState::Live);
        QCOMPARE(adapter.lastUpdateId(), std::uint64_t{12});
        QCOMPARE(listener.mismatches, 0);
    }

    void gapAfterSyncInvalidatesTheBookAndResyncs() {
        MirrorListener listener;
        BinanceAdapter adapter(BinanceMarket::Spot, "BTCUSDT", btcSpot(), listener);
        makeLiveSpot(adapter);
        QVERIFY(adapter.takeSnapshotRequest());
        QVERIFY(!adapter.takeSnapshotRequest());
        adapter.onMessage(spotDepth(14, 15, {{"99.97", "1"}}, {}), kReceiveNs);  // 13 missing
        QCOMPARE(adapter.syncState(), SyncState::WaitingSnapshot);
        QCOMPARE(adapter.counters().gaps, std::uint64_t{1});
        QCOMPARE(adapter.counters().resyncs, std::uint64_t{1});
        QCOMPARE(listener.invalidReasons.size(), std::size_t{1});
        QVERIFY(listener.invalidReasons[0].find("U=14") != std::string::npos);
        QVERIFY(hasProblem(adapter, "gap"));
        QVERIFY(adapter.book().bids().empty());
        QVERIFY(adapter.takeSnapshotRequest());

        // The event that revealed the gap is the first of the new attempt.
        adapter.onSnapshotResponse(standardSnapshot(14), kReceiveNs);
        QCOMPARE(adapter.syncState(), SyncState::Live);
        QCOMPARE(adapter.counters().snapshots, std::uint64_t{2});
        const Instrument& i = adapter.instrument();
        QCOMPARE(bestFirst(adapter.book().bids()),
                 levelsOf(i, {{"100.00", "1"}, {"99.99", "2"}, {"99.97", "1"}}));
        QCOMPARE(listener.snapshots, 2);
        QCOMPARE(listener.mismatches, 0);
    }

    void duplicateEventsAreSkipped() {
        MirrorListener listener;
        BinanceAdapter adapter(BinanceMarket::Spot, "BTCUSDT", btcSpot(), listener);
        adapter.onConnected(kReceiveNs);
        adapter.onMessage(spotDepth(1, 5, {}, {}), kReceiveNs);
        adapter.onMessage(spotDepth(6, 8, {{"100.00", "1.5"}}, {}), kReceiveNs);
        adapter.onMessage(spotDepth(6, 8, {{"100.00", "1.5"}}, {}), kReceiveNs);  // buffered twice
        adapter.onMessage(spotDepth(9, 12, {{"99.98", "0.3"}}, {}), kReceiveNs);
        adapter.onSnapshotResponse(standardSnapshot(7), kReceiveNs);
        QCOMPARE(adapter.syncState(), SyncState::Live);
        QCOMPARE(adapter.counters().droppedBeforeSync, std::uint64_t{2});
        QCOMPARE(adapter.counters().appliedEvents, std::uint64_t{2});

        const OrderBook before = adapter.book();
        adapter.onMessage(spotDepth(9, 12, {{"99.98", "7"}}, {}), kReceiveNs);  // live duplicate
        QCOMPARE(adapter.syncState(), SyncState::Live);
        QCOMPARE(adapter.counters().gaps, std::uint64_t{0});
        QCOMPARE(adapter.counters().droppedBeforeSync, std::uint64_t{3});
        QCOMPARE(adapter.counters().appliedEvents, std::uint64_t{2});
        QVERIFY(sameBook(before, adapter.book()));
        QVERIFY(hasProblem(adapter, "duplicate"));
        QCOMPARE(listener.mismatches, 0);
    }

    void overlappingSpotEventIsAppliedAsTheProcedureSays() {
        // Spot's update procedure only rejects U > id + 1; an event reaching back into the book
        // (U <= id) but ending beyond it carries absolute quantities as of its u: applied.
        MirrorListener listener;
        BinanceAdapter adapter(BinanceMarket::Spot, "BTCUSDT", btcSpot(), listener);
        makeLiveSpot(adapter);
        adapter.onMessage(spotDepth(11, 14, {{"99.98", "0.4"}}, {}), kReceiveNs);
        QCOMPARE(adapter.syncState(), SyncState::Live);
        QCOMPARE(adapter.lastUpdateId(), std::uint64_t{14});
        QCOMPARE(adapter.book().sizeAt(Side::Bid, 9998), Lots{40000});
        QCOMPARE(adapter.counters().gaps, std::uint64_t{0});
    }

    void usdmSyncUsesTheFirstEventRuleAndPu() {
        MirrorListener listener;
        BinanceAdapter adapter(BinanceMarket::UsdM, "BTCUSDT", btcSpot(), listener);
        adapter.onConnected(kReceiveNs);
        adapter.onMessage(usdmDepth(140, 149, 139, {{"100.00", "8"}}, {}), kReceiveNs);
        QVERIFY(adapter.takeSnapshotRequest());
        adapter.onMessage(usdmDepth(150, 156, 149, {{"100.00", "1.5"}}, {}), kReceiveNs);
        adapter.onMessage(usdmDepth(157, 160, 156, {}, {{"100.01", "0"}}), kReceiveNs);
        adapter.onSnapshotResponse(
            R"({"lastUpdateId":156,"E":1723161255300,"T":1723161255290,)"
            R"("bids":[["100.00","1"],["99.99","2"]],"asks":[["100.01","3"],["100.02","4"]]})",
            kReceiveNs);
        // USD-M drops only u < lastUpdateId: (150..156) is the first processed event
        // (U <= 156 <= u), where spot's rule would have dropped it.
        QCOMPARE(adapter.syncState(), SyncState::Live);
        QCOMPARE(adapter.counters().droppedBeforeSync, std::uint64_t{1});
        QCOMPARE(adapter.counters().appliedEvents, std::uint64_t{2});
        const Instrument& i = adapter.instrument();
        QCOMPARE(bestFirst(adapter.book().bids()),
                 levelsOf(i, {{"100.00", "1.5"}, {"99.99", "2"}}));
        QCOMPARE(bestFirst(adapter.book().asks()), levelsOf(i, {{"100.02", "4"}}));
        // USD-M depth events are stamped with T (transaction time).
        QCOMPARE(listener.lastEventNs, TimeNs{1723161255200} * 1'000'000);

        adapter.onMessage(usdmDepth(161, 165, 160, {{"99.98", "1"}}, {}), kReceiveNs);
        QCOMPARE(adapter.counters().appliedEvents, std::uint64_t{3});
        // U follows u + 1, but pu says the previous event was 163, not 165: a gap on USD-M.
        adapter.onMessage(usdmDepth(166, 170, 163, {{"99.97", "1"}}, {}), kReceiveNs);
        QCOMPARE(adapter.syncState(), SyncState::WaitingSnapshot);
        QCOMPARE(adapter.counters().gaps, std::uint64_t{1});
        QCOMPARE(adapter.counters().resyncs, std::uint64_t{1});
        QCOMPARE(listener.invalidReasons.size(), std::size_t{1});
        QVERIFY(listener.invalidReasons[0].find("pu=163") != std::string::npos);
        QVERIFY(adapter.takeSnapshotRequest());
        QCOMPARE(listener.mismatches, 0);
    }

    void usdmDocumentedExampleAndStaleSnapshot() {
        // The depthUpdate example of Binance's USD-M "Diff. Book Depth Streams" page.
        MirrorListener listener;
        BinanceAdapter adapter(BinanceMarket::UsdM, "BTCUSDT", docInstrument("BTCUSDT"), listener);
        adapter.onConnected(kReceiveNs);
        adapter.onMessage(R"({"e": "depthUpdate", "E": 123456789, "T": 123456788, "s": "BTCUSDT",
            "U": 157, "u": 160, "pu": 149, "b": [["0.0024", "10"]], "a": [["0.0026", "100"]]})",
                          kReceiveNs);
        adapter.onSnapshotResponse(R"({"lastUpdateId":150,"E":1,"T":1,"bids":[],"asks":[]})",
                                   kReceiveNs);
        QCOMPARE(adapter.syncState(), SyncState::WaitingSnapshot);  // 150 < U: too old
        QCOMPARE(adapter.counters().gaps, std::uint64_t{0});
        QVERIFY(adapter.takeSnapshotRequest());
        // The doc's REST example body, with lastUpdateId within [U; u].
        adapter.onSnapshotResponse(R"({"lastUpdateId": 158, "E": 1589436922972,
            "T": 1589436922959, "bids": [["0.0023", "431"]], "asks": [["0.0027", "12"]]})",
                                   kReceiveNs);
        QCOMPARE(adapter.syncState(), SyncState::Live);
        const Instrument& i = adapter.instrument();
        QCOMPARE(bestFirst(adapter.book().bids()),
                 levelsOf(i, {{"0.0024", "10"}, {"0.0023", "431"}}));
        QCOMPARE(bestFirst(adapter.book().asks()),
                 levelsOf(i, {{"0.0026", "100"}, {"0.0027", "12"}}));
        QCOMPARE(listener.lastEventNs, TimeNs{123456788} * 1'000'000);
        QCOMPARE(listener.mismatches, 0);
    }

    void bareEventsWithoutEnvelopeAreAccepted() {
        MirrorListener listener;
        BinanceAdapter adapter(BinanceMarket::Spot, "BTCUSDT", btcSpot(), listener);
        makeLiveSpot(adapter);
        adapter.onMessage(
            R"({"e":"depthUpdate","E":1,"s":"BTCUSDT","U":13,"u":14,"b":[["99.98","0"]],"a":[]})",
            kReceiveNs);
        QCOMPARE(adapter.counters().appliedEvents, std::uint64_t{3});
        QCOMPARE(adapter.book().sizeAt(Side::Bid, 9998), Lots{0});
        adapter.onMessage(R"({"e":"trade","E":1,"s":"BTCUSDT","t":7,"p":"100.01","q":"0.5",)"
                          R"("T":2,"m":false,"M":true})",
                          kReceiveNs);
        QCOMPARE(adapter.counters().trades, std::uint64_t{1});
        QCOMPARE(adapter.counters().parseErrors, std::uint64_t{0});
        QCOMPARE(listener.mismatches, 0);
    }

    void malformedDepthEventWhileLiveResyncs_data() {
        QTest::addColumn<QString>("frame");
        const auto depth = [](const char* fields) {
            return QString::fromStdString(
                std::string(R"({"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate",)") +
                fields + "}}");
        };
        // Cut inside the bids (the cut text is built, not written, to keep moc's lexer happy).
        QTest::newRow("truncated JSON")
            << QString::fromStdString(spotDepth(13, 13, {{"99.98", "1"}}, {}).substr(0, 120));
        QTest::newRow("not JSON") << "depthUpdate garbage";
        QTest::newRow("missing U") << depth(R"("E":1,"s":"BTCUSDT","u":13,"b":[],"a":[])");
        QTest::newRow("missing u") << depth(R"("E":1,"s":"BTCUSDT","U":13,"b":[],"a":[])");
        QTest::newRow("missing b") << depth(R"("E":1,"s":"BTCUSDT","U":13,"u":13,"a":[])");
        QTest::newRow("missing a") << depth(R"("E":1,"s":"BTCUSDT","U":13,"u":13,"b":[])");
        QTest::newRow("U as string")
            << depth(R"("E":1,"s":"BTCUSDT","U":"13","u":13,"b":[],"a":[])");
        QTest::newRow("negative u") << depth(R"("E":1,"s":"BTCUSDT","U":13,"u":-13,"b":[],"a":[])");
        QTest::newRow("b not an array")
            << depth(R"("E":1,"s":"BTCUSDT","U":13,"u":13,"b":{},"a":[])");
        QTest::newRow("price as number")
            << depth(R"("E":1,"s":"BTCUSDT","U":13,"u":13,"b":[[99.98,"1"]],"a":[])");
        QTest::newRow("level without quantity")
            << depth(R"("E":1,"s":"BTCUSDT","U":13,"u":13,"b":[["99.98"]],"a":[])");
        QTest::newRow("negative size")
            << depth(R"("E":1,"s":"BTCUSDT","U":13,"u":13,"b":[["99.98","-1.0"]],"a":[])");
        QTest::newRow("NaN size") << depth(
            R"("E":1,"s":"BTCUSDT","U":13,"u":13,"b":[],"a":[["100.05","NaN"]])");
        QTest::newRow("garbage price")
            << depth(R"("E":1,"s":"BTCUSDT","U":13,"u":13,"b":[["abc","1"]],"a":[])");
        QTest::newRow("zero price")
            << depth(R"("E":1,"s":"BTCUSDT","U":13,"u":13,"b":[["0.00","1"]],"a":[])");
        QTest::newRow("price off the tick")
            << depth(R"("E":1,"s":"BTCUSDT","U":13,"u":13,"b":[["99.985","1"]],"a":[])");
        QTest::newRow("size off the lot")
            << depth(R"("E":1,"s":"BTCUSDT","U":13,"u":13,"b":[["99.98","0.000001"]],"a":[])");
        QTest::newRow("u below U") << depth(R"("E":1,"s":"BTCUSDT","U":14,"u":13,"b":[],"a":[])");
        QTest::newRow("missing E") << depth(R"("s":"BTCUSDT","U":13,"u":13,"b":[],"a":[])");
    }
    void malformedDepthEventWhileLiveResyncs() {
        QFETCH(QString, frame);
        MirrorListener listener;
        BinanceAdapter adapter(BinanceMarket::Spot, "BTCUSDT", btcSpot(), listener);
        makeLiveSpot(adapter);
        (void)adapter.takeSnapshotRequest();
        adapter.onMessage(frame.toStdString(), kReceiveNs);
        QCOMPARE(adapter.counters().parseErrors, std::uint64_t{1});
        // The book may be missing that event: declared invalid, rebuilt from a new snapshot.
        QCOMPARE(adapter.counters().gaps, std::uint64_t{1});
        QCOMPARE(adapter.counters().resyncs, std::uint64_t{1});
        QCOMPARE(adapter.syncState(), SyncState::WaitingSnapshot);
        QCOMPARE(listener.invalidReasons.size(), std::size_t{1});
        QVERIFY(hasProblem(adapter, "parse error"));
        QCOMPARE(adapter.counters().appliedEvents, std::uint64_t{2});  // nothing half-applied
        QCOMPARE(listener.updateEnds, 2);
        QCOMPARE(listener.mismatches, 0);
        adapter.onMessage(spotDepth(13, 14, {}, {}), kReceiveNs);
        QVERIFY(adapter.takeSnapshotRequest());
    }

    void malformedDepthWhileSyncingIsCaughtByContinuity() {
        MirrorListener listener;
        BinanceAdapter adapter(BinanceMarket::Spot, "BTCUSDT", btcSpot(), listener);
        adapter.onConnected(kReceiveNs);
        adapter.onMessage(spotDepth(1, 5, {}, {}), kReceiveNs);
        adapter.onMessage(spotDepth(6, 8, {{"100.00", "-1"}}, {}), kReceiveNs);  // lost
        adapter.onMessage(spotDepth(9, 12, {}, {}), kReceiveNs);
        QCOMPARE(adapter.counters().parseErrors, std::uint64_t{1});
        QCOMPARE(adapter.counters().gaps, std::uint64_t{0});
        (void)adapter.takeSnapshotRequest();
        adapter.onSnapshotResponse(standardSnapshot(5), kReceiveNs);
        QCOMPARE(adapter.syncState(), SyncState::WaitingSnapshot);  // 6..8 missing
        QCOMPARE(adapter.counters().gaps, std::uint64_t{1});
        QVERIFY(adapter.takeSnapshotRequest());
        // A snapshot that already holds the lost event syncs.
        adapter.onSnapshotResponse(standardSnapshot(9), kReceiveNs);
        QCOMPARE(adapter.syncState(), SyncState::Live);
        QCOMPARE(listener.mismatches, 0);
    }

    void unknownMessagesAreCountedAndLeaveTheBook() {
        MirrorListener listener;
        BinanceAdapter adapter(BinanceMarket::Spot, "BTCUSDT", btcSpot(), listener);
        makeLiveSpot(adapter);
        const OrderBook before = adapter.book();
        const auto base = adapter.counters();
        adapter.onMessage(R"({"stream":"btcusdt@bookTicker","data":{"u":50093239212,)"
                          R"("s":"BTCUSDT","b":"61837.63000000","B":"3.78826000",)"
                          R"("a":"61837.64000000","A":"1.54698000"}})",
                          kReceiveNs);
        adapter.onMessage(R"({"result":null,"id":1})", kReceiveNs);
        adapter.onMessage(R"({"e":"bookTicker","u":400900217,"E":1568014460893,)"
                          R"("T":1568014460891,"s":"BTCUSDT","b":"25.35190000",)"
                          R"("B":"31.21000000","a":"25.36520000","A":"40.66000000"})",
                          kReceiveNs);
        adapter.onMessage(R"({"code": 0, "msg": "Unknown property","id": 1})", kReceiveNs);
        adapter.onMessage(R"({"stream":"ethusdt@depth@100ms","data":{"e":"depthUpdate","E":1,)"
                          R"("s":"ETHUSDT","U":13,"u":13,"b":[["99.00","1"]],"a":[]}})",
                          kReceiveNs);
        QCOMPARE(adapter.counters().unknownMessages, base.unknownMessages + 5);
        QCOMPARE(adapter.counters().messages, base.messages + 5);
        QCOMPARE(adapter.counters().parseErrors, std::uint64_t{0});
        QCOMPARE(adapter.counters().gaps, std::uint64_t{0});
        QCOMPARE(adapter.syncState(), SyncState::Live);
        QVERIFY(sameBook(before, adapter.book()));
        QVERIFY(hasProblem(adapter, "Unknown property"));
        QVERIFY(hasProblem(adapter, "other symbol"));
    }

    void serverShutdownAsksForAnImmediateReconnect_data() {
        QTest::addColumn<QString>("frame");
        // Binance's WebSocket Streams docs, "Server Shutdown" (spot, since 2026-05-08).
        QTest::newRow("raw stream") << R"({"e":"serverShutdown","E":1770123456789})";
        QTest::newRow("combined stream")
            << R"({"stream":"!serverShutdown","data":{"e":"serverShutdown","E":1770123456789}})";
    }

    void serverShutdownAsksForAnImmediateReconnect() {
        QFETCH(QString, frame);
        MirrorListener listener;
        BinanceAdapter adapter(BinanceMarket::Spot, "BTCUSDT", btcSpot(), listener);
        makeLiveSpot(adapter);
        (void)adapter.takeSnapshotRequest();
        const OrderBook before = adapter.book();
        const auto base = adapter.counters();
        adapter.onMessage(frame.toStdString(), kReceiveNs + 10);
        // A request, not a problem: no parse error, no unknown message, the book untouched
        // until the transport acts on it.
        QCOMPARE(adapter.counters().messages, base.messages + 1);
        QCOMPARE(adapter.counters().parseErrors, std::uint64_t{0});
        QCOMPARE(adapter.counters().unknownMessages, base.unknownMessages);
        QCOMPARE(adapter.counters().resyncs, std::uint64_t{0});
        QCOMPARE(adapter.syncState(), SyncState::Live);
        QVERIFY(sameBook(before, adapter.book()));
        QVERIFY(adapter.problemSamples().empty());
        QVERIFY(adapter.takeReconnectRequest());
        QVERIFY(!adapter.takeReconnectRequest());
        QCOMPARE(adapter.takeReconnectReason(), std::string("server shutdown"));
        QVERIFY(adapter.takeReconnectReason().empty());
        QVERIFY(!adapter.takeSnapshotRequest());

        // What the transport does with it: the old connection ends with that reason, a new one
        // syncs from a fresh snapshot as every reconnect does.
        adapter.onDisconnected("server shutdown");
        QCOMPARE(listener.invalidReasons, std::vector<std::string>{"server shutdown"});
        QCOMPARE(adapter.counters().resyncs, std::uint64_t{1});
        adapter.onConnected(kReceiveNs + 20);
        adapter.onMessage(spotDepth(40, 42, {{"99.50", "7"}}, {}), kReceiveNs + 21);
        QVERIFY(adapter.takeSnapshotRequest());
        adapter.onSnapshotResponse(snapshot(41, {{"99.60", "1"}}, {{"100.10", "2"}}),
                                   kReceiveNs + 22);
        // Snapshot 41, then event 40..42 straddles it and applies: 99.50 x 7 joins the bids.
        QCOMPARE(adapter.syncState(), SyncState::Live);
        QCOMPARE(adapter.lastUpdateId(), std::uint64_t{42});
        QCOMPARE(bestFirst(adapter.book().bids()),
                 levelsOf(adapter.instrument(), {{"99.60", "1"}, {"99.50", "7"}}));
        QCOMPARE(bestFirst(adapter.book().asks()),
                 levelsOf(adapter.instrument(), {{"100.10", "2"}}));
        QCOMPARE(adapter.counters().parseErrors, std::uint64_t{0});
    }

    void serverShutdownOnUsdmIsLeftToTheClose() {
        // Binance documents serverShutdown for spot only; on USD-M (two sockets) it is noted
        // and the server's close is handled as any close, on the socket it happens to.
        MirrorListener listener;
        BinanceAdapter adapter(BinanceMarket::UsdM, "BTCUSDT", btcSpot(), listener);
        adapter.onMessage(R"({"e":"serverShutdown","E":1770123456789})", kReceiveNs);
        QVERIFY(!adapter.takeReconnectRequest());
        QCOMPARE(adapter.counters().parseErrors, std::uint64_t{0});
        QCOMPARE(adapter.counters().unknownMessages, std::uint64_t{1});
        QVERIFY(hasProblem(adapter, "server shutdown"));
    }

    void tradesCarryTheAggressorSide() {
        // Spot "trade" example from Binance's docs: m=true, the buyer was the maker.
        MirrorListener listener;
        BinanceAdapter spot(BinanceMarket::Spot, "BNBBTC", docInstrument("BNBBTC"), listener);
        spot.onMessage(R"({"e": "trade", "E": 1672515782136, "s": "BNBBTC", "t": 12345,
            "p": "0.001", "q": "100", "T": 1672515782136, "m": true, "M": true})",
                       kReceiveNs + 1);
        spot.onMessage(R"({"e":"trade","E":1672515782137,"s":"BNBBTC","t":12346,)"
                       R"("p":"0.0011","q":"3","T":1672515782137,"m":false,"M":true})",
                       kReceiveNs + 2);
        QCOMPARE(listener.trades.size(), std::size_t{2});
        const Trade& sell = listener.trades[0];
        QCOMPARE(sell.aggressor, Side::Ask);
        QCOMPARE(sell.price, PriceTicks{10});  // 0.001 / 0.0001
        QCOMPARE(sell.qty, Lots{100});
        QCOMPARE(sell.sequence, std::uint64_t{12345});
        QCOMPARE(sell.timeNs, TimeNs{1672515782136} * 1'000'000);
        QCOMPARE(listener.trades[1].aggressor, Side::Bid);
        QCOMPARE(listener.trades[1].price, PriceTicks{11});
        QCOMPARE(listener.lastReceiveNs, kReceiveNs + 2);
        QCOMPARE(spot.counters().trades, std::uint64_t{2});

        // USD-M "aggTrade" example: the sequence is the aggregate trade id.
        MirrorListener futuresListener;
        BinanceAdapter usdm(BinanceMarket::UsdM, "BTCUSDT", docInstrument("BTCUSDT"),
                            futuresListener);
        usdm.onMessage(R"({"stream":"btcusdt@aggTrade","data":{"e": "aggTrade", "E": 123456789,
            "s": "BTCUSDT", "a": 5933014, "p": "0.001", "q": "100", "f": 100, "l": 105,
            "T": 123456785, "m": true}})",
                       kReceiveNs);
        QCOMPARE(futuresListener.trades.size(), std::size_t{1});
        QCOMPARE(futuresListener.trades[0].sequence, std::uint64_t{5933014});
        QCOMPARE(futuresListener.trades[0].aggressor, Side::Ask);
        QCOMPARE(futuresListener.trades[0].timeNs, TimeNs{123456785} * 1'000'000);
        QCOMPARE(usdm.counters().trades, std::uint64_t{1});
    }

    void badTradeIsSkipped_data() {
        QTest::addColumn<QString>("frame");
        const auto trade = [](const char* fields) {
            return QString::fromStdString(
                std::string(
                    R"({"stream":"btcusdt@trade","data":{"e":"trade","E":1,"s":"BTCUSDT",)") +
                fields + "}}");
        };
        QTest::newRow("negative qty") << trade(R"("t":1,"p":"100.00","q":"-1","T":1,"m":true)");
        QTest::newRow("zero qty") << trade(R"("t":1,"p":"100.00","q":"0","T":1,"m":true)");
        QTest::newRow("NaN price") << trade(R"("t":1,"p":"NaN","q":"1","T":1,"m":true)");
        QTest::newRow("price off tick") << trade(R"("t":1,"p":"100.001","q":"1","T":1,"m":true)");
        QTest::newRow("missing p") << trade(R"("t":1,"q":"1","T":1,"m":true)");
        QTest::newRow("missing t") << trade(R"("p":"100.00","q":"1","T":1,"m":true)");
        QTest::newRow("m as string") << trade(R"("t":1,"p":"100.00","q":"1","T":1,"m":"true")");
        QTest::newRow("truncated")
            << trade(R"("t":1,"p":"100.00","q":"1","T":1,"m":true)").left(70);
    }
    void badTradeIsSkipped() {
        QFETCH(QString, frame);
        MirrorListener listener;
        BinanceAdapter adapter(BinanceMarket::Spot, "BTCUSDT", btcSpot(), listener);
        makeLiveSpot(adapter);
        adapter.onMessage(frame.toStdString(), kReceiveNs);
        QCOMPARE(adapter.counters().parseErrors, std::uint64_t{1});
        QCOMPARE(adapter.counters().trades, std::uint64_t{0});
        QVERIFY(listener.trades.empty());
        // A trade cannot have touched the book: no resync.
        QCOMPARE(adapter.syncState(), SyncState::Live);
        QCOMPARE(adapter.counters().gaps, std::uint64_t{0});
        QVERIFY(hasProblem(adapter, "parse error"));
    }

    void badSnapshotBodiesAreNotedAndFetchedAgain_data() {
        QTest::addColumn<QString>("body");
        QTest::addColumn<bool>("venueError");
        QTest::newRow("REST error") << R"({"code":-1121,"msg":"Invalid symbol."})" << true;
        QTest::newRow("HTML page") << "<html><body>502 Bad Gateway</body></html>" << false;
        QTest::newRow("missing lastUpdateId") << R"({"bids":[],"asks":[]})" << false;
        QTest::newRow("negative size")
            << R"({"lastUpdateId":7,"bids":[["100.00","-1"]],"asks":[]})" << false;
        QTest::newRow("duplicate price")
            << R"({"lastUpdateId":7,"bids":[["100.00","1"],["100.00","2"]],"asks":[]})" << false;
        QTest::newRow("missing asks") << R"({"lastUpdateId":7,"bids":[]})" << false;
    }
    void badSnapshotBodiesAreNotedAndFetchedAgain() {
        QFETCH(QString, body);
        QFETCH(bool, venueError);
        MirrorListener listener;
        BinanceAdapter adapter(BinanceMarket::Spot, "BTCUSDT", btcSpot(), listener);
        adapter.onConnected(kReceiveNs);
        adapter.onMessage(spotDepth(1, 5, {}, {}), kReceiveNs);
        QVERIFY(adapter.takeSnapshotRequest());
        adapter.onSnapshotResponse(body.toStdString(), kReceiveNs);
        QCOMPARE(adapter.syncState(), SyncState::WaitingSnapshot);
        QVERIFY(adapter.takeSnapshotRequest());
        QCOMPARE(adapter.counters().parseErrors, std::uint64_t{venueError ? 0u : 1u});
        QCOMPARE(adapter.counters().unknownMessages, std::uint64_t{venueError ? 1u : 0u});
        if (venueError) QVERIFY(hasProblem(adapter, "Invalid symbol."));
        QCOMPARE(listener.snapshots, 0);
        // The buffer survived: a good snapshot still syncs.
        adapter.onSnapshotResponse(standardSnapshot(3), kReceiveNs);
        QCOMPARE(adapter.syncState(), SyncState::Live);
        QCOMPARE(listener.mismatches, 0);
    }

    void snapshotWhileLiveIsIgnored() {
        MirrorListener listener;
        BinanceAdapter adapter(BinanceMarket::Spot, "BTCUSDT", btcSpot(), listener);
        makeLiveSpot(adapter);
        const OrderBook before = adapter.book();
        adapter.onSnapshotResponse(standardSnapshot(40), kReceiveNs);
        QCOMPARE(adapter.syncState(), SyncState::Live);
        QVERIFY(sameBook(before, adapter.book()));
        QCOMPARE(adapter.counters().snapshots, std::uint64_t{1});
        QVERIFY(hasProblem(adapter, "unexpected snapshot"));
    }

    void reconnectInvalidatesALiveBook() {
        MirrorListener listener;
        BinanceAdapter adapter(BinanceMarket::Spot, "BTCUSDT", btcSpot(), listener);
        makeLiveSpot(adapter);
        (void)adapter.takeSnapshotRequest();
        adapter.onConnected(kReceiveNs);
        QCOMPARE(adapter.syncState(), SyncState::WaitingSnapshot);
        QCOMPARE(adapter.counters().resyncs, std::uint64_t{1});
        QCOMPARE(listener.invalidReasons.size(), std::size_t{1});
        QVERIFY(adapter.book().bids().empty());
        QVERIFY(!adapter.takeSnapshotRequest());
        adapter.onMessage(spotDepth(500, 501, {}, {}), kReceiveNs);
        QVERIFY(adapter.takeSnapshotRequest());
    }

    void overflowingSyncBufferRestartsTheSync() {
        MirrorListener listener;
        BinanceAdapter adapter(BinanceMarket::Spot, "BTCUSDT", btcSpot(), listener);
        adapter.onConnected(kReceiveNs);
        const std::uint64_t count = BinanceDepthBuffer::kMaxEvents + 1;
        for (std::uint64_t id = 1; id <= count; ++id) {
            adapter.onMessage(spotDepth(id, id, {{"99.00", "1"}}, {}), kReceiveNs);
        }
        QVERIFY(hasProblem(adapter, "sync buffer overflow"));
        QCOMPARE(adapter.counters().droppedBeforeSync,
                 std::uint64_t{BinanceDepthBuffer::kMaxEvents});
        QVERIFY(adapter.takeSnapshotRequest());
        // The event that overflowed starts the new attempt.
        adapter.onSnapshotResponse(standardSnapshot(count), kReceiveNs);
        QCOMPARE(adapter.syncState(), SyncState::WaitingSnapshot);  // all held, wait for more
        adapter.onMessage(spotDepth(count + 1, count + 1, {{"98.00", "1"}}, {}), kReceiveNs);
        QCOMPARE(adapter.syncState(), SyncState::Live);
        QCOMPARE(adapter.counters().appliedEvents, std::uint64_t{1});
        QCOMPARE(listener.mismatches, 0);
    }

    void decimalsSeenCountEveryTextThatConverts() {
        // Each level text that converts counts, even when its level is refused for another
        // reason: here a zero price (4 decimals) beside a good quantity (3 decimals).
        MirrorListener listener;
        BinanceAdapter adapter(BinanceMarket::Spot, "BTCUSDT", btcSpot(), listener);
        makeLiveSpot(adapter);
        QCOMPARE(adapter.priceDecimalsSeen(), 2);  // "100.00"
        QCOMPARE(adapter.sizeDecimalsSeen(), 1);   // "1.5"
        adapter.onMessage(spotDepth(13, 13, {{"0.0000", "2.500"}}, {}), kReceiveNs);
        QCOMPARE(adapter.counters().parseErrors, std::uint64_t{1});
        QVERIFY(hasProblem(adapter, "bad price 'b'"));
        QCOMPARE(adapter.priceDecimalsSeen(), 4);
        QCOMPARE(adapter.sizeDecimalsSeen(), 3);
        // Binance's own 8-decimal shape, through the SWAR conversion.
        adapter.onMessage(spotDepth(14, 14, {}, {{"100.05000000", "0.00100000"}}), kReceiveNs);
        QCOMPARE(adapter.priceDecimalsSeen(), 8);
        QCOMPARE(adapter.sizeDecimalsSeen(), 8);
    }

    void steadyStateDoesNotAllocate() {
        NullCountingListener listener;
        BinanceAdapter adapter(BinanceMarket::Spot, "BTCUSDT", btcSpot(), listener);
        adapter.onConnected(kReceiveNs);
        adapter.onMessage(spotDepth(1, 1, {}, {}), kReceiveNs);
        adapter.onSnapshotResponse(standardSnapshot(1), kReceiveNs);
        std::vector<std::string> frames;
        for (std::uint64_t id = 2; id < 400; ++id) {
            const std::string qty = std::to_string(id % 7) + ".5";
            frames.push_back(spotDepth(id, id, {{"99.90", qty.c_str()}, {"99.80", "1"}},
                                       {{"100.10", qty.c_str()}}));
            frames.push_back(R"({"stream":"btcusdt@trade","data":{"e":"trade","E":1,)"
                             R"("s":"BTCUSDT","t":)" +
                             std::to_string(id) + R"(,"p":"100.01","q":"0.1","T":1,"m":true}})");
            frames.push_back(R"({"stream":"btcusdt@bookTicker","data":{"u":1,"s":"BTCUSDT",)"
                             R"("b":"1.00","B":"1","a":"2.00","A":"1"}})");
        }
        for (std::size_t i = 0; i < 30; ++i)
            adapter.onMessage(frames[i], kReceiveNs);  // warm up
        AllocationCount count;
        for (std::size_t i = 30; i < frames.size(); ++i)
            adapter.onMessage(frames[i], kReceiveNs);
        count.stop();
        QCOMPARE(adapter.syncState(), SyncState::Live);
        QCOMPARE(adapter.counters().appliedEvents, std::uint64_t{398});
        QCOMPARE(count.allocations(), std::size_t{0});
        QVERIFY(listener.updateEnds > 0);
    }
};

QTEST_GUILESS_MAIN(TestBinanceAdapter)
#include "tst_binance_adapter.moc"
