// flowscope-cli checksum end to end: runs the built binary with QProcess on books given on stdin,
// checks the printed checksums against the venues' documented examples and the test's own CRC-32,
// and checks that every kind of bad input exits 2 with a message naming the problem.
#include <QByteArray>
#include <QProcess>
#include <QStringList>
#include <QtTest>

namespace {

struct Run {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Run runChecksum(const QStringList& args, const QByteArray& input) {
    QProcess process;
    process.start(QStringLiteral(FLOWSCOPE_CLI), QStringList{"checksum"} + args);
    Run run;
    if (!process.waitForStarted(10000)) return run;
    process.write(input);
    process.closeWriteChannel();
    if (!process.waitForFinished(10000)) return run;
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

// Bitwise CRC-32 (reflected 0xEDB88320) as OKX reads it: signed.
qint32 signedCrc32(const QByteArray& bytes) {
    quint32 crc = 0xFFFFFFFFu;
    for (const char c : bytes) {
        crc ^= static_cast<quint8>(c);
        for (int k = 0; k < 8; ++k)
            crc = (crc & 1u) ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
    }
    return static_cast<qint32>(~crc);
}

// Kraken's documented v1 example book (docs.kraken.com, "Book checksum (WebSocket v1)").
QByteArray krakenV1Example(int extraBids = 0) {
    const char* asks[] = {"0.05005", "0.05010", "0.05015", "0.05020", "0.05025",
                          "0.05030", "0.05035", "0.05040", "0.05045", "0.05050"};
    const char* bids[] = {"0.05000", "0.04995", "0.04990", "0.04980", "0.04975",
                          "0.04970", "0.04965", "0.04960", "0.04955", "0.04950"};
    QByteArray json = "{\"bids\": [";
    for (int i = 0; i < 10; ++i)
        json += QByteArray(i ? ", " : "") + "[\"" + bids[i] + "\", \"0.00000500\"]";
    for (int i = 0; i < extraBids; ++i)
        json += ", [\"0.0400" + QByteArray::number(9 - i) + "\", \"1.00000000\"]";
    json += "],\n \"asks\": [";
    for (int i = 0; i < 10; ++i)
        json += QByteArray(i ? ", " : "") + "[\"" + asks[i] + "\", \"0.00000500\"]";
    return json + "]}\n";
}

const QByteArray kOkxEven =
    "{\"bids\": [[\"3366.1\", \"7\"], [\"3366\", \"6\"]], \"asks\": [[\"3366.8\", \"9\"], "
    "[\"3368\", \"8\"]]}";

}  // namespace

class TestCliChecksum : public QObject {
    Q_OBJECT

  private slots:
    void krakenDocumentedExample() {
        const Run run = runChecksum({"--venue", "kraken"}, krakenV1Example());
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(run.out, QByteArray("974947235\n"));
        QVERIFY(run.err.isEmpty());
        // Levels past the tenth are not part of Kraken's checksum.
        QCOMPARE(runChecksum({"--venue", "kraken"}, krakenV1Example(3)).out,
                 QByteArray("974947235\n"));
    }

    void okxDocumentedExamples() {
        Run run = runChecksum({"--venue", "okx"}, kOkxEven);
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(run.out, QByteArray("-1881014294\n"));
        run =
            runChecksum({"--venue=okx"},
                        "{\"asks\": [[\"3366.8\", \"9\"], [\"3368\", \"8\"], [\"3372\", \"8\"]],\n"
                        "                              \"bids\": [[\"3366.1\", \"7\"]], \"ts\": "
                        "\"1\", \"extra\": {\"a\": [1, true]}}");
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(run.out, QByteArray("831078360\n"));
    }

    void depthTruncatesBothSidesFirst() {
        const Run run = runChecksum({"--venue", "okx", "--depth", "1"}, kOkxEven);
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(run.out, QByteArray::number(signedCrc32("3366.1:7:3366.8:9")) + "\n");
    }

    void emptyBookChecksumsTheEmptyString() {
        for (const char* venue : {"kraken", "okx"}) {
            const Run run = runChecksum({"--venue", venue}, "{\"bids\": [], \"asks\": []}");
            QCOMPARE(run.exitCode, 0);
            QCOMPARE(run.out, QByteArray("0\n"));  // CRC-32 of no bytes
        }
    }

