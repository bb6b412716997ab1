// flowscope-cli replay and ofi --recording end to end on the real Binance capture: the final book
// is checked against the test's own book built straight from the capture's JSON (Qt's parser, a
// map of decimal strings: no core code), a Flowscope recording of the same messages replays to
// the same output, and bad input exits 2 with a message naming the problem.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <map>

#include "record/recording_file.h"

namespace {

const QString kCapture = QStringLiteral(FLOWSCOPE_TEST_DATA "/binance/spot_btcusdt_20240808.gz");

struct Run {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Run runCli(const QStringList& args) {
    QProcess p;
    p.start(QStringLiteral(FLOWSCOPE_CLI), args);
    Run r;
    if (!p.waitForStarted(10000) || !p.waitForFinished(120000)) return r;
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

QList<QByteArray> captureLines() {
    QProcess gunzip;
    gunzip.start("gzip", {"-dc", kCapture});
    gunzip.waitForFinished(60000);
    return gunzip.readAllStandardOutput().split('\n');
}

/// Binance's local book, by the documented procedure, over decimal strings.
struct ReferenceBook {
    // Keyed by the price's numeric value so ordering is right; the text is kept as sent.
    std::map<double, std::pair<QString, QString>> bids, asks;
    qint64 lastUpdateId = -1;

    static void apply(std::map<double, std::pair<QString, QString>>& side,
                      const QJsonArray& levels) {
        for (const QJsonValue& v : levels) {
            const QString price = v[0].toString();
            const QString size = v[1].toString();
            if (size.toDouble() == 0.0) {
                side.erase(price.toDouble());
            } else {
                side[price.toDouble()] = {price, size};
            }
        }
    }
};

QJsonArray topLevels(const std::map<double, std::pair<QString, QString>>& side, bool bids,
                     int depth) {
    QJsonArray out;
    auto add = [&](const std::pair<QString, QString>& level) {
        out.append(QJsonArray{level.first, level.second});
    };
    if (bids) {
        for (auto it = side.rbegin(); it != side.rend() && out.size() < depth; ++it)
            add(it->second);
    } else {
        for (auto it = side.begin(); it != side.end() && out.size() < depth; ++it)
            add(it->second);
    }
    return out;
}

}  // namespace

class TestCliReplay : public QObject {
    Q_OBJECT

  private slots:
    void initTestCase() { QVERIFY2(QFile::exists(kCapture), qPrintable(kCapture)); }

