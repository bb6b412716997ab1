// flowscope-cli alerts end to end. Expected firings are computed here from the inputs themselves:
// the LOBSTER book file's touch (spread, queue imbalance), `flowscope-cli signals` for windowed
// values, and the Binance capture's trade messages (cumulative delta, parsed with Qt's JSON).
// Bad rule files and bad usage exit 2 naming the problem.
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <functional>

namespace {

const QString kLobster = QStringLiteral(FLOWSCOPE_TEST_DATA "/lobster/");
const QString kMessages = kLobster + "AAPL_2012-06-21_34200000_57600000_message_10.first999.csv";
const QString kBook = kLobster + "AAPL_2012-06-21_34200000_57600000_orderbook_10.first999.csv";
const QString kCapture = QStringLiteral(FLOWSCOPE_TEST_DATA "/binance/spot_btcusdt_20240808.gz");
constexpr qint64 kEmptyAsk = 9999999999;  // LOBSTER's markers for a missing level
constexpr qint64 kEmptyBid = -9999999999;

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

QList<QByteArray> lines(const QByteArray& text) {
    QList<QByteArray> out = text.split('\n');
    while (!out.isEmpty() && out.back().isEmpty())
        out.pop_back();
    return out;
}

QList<QByteArray> fileLines(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) qFatal("cannot read %s", qPrintable(path));
    return lines(f.readAll());
}

/// "34200.00426064" -> 34200004260640 (exact: no floating point).
qint64 secondsToNs(const QByteArray& text) {
    const int dot = text.indexOf('.');
    if (dot < 0) return text.toLongLong() * 1'000'000'000;
    const QByteArray frac = text.mid(dot + 1).leftJustified(9, '0');
    return text.left(dot).toLongLong() * 1'000'000'000 + frac.toLongLong();
}

struct Firing {
    qint64 timeNs = 0;
    QByteArray rule;
    QByteArray values;
    bool operator==(const Firing& o) const {
        return timeNs == o.timeNs && rule == o.rule && values == o.values;
    }
};

QList<Firing> parseFirings(const QByteArray& csv) {
    QList<Firing> out;
    const auto rows = lines(csv);
    if (rows.isEmpty() || rows[0] != "time,rule,values") return {{-1, "bad header", csv.left(80)}};
    for (qsizetype i = 1; i < rows.size(); ++i) {
        const auto f = rows[i].split(',');
        out.push_back({secondsToNs(f.value(0)), f.value(1), f.value(2)});
    }
    return out;
}

/// Rising edges of `condition` over rows, with a cooldown, the semantics the CLI documents.
template <typename Row>
QList<Firing> risingEdges(const QList<Row>& rows, const QByteArray& rule,
                          const std::function<bool(const Row&)>& condition,
                          const std::function<QByteArray(const Row&)>& values,
                          const std::function<qint64(const Row&)>& time, qint64 cooldownNs = 0) {
    QList<Firing> out;
    bool was = false;
    qint64 last = std::numeric_limits<qint64>::min();
    for (const Row& r : rows) {
        const bool now = condition(r);
        if (now && !was && (out.isEmpty() || time(r) - last >= cooldownNs)) {
            out.push_back({time(r), rule, values(r)});
            last = time(r);
        }
        was = now;
    }
    return out;
}

struct Touch {
    qint64 timeNs;
    qint64 askPrice, askSize, bidPrice, bidSize;
    bool twoSided() const { return askPrice != kEmptyAsk && bidPrice != kEmptyBid; }
};

QList<Touch> lobsterTouch() {
    const auto messages = fileLines(kMessages);
    const auto book = fileLines(kBook);
    QList<Touch> out;
    for (qsizetype i = 0; i < messages.size(); ++i) {
        const auto b = book[i].split(',');
        out.push_back({secondsToNs(messages[i].split(',')[0]), b[0].toLongLong(), b[1].toLongLong(),
                       b[2].toLongLong(), b[3].toLongLong()});
    }
    return out;
}

QString writeRules(QTemporaryDir& dir, const QByteArray& text) {
    const QString path = dir.filePath("rules.txt");
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly)) qFatal("cannot write %s", qPrintable(path));
    f.write(text);
    return path;
}

QByteArray number(double v) {
    return QByteArray::number(v, 'g', 17);
}

}  // namespace

class TestCliAlerts : public QObject {
    Q_OBJECT

