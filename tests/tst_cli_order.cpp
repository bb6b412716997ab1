// flowscope-cli order / cancel / open-orders end to end against the loopback exchange, keys in
// the child's environment: answers as JSON, venue rejects and risk blocks exit 1 with the reason,
// usage errors exit 2, and the key and secret never appear in anything the CLI prints.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTest>

#include "book/instrument.h"
#include "exchange_process.h"

using flowscope::testing::ExchangeProcess;

namespace {

constexpr const char* kKey = "cli-key-QWERTY1234567890";
constexpr const char* kSecret = "cli-secret-ZXCVBNM0987654321";

struct CliRun {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

class Cli {
  public:
    Cli(ExchangeProcess& exchange, QString key = kKey, QString secret = kSecret)
        : exchange_(exchange), key_(std::move(key)), secret_(std::move(secret)) {}

    CliRun run(const QString& command, const QStringList& args, bool withEndpoints = true,
               const QString& stdoutFile = {}) {
        QProcess cli;
        if (!stdoutFile.isEmpty()) cli.setStandardOutputFile(stdoutFile);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove("FLOWSCOPE_BINANCE_SPOT_API_KEY");
        env.remove("FLOWSCOPE_BINANCE_SPOT_API_SECRET");
        if (!key_.isEmpty()) env.insert("FLOWSCOPE_BINANCE_API_KEY", key_);
        if (!secret_.isEmpty()) env.insert("FLOWSCOPE_BINANCE_API_SECRET", secret_);
        cli.setProcessEnvironment(env);
        QStringList all{command};
        all += args;
        if (withEndpoints)
            all += {"--rest-url", QString::fromStdString(exchange_.restUrl()), "--ca-file",
                    QString::fromStdString(exchange_.caFile())};
        cli.start(QStringLiteral(FLOWSCOPE_CLI), all);
        CliRun result;
        if (!cli.waitForFinished(20000)) return result;
        result.exitCode = cli.exitStatus() == QProcess::NormalExit ? cli.exitCode() : -1;
        result.out = cli.readAllStandardOutput();
        result.err = cli.readAllStandardError();
        runs.push_back(result);
        return result;
    }

    std::vector<CliRun> runs;

  private:
    ExchangeProcess& exchange_;
    QString key_;
    QString secret_;
};

QStringList btc() {
    return {"--venue", "binance-spot", "--symbol", "BTCUSDT"};
}

/// The server's best bid as text with the symbol's two decimals (the control channel prints 8).
QString bestBidMinus(ExchangeProcess& exchange, double minus) {
    const QJsonObject book = QJsonDocument::fromJson(exchange.book(1)).object();
    const double bid = book["bids"].toArray()[0].toArray()[0].toString().toDouble();
    return QString::number(bid - minus, 'f', 2);
}

QByteArray describe(const CliRun& run) {
    return QByteArray::number(run.exitCode) + " out: " + run.out + " err: " + run.err;
}

void verifyNoSecrets(const std::vector<CliRun>& runs, const QByteArray& key,
                     const QByteArray& secret) {
    for (const CliRun& run : runs) {
        QVERIFY2(!run.out.contains(key) && !run.err.contains(key), describe(run).constData());
        QVERIFY2(!run.out.contains(secret) && !run.err.contains(secret), describe(run).constData());
    }
}

}  // namespace

class TestCliOrder : public QObject {
    Q_OBJECT

  private slots:
    void orderListCancelRoundTrip() {
        ExchangeProcess exchange({"--api-key", kKey, "--api-secret", kSecret});
        QVERIFY(exchange.command("pause").startsWith("ok"));
        Cli cli(exchange);
        const QString price = bestBidMinus(exchange, 5.0);
        const CliRun placed = cli.run(
            "order", btc() + QStringList{"--side", "buy", "--type", "limit", "--qty", "0.002",
                                         "--price", price, "--client-order-id", "cli-1"});
        QVERIFY2(placed.exitCode == 0, describe(placed).constData());
        const QJsonObject order = QJsonDocument::fromJson(placed.out).object();
        QCOMPARE(order["status"].toString(), QString("NEW"));
        QCOMPARE(order["clientOrderId"].toString(), QString("cli-1"));
        QCOMPARE(order["price"].toString(), price + "000000");

        const CliRun open = cli.run("open-orders", btc());
        QVERIFY2(open.exitCode == 0, describe(open).constData());
        const QJsonArray list = QJsonDocument::fromJson(open.out).array();
        QCOMPARE(list.size(), 1);
        QCOMPARE(list[0].toObject()["clientOrderId"].toString(), QString("cli-1"));

        const CliRun cancelled = cli.run(
            "cancel",
            btc() + QStringList{"--order-id", QString::number(order["orderId"].toInteger())});
        QVERIFY2(cancelled.exitCode == 0, describe(cancelled).constData());
        QCOMPARE(QJsonDocument::fromJson(cancelled.out).object()["status"].toString(),
                 QString("CANCELED"));

        // Cancelling again is Binance's -2011: exit 1, code and message on stderr.
        const CliRun again = cli.run("cancel", btc() + QStringList{"--client-order-id", "cli-1"});
        QCOMPARE(again.exitCode, 1);
        QVERIFY2(again.err.contains("-2011") && again.err.contains("Unknown order sent."),
                 again.err.constData());

        const CliRun market = cli.run(
            "order", btc() + QStringList{"--side", "sell", "--type", "market", "--qty", "0.001"});
        QVERIFY2(market.exitCode == 0, describe(market).constData());
        QCOMPARE(QJsonDocument::fromJson(market.out).object()["status"].toString(),
                 QString("FILLED"));
        verifyNoSecrets(cli.runs, kKey, kSecret);
    }

