// Replays a real Binance spot recording (BTCUSDT, 2024-08-08, ../shared/data/README.md) through
// BinanceAdapter: the counters must be exactly what the README derives from Binance's procedure,
// the book is never crossed once synced, and whenever a bookTicker's update id equals the book's
// update id, the book's best bid and ask are the bookTicker's. Also reports the adapter's
// throughput (informational, not asserted).
#include <QtTest>

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <map>
#include <string>
#include <vector>

#include "capture_lines.h"
#include "test_printers.h"
#include "venues/binance_adapter.h"

using namespace flowscope;
using namespace flowscope::venues;
using flowscope::testing::CaptureLine;
using flowscope::testing::isRestSnapshot;

namespace {

const char* const kCapture = FLOWSCOPE_TEST_DATA "/binance/spot_btcusdt_20240808.gz";

/// Binance prints every quantity with 8 decimals, and the book holds levels finer than today's
/// BTCUSDT order step (0.00001): three events of this capture carry resting legacy orders of
/// 6-decimal size (25.426189 at 200000, 244.566304 at 80000, 93.756587 at 74000). Only a lot of
/// 0.00000001 represents every quantity the venue can send.
Instrument wirePrecisionInstrument() {
    return Instrument("BTCUSDT", *DecimalStep::parse("0.01"), *DecimalStep::parse("0.00000001"));
}

Instrument orderStepInstrument() {
    return Instrument("BTCUSDT", *DecimalStep::parse("0.01"), *DecimalStep::parse("0.00001"));
}

void replay(BinanceAdapter& adapter, const std::vector<CaptureLine>& lines) {
    adapter.onConnected(lines.front().receiveNs);
    for (const CaptureLine& line : lines) {
        if (isRestSnapshot(line.json)) {
            adapter.onSnapshotResponse(line.json, line.receiveNs);
        } else {
            adapter.onMessage(line.json, line.receiveNs);
        }
    }
}

/// Counts updates and crossed books; cheap enough not to distort the timing.
class CheckingListener final : public VenueListener {
  public:
    void onBookSnapshot(const OrderBook& book, TimeNs, TimeNs) override {
        ++snapshots;
        check(book);
    }
    void onBookLevel(Side, PriceTicks, Lots, TimeNs) override {}
    void onBookUpdateEnd(const OrderBook& book, TimeNs, TimeNs) override {
        ++updateEnds;
        check(book);
    }
    void onTrade(const Trade& trade, TimeNs) override {
        if (trade.qty <= 0 || trade.price <= 0) ++badTrades;
        if (trade.aggressor == Side::Bid) ++buyerInitiated;
    }
    void onBookInvalid(std::string_view) override { ++invalidations; }

    int snapshots = 0;
    int updateEnds = 0;
    int crossedOrLocked = 0;
    int oneSided = 0;
    int invalidations = 0;
    int badTrades = 0;
    int buyerInitiated = 0;

  private:
    void check(const OrderBook& book) {
        const BookState state = book.state();
        if (state == BookState::Crossed || state == BookState::Locked) ++crossedOrLocked;
        if (state == BookState::OneSided || state == BookState::Empty) ++oneSided;
    }
};

}  // namespace

class TestBinanceCapture : public QObject {
    Q_OBJECT

  private slots:
    void initTestCase() {
        lines_ = testing::readCaptureLines(kCapture);
        QVERIFY2(!lines_.empty(), kCapture);
        QCOMPARE(lines_.size(), std::size_t{41249});
        for (const CaptureLine& line : lines_)
            QVERIFY(line.receiveNs > 0 && !line.json.empty());
    }