  private slots:
    void lobsterSpreadRuleFiresWhereTheBookFileWidens() {
        QTemporaryDir dir;
        const QString rules = writeRules(dir, "# wide touch\nwide: spread >= 300\n");
        const Run r =
            runCli({"alerts", "--rules", rules, "--messages", kMessages, "--book", kBook});
        QCOMPARE(r.exitCode, 0);
        const QList<Firing> expected = risingEdges<Touch>(
            lobsterTouch(), "wide",
            [](const Touch& t) { return t.twoSided() && t.askPrice - t.bidPrice >= 300; },
            [](const Touch& t) { return "spread=" + QByteArray::number(t.askPrice - t.bidPrice); },
            [](const Touch& t) { return t.timeNs; });
        QVERIFY(expected.size() >= 3);  // the sample must exercise the rule
        QCOMPARE(parseFirings(r.out), expected);
    }

    void lobsterHoldAndCooldownFollowTheQueueImbalance() {
        QTemporaryDir dir;
        const QString rules = writeRules(dir, "qi: queue_imbalance > 0.8 for 100ms cooldown 1s\n");
        const Run r =
            runCli({"alerts", "--rules", rules, "--messages", kMessages, "--book", kBook});
        QCOMPARE(r.exitCode, 0);
        // The hold in event time, written out over the book file's touch.
        const auto rows = lobsterTouch();
        QList<Firing> expected;
        qint64 since = -1, lastFired = -1;
        bool was = false;
        for (const Touch& t : rows) {
            const double qi = t.twoSided() ? static_cast<double>(t.bidSize - t.askSize) /
                                                 static_cast<double>(t.bidSize + t.askSize)
                                           : std::nan("");
            if (!(qi > 0.8))
                since = -1;
            else if (since < 0)
                since = t.timeNs;
            const bool now = since >= 0 && t.timeNs - since >= 100'000'000;
            if (now && !was && (lastFired < 0 || t.timeNs - lastFired >= 1'000'000'000)) {
                expected.push_back({t.timeNs, "qi", "queue_imbalance=" + number(qi)});
                lastFired = t.timeNs;
            }
            was = now;
        }
        QVERIFY(expected.size() >= 3);
        const QList<Firing> actual = parseFirings(r.out);
        QCOMPARE(actual.size(), expected.size());
        for (qsizetype i = 0; i < actual.size(); ++i) {
            QCOMPARE(actual[i].timeNs, expected[i].timeNs);
            const double printed =
                actual[i].values.mid(actual[i].values.indexOf('=') + 1).toDouble();
            QCOMPARE(printed, expected[i].values.mid(16).toDouble());
        }
    }

    void lobsterWindowedRuleMatchesTheSignalsCommand() {
        QTemporaryDir dir;
        const QString rules =
            writeRules(dir, "buyers: buy_volume(100ev) > 500 and trade_imbalance(100ev) > 0.5\n");
        const Run alerts =
            runCli({"alerts", "--rules", rules, "--messages", kMessages, "--book", kBook});
        const Run signalsRun = runCli({"signals", "--messages", kMessages, "--book", kBook});
        QCOMPARE(alerts.exitCode, 0);
        QCOMPARE(signalsRun.exitCode, 0);
        auto rows = lines(signalsRun.out);
        const QList<QByteArray> header = rows.takeFirst().split(',');
        const auto buy = header.indexOf("buy_100ev");
        const auto imbalance = header.indexOf("trade_imbalance_100ev");
        QVERIFY(buy > 0 && imbalance > 0);
        QList<QList<QByteArray>> table;
        for (const QByteArray& row : rows)
            table.push_back(row.split(','));
        using Row = QList<QByteArray>;
        const QList<Firing> expected = risingEdges<Row>(
            table, "buyers",
            [&](const Row& r) {
                return r[buy].toLongLong() > 500 && r[imbalance].toDouble() > 0.5;
            },
            [&](const Row& r) {
                return "buy_volume(100ev)=" + r[buy] + ";trade_imbalance(100ev)=" + r[imbalance];
            },
            [](const Row& r) { return secondsToNs(r[0]); });
        QVERIFY(expected.size() >= 2);
        QCOMPARE(parseFirings(alerts.out), expected);
    }

    void binanceCumulativeDeltaRuleFiresAtTheCrossingTrades() {
        QTemporaryDir dir;
        // -15 BTC and +3 BTC in lots of 1e-8 BTC (BTCUSDT's size step).
        const QString rules =
            writeRules(dir, "dump: cum_delta < -1500000000\nrally: cum_delta > 300000000\n");
        const Run r =
            runCli({"alerts", "--rules", rules, "--replay", kCapture, "--venue", "binance-spot"});
        QCOMPARE(r.exitCode, 0);

        QProcess gunzip;
        gunzip.start("gzip", {"-dc", kCapture});
        QVERIFY(gunzip.waitForFinished(60000));
        // The engine's clock is the latest venue time seen (depth "E", trade "T"): trade and
        // depth streams interleave, and event time never runs backwards.
        qint64 clockMs = 0, delta = 0;
        bool dump = false, rally = false;
        QList<Firing> expected;
        for (const QByteArray& line : gunzip.readAllStandardOutput().split('\n')) {
            const auto space = line.indexOf(' ');
            if (space < 0) continue;
            const QJsonObject data =
                QJsonDocument::fromJson(line.mid(space + 1))["data"].toObject();
            const QString type = data["e"].toString();
            if (type == "depthUpdate")
                clockMs = std::max(clockMs, static_cast<qint64>(data["E"].toDouble()));
            if (type != "trade") continue;
            clockMs = std::max(clockMs, static_cast<qint64>(data["T"].toDouble()));
            const QString q = data["q"].toString();
            QCOMPARE(q.size() - q.indexOf('.') - 1, 8);  // exactly 8 decimals: lots of 1e-8
            const qint64 lots = QString(q).remove('.').toLongLong();
            delta += data["m"].toBool() ? -lots : lots;  // m: the buyer was the maker
            for (auto [name, flag, now] : {std::tuple{"dump", &dump, delta < -1500000000},
                                           std::tuple{"rally", &rally, delta > 300000000}}) {
                if (now && !*flag)
                    expected.push_back(
                        {clockMs * 1'000'000, name, "cum_delta=" + QByteArray::number(delta)});
                *flag = now;
            }
        }
        QVERIFY(expected.size() >= 4);
        QCOMPARE(parseFirings(r.out), expected);
    }

    void badRuleFileExitsTwoNamingFileLineAndColumn() {
        QTemporaryDir dir;
        const QString rules = writeRules(
            dir, "ok: spread > 1\n# next is wrong\nbad: spread <= 1 and ofi_zz(10s) > 2.5\n");
        const Run r =
            runCli({"alerts", "--rules", rules, "--messages", kMessages, "--book", kBook});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.out.isEmpty());
        QVERIFY2(r.err.contains((rules + ":3:22: unknown signal 'ofi_zz'").toUtf8()),
                 r.err.constData());
    }

