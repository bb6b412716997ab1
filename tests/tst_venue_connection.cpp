// A venue connection against the loopback exchange over real TLS: it syncs, and for every fault
// the exchange can inject (drop, skip, duplicate, reorder, malformed, stall, huge, refused TLS,
// REST error, stale snapshot, corrupt checksum) it notices, recovers within 2 seconds, and ends
// with the server's book exactly.
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <functional>
#include <memory>

#include "exchange_process.h"
#include "feed/feed_engine.h"
#include "feed/venue_connection.h"
#include "feed/venue_source.h"
#include "net/event_loop.h"
#include "test_printers.h"
#include "venues/adapter_factory.h"

using namespace flowscope;
using testing::ExchangeProcess;

namespace {

constexpr qint64 kRecoveryLimitMs = 2000;

Instrument exchangeInstrument(const std::string& symbol) {
    // The exchange's defaults (--tick 0.01 --lot 0.00001); Kraken's checksum precision follows.
    return Instrument(symbol, *DecimalStep::parse("0.01"), *DecimalStep::parse("0.00001"));
}

struct Client {
    Client(ExchangeProcess& exchange, venues::VenueId venue, const std::string& symbol,
           net::ReconnectPolicy policy = fastPolicy(), std::string caFile = {}) {
        adapter = venues::makeAdapter(venue, symbol, exchangeInstrument(symbol), listener);
        venues::VenueEndpoints endpoints{exchange.wsUrl(), exchange.restUrl(),
                                         caFile.empty() ? exchange.caFile() : caFile};
        connection = std::make_unique<net::VenueConnection>(
            loop, *adapter, endpoints,
            net::VenueConnection::Callbacks{
                [this](FeedState state, std::string_view reason) {
                    states.push_back(state);
                    lastReason = std::string(reason);
                    reasons.push_back(lastReason);
                },
                {},
                [this](std::string_view stream, FeedState state, std::string_view reason) {
                    streamStates.push_back({std::string(stream), state, std::string(reason)});
                }},
            policy);
        const std::string error = connection->start();
        if (!error.empty()) qFatal("start: %s", error.c_str());
    }
    ~Client() { connection->stop(); }

    static net::ReconnectPolicy fastPolicy() {
        net::ReconnectPolicy p;
        p.initialBackoffNs = 50'000'000;
        p.maxBackoffNs = 400'000'000;
        p.snapshotSpacingNs = 100'000'000;
        p.staleCheckIntervalNs = 50'000'000;
        return p;
    }

    /// Runs the loop until `done` or `timeoutMs`; returns whether `done` held.
    template <typename F>
    bool pumpUntil(F done, qint64 timeoutMs) {
        QElapsedTimer timer;
        timer.start();
        while (!done()) {
            if (timer.elapsed() > timeoutMs) return false;
            loop.runFor(5'000'000);
        }
        return true;
    }
    void pumpFor(qint64 ms) {
        pumpUntil([] { return false; }, ms);
    }
    bool live() const { return adapter->syncState() == venues::SyncState::Live; }
    const venues::AdapterCounters& counters() const { return adapter->counters(); }