    void injectedClientOrderIdIsRefusedAndTouchesNoOtherOrder() {
        ExchangeProcess exchange({"--api-key", kKey, "--api-secret", kSecret});
        QVERIFY(exchange.command("pause").startsWith("ok"));
        Cli cli(exchange);
        const QString price = bestBidMinus(exchange, 5.0);
        const CliRun placed = cli.run(
            "order", btc() + QStringList{"--side", "buy", "--type", "limit", "--qty", "0.002",
                                         "--price", price, "--client-order-id", "victim"});
        QVERIFY2(placed.exitCode == 0, describe(placed).constData());
        const QString victimId =
            QString::number(QJsonDocument::fromJson(placed.out).object()["orderId"].toInteger());

        // On main this cancelled the victim (orderId overrode the unknown client id) and exit 0.
        const CliRun cancel =
            cli.run("cancel", btc() + QStringList{"--client-order-id", "nope&orderId=" + victimId});
        QCOMPARE(cancel.exitCode, 2);
        QVERIFY2(cancel.err.contains("--client-order-id") && cancel.err.contains("36"),
                 cancel.err.constData());
        QVERIFY(cancel.out.isEmpty());
        // On main this placed a SELL.
        const CliRun order = cli.run(
            "order", btc() + QStringList{"--side", "buy", "--type", "limit", "--qty", "0.002",
                                         "--price", price, "--client-order-id", "x&side=SELL"});
        QCOMPARE(order.exitCode, 2);
        // A 100 kB id (about the most one argument may hold) is quoted as a bounded excerpt, not
        // echoed whole.
        const CliRun huge =
            cli.run("cancel", btc() + QStringList{"--client-order-id", QString(100'000, 'a')});
        QCOMPARE(huge.exitCode, 2);
        QVERIFY2(huge.err.size() < 400, huge.err.left(400).constData());

        const CliRun open = cli.run("open-orders", btc());
        QVERIFY2(open.exitCode == 0, describe(open).constData());
        const QJsonArray list = QJsonDocument::fromJson(open.out).array();
        QCOMPARE(list.size(), 1);
        QCOMPARE(list[0].toObject()["clientOrderId"].toString(), QString("victim"));
        QCOMPARE(list[0].toObject()["side"].toString(), QString("BUY"));
        const QJsonObject stats =
            QJsonDocument::fromJson(exchange.command("stats").mid(3)).object()["orders"].toObject();
        QCOMPARE(stats["placed"].toInt(), 1);
        verifyNoSecrets(cli.runs, kKey, kSecret);
    }

    void answerLostOnAFailedStdoutExitsOneWithAMessage() {
        ExchangeProcess exchange({"--api-key", kKey, "--api-secret", kSecret});
        QVERIFY(exchange.command("pause").startsWith("ok"));
        Cli cli(exchange);
        const QString price = bestBidMinus(exchange, 5.0);
        const CliRun placed =
            cli.run("order",
                    btc() + QStringList{"--side", "buy", "--type", "limit", "--qty", "0.002",
                                        "--price", price, "--client-order-id", "lost-1"},
                    true, "/dev/full");
        QCOMPARE(placed.exitCode, 1);  // on main: 0, and the venue's answer gone
        QVERIFY2(placed.err.contains("standard output: write failed"), placed.err.constData());
        const CliRun open = cli.run("open-orders", btc(), true, "/dev/full");
        QCOMPARE(open.exitCode, 1);
        QVERIFY2(open.err.contains("standard output: write failed"), open.err.constData());
        const CliRun cancel = cli.run("cancel", btc() + QStringList{"--client-order-id", "lost-1"},
                                      true, "/dev/full");
        QCOMPARE(cancel.exitCode, 1);
        QVERIFY2(cancel.err.contains("standard output: write failed"), cancel.err.constData());
        // The cancel itself went through: only its printing failed.
        const CliRun after = cli.run("open-orders", btc());
        QCOMPARE(QJsonDocument::fromJson(after.out).array().size(), 0);
    }

    void riskBlockExitsOneNamingTheRuleAndSendsNoOrder() {
        ExchangeProcess exchange({"--api-key", kKey, "--api-secret", kSecret});
        QVERIFY(exchange.command("pause").startsWith("ok"));
        Cli cli(exchange);
        // 5% below the bid: outside the CLI's 1% band.
        const QJsonObject book = QJsonDocument::fromJson(exchange.book(1)).object();
        const double bid = book["bids"].toArray()[0].toArray()[0].toString().toDouble();
        const CliRun far = cli.run(
            "order", btc() + QStringList{"--side", "buy", "--type", "limit", "--qty", "0.001",
                                         "--price", QString::number(bid * 0.95, 'f', 2)});
        QCOMPARE(far.exitCode, 1);
        QVERIFY2(far.err.contains("price band"), far.err.constData());
        QVERIFY(far.out.isEmpty());
        const CliRun big = cli.run(
            "order", btc() + QStringList{"--side", "buy", "--type", "market", "--qty", "6"});
        QCOMPARE(big.exitCode, 1);
        QVERIFY2(big.err.contains("order size"), big.err.constData());
        const QJsonObject stats =
            QJsonDocument::fromJson(exchange.command("stats").mid(3)).object()["orders"].toObject();
        QCOMPARE(stats["placed"].toInt(), 0);
        QCOMPARE(stats["rejected"].toInt(), 0);
        verifyNoSecrets(cli.runs, kKey, kSecret);
    }

    void wrongSecretIsAVenueRejectThatNeverPrintsTheKeys() {
        ExchangeProcess exchange({"--api-key", kKey, "--api-secret", kSecret});
        const QString wrongSecret = "cli-wrong-secret-POIUYT";
        Cli cli(exchange, kKey, wrongSecret);
        const CliRun run = cli.run("open-orders", btc());
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("-1022"), run.err.constData());
        const CliRun order = cli.run(
            "order", btc() + QStringList{"--side", "buy", "--type", "market", "--qty", "0.001"});
        QCOMPARE(order.exitCode, 1);
        verifyNoSecrets(cli.runs, kKey, wrongSecret.toUtf8());
    }

    void usageErrorsExitTwo() {
        ExchangeProcess exchange({"--api-key", kKey, "--api-secret", kSecret});
        Cli cli(exchange);
        QCOMPARE(cli.run("order", {"--venue", "kraken", "--symbol", "BTC/USD", "--side", "buy",
                                   "--type", "market", "--qty", "0.001"})
                     .exitCode,
                 2);
        QVERIFY(cli.runs.back().err.contains("only binance-spot"));
        QCOMPARE(cli.run("order",
                         btc() + QStringList{"--side", "hold", "--type", "market", "--qty", "1"})
                     .exitCode,
                 2);
        QCOMPARE(
            cli.run("order", btc() + QStringList{"--side", "buy", "--type", "limit", "--qty", "1"})
                .exitCode,
            2);                                          // a limit order without --price
        QCOMPARE(cli.run("cancel", btc()).exitCode, 2);  // neither id
        QCOMPARE(cli.run("order", btc() + QStringList{"--side", "buy", "--type", "market", "--qty",
                                                      "0.000000001"})
                     .exitCode,
                 2);  // finer than the lot
        // A whole number of the book's lots (1e-8) but not of Binance's LOT_SIZE step 0.00001:
        // on main it reached the venue and came back -1013.
        const CliRun offStep = cli.run(
            "order", btc() + QStringList{"--side", "buy", "--type", "market", "--qty", "0.000015"});
        QCOMPARE(offStep.exitCode, 2);
        QVERIFY2(offStep.err.contains("order step") && offStep.err.contains("0.00001"),
                 offStep.err.constData());
        // Bad input is quoted bounded and escaped: a newline never splits the message.
        const CliRun newline = cli.run(
            "order", btc() + QStringList{"--side", "buy", "--type", "market", "--qty", "1\nX"});
        QCOMPARE(newline.exitCode, 2);
        QVERIFY2(newline.err.contains("'1\\nX'"), newline.err.constData());
        // A CA file that is not a certificate is a usage error, before any connection.
        const CliRun badCa =
            cli.run("open-orders",
                    btc() + QStringList{"--rest-url", QString::fromStdString(exchange.restUrl()),
                                        "--ca-file", QStringLiteral(FLOWSCOPE_CLI)},
                    false);
        QCOMPARE(badCa.exitCode, 2);
        QVERIFY2(badCa.err.contains("--ca-file"), badCa.err.constData());
        // An API key with a newline is refused locally (it would be sent as a header).
        Cli newlineKey(exchange, QString(kKey) + "\n", kSecret);
        const CliRun keyRun = newlineKey.run("open-orders", btc());
        QCOMPARE(keyRun.exitCode, 2);
        QVERIFY2(keyRun.err.contains("FLOWSCOPE_BINANCE_API_KEY"), keyRun.err.constData());
        verifyNoSecrets(newlineKey.runs, kKey, kSecret);
        Cli noKeys(exchange, "", "");
        QCOMPARE(noKeys.run("open-orders", btc()).exitCode, 2);
        QVERIFY(noKeys.runs.back().err.contains("FLOWSCOPE_BINANCE_SPOT_API_KEY"));
        QCOMPARE(QJsonDocument::fromJson(exchange.command("stats").mid(3))
                     .object()["orders"]
                     .toObject()["signedRequests"]
                     .toInt(),
                 0);
        verifyNoSecrets(cli.runs, kKey, kSecret);
    }
};

QTEST_GUILESS_MAIN(TestCliOrder)
#include "tst_cli_order.moc"