    void replayEndsWithTheVenuesBookAndCounters() {
        ReferenceBook book;
        std::vector<QJsonObject> pending;
        int depthEvents = 0;
        for (const QByteArray& line : captureLines()) {
            const qsizetype space = line.indexOf(' ');
            if (space < 0) continue;
            const QJsonObject msg = QJsonDocument::fromJson(line.mid(space + 1)).object();
            if (msg.contains("lastUpdateId")) {
                book.lastUpdateId = msg["lastUpdateId"].toInteger();
                ReferenceBook::apply(book.bids, msg["bids"].toArray());
                ReferenceBook::apply(book.asks, msg["asks"].toArray());
                continue;
            }
            const QJsonObject data = msg["data"].toObject();
            if (data["e"].toString() != "depthUpdate") continue;
            ++depthEvents;
            pending.push_back(data);
            if (book.lastUpdateId < 0) continue;
            for (const QJsonObject& event : pending) {
                if (event["u"].toInteger() <= book.lastUpdateId) continue;
                ReferenceBook::apply(book.bids, event["b"].toArray());
                ReferenceBook::apply(book.asks, event["a"].toArray());
                book.lastUpdateId = event["u"].toInteger();
            }
            pending.clear();
        }
        QCOMPARE(depthEvents, 3451);

        const Run r = runCli({"replay", kCapture, "--venue", "binance-spot", "--depth", "20"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject out = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(out["venue"].toString(), QString("binance-spot"));
        QCOMPARE(out["symbol"].toString(), QString("BTCUSDT"));  // read from the messages
        QVERIFY(out["synced"].toBool());
        QCOMPARE(out["bids"].toArray(), topLevels(book.bids, true, 20));
        QCOMPARE(out["asks"].toArray(), topLevels(book.asks, false, 20));
        const QJsonObject c = out["counters"].toObject();
        QCOMPARE(c["messages"].toInt(), 41249);
        QCOMPARE(c["applied_events"].toInt(), 3449);
        QCOMPARE(c["dropped_before_sync"].toInt(), 2);
        QCOMPARE(c["gaps"].toInt(), 0);
        QCOMPARE(c["resyncs"].toInt(), 0);
        QCOMPARE(c["checksum_failures"].toInt(), 0);
        QCOMPARE(c["parse_errors"].toInt(), 0);
        QCOMPARE(c["trades"].toInt(), 9757);
    }

    void aRecordingOfTheSameMessagesReplaysIdentically() {
        QTemporaryDir dir;
        const QString path = dir.filePath("btc.rec");
        {
            auto capture = flowscope::record::openRecording(kCapture.toStdString());
            flowscope::record::RecordingHeader header;
            header.venue = "binance-spot";
            header.symbol = "BTCUSDT";
            flowscope::record::RecordingWriter writer(path.toStdString(), header);
            flowscope::record::Record rec;
            while (capture->next(rec))
                writer.append(rec.kind, rec.receiveNs, rec.payload);
            writer.close();
        }
        const Run fromCapture = runCli({"replay", kCapture, "--venue", "binance-spot"});
        // The recording names its venue and symbol in its header: no options needed.
        const Run fromRecording = runCli({"replay", path});
        QVERIFY2(fromRecording.exitCode == 0, fromRecording.err.constData());
        QCOMPARE(fromRecording.out, fromCapture.out);
        // Paced replay (here 2000x: the six minutes in under a second) gives the same result.
        const Run paced = runCli({"replay", path, "--speed", "2000"});
        QCOMPARE(paced.out, fromCapture.out);
    }

    void cleanStopIsNoResyncButALostConnectionIs() {
        QTemporaryDir dir;
        // What `record` writes: the capture's records, then the clean stop's Disconnected record
        // ("stopped"); and the same ended by a dropped connection instead.
        auto write = [&](const QString& path, const char* lastReason) {
            auto capture = flowscope::record::openRecording(kCapture.toStdString());
            flowscope::record::RecordingHeader header;
            header.venue = "binance-spot";
            header.symbol = "BTCUSDT";
            flowscope::record::RecordingWriter writer(path.toStdString(), header);
            flowscope::record::Record rec;
            std::int64_t lastNs = 0;
            while (capture->next(rec)) {
                writer.append(rec.kind, rec.receiveNs, rec.payload);
                lastNs = rec.receiveNs;
            }
            writer.append(flowscope::record::RecordKind::Disconnected, lastNs + 1, lastReason);
            writer.close();
        };
        const QString clean = dir.filePath("clean.rec");
        const QString lost = dir.filePath("lost.rec");
        write(clean, "stopped");
        write(lost, "read: end of stream");

        const Run stopped = runCli({"replay", clean});
        QVERIFY2(stopped.exitCode == 0, stopped.err.constData());
        const QJsonObject out = QJsonDocument::fromJson(stopped.out).object();
        QVERIFY(out["synced"].toBool());
        QCOMPARE(out["counters"].toObject()["resyncs"].toInt(), 0);
        // The book is the session's last one: as replayed from the capture alone.
        const QJsonObject capture =
            QJsonDocument::fromJson(runCli({"replay", kCapture, "--venue", "binance-spot"}).out)
                .object();
        QCOMPARE(out["bids"].toArray(), capture["bids"].toArray());
        QCOMPARE(out["asks"].toArray(), capture["asks"].toArray());

        const Run dropped = runCli({"replay", lost});
        QVERIFY2(dropped.exitCode == 0, dropped.err.constData());
        const QJsonObject droppedOut = QJsonDocument::fromJson(dropped.out).object();
        QVERIFY(!droppedOut["synced"].toBool());
        QCOMPARE(droppedOut["counters"].toObject()["resyncs"].toInt(), 1);
    }

    void stdoutWriteFailureExitsOneWithAMessage() {
        QProcess p;
        p.setStandardOutputFile("/dev/full");
        p.start(QStringLiteral(FLOWSCOPE_CLI), {"replay", kCapture, "--venue", "binance-spot"});
        QVERIFY(p.waitForFinished(120000));
        QCOMPARE(p.exitCode(), 1);
        QVERIFY2(p.readAllStandardError().contains("standard output: write failed"), "no message");
    }

    void ofiOnARecordingCountsEveryAppliedUpdate() {
        const Run r = runCli({"ofi", "--recording", kCapture, "--venue", "binance-spot", "--levels",
                              "2", "--interval", "30"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QList<QByteArray> lines = r.out.trimmed().split('\n');
        QCOMPARE(lines.takeFirst(), QByteArray("start,end,events,mid_change,ofi_1,ofi_2"));
        long events = 0;
        double midSum = 0;
        qint64 previousStart = 0;
        for (const QByteArray& line : lines) {
            const QList<QByteArray> f = line.split(',');
            QCOMPARE(f.size(), 6);
            const qint64 start = f[0].toLongLong();
            QCOMPARE(start % 30, qint64{0});  // [k*S, (k+1)*S) in epoch seconds
            QCOMPARE(f[1].toLongLong(), start + 30);
            QVERIFY(start > previousStart);
            previousStart = start;
            events += f[2].toLong();
            midSum += f[3].toDouble();
        }
        QCOMPARE(events, 3449L);  // one event per applied book update message
        // Window mid changes chain: their sum is the last mid minus the snapshot's mid.
        const Run book = runCli({"replay", kCapture, "--venue", "binance-spot", "--depth", "1"});
        const QJsonObject out = QJsonDocument::fromJson(book.out).object();
        const double lastMid =
            (out["bids"][0][0].toString().toDouble() + out["asks"][0][0].toString().toDouble()) / 2;
        const double snapshotMid = (61837.63 + 61837.64) / 2;  // the capture's REST snapshot
        QVERIFY2(
            std::abs(midSum - (lastMid - snapshotMid)) < 1e-6,
            qPrintable(QString::number(midSum) + " vs " + QString::number(lastMid - snapshotMid)));
    }

    void badInputExitsTwoWithTheReason_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("capture without venue") << QStringList{"replay", kCapture} << "--venue";
        QTest::newRow("unknown venue")
            << QStringList{"replay", kCapture, "--venue", "mtgox"} << "binance-spot, binance-usdm";
        QTest::newRow("missing file")
            << QStringList{"replay", "/nonexistent/x.rec"} << "/nonexistent/x.rec";
        QTest::newRow("not a recording")
            << QStringList{"replay",
                           QStringLiteral(
                               FLOWSCOPE_TEST_DATA
                               "/lobster/"
                               "AAPL_2012-06-21_34200000_57600000_message_10.first999.csv")}
            << "neither a Flowscope recording nor a gzip capture";
        QTest::newRow("zero speed")
            << QStringList{"replay", kCapture, "--venue", "binance", "--speed", "0"} << "--speed";
        QTest::newRow("two files") << QStringList{"replay", kCapture, kCapture} << "exactly one";
        QTest::newRow("kraken pair without steps")
            << QStringList{"replay", kCapture, "--venue", "kraken", "--symbol", "DOGE/USD"}
            << "--tick and --lot";
        QTest::newRow("ofi recording and lobster files")
            << QStringList{"ofi",      "--recording", kCapture,     "--messages", "m.csv",
                           "--levels", "1",           "--interval", "1"}
            << "one input";
        QTest::newRow("watch without symbol")
            << QStringList{"watch", "--venue", "okx"} << "--symbol";
        QTest::newRow("watch with a plain-text url")
            << QStringList{"watch",    "--venue",         "okx", "--symbol", "BTC-USDT",
                           "--ws-url", "ws://127.0.0.1:1"}
            << "TLS";
        QTest::newRow("record without out")
            << QStringList{"record", "--venue", "okx", "--symbol", "BTC-USDT"} << "--out";
    }
    void badInputExitsTwoWithTheReason() {
        QFETCH(QStringList, args);
        QFETCH(QString, mentions);
        const Run r = runCli(args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(QString(r.err).contains(mentions), r.err.constData());
        QVERIFY(r.out.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestCliReplay)
#include "tst_cli_replay.moc"