    net::EventLoop loop;
    venues::NullVenueListener listener;
    std::unique_ptr<venues::VenueAdapter> adapter;
    std::unique_ptr<net::VenueConnection> connection;
    std::vector<FeedState> states;
    std::string lastReason;
    std::vector<std::string> reasons;  ///< of every state reported, in order
    struct StreamEvent {
        std::string stream;
        FeedState state;
        std::string reason;
    };
    std::vector<StreamEvent> streamStates;  ///< sockets other than the book's
};

std::vector<Level> serverSide(const QJsonArray& levels, const Instrument& instrument) {
    std::vector<Level> out;
    for (const QJsonValue& v : levels) {
        const auto price = instrument.parsePrice(v[0].toString().toStdString());
        const auto size = instrument.parseSize(v[1].toString().toStdString());
        if (!price || !size) qFatal("server level off the instrument's grid");
        out.push_back({*price, *size});
    }
    return out;
}

std::vector<Level> clientSide(const BookSide& side, std::size_t depth) {
    std::vector<Level> out;
    for (std::size_t i = 0; i < depth && i < side.depth(); ++i)
        out.push_back(side.level(i));
    return out;
}

/// Pauses the market, lets the last batch arrive, and compares the top `depth` levels.
void expectServerBook(ExchangeProcess& exchange, Client& client, int depth) {
    QVERIFY(exchange.command("pause").startsWith("ok"));
    client.pumpFor(400);  // Binance batches every 100 ms, Kraken every 10 ms
    QVERIFY2(client.live(), client.lastReason.c_str());
    const QJsonObject server = QJsonDocument::fromJson(exchange.book(depth)).object();
    const Instrument& instrument = client.adapter->instrument();
    QCOMPARE(clientSide(client.adapter->book().bids(), static_cast<std::size_t>(depth)),
             serverSide(server["bids"].toArray(), instrument));
    QCOMPARE(clientSide(client.adapter->book().asks(), static_cast<std::size_t>(depth)),
             serverSide(server["asks"].toArray(), instrument));
    QVERIFY(exchange.command("resume").startsWith("ok"));
}

/// Injects `fault`, waits until `detected` and then the book is live again, and returns how
/// long that took (ms), or -1.
template <typename F>
qint64 recoveryAfter(ExchangeProcess& exchange, Client& client, const QByteArray& fault,
                     F detected) {
    QElapsedTimer timer;
    timer.start();
    if (!exchange.command(fault).startsWith("ok")) return -1;
    if (!client.pumpUntil(detected, 5000)) return -1;
    if (!client.pumpUntil([&] { return client.live(); }, 5000)) return -1;
    return timer.elapsed();
}

#define EXPECT_RECOVERY(ms)                                                    \
    do {                                                                       \
        const qint64 took = (ms);                                              \
        QVERIFY2(took >= 0, "fault not detected or not recovered");            \
        QVERIFY2(took <= kRecoveryLimitMs, qPrintable(QString::number(took))); \
    } while (false)

}  // namespace

class TestVenueConnection : public QObject {
    Q_OBJECT

  private slots:
    void binanceSyncsAndMatchesTheServerBook() {
        ExchangeProcess exchange({"--rate", "300"});
        Client client(exchange, venues::VenueId::BinanceSpot, "BTCUSDT");
        QVERIFY2(client.pumpUntil([&] { return client.live(); }, 5000), client.lastReason.c_str());
        client.pumpFor(500);
        QVERIFY(client.counters().appliedEvents > 0);
        QCOMPARE(client.counters().gaps, std::uint64_t{0});
        QVERIFY(client.connection->state() == FeedState::Live);
        expectServerBook(exchange, client, 20);
        // The connection reported its way there: connecting, syncing, live.
        QCOMPARE(client.states.front(), FeedState::Connecting);
        QVERIFY(std::find(client.states.begin(), client.states.end(), FeedState::Syncing) !=
                client.states.end());
    }

    void droppedConnectionReconnectsAndResyncs() {
        ExchangeProcess exchange({"--rate", "300"});
        Client client(exchange, venues::VenueId::BinanceSpot, "BTCUSDT");
        QVERIFY(client.pumpUntil([&] { return client.live(); }, 5000));
        EXPECT_RECOVERY(recoveryAfter(exchange, client, "fault drop",
                                      [&] { return client.connection->connects() >= 2; }));
        QVERIFY(client.connection->disconnects() >= 1);
        expectServerBook(exchange, client, 20);
    }

    void skippedUpdateIsAGapAndResyncs() {
        ExchangeProcess exchange({"--rate", "300"});
        Client client(exchange, venues::VenueId::BinanceSpot, "BTCUSDT");
        QVERIFY(client.pumpUntil([&] { return client.live(); }, 5000));
        EXPECT_RECOVERY(recoveryAfter(exchange, client, "fault skip",
                                      [&] { return client.counters().gaps >= 1; }));
        QCOMPARE(client.counters().resyncs, std::uint64_t{1});
        expectServerBook(exchange, client, 20);
    }

