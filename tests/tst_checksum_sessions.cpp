// Recorded venue sessions with the venues' own book checksums (../shared/data/checksums, from
// cryptofeed's sample data): every checksum in them must reproduce.
// - OKX v5 (2022-05-13, three instruments): fed frame by frame through one OkxAdapter per
//   instrument; 290 book checksums, all verified, no failure, no resync.
// - Kraken v1 (2021-04-17, ten pairs, depth 1000): the session is WebSocket v1 (arrays), which
//   the v2 adapter does not speak, so a small replayer here keeps each pair's book as Kraken's
//   strings, truncates it to the subscribed depth after each message and checks krakenChecksum
//   against each update's "c" (4269 of them); the same book kept as integers checks
//   krakenBookChecksum, the function the v2 adapter uses.
// Counts of checksums, trades and buys are taken from the file with Qt's JSON reader.
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "mirror_listener.h"
#include "test_printers.h"
#include "venues/kraken_checksum.h"
#include "venues/okx_adapter.h"

using namespace flowscope;
using namespace flowscope::venues;
using flowscope::testing::MirrorListener;

namespace {

const QString kOkxSession = QStringLiteral(FLOWSCOPE_TEST_DATA "/checksums/OKX.ws.1.0");
const QString kKrakenSession = QStringLiteral(FLOWSCOPE_TEST_DATA "/checksums/KRAKEN.ws.50.0");

struct Frame {
    TimeNs receiveNs = 0;
    QByteArray json;
};

// "1652459225.5037491" -> ns, exactly (decimals past the ninth dropped).
TimeNs secondsToNs(const QByteArray& text) {
    const qsizetype dot = text.indexOf('.');
    TimeNs ns = (dot < 0 ? text : text.left(dot)).toLongLong() * 1000000000;
    TimeNs scale = 100000000;
    for (qsizetype i = dot + 1; dot >= 0 && i < text.size() && scale > 0; ++i, scale /= 10)
        ns += (text[i] - '0') * scale;
    return ns;
}

// Received frames ("<unix ts>: <json>"); connect and sent-frame header lines start with "wss://".
std::vector<Frame> readSession(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return {};
    std::vector<Frame> frames;
    for (const QByteArray& line : file.readAll().split('\n')) {
        const qsizetype colon = line.indexOf(": ");
        if (line.isEmpty() || line.startsWith("wss://") || colon < 0) continue;
        frames.push_back({secondsToNs(line.left(colon)), line.mid(colon + 2)});
    }
    return frames;
}

// A decimal string as an exact sort key: (whole part, fraction scaled to 18 digits).
using DecimalKey = std::pair<qint64, qint64>;

DecimalKey decimalKey(const QByteArray& text) {
    const qsizetype dot = text.indexOf('.');
    QByteArray fraction = dot < 0 ? QByteArray() : text.mid(dot + 1);
    fraction = fraction.leftJustified(18, '0', true);
    return {(dot < 0 ? text : text.left(dot)).toLongLong(), fraction.toLongLong()};
}

bool isZero(const QByteArray& text) {
    for (const char c : text)
        if (c != '0' && c != '.') return false;
    return true;
}

int decimalsOf(const QByteArray& text) {
    const qsizetype dot = text.indexOf('.');
    return dot < 0 ? 0 : static_cast<int>(text.size() - dot - 1);
}

// One Kraken v1 pair: its book as the strings Kraken sent and as integers.
struct KrakenPair {
    explicit KrakenPair(const Instrument& inst) : instrument(inst) {}

    // Best last on both sides: bids ascending, asks descending.
    std::map<DecimalKey, std::pair<QByteArray, QByteArray>> bids;
    std::map<DecimalKey, std::pair<QByteArray, QByteArray>, std::greater<>> asks;
    Instrument instrument;
    OrderBook book;
    bool valuesOk = true;

    void apply(bool bid, const QByteArray& price, const QByteArray& volume) {
        const DecimalKey key = decimalKey(price);
        if (isZero(volume)) {
            bid ? bids.erase(key) : asks.erase(key);
        } else {
            (bid ? bids[key] : asks[key]) = {price, volume};
        }
        const auto ticks = instrument.parsePrice(price.toStdString());
        const auto lots = instrument.parseSize(volume.toStdString());
        if (!ticks || !lots) {
            valuesOk = false;
            return;
        }
        (void)book.apply(bid ? Side::Bid : Side::Ask, *ticks, *lots, 0, 0);
    }

