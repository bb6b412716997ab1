// flowscope-cli watch and record + replay against the loopback exchange over TLS, with faults
// injected while they run: the book they print at the end is exactly the server's.
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <sys/resource.h>

#include <QFileInfo>
#include <csignal>

#include "exchange_process.h"
#include "record/recording_file.h"

using flowscope::testing::ExchangeProcess;

namespace {

QStringList endpointArgs(const ExchangeProcess& exchange) {
    return {"--ws-url",   QString::fromStdString(exchange.wsUrl()),
            "--rest-url", QString::fromStdString(exchange.restUrl()),
            "--ca-file",  QString::fromStdString(exchange.caFile())};
}

/// Starts the CLI, injects `faults` at their times (ms after start) while it runs, then pauses
/// the market `pauseAtMs` after start and waits for the CLI to end.
struct CliRun {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

CliRun runWithFaults(ExchangeProcess& exchange, const QStringList& args,
                     const QList<QPair<int, QByteArray>>& faults, int pauseAtMs) {
    QProcess cli;
    cli.start(QStringLiteral(FLOWSCOPE_CLI), args);
    CliRun run;
    if (!cli.waitForStarted(5000)) return run;
    QElapsedTimer clock;
    clock.start();
    auto pending = faults;
    pending.append({pauseAtMs, "pause"});
    for (const auto& [atMs, command] : pending) {
        while (clock.elapsed() < atMs)
            QTest::qWait(10);
        if (const QByteArray answer = exchange.command(command); !answer.startsWith("ok"))
            qWarning("exchange refused %s: %s", command.constData(), answer.constData());
    }
    cli.waitForFinished(20000);
    run.exitCode = cli.exitStatus() == QProcess::NormalExit ? cli.exitCode() : -1;
    run.out = cli.readAllStandardOutput();
    run.err = cli.readAllStandardError();
    return run;
}

}  // namespace

class TestCliWatch : public QObject {
    Q_OBJECT

  private slots:
    void watchShowsTheServersBookThroughFaults() {
        ExchangeProcess exchange({"--rate", "300"});
        const CliRun run = runWithFaults(
            exchange,
            QStringList{"watch", "--venue", "binance-spot", "--symbol", "BTCUSDT", "--depth", "10",
                        "--duration", "4"} +
                endpointArgs(exchange),
            {{1000, "fault skip"}, {1600, "fault drop"}, {2200, "fault malformed"}}, 3200);
        QVERIFY2(run.exitCode == 0, (QByteArray::number(run.exitCode) + " " + run.err).constData());
        const QJsonObject out = QJsonDocument::fromJson(run.out).object();
        QVERIFY2(out["synced"].toBool(), run.out.constData());
        QCOMPARE(out["state"].toString(), QString("live"));
        const QJsonObject server = QJsonDocument::fromJson(exchange.book(10)).object();
        // Same strings: the exchange prints 8 decimals like Binance, and watch prints them back.
        QCOMPARE(out["bids"].toArray(), server["bids"].toArray());
        QCOMPARE(out["asks"].toArray(), server["asks"].toArray());
        const QJsonObject c = out["counters"].toObject();
        QVERIFY(c["gaps"].toInt() >= 1);
        QVERIFY(c["resyncs"].toInt() >= 2);
        QVERIFY(c["parse_errors"].toInt() >= 1);
        // The reconnect and the venue problems were reported on stderr as they happened.
        QVERIFY2(run.err.contains("disconnected"), run.err.constData());
        QVERIFY2(run.err.contains("gap"), run.err.constData());
    }