    void duplicateUpdateIsDroppedWithoutResync() {
        ExchangeProcess exchange({"--rate", "300"});
        Client client(exchange, venues::VenueId::BinanceSpot, "BTCUSDT");
        QVERIFY(client.pumpUntil([&] { return client.live(); }, 5000));
        const auto droppedBefore = client.counters().droppedBeforeSync;
        QVERIFY(exchange.command("fault duplicate").startsWith("ok"));
        QVERIFY(client.pumpUntil(
            [&] { return client.counters().droppedBeforeSync > droppedBefore; }, 3000));
        QCOMPARE(client.counters().gaps, std::uint64_t{0});
        QCOMPARE(client.counters().resyncs, std::uint64_t{0});
        expectServerBook(exchange, client, 20);
    }

    void reorderedUpdatesResync() {
        ExchangeProcess exchange({"--rate", "300"});
        Client client(exchange, venues::VenueId::BinanceSpot, "BTCUSDT");
        QVERIFY(client.pumpUntil([&] { return client.live(); }, 5000));
        EXPECT_RECOVERY(recoveryAfter(exchange, client, "fault reorder",
                                      [&] { return client.counters().gaps >= 1; }));
        expectServerBook(exchange, client, 20);
    }

    void malformedFrameIsCountedAndTheBookStaysExact() {
        ExchangeProcess exchange({"--rate", "300"});
        Client client(exchange, venues::VenueId::BinanceSpot, "BTCUSDT");
        QVERIFY(client.pumpUntil([&] { return client.live(); }, 5000));
        EXPECT_RECOVERY(recoveryAfter(exchange, client, "fault malformed",
                                      [&] { return client.counters().parseErrors >= 1; }));
        QVERIFY(!client.adapter->problemSamples().empty());
        expectServerBook(exchange, client, 20);
    }

    void binanceServerShutdownReconnectsAtOnceAndResyncs() {
        ExchangeProcess exchange({"--rate", "300"});
        Client client(exchange, venues::VenueId::BinanceSpot, "BTCUSDT");
        QVERIFY2(client.pumpUntil([&] { return client.live(); }, 5000), client.lastReason.c_str());
        QCOMPARE(client.connection->connects(), std::uint64_t{1});
        const auto before = client.counters();
        // The server closes the announced connections only after 60 s, and the feed would go
        // stale after 30 s of silence: a client back live within the wait below left because
        // of the event itself.
        const QByteArray answer = exchange.command("server-shutdown 60");
        QVERIFY2(answer.startsWith("ok server-shutdown: sent to 1 "), answer.constData());
        QVERIFY(client.pumpUntil(
            [&] { return client.connection->connects() >= 2 && client.live(); }, 5000));
        QCOMPARE(client.connection->connects(), std::uint64_t{2});
        QCOMPARE(client.connection->staleEvents(), std::uint64_t{0});
        QVERIFY(std::find(client.reasons.begin(), client.reasons.end(),
                          "server shutdown; reconnecting now") != client.reasons.end());
        // Not a problem with the feed: no parse error, no gap, no unknown message; one resync
        // from a fresh snapshot.
        QCOMPARE(client.counters().parseErrors, before.parseErrors);
        QCOMPARE(client.counters().unknownMessages, before.unknownMessages);
        QCOMPARE(client.counters().gaps, std::uint64_t{0});
        QCOMPARE(client.counters().resyncs, before.resyncs + 1);
        QCOMPARE(client.counters().snapshots, before.snapshots + 1);
        expectServerBook(exchange, client, 20);
    }