    void deeplyNestedRuleExitsTwoInsteadOfCrashing() {
        // 10,000 nested parentheses overflowed the parser's stack: exit 139.
        QTemporaryDir dir;
        const QString rules = writeRules(
            dir, "r: " + QByteArray(10'000, '(') + "spread > 1" + QByteArray(10'000, ')') + "\n");
        const Run r =
            runCli({"alerts", "--rules", rules, "--messages", kMessages, "--book", kBook});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.out.isEmpty());
        // "r: " is 3 columns; the 101st '(' is at column 104.
        QVERIFY2(r.err.contains((rules + ":1:104: nesting deeper than 100").toUtf8()),
                 r.err.constData());
    }

    void usageErrorsExitTwo_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("no rules") << QStringList{"--messages", kMessages, "--book", kBook}
                                  << "missing --rules";
        QTest::newRow("no input") << QStringList{"--rules", "RULES"} << "give either --replay";
        QTest::newRow("both inputs") << QStringList{"--rules",    "RULES",   "--replay", kCapture,
                                                    "--messages", kMessages, "--book",   kBook}
                                     << "give either --replay";
        QTest::newRow("book missing")
            << QStringList{"--rules", "RULES", "--messages", kMessages} << "missing --book";
        QTest::newRow("rules unreadable")
            << QStringList{"--rules", "/nonexistent/rules.txt", "--messages", kMessages, "--book",
                           kBook}
            << "cannot read rules file '/nonexistent/rules.txt'";
        QTest::newRow("empty rules")
            << QStringList{"--rules", "EMPTY", "--messages", kMessages, "--book", kBook}
            << "no rules";
        QTest::newRow("capture without venue")
            << QStringList{"--rules", "RULES", "--replay", kCapture} << "give --venue";
        QTest::newRow("missing lobster file")
            << QStringList{"--rules", "RULES", "--messages", "/nonexistent.csv", "--book", kBook}
            << "/nonexistent.csv";
    }
    void usageErrorsExitTwo() {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        QTemporaryDir dir;
        const QString rules = writeRules(dir, "r: spread > 1\n");
        QFile empty(dir.filePath("empty.txt"));
        QVERIFY(empty.open(QIODevice::WriteOnly));
        empty.write("# only a comment\n");
        empty.close();
        args.replaceInStrings("RULES", rules);
        args.replaceInStrings("EMPTY", empty.fileName());
        const Run r = runCli(QStringList{"alerts"} + args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(message.toUtf8()), r.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestCliAlerts)
#include "tst_cli_alerts.moc"