    void recordingReplaysToTheServersBook() {
        QTemporaryDir dir;
        const QString file = dir.filePath("feed.rec");
        ExchangeProcess exchange({"--rate", "300"});
        const CliRun recorded =
            runWithFaults(exchange,
                          QStringList{"record", "--venue", "binance-spot", "--symbol", "BTCUSDT",
                                      "--out", file, "--duration", "3"} +
                              endpointArgs(exchange),
                          {{800, "fault duplicate"}, {1300, "fault drop"}}, 2300);
        QVERIFY2(recorded.exitCode == 0, recorded.err.constData());
        const QJsonObject summary = QJsonDocument::fromJson(recorded.out).object();
        QVERIFY(summary["records"].toInt() > 20);
        QVERIFY(summary["synced"].toBool());

        QProcess replay;
        replay.start(QStringLiteral(FLOWSCOPE_CLI), {"replay", file, "--depth", "10"});
        QVERIFY(replay.waitForFinished(20000));
        QCOMPARE(replay.exitCode(), 0);
        const QJsonObject out = QJsonDocument::fromJson(replay.readAllStandardOutput()).object();
        QCOMPARE(out["venue"].toString(), QString("binance-spot"));  // from the header
        const QJsonObject server = QJsonDocument::fromJson(exchange.book(10)).object();
        QCOMPARE(out["bids"].toArray(), server["bids"].toArray());
        QCOMPARE(out["asks"].toArray(), server["asks"].toArray());
    }

    void recordIntoAFullFileSystemStopsAtOnceAndStillSummarises() {
        QTemporaryDir dir;
        const QString file = dir.filePath("full.rec");
        ExchangeProcess exchange({"--rate", "300"});
        // The file may not grow past 60 kB: write() then fails with EFBIG, as a full disk
        // fails with ENOSPC (SIGXFSZ ignored, so the process lives to report it).
        constexpr rlim_t kLimitBytes = 60'000;
        QProcess cli;
        cli.setChildProcessModifier([] {
            const rlimit limit{kLimitBytes, kLimitBytes};
            ::setrlimit(RLIMIT_FSIZE, &limit);
            std::signal(SIGXFSZ, SIG_IGN);
        });
        QElapsedTimer clock;
        clock.start();
        cli.start(QStringLiteral(FLOWSCOPE_CLI),
                  QStringList{"record", "--venue", "binance-spot", "--symbol", "BTCUSDT", "--out",
                              file, "--duration", "120"} +
                      endpointArgs(exchange));
        QVERIFY(cli.waitForFinished(60000));  // on main it recorded (nothing) for 120 s
        QVERIFY(clock.elapsed() < 60000);
        QCOMPARE(cli.exitCode(), 1);
        const QByteArray err = cli.readAllStandardError();
        QVERIFY2(err.contains("write failed") && err.contains("File too large") &&
                     err.contains("recording stopped"),
                 err.constData());
        const QJsonObject summary = QJsonDocument::fromJson(cli.readAllStandardOutput()).object();
        QVERIFY2(summary.contains("error"), err.constData());
        QCOMPARE(summary["file"].toString(), file);
        // The summary counts what the file holds: its size, and the records a reader gets back.
        QCOMPARE(summary["bytes"].toInteger(), QFileInfo(file).size());
        QVERIFY(QFileInfo(file).size() <= qint64(kLimitBytes));
        auto recording = flowscope::record::openRecording(file.toStdString());
        flowscope::record::Record rec;
        qint64 records = 0;
        while (recording->next(rec))
            ++records;
        QVERIFY(records > 0);
        QCOMPARE(summary["records"].toInteger(), records);
    }

    void recordWhoseHeaderCannotBeWrittenIsAWriteFailureNotAnExistingFile() {
        // A new file on a disk that takes not even the header: the writer creates the file,
        // then fails. That is a write failure (exit 1, summary), and the empty file this run
        // made goes; it is not "already exists" (which a second run would then say for real).
        QTemporaryDir dir;
        const QString file = dir.filePath("new.rec");
        ExchangeProcess exchange;
        QProcess cli;
        cli.setChildProcessModifier([] {
            const rlimit limit{8, 8};
            ::setrlimit(RLIMIT_FSIZE, &limit);
            std::signal(SIGXFSZ, SIG_IGN);
        });
        cli.start(QStringLiteral(FLOWSCOPE_CLI),
                  QStringList{"record", "--venue", "binance-spot", "--symbol", "BTCUSDT", "--out",
                              file, "--duration", "5"} +
                      endpointArgs(exchange));
        QVERIFY(cli.waitForFinished(20000));
        const QByteArray err = cli.readAllStandardError();
        QCOMPARE(cli.exitCode(), 1);
        QVERIFY2(err.contains("write failed") && !err.contains("already exists"), err.constData());
        const QJsonObject summary = QJsonDocument::fromJson(cli.readAllStandardOutput()).object();
        QCOMPARE(summary["records"].toInt(), 0);
        QVERIFY(summary.contains("error"));
        QVERIFY(!QFileInfo::exists(file));
    }