    // Kraken sends no delete for a level pushed past the subscribed depth.
    void truncate(std::size_t depth) {
        while (bids.size() > depth)
            bids.erase(bids.begin());
        while (asks.size() > depth)
            asks.erase(asks.begin());
        for (const Side s : {Side::Bid, Side::Ask})
            while (book.side(s).depth() > depth)
                (void)book.apply(s, book.side(s).worstToBest().front().price, 0, 0, 0);
    }

    template <typename Map>
    static std::vector<TextLevel> top(const Map& side) {
        std::vector<TextLevel> out;
        for (auto it = side.rbegin(); it != side.rend() && out.size() < 10; ++it)
            out.push_back({std::string_view(it->second.first.constData(),
                                            static_cast<std::size_t>(it->second.first.size())),
                           std::string_view(it->second.second.constData(),
                                            static_cast<std::size_t>(it->second.second.size()))});
        return out;
    }

    std::uint32_t textChecksum() const { return krakenChecksum(top(bids), top(asks)); }
};

struct OkxInstrument {
    const char* instId;
    const char* tick;
    const char* lot;
};

}  // namespace

class TestChecksumSessions : public QObject {
    Q_OBJECT

  private slots:
    void everyOkxChecksumReproducesThroughTheAdapter() {
        const std::vector<Frame> frames = readSession(kOkxSession);
        QVERIFY2(!frames.empty(), qPrintable("cannot read " + kOkxSession));

        // What the file holds, counted independently of the adapter.
        std::map<QString, int> checksums, trades, buys;
        for (const Frame& f : frames) {
            const QJsonObject o = QJsonDocument::fromJson(f.json).object();
            const QString channel = o["arg"].toObject()["channel"].toString();
            const QString instId = o["arg"].toObject()["instId"].toString();
            for (const QJsonValue d : o["data"].toArray()) {
                if (channel == "books" && d.toObject().contains("checksum")) ++checksums[instId];
                if (channel == "trades") {
                    ++trades[instId];
                    if (d.toObject()["side"].toString() == "buy") ++buys[instId];
                }
            }
        }
        int fileChecksums = 0;
        for (const auto& [id, n] : checksums)
            fileChecksums += n;
        QCOMPARE(fileChecksums, 290);  // as ../shared/data/README.md states

        // Ticks and lots of these instruments in 2022 (the finest steps their strings use).
        const OkxInstrument instruments[] = {{"BTC-USDT", "0.1", "0.00000001"},
                                             {"BTC-USD-220527", "0.1", "1"},
                                             {"UNI-USD-SWAP", "0.001", "1"}};
        std::vector<std::unique_ptr<MirrorListener>> listeners;
        std::vector<std::unique_ptr<OkxAdapter>> adapters;
        for (const OkxInstrument& i : instruments) {
            listeners.push_back(std::make_unique<MirrorListener>());
            adapters.push_back(std::make_unique<OkxAdapter>(
                i.instId,
                Instrument(i.instId, *DecimalStep::parse(i.tick), *DecimalStep::parse(i.lot)),
                *listeners.back()));
            adapters.back()->onConnected(frames.front().receiveNs);
        }
        for (const Frame& f : frames)
            for (auto& adapter : adapters)
                adapter->onMessage(
                    std::string_view(f.json.constData(), static_cast<std::size_t>(f.json.size())),
                    f.receiveNs);

        std::uint64_t verified = 0;
        for (std::size_t i = 0; i < adapters.size(); ++i) {
            const OkxAdapter& a = *adapters[i];
            const QString id = QString::fromLatin1(instruments[i].instId);
            const AdapterCounters& c = a.counters();
            QVERIFY2(a.problemSamples().empty(),
                     a.problemSamples().empty() ? "" : a.problemSamples().front().c_str());
            QCOMPARE(c.checksumFailures, std::uint64_t{0});
            QCOMPARE(c.parseErrors, std::uint64_t{0});
            QCOMPARE(c.gaps, std::uint64_t{0});
            QCOMPARE(c.resyncs, std::uint64_t{0});
            QCOMPARE(c.snapshots, std::uint64_t{1});
            QCOMPARE(a.checksumsVerified(), std::uint64_t(checksums[id]));
            QCOMPARE(a.checksumsAbsent(), std::uint64_t{0});
            QCOMPARE(c.appliedEvents + c.snapshots, std::uint64_t(checksums[id]));
            QCOMPARE(c.trades, std::uint64_t(trades[id]));
            const std::vector<Trade>& heard = listeners[i]->trades;
            QCOMPARE(static_cast<int>(heard.size()), trades[id]);
            QCOMPARE(static_cast<int>(
                         std::count_if(heard.begin(), heard.end(),
                                       [](const Trade& t) { return t.aggressor == Side::Bid; })),
                     buys[id]);
            QCOMPARE(listeners[i]->invalidReasons.size(), std::size_t{0});
            QVERIFY(listeners[i]->mirrorMatched());
            QCOMPARE(a.syncState(), SyncState::Live);
            QCOMPARE(a.book().state(), BookState::Normal);
            verified += a.checksumsVerified();
        }
        QCOMPARE(verified, std::uint64_t{290});
    }