    void replayMatchesTheDocumentedProcedure() {
        const Instrument instrument = wirePrecisionInstrument();
        CheckingListener listener;
        BinanceAdapter adapter(BinanceMarket::Spot, "BTCUSDT", instrument, listener);
        adapter.onConnected(lines_.front().receiveNs);
        // bookTicker is pushed per update, the depth stream per 100 ms batch, so a ticker usually
        // arrives before the batch that contains its update: keep it until the book reaches
        // exactly its update id (the batch's final u), then compare.
        std::map<std::uint64_t, std::pair<Level, Level>> pendingTickers;
        int tickersSeen = 0;
        int tickersCompared = 0;
        int tickersMatching = 0;
        const auto compareReachedTicker = [&] {
            if (adapter.syncState() != SyncState::Live) return;
            const auto found = pendingTickers.find(adapter.lastUpdateId());
            if (found != pendingTickers.end()) {
                ++tickersCompared;
                const auto& [bid, ask] = found->second;
                if (adapter.book().bestBid() == bid && adapter.book().bestAsk() == ask) {
                    ++tickersMatching;
                } else if (tickersCompared - tickersMatching <= 3) {
                    qWarning("bookTicker u=%llu: book %s / %s, ticker %s / %s",
                             static_cast<unsigned long long>(found->first),
                             QTest::toString(adapter.book().bestBid()),
                             QTest::toString(adapter.book().bestAsk()), QTest::toString(bid),
                             QTest::toString(ask));
                }
            }
            // Tickers behind the book can no longer meet it.
            pendingTickers.erase(pendingTickers.begin(),
                                 pendingTickers.upper_bound(adapter.lastUpdateId()));
        };
        adapter.onConnected(lines_.front().receiveNs);
        for (const CaptureLine& line : lines_) {
            if (isRestSnapshot(line.json)) {
                QVERIFY(adapter.takeSnapshotRequest());  // asked for before it came
                adapter.onSnapshotResponse(line.json, line.receiveNs);
                compareReachedTicker();
                continue;
            }
            adapter.onMessage(line.json, line.receiveNs);
            if (line.json.find("@bookTicker") != std::string::npos) {
                ++tickersSeen;
                const QJsonObject ticker =
                    QJsonDocument::fromJson(QByteArray::fromStdString(line.json))
                        .object()["data"]
                        .toObject();
                const auto text = [&](const char* key) {
                    return ticker[QLatin1String(key)].toString().toStdString();
                };
                const Level bid{*instrument.parsePrice(text("b")),
                                *instrument.parseSize(text("B"))};
                const Level ask{*instrument.parsePrice(text("a")),
                                *instrument.parseSize(text("A"))};
                pendingTickers[static_cast<std::uint64_t>(ticker["u"].toInteger())] = {bid, ask};
            }
            compareReachedTicker();
        }

        const AdapterCounters& c = adapter.counters();
        QVERIFY2(adapter.problemSamples().empty(),
                 adapter.problemSamples().empty() ? "" : adapter.problemSamples()[0].c_str());
        QCOMPARE(c.messages, std::uint64_t{41249});
        QCOMPARE(c.snapshots, std::uint64_t{1});
        QCOMPARE(c.droppedBeforeSync, std::uint64_t{2});
        QCOMPARE(c.appliedEvents, std::uint64_t{3449});
        QCOMPARE(c.gaps, std::uint64_t{0});
        QCOMPARE(c.resyncs, std::uint64_t{0});
        QCOMPARE(c.trades, std::uint64_t{9757});
        QCOMPARE(c.parseErrors, std::uint64_t{0});
        QCOMPARE(c.unknownMessages, std::uint64_t{28040});
        QCOMPARE(c.checksumFailures, std::uint64_t{0});
        QCOMPARE(adapter.syncState(), SyncState::Live);
        QCOMPARE(adapter.priceDecimalsSeen(), 8);
        QCOMPARE(adapter.sizeDecimalsSeen(), 8);

        QCOMPARE(listener.snapshots, 1);
        QCOMPARE(listener.updateEnds, 3449);
        QCOMPARE(listener.invalidations, 0);
        QCOMPARE(listener.crossedOrLocked, 0);
        QCOMPARE(listener.oneSided, 0);
        QCOMPARE(listener.badTrades, 0);
        QCOMPARE(tickersSeen, 28040);
        qDebug(
            "bookTicker: %d of %d compared at the book's update id, %d matched best bid/ask "
            "(price and size); %d of 9757 trades buyer-initiated",
            tickersCompared, tickersSeen, tickersMatching, listener.buyerInitiated);
        // 564 bookTicker ids equal some depth event's final u (counted with a separate script
        // over the file); each is met by the book after its snapshot.
        QCOMPARE(tickersCompared, 564);
        QCOMPARE(tickersMatching, tickersCompared);
    }

    void orderStepLotRejectsLegacyQuantitiesAndInvalidatesTheBook() {
        // With the order step as the lot, the first legacy quantity (the 169th depth event,
        // u=50093247001, found with zcat | grep) cannot be represented: it is a parse error, the
        // book is declared invalid, and without another snapshot in the file it stays invalid.
        CheckingListener listener;
        BinanceAdapter adapter(BinanceMarket::Spot, "BTCUSDT", orderStepInstrument(), listener);
        replay(adapter, lines_);
        const AdapterCounters& c = adapter.counters();
        QCOMPARE(c.appliedEvents, std::uint64_t{166});
        QCOMPARE(c.parseErrors, std::uint64_t{3});
        QCOMPARE(c.gaps, std::uint64_t{1});
        QCOMPARE(c.resyncs, std::uint64_t{1});
        QCOMPARE(c.droppedBeforeSync, std::uint64_t{2});
        QCOMPARE(c.trades, std::uint64_t{9757});
        QCOMPARE(listener.invalidations, 1);
        QCOMPARE(listener.crossedOrLocked, 0);
        QCOMPARE(adapter.syncState(), SyncState::WaitingSnapshot);
        QVERIFY(adapter.book().bids().empty());
        QVERIFY(!adapter.problemSamples().empty());
        QVERIFY(adapter.problemSamples()[0].find("bad quantity 'a'") != std::string::npos);
    }

    void throughput() {
        // Informational: the adapter alone (parse, sync, book, callbacks), file already in memory.
        const Instrument instrument = wirePrecisionInstrument();
        std::size_t bytes = 0;
        for (const CaptureLine& line : lines_)
            bytes += line.json.size();
        constexpr int kRuns = 5;
        qint64 bestNs = std::numeric_limits<qint64>::max();
        for (int run = 0; run < kRuns; ++run) {
            CheckingListener listener;
            BinanceAdapter adapter(BinanceMarket::Spot, "BTCUSDT", instrument, listener);
            QElapsedTimer timer;
            timer.start();
            replay(adapter, lines_);
            bestNs = std::min(bestNs, timer.nsecsElapsed());
            QCOMPARE(adapter.counters().appliedEvents, std::uint64_t{3449});
        }
        const double seconds = static_cast<double>(bestNs) / 1e9;
        qDebug(
            "adapter replay (best of %d): %zu messages, %.1f MB JSON in %.1f ms: %.0f msg/s, "
            "%.0f MB/s",
            kRuns, lines_.size(), static_cast<double>(bytes) / 1e6, seconds * 1e3,
            static_cast<double>(lines_.size()) / seconds,
            static_cast<double>(bytes) / 1e6 / seconds);
    }

  private:
    std::vector<CaptureLine> lines_;
};

QTEST_GUILESS_MAIN(TestBinanceCapture)
#include "tst_binance_capture.moc"