    void recordOntoDevFullSaysSoAndStillSummarises() {
        ExchangeProcess exchange;
        QProcess cli;
        cli.start(QStringLiteral(FLOWSCOPE_CLI),
                  QStringList{"record", "--venue", "binance-spot", "--symbol", "BTCUSDT", "--out",
                              "/dev/full", "--force", "--duration", "5"} +
                      endpointArgs(exchange));
        QVERIFY(cli.waitForFinished(20000));
        QCOMPARE(cli.exitCode(), 1);
        const QByteArray err = cli.readAllStandardError();
        QVERIFY2(err.contains("write failed") && err.contains("No space left on device"),
                 err.constData());
        const QJsonObject summary = QJsonDocument::fromJson(cli.readAllStandardOutput()).object();
        QCOMPARE(summary["records"].toInt(), 0);
        QCOMPARE(summary["bytes"].toInt(), 0);
        QVERIFY(summary["error"].toString().contains("No space left on device"));
    }

    void recordRefusesAnExistingFileWithoutForce() {
        QTemporaryDir dir;
        const QString file = dir.filePath("kept.rec");
        {
            QFile existing(file);
            QVERIFY(existing.open(QIODevice::WriteOnly));
            existing.write("precious");
        }
        ExchangeProcess exchange;
        QProcess cli;
        cli.start(QStringLiteral(FLOWSCOPE_CLI),
                  QStringList{"record", "--venue", "binance-spot", "--symbol", "BTCUSDT", "--out",
                              file, "--duration", "1"} +
                      endpointArgs(exchange));
        QVERIFY(cli.waitForFinished(20000));
        QCOMPARE(cli.exitCode(), 2);
        const QByteArray err = cli.readAllStandardError();
        QVERIFY2(err.contains("already exists") && err.contains("--force"), err.constData());
        QFile kept(file);
        QVERIFY(kept.open(QIODevice::ReadOnly));
        QCOMPARE(kept.readAll(), QByteArray("precious"));
        kept.close();

        QProcess forced;
        forced.start(QStringLiteral(FLOWSCOPE_CLI),
                     QStringList{"record", "--venue", "binance-spot", "--symbol", "BTCUSDT",
                                 "--out", file, "--duration", "1", "--force"} +
                         endpointArgs(exchange));
        QVERIFY(forced.waitForFinished(20000));
        QVERIFY2(forced.exitCode() == 0, forced.readAllStandardError().constData());
        QVERIFY(QFileInfo(file).size() > 8);
    }

    void watchWithoutAReachableVenueExitsOneWithTheReason() {
        ExchangeProcess exchange;
        // Trusting a different CA: every TLS handshake fails, the book never goes live.
        QProcess cli;
        cli.start(QStringLiteral(FLOWSCOPE_CLI),
                  {"watch", "--venue", "binance-spot", "--symbol", "BTCUSDT", "--duration", "1",
                   "--ws-url", QString::fromStdString(exchange.wsUrl()), "--rest-url",
                   QString::fromStdString(exchange.restUrl()), "--ca-file",
                   QString::fromStdString(exchange.otherCaFile())});
        QVERIFY(cli.waitForFinished(20000));
        QCOMPARE(cli.exitCode(), 1);
        const QByteArray err = cli.readAllStandardError();
        QVERIFY2(err.contains("certificate verify failed"), err.constData());
        const QJsonObject out = QJsonDocument::fromJson(cli.readAllStandardOutput()).object();
        QVERIFY(!out["synced"].toBool());
        QCOMPARE(out["state"].toString(), QString("disconnected"));
    }