    void stalledFeedGoesStaleReconnectsAndRecovers() {
        ExchangeProcess exchange({"--rate", "300"});
        auto policy = Client::fastPolicy();
        // Longer than expectServerBook's quiet pause, shorter than the stall.
        policy.staleAfterNs = 1'200'000'000;
        Client client(exchange, venues::VenueId::BinanceSpot, "BTCUSDT", policy);
        QVERIFY(client.pumpUntil([&] { return client.live(); }, 5000));
        QVERIFY(exchange.command("fault stall 3").startsWith("ok"));
        QVERIFY(client.pumpUntil([&] { return client.connection->staleEvents() >= 1; }, 3000));
        QVERIFY(!client.live());  // a stale connection's book is not live
        QVERIFY(std::find(client.states.begin(), client.states.end(), FeedState::Stale) !=
                client.states.end());
        // Live again within 2 s of the stall's end (3 s after it began).
        QVERIFY(client.pumpUntil([&] { return client.live(); }, 3000 + kRecoveryLimitMs));
        // Connections opened during the stall hear nothing either and are dropped as stale too.
        QVERIFY(client.connection->connects() >= 2);
        expectServerBook(exchange, client, 20);
    }

    void hugeMessageDoesNotBreakTheFeed() {
        ExchangeProcess exchange({"--rate", "300"});
        Client client(exchange, venues::VenueId::BinanceSpot, "BTCUSDT");
        QVERIFY(client.pumpUntil([&] { return client.live(); }, 5000));
        const auto messages = client.counters().messages;
        QVERIFY(exchange.command("fault huge 3000000").startsWith("ok"));
        QVERIFY(client.pumpUntil([&] { return client.counters().messages > messages + 5; }, 3000));
        QVERIFY(client.pumpUntil([&] { return client.live(); }, kRecoveryLimitMs));
        expectServerBook(exchange, client, 20);
    }

    void refusedTlsHandshakesAreRetriedWithBackoff() {
        ExchangeProcess exchange({"--rate", "300"});
        Client client(exchange, venues::VenueId::BinanceSpot, "BTCUSDT");
        QVERIFY(client.pumpUntil([&] { return client.live(); }, 5000));
        QVERIFY(exchange.command("fault refuse-tls 2").startsWith("ok"));
        EXPECT_RECOVERY(recoveryAfter(exchange, client, "fault drop",
                                      [&] { return client.connection->connects() >= 2; }));
        // Two refused attempts between the drop and the good connection.
        QVERIFY(client.connection->disconnects() >= 3);
        expectServerBook(exchange, client, 20);
    }

    void restErrorIsRetried() {
        ExchangeProcess exchange({"--rate", "300"});
        Client client(exchange, venues::VenueId::BinanceSpot, "BTCUSDT");
        QVERIFY(client.pumpUntil([&] { return client.live(); }, 5000));
        QVERIFY(exchange.command("fault rest-error").startsWith("ok"));
        const auto snapshots = client.counters().snapshots;
        EXPECT_RECOVERY(recoveryAfter(exchange, client, "fault drop",
                                      [&] { return client.counters().snapshots > snapshots; }));
        expectServerBook(exchange, client, 20);
    }

    void staleSnapshotIsFetchedAgain() {
        ExchangeProcess exchange({"--rate", "300"});
        Client client(exchange, venues::VenueId::BinanceSpot, "BTCUSDT");
        QVERIFY(client.pumpUntil([&] { return client.live(); }, 5000));
        QVERIFY(exchange.command("fault stale-snapshot").startsWith("ok"));
        const auto snapshots = client.counters().snapshots;
        EXPECT_RECOVERY(recoveryAfter(exchange, client, "fault drop",
                                      [&] { return client.counters().snapshots > snapshots; }));
        QCOMPARE(client.counters().gaps, std::uint64_t{0});
        expectServerBook(exchange, client, 20);
    }

    void krakenChecksumMismatchResubscribes() {
        ExchangeProcess exchange({"--rate", "300", "--kraken-symbol", "BTC/USD"});
        Client client(exchange, venues::VenueId::Kraken, "BTC/USD");
        QVERIFY2(client.pumpUntil([&] { return client.live(); }, 5000), client.lastReason.c_str());
        client.pumpFor(300);
        QCOMPARE(client.counters().checksumFailures, std::uint64_t{0});
        EXPECT_RECOVERY(recoveryAfter(exchange, client, "fault corrupt-checksum",
                                      [&] { return client.counters().checksumFailures >= 1; }));
        QCOMPARE(client.connection->connects(), std::uint64_t{1});  // resubscribed, not reconnected
        expectServerBook(exchange, client, 10);
    }