    void everyKrakenV1ChecksumReproduces() {
        const std::vector<Frame> frames = readSession(kKrakenSession);
        QVERIFY2(!frames.empty(), qPrintable("cannot read " + kKrakenSession));
        constexpr std::size_t kDepth = 1000;  // the session subscribed with depth 1000

        std::map<QString, std::unique_ptr<KrakenPair>> pairs;
        int snapshots = 0, verified = 0, textMismatches = 0, integerMismatches = 0;
        for (const Frame& f : frames) {
            const QJsonDocument doc = QJsonDocument::fromJson(f.json);
            if (!doc.isArray()) continue;  // events: heartbeat, systemStatus, subscriptionStatus
            // [channelID, {book data}..., "book-1000", "PAIR"]
            const QJsonArray message = doc.array();
            QVERIFY(message.size() >= 4);
            const QString pairName = message.last().toString();
            const QJsonObject first = message[1].toObject();
            if (first.contains("as")) {
                // A snapshot: the pair's price precision is that of its strings.
                const int priceDecimals =
                    decimalsOf(first["as"].toArray()[0].toArray()[0].toString().toLatin1());
                const QByteArray tick =
                    priceDecimals == 0 ? "1" : "0." + QByteArray(priceDecimals - 1, '0') + "1";
                auto pair = std::make_unique<KrakenPair>(
                    Instrument(pairName.toStdString(), *DecimalStep::parse(tick.toStdString()),
                               *DecimalStep::parse("0.00000001")));
                for (const char* key : {"as", "bs"})
                    for (const QJsonValue level : first[key].toArray())
                        pair->apply(key[0] == 'b', level[0].toString().toLatin1(),
                                    level[1].toString().toLatin1());
                pair->truncate(kDepth);
                pairs[pairName] = std::move(pair);
                ++snapshots;
                continue;
            }
            QVERIFY2(pairs.count(pairName), qPrintable("update before snapshot for " + pairName));
            KrakenPair& pair = *pairs[pairName];
            QString checksum;
            // Level updates in message order; "r" marks republished levels, applied the same.
            for (qsizetype i = 1; i < message.size() - 2; ++i) {
                const QJsonObject part = message[i].toObject();
                for (const char* key : {"a", "b"})
                    for (const QJsonValue level : part[key].toArray())
                        pair.apply(key[0] == 'b', level[0].toString().toLatin1(),
                                   level[1].toString().toLatin1());
                if (part.contains("c")) checksum = part["c"].toString();
            }
            pair.truncate(kDepth);
            if (checksum.isEmpty()) continue;
            ++verified;
            const std::uint32_t expected = checksum.toUInt();
            if (pair.textChecksum() != expected) ++textMismatches;
            if (krakenBookChecksum(pair.book, pair.instrument) != expected) ++integerMismatches;
        }
        QCOMPARE(snapshots, 10);
        QCOMPARE(verified, 4269);  // as ../shared/data/README.md states
        QCOMPARE(textMismatches, 0);
        QCOMPARE(integerMismatches, 0);
        for (const auto& [name, pair] : pairs)
            QVERIFY2(pair->valuesOk, qPrintable(name + ": a price or volume off its step"));
    }
};

QTEST_GUILESS_MAIN(TestChecksumSessions)
#include "tst_checksum_sessions.moc"
