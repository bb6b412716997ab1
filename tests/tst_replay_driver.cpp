// ReplayDriver drives an adapter from records in order, with connection records where the
// capture has none, and paces them by receive time; FeedVenueListener carries adapter output into
// a FeedEngine.
#include <QtTest>

#include <string>
#include <vector>

#include "feed/feed_venue_listener.h"
#include "record/replay_driver.h"
#include "test_printers.h"

using namespace flowscope;

namespace {

class VectorSource final : public record::RecordSource {
  public:
    struct Item {
        record::RecordKind kind;
        TimeNs receiveNs;
        std::string payload;
    };
    explicit VectorSource(std::vector<Item> items) : items_(std::move(items)) {}
    bool next(record::Record& out) override {
        if (index_ >= items_.size()) return false;
        const Item& item = items_[index_++];
        out = {item.kind, item.receiveNs, item.payload};
        return true;
    }
    const std::string& error() const override { return error_; }
    const std::vector<std::string>& warnings() const override { return warnings_; }
    const record::RecordingHeader& header() const override { return header_; }

  private:
    std::vector<Item> items_;
    std::size_t index_ = 0;
    std::string error_;
    std::vector<std::string> warnings_;
    record::RecordingHeader header_;
};

/// Logs what the driver calls, and asks for snapshots/reconnects as a live adapter would.
class LoggingAdapter final : public venues::VenueAdapter {
  public:
    explicit LoggingAdapter(venues::VenueListener& listener)
        : VenueAdapter("TEST", Instrument("TEST", {1, 2}, {1, 0}), listener) {}
    venues::VenueId venue() const override { return venues::VenueId::BinanceSpot; }
    std::string wsPath() const override { return "/"; }
    std::vector<std::string> subscribeMessages() const override { return {}; }
    void onConnected(TimeNs t) override {
        log.push_back("connected@" + std::to_string(t));
        snapshotRequested_ = true;
    }
    void onMessage(std::string_view frame, TimeNs t) override {
        log.push_back("message:" + std::string(frame) + "@" + std::to_string(t));
        reconnectRequested_ = true;
        outgoing_.push_back("pong");
    }
    void onSnapshotResponse(std::string_view body, TimeNs t) override {
        log.push_back("snapshot:" + std::string(body) + "@" + std::to_string(t));
    }
    bool hasPendingRequests() {
        return takeSnapshotRequest() || takeReconnectRequest() || !takeOutgoing().empty();
    }
    std::vector<std::string> log;
};

using K = record::RecordKind;

}  // namespace

class TestReplayDriver : public QObject {
    Q_OBJECT

  private slots:
    void captureWithoutConnectionRecordsOpensOneSession() {
        venues::NullVenueListener listener;
        LoggingAdapter adapter(listener);
        VectorSource source(
            {{K::WsMessage, 10, "a"}, {K::RestSnapshot, 20, "s"}, {K::WsMessage, 30, "b"}});
        record::ReplayDriver driver(source, adapter);
        driver.runToEnd();
        const std::vector<std::string> expected{"connected@10", "message:a@10", "snapshot:s@20",
                                                "message:b@30"};
        QCOMPARE(adapter.log, expected);
        QCOMPARE(driver.records(), std::uint64_t{3});
        QVERIFY(driver.finished());
        QVERIFY(!adapter.hasPendingRequests());  // a replay never acts on the adapter's requests
    }

    void connectionRecordsReplayReconnects() {
        venues::NullVenueListener listener;
        LoggingAdapter adapter(listener);
        VectorSource source({{K::Connected, 1, "wss://x"},
                             {K::WsMessage, 2, "a"},
                             {K::Disconnected, 3, "gone"},
                             {K::WsMessage, 4, "b"},
                             {K::Connected, 5, "wss://x"},
                             {K::WsMessage, 6, "c"}});
        record::ReplayDriver driver(source, adapter);
        driver.runToEnd();
        // A frame after a disconnect without a Connected record starts a new session too.
        const std::vector<std::string> expected{"connected@1", "message:a@2", "connected@4",
                                                "message:b@4", "connected@5", "message:c@6"};
        QCOMPARE(adapter.log, expected);
    }