    void krakenSurvivesADroppedConnection() {
        ExchangeProcess exchange({"--rate", "300", "--kraken-symbol", "BTC/USD"});
        Client client(exchange, venues::VenueId::Kraken, "BTC/USD");
        QVERIFY(client.pumpUntil([&] { return client.live(); }, 5000));
        EXPECT_RECOVERY(recoveryAfter(exchange, client, "fault drop",
                                      [&] { return client.connection->connects() >= 2; }));
        expectServerBook(exchange, client, 10);
    }

    void untrustedCertificateIsRefusedWithTheReason() {
        ExchangeProcess exchange({"--rate", "300"});
        Client client(exchange, venues::VenueId::BinanceSpot, "BTCUSDT", Client::fastPolicy(),
                      exchange.otherCaFile());
        QVERIFY(client.pumpUntil([&] { return client.connection->disconnects() >= 1; }, 5000));
        QVERIFY(!client.live());
        QCOMPARE(client.connection->connects(), std::uint64_t{0});
        QVERIFY2(client.lastReason.find("certificate verify failed") != std::string::npos,
                 client.lastReason.c_str());
    }

    // ---- Binance USD-M: depth on /public, trades on /market (Binance's routing since 2026) ----

    void usdmRunsADepthAndATradeSocketAndMatchesTheServerBook() {
        ExchangeProcess exchange({"--binance-market", "usdm", "--rate", "300"});
        Client client(exchange, venues::VenueId::BinanceUsdm, "BTCUSDT");
        QCOMPARE(client.connection->streamCount(), std::size_t{2});
        const auto depth = client.connection->streamStatus(0);
        const auto trades = client.connection->streamStatus(1);
        QCOMPARE(QString::fromStdString(depth.url),
                 QString::fromStdString(exchange.wsUrl() +
                                        "/public/stream?streams=btcusdt@depth@100ms"));
        QCOMPARE(
            QString::fromStdString(trades.url),
            QString::fromStdString(exchange.wsUrl() + "/market/stream?streams=btcusdt@aggTrade"));
        QVERIFY2(
            client.pumpUntil([&] { return client.live() && client.counters().trades > 0; }, 5000),
            client.lastReason.c_str());
        QCOMPARE(client.counters().gaps, std::uint64_t{0});
        QCOMPARE(client.counters().parseErrors, std::uint64_t{0});
        QVERIFY(client.connection->state() == FeedState::Live);
        QVERIFY(client.connection->streamStatus(1).state == FeedState::Live);
        expectServerBook(exchange, client, 20);
    }

    void usdmSilentTradeSocketGoesStaleAndReconnectsWhileTheBookStaysLive() {
        ExchangeProcess exchange({"--binance-market", "usdm", "--rate", "300"});
        auto policy = Client::fastPolicy();
        policy.staleAfterNs = 1'200'000'000;  // longer than expectServerBook's quiet pause
        Client client(exchange, venues::VenueId::BinanceUsdm, "BTCUSDT", policy);
        QVERIFY(
            client.pumpUntil([&] { return client.live() && client.counters().trades > 0; }, 5000));
        const auto depthConnects = client.connection->connects();
        QVERIFY(exchange.command("mute market").startsWith("ok"));
        bool bookStayedLive = true;
        const auto tradeStream = [&] { return client.connection->streamStatus(1); };
        // Noticed, dropped and reopened: twice, so the reopened socket was found silent too.
        QVERIFY(client.pumpUntil(
            [&] {
                bookStayedLive = bookStayedLive && client.live() &&
                                 client.connection->state() == FeedState::Live;
                return tradeStream().staleEvents >= 2 && tradeStream().connects >= 3;
            },
            6000));
        QVERIFY(bookStayedLive);
        QCOMPARE(client.connection->connects(), depthConnects);
        QCOMPARE(client.connection->staleEvents(), std::uint64_t{0});
        QCOMPARE(client.counters().resyncs, std::uint64_t{0});
        const auto stale = std::find_if(client.streamStates.begin(), client.streamStates.end(),
                                        [](const auto& e) { return e.state == FeedState::Stale; });
        QVERIFY(stale != client.streamStates.end());
        QCOMPARE(QString::fromStdString(stale->stream), QString("trades"));
        QVERIFY2(stale->reason.find("no message for 1200 ms") != std::string::npos,
                 stale->reason.c_str());
        // Trades come back on the reconnected socket once the category speaks again.
        const auto tradesBefore = client.counters().trades;
        QVERIFY(exchange.command("unmute market").startsWith("ok"));
        QVERIFY(client.pumpUntil([&] { return client.counters().trades > tradesBefore; }, 4000));
        QVERIFY(tradeStream().state == FeedState::Live);
        expectServerBook(exchange, client, 20);
    }