    void badInputExitsTwoWithAMessage_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QByteArray>("message");
        const QStringList okx{"--venue", "okx"};
        QTest::newRow("malformed JSON") << okx << QByteArray("{\"bids\": [[\"1\", \"2\"]\n,,")
                                        << QByteArray("line 2, column 2");
        QTest::newRow("not an object") << okx << QByteArray("[1, 2]") << QByteArray("expected '{'");
        QTest::newRow("empty input") << okx << QByteArray() << QByteArray("end of input");
        QTest::newRow("asks missing")
            << okx << QByteArray("{\"bids\": [[\"1\", \"2\"]]}") << QByteArray("no \"asks\"");
        QTest::newRow("bids missing")
            << okx << QByteArray("{\"asks\": [[\"1\", \"2\"]]}") << QByteArray("no \"bids\"");
        QTest::newRow("price a number")
            << okx << QByteArray("{\"bids\": [[3366.1, \"7\"]], \"asks\": []}")
            << QByteArray("bids[0] price is not a string");
        QTest::newRow("garbage size")
            << okx << QByteArray("{\"bids\": [], \"asks\": [[\"3366.8\", \"9x\"]]}")
            << QByteArray("asks[0] size \"9x\" is not a plain decimal");
        QTest::newRow("negative size") << QStringList{"--venue", "kraken"}
                                       << QByteArray("{\"bids\": [[\"1\", \"-2\"]], \"asks\": []}")
                                       << QByteArray("bids[0] size \"-2\"");
        QTest::newRow("exponent price")
            << okx << QByteArray("{\"bids\": [[\"1e3\", \"2\"]], \"asks\": []}")
            << QByteArray("bids[0] price \"1e3\"");
        QTest::newRow("level of three")
            << okx << QByteArray("{\"bids\": [[\"1\", \"2\", \"3\"]], \"asks\": []}")
            << QByteArray("bids[0] has more than 2 elements");
        QTest::newRow("level not an array")
            << okx << QByteArray("{\"bids\": [], \"asks\": [{\"px\": \"1\"}]}")
            << QByteArray("asks[0] is not a [price, size] array");
        QTest::newRow("bids not best first")
            << okx
            << QByteArray("{\"bids\": [[\"3366\", \"6\"], [\"3366.1\", \"7\"]], \"asks\": []}")
            << QByteArray("bids[1] price 3366.1 is not below bids[0]");
        QTest::newRow("asks repeat a price")
            << okx
            << QByteArray("{\"bids\": [], \"asks\": [[\"3368\", \"6\"], [\"3368.0\", \"7\"]]}")
            << QByteArray("asks[1] price 3368.0 is not above asks[0]");
        QTest::newRow("trailing text") << okx << QByteArray("{\"bids\": [], \"asks\": []} x")
                                       << QByteArray("unexpected text after");
        QTest::newRow("unknown venue")
            << QStringList{"--venue", "kraken-futures"} << kOkxEven
            << QByteArray(
                   "binance-spot, binance-usdm, kraken, okx, coinbase, bybit, bybit-linear, "
                   "okx-swap");
        QTest::newRow("venue without checksums")
            << QStringList{"--venue", "binance"} << kOkxEven
            << QByteArray("binance-spot publishes no book checksum");
        QTest::newRow("venue missing")
            << QStringList{} << kOkxEven << QByteArray("missing --venue");
        QTest::newRow("depth zero")
            << QStringList{"--venue", "okx", "--depth", "0"} << kOkxEven << QByteArray("--depth");
        QTest::newRow("unknown option") << QStringList{"--venue", "okx", "--levels", "3"}
                                        << kOkxEven << QByteArray("unknown option --levels");
    }

    void badInputExitsTwoWithAMessage() {
        QFETCH(QStringList, args);
        QFETCH(QByteArray, input);
        QFETCH(QByteArray, message);
        const Run run = runChecksum(args, input);
        QCOMPARE(run.exitCode, 2);
        QVERIFY(run.out.isEmpty());
        QVERIFY2(run.err.contains(message), run.err.constData());
    }

    void helpGoesToStdout() {
        const Run run = runChecksum({"--help"}, {});
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.out.contains("usage: flowscope-cli checksum"));
    }
};

QTEST_GUILESS_MAIN(TestCliChecksum)
#include "tst_cli_checksum.moc"