    // Binance USD-M as Binance routes it since 2026-03-06: depth on /public, aggTrade on /market,
    // nothing on the legacy root. BTCUSDT's known instrument (tick 0.1, lot 0.001) is the
    // exchange's here, so the prices print back as the server wrote them.
    void watchUsdmEndsLiveWithTheServersBookAndTrades() {
        ExchangeProcess exchange(
            {"--binance-market", "usdm", "--rate", "300", "--tick", "0.1", "--lot", "0.001"});
        const CliRun run =
            runWithFaults(exchange,
                          QStringList{"watch", "--venue", "binance-usdm", "--symbol", "BTCUSDT",
                                      "--depth", "10", "--duration", "3"} +
                              endpointArgs(exchange),
                          {{1200, "fault drop"}}, 2400);
        QVERIFY2(run.exitCode == 0, (QByteArray::number(run.exitCode) + " " + run.err).constData());
        const QJsonObject out = QJsonDocument::fromJson(run.out).object();
        QVERIFY2(out["synced"].toBool(), run.out.constData());
        QCOMPARE(out["state"].toString(), QString("live"));
        const QJsonObject server = QJsonDocument::fromJson(exchange.book(10)).object();
        QCOMPARE(out["bids"].toArray(), server["bids"].toArray());
        QCOMPARE(out["asks"].toArray(), server["asks"].toArray());
        const QJsonObject c = out["counters"].toObject();
        QVERIFY2(c["trades"].toInt() > 0, run.out.constData());
        QCOMPARE(c["parse_errors"].toInt(), 0);
        QCOMPARE(c["gaps"].toInt(), 0);
        // Both sockets were dropped and both came back; the trade socket's own state is reported.
        QVERIFY2(run.err.contains("trades stream disconnected"), run.err.constData());
        QVERIFY2(run.err.contains("trades stream live"), run.err.constData());
    }

    // Both sockets' frames go into one recording in arrival order, and replay through the same
    // adapter to the server's book, trades included.
    void usdmRecordingOfBothSocketsReplaysToTheServersBook() {
        QTemporaryDir dir;
        const QString file = dir.filePath("usdm.rec");
        ExchangeProcess exchange(
            {"--binance-market", "usdm", "--rate", "300", "--tick", "0.1", "--lot", "0.001"});
        const CliRun recorded =
            runWithFaults(exchange,
                          QStringList{"record", "--venue", "binance-usdm", "--symbol", "BTCUSDT",
                                      "--out", file, "--duration", "3"} +
                              endpointArgs(exchange),
                          {{1300, "fault drop"}}, 2300);
        QVERIFY2(recorded.exitCode == 0, recorded.err.constData());
        QVERIFY(QJsonDocument::fromJson(recorded.out).object()["synced"].toBool());

        QProcess replay;
        replay.start(QStringLiteral(FLOWSCOPE_CLI), {"replay", file, "--depth", "10"});
        QVERIFY(replay.waitForFinished(20000));
        QCOMPARE(replay.exitCode(), 0);
        const QByteArray text = replay.readAllStandardOutput();
        const QJsonObject out = QJsonDocument::fromJson(text).object();
        QCOMPARE(out["venue"].toString(), QString("binance-usdm"));
        const QJsonObject server = QJsonDocument::fromJson(exchange.book(10)).object();
        QCOMPARE(out["bids"].toArray(), server["bids"].toArray());
        QCOMPARE(out["asks"].toArray(), server["asks"].toArray());
        QVERIFY2(out["counters"].toObject()["trades"].toInt() > 0, text.constData());
    }
};

QTEST_GUILESS_MAIN(TestCliWatch)
#include "tst_cli_watch.moc"