    void pacedReplayDeliversOnlyWhatIsDue() {
        venues::NullVenueListener listener;
        LoggingAdapter adapter(listener);
        const TimeNs ms = 1'000'000;
        VectorSource source({{K::WsMessage, 1000 * ms, "a"},
                             {K::WsMessage, 1100 * ms, "b"},
                             {K::WsMessage, 1400 * ms, "c"},
                             {K::WsMessage, 2000 * ms, "d"}});
        record::ReplayDriver driver(source, adapter, 2.0);  // twice real time
        const TimeNs t0 = 5'000 * ms;
        QVERIFY(driver.step(t0));
        QCOMPARE(driver.records(), std::uint64_t{1});  // "a" anchors the clock
        QVERIFY(driver.step(t0 + 49 * ms));
        QCOMPARE(driver.records(), std::uint64_t{1});  // "b" is due at +50 ms at 2x
        QVERIFY(driver.step(t0 + 50 * ms));
        QCOMPARE(driver.records(), std::uint64_t{2});
        QVERIFY(driver.step(t0 + 499 * ms));
        QCOMPARE(driver.records(), std::uint64_t{3});
        QVERIFY(!driver.step(t0 + 500 * ms));  // "d" delivered, then the end
        QCOMPARE(driver.records(), std::uint64_t{4});
    }

    void stepDeliversAtMostTheGivenCount() {
        venues::NullVenueListener listener;
        LoggingAdapter adapter(listener);
        std::vector<VectorSource::Item> items;
        for (int i = 0; i < 10; ++i)
            items.push_back({K::WsMessage, i, "m"});
        VectorSource source(std::move(items));
        record::ReplayDriver driver(source, adapter);
        QVERIFY(driver.step(0, 4));
        QCOMPARE(driver.records(), std::uint64_t{4});
        QVERIFY(driver.step(0, 4));
        QVERIFY(!driver.step(0, 4));
        QCOMPARE(driver.records(), std::uint64_t{10});
    }

    void feedListenerCarriesTheAdapterBookIntoTheEngine() {
        InstrumentInfo info{"test", "T", {1, 2}, {1, 0}};
        FeedEngine engine(info);
        FeedVenueListener listener;
        listener.attach(&engine);
        OrderBook book;
        const Level bids[] = {{100, 5}, {99, 7}};
        const Level asks[] = {{101, 3}};
        QCOMPARE(book.applySnapshot(bids, asks, 9, 1'000), BookError::None);
        listener.onBookSnapshot(book, 1'000, 1'500);
        QCOMPARE(engine.state(), FeedState::Live);
        QCOMPARE(engine.book().bestBid(), (Level{100, 5}));
        listener.onBookLevel(Side::Ask, 101, 0, 2'000);
        listener.onBookLevel(Side::Ask, 102, 4, 2'000);
        QCOMPARE(engine.book().bestAsk(), (Level{102, 4}));
        listener.onBookInvalid("checksum mismatch");
        QCOMPARE(engine.state(), FeedState::Resyncing);
        QCOMPARE(engine.status().reason, std::string("checksum mismatch"));
        // Nothing applies until the next snapshot.
        listener.onBookLevel(Side::Ask, 102, 9, 3'000);
        QCOMPARE(engine.book().bestAsk(), (Level{102, 4}));
        venues::AdapterCounters counters;
        counters.gaps = 3;
        counters.resyncs = 2;
        listener.syncCounters(counters);
        QCOMPARE(engine.status().gaps, std::uint64_t{3});
        QCOMPARE(engine.status().resyncs, std::uint64_t{2});
    }

    void feedListenerTapSeesEveryTradeTheEngineGets() {
        // The live order entry's brackets hear of prints through the tap.
        InstrumentInfo info{"test", "T", {1, 2}, {1, 0}};
        FeedEngine engine(info);
        FeedVenueListener listener;
        listener.attach(&engine);
        std::vector<PriceTicks> tapped;
        listener.setTradeTap([&](const Trade& t) { tapped.push_back(t.price); });
        listener.onTrade(Trade{101, 2, Side::Bid, 5'000, 1}, 5'100);
        listener.onTrade(Trade{99, 1, Side::Ask, 6'000, 2}, 6'100);
        QCOMPARE(tapped, (std::vector<PriceTicks>{101, 99}));
        // The engine still gets them.
        QVERIFY(engine.trades().pop().has_value());
        QVERIFY(engine.trades().pop().has_value());
        QVERIFY(!engine.trades().pop().has_value());
        listener.setTradeTap({});
        listener.onTrade(Trade{100, 1, Side::Ask, 7'000, 3}, 7'100);
        QCOMPARE(tapped.size(), std::size_t{2});
    }
};

QTEST_GUILESS_MAIN(TestReplayDriver)
#include "tst_replay_driver.moc"