    void usdmSilentDepthSocketIsStaleAndTheBookIsNotLive() {
        ExchangeProcess exchange({"--binance-market", "usdm", "--rate", "300"});
        auto policy = Client::fastPolicy();
        policy.staleAfterNs = 1'200'000'000;
        Client client(exchange, venues::VenueId::BinanceUsdm, "BTCUSDT", policy);
        QVERIFY(client.pumpUntil([&] { return client.live(); }, 5000));
        QVERIFY(exchange.command("mute public").startsWith("ok"));
        QVERIFY(client.pumpUntil([&] { return client.connection->staleEvents() >= 1; }, 3000));
        QVERIFY(!client.live());
        QVERIFY(exchange.command("unmute public").startsWith("ok"));
        QVERIFY(client.pumpUntil([&] { return client.live(); }, 3000 + kRecoveryLimitMs));
        expectServerBook(exchange, client, 20);
    }

    void usdmFeedShowsASilentTradeSocketBesideALiveBook() {
        // The path the terminal runs (VenueSource into a FeedEngine): the published status stays
        // Live while the trade socket is silent, and says so beside it until trades come back.
        ExchangeProcess exchange({"--binance-market", "usdm", "--rate", "300"});
        VenueSourceConfig config;
        config.venue = venues::VenueId::BinanceUsdm;
        config.instrument = {"binance-usdm", "BTCUSDT", *DecimalStep::parse("0.01"),
                             *DecimalStep::parse("0.00001")};
        config.endpoints = {exchange.wsUrl(), exchange.restUrl(), exchange.caFile()};
        config.reconnect = Client::fastPolicy();
        config.reconnect.staleAfterNs = 1'200'000'000;
        VenueSource source(config);
        FeedEngine feed(config.instrument);
        source.start(feed, 0);
        QElapsedTimer clock;
        clock.start();
        const auto status = [&] { return feed.makeSnapshot(clock.nsecsElapsed())->status; };
        const auto pump = [&](const std::function<bool()>& done) {
            QElapsedTimer timer;
            timer.start();
            while (!done() && timer.elapsed() < 8000) {
                source.waitForInput(5'000'000);
                source.poll(feed, clock.nsecsElapsed());
            }
            return done();
        };
        QVERIFY(pump([&] { return feed.state() == FeedState::Live; }));
        // Shown as waiting until the trade socket's first trade, then nothing.
        QVERIFY(pump([&] { return status().streamProblem.empty(); }));
        QVERIFY(exchange.command("mute market").startsWith("ok"));
        bool stayedLive = true;
        QVERIFY(pump([&] {
            const FeedStatus s = status();
            stayedLive = stayedLive && s.state == FeedState::Live;
            // "trades: disconnected (stale stream (no message for 1200 ms); reconnecting in ...)"
            return s.streamProblem.starts_with("trades: ") &&
                   s.streamProblem.find("no message for 1200 ms") != std::string::npos &&
                   s.streamReconnects >= 1;
        }));
        QVERIFY(stayedLive);
        QVERIFY(exchange.command("unmute market").startsWith("ok"));
        QVERIFY(pump([&] { return status().streamProblem.empty(); }));
        QCOMPARE(status().state, FeedState::Live);
        source.stop(feed);
    }
};

QTEST_GUILESS_MAIN(TestVenueConnection)
#include "tst_venue_connection.moc"
