// flowscope-cli watch and record + replay against the loopback exchange over TLS, with faults
// injected while they run: the book they print at the end is exactly the server's.
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include "exchange_process.h"

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
