// CaptureReader: the whole real Binance capture (counts per stream, the one REST snapshot,
// receive times, byte-exact payloads), line handling (CRLF, blank lines, a last line without
// newline, lines longer than the buffer), snapshot classification, and errors that name the file
// and line for malformed lines and damaged gzip streams.
//
// Expected counts come from the data README, checked by the test's own scan of the stream names;
// expected bytes come from the test's own gzread of the file.
#include <QDateTime>
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

#include <string>
#include <vector>

#include <zlib.h>

#include "record/capture_reader.h"

using namespace flowscope;
using namespace flowscope::record;

namespace {

const std::string kBinanceCapture = FLOWSCOPE_TEST_DATA "/binance/spot_btcusdt_20240808.gz";

struct Line {
    RecordKind kind;
    TimeNs receiveNs;
    std::string payload;
};

std::vector<Line> readAll(RecordSource& source) {
    std::vector<Line> out;
    Record record;
    while (source.next(record))
        out.push_back({record.kind, record.receiveNs, std::string(record.payload)});
    return out;
}

void writeGzip(const std::string& path, const std::string& text) {
    gzFile file = gzopen(path.c_str(), "wb");
    if (!file) qFatal("cannot create %s", path.c_str());
    if (!text.empty() && gzwrite(file, text.data(), unsigned(text.size())) != int(text.size()))
        qFatal("cannot write %s", path.c_str());
    gzclose(file);
}

/// The uncompressed size of a gzip file, by plain zlib.
std::uint64_t gunzippedSize(const std::string& path) {
    gzFile file = gzopen(path.c_str(), "rb");
    if (!file) return 0;
    std::vector<char> chunk(1 << 16);
    std::uint64_t total = 0;
    int got = 0;
    while ((got = gzread(file, chunk.data(), unsigned(chunk.size()))) > 0)
        total += unsigned(got);
    gzclose(file);
    return total;
}

TimeNs utcNs(int year, int month, int day, int hour, int minute, int second) {
    const QDateTime t(QDate(year, month, day), QTime(hour, minute, second), QTimeZone::utc());
    return TimeNs{t.toSecsSinceEpoch()} * 1'000'000'000;
}

constexpr std::size_t kNumberedLines = 20000;

std::string numberedJson(std::size_t i) {
    return "{\"n\":" + std::to_string(i * 7919 % 100003) + "}";
}

void writeBytes(const std::string& path, const QByteArray& bytes) {
    QFile out(QString::fromStdString(path));
    if (!out.open(QIODevice::WriteOnly)) qFatal("cannot write %s", path.c_str());
    out.write(bytes);
}

/// Writes a capture of kNumberedLines lines "<1000 + i> <numberedJson(i)>" and returns its bytes.
QByteArray numberedCapture(const std::string& path) {
    std::string text;
    for (std::size_t i = 0; i < kNumberedLines; ++i)
        text += std::to_string(1000 + i) + " " + numberedJson(i) + "\n";
    writeGzip(path, text);
    QFile in(QString::fromStdString(path));
    if (!in.open(QIODevice::ReadOnly)) qFatal("cannot read %s", path.c_str());
    return in.readAll();
}

bool startsWith(const std::string& s, std::string_view prefix) {
    return s.starts_with(prefix);
}

}  // namespace

class TestCaptureReader : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    std::string path(const char* name) const { return dir_.filePath(name).toStdString(); }

  private slots:
    void initTestCase() { QVERIFY(dir_.isValid()); }

    void readsTheWholeBinanceCapture() {
        if (!QFile::exists(QString::fromStdString(kBinanceCapture)))
            QSKIP("shared Binance capture absent");
        CaptureReader reader(kBinanceCapture);
        QVERIFY(reader.error().empty());
        QVERIFY(reader.header().venue.empty());
        QVERIFY(reader.header().symbol.empty());
        QCOMPARE(reader.header().formatVersion, std::uint32_t{0});

        std::size_t depth = 0, bookTicker = 0, trade = 0, other = 0, snapshots = 0;
        std::size_t snapshotLine = 0;
        std::uint64_t textBytes = 0;
        TimeNs first = 0, last = 0;
        std::size_t decreases = 0;
        Record record;
        std::size_t n = 0;
        while (reader.next(record)) {
            ++n;
            const std::string payload(record.payload);
            if (record.kind == RecordKind::RestSnapshot) {
                ++snapshots;
                snapshotLine = reader.lineNumber();
                QVERIFY(startsWith(payload, "{\"lastUpdateId\":50093239218,\"bids\":[["));
            } else {
                QCOMPARE(record.kind, RecordKind::WsMessage);
                if (startsWith(payload, "{\"stream\":\"btcusdt@depth@100ms\","))
                    ++depth;
                else if (startsWith(payload, "{\"stream\":\"btcusdt@bookTicker\","))
                    ++bookTicker;
                else if (startsWith(payload, "{\"stream\":\"btcusdt@trade\","))
                    ++trade;
                else
                    ++other;
            }
            if (n == 1)
                first = record.receiveNs;
            else if (record.receiveNs < last)
                ++decreases;
            last = record.receiveNs;
            // "<ns> <json>\n": what the line held, to compare with the file's size.
            textBytes += std::to_string(record.receiveNs).size() + 1 + record.payload.size() + 1;
        }
        QVERIFY2(reader.error().empty(), reader.error().c_str());
        QVERIFY(reader.warnings().empty());
        QCOMPARE(depth, std::size_t{3451});
        QCOMPARE(bookTicker, std::size_t{28040});
        QCOMPARE(trade, std::size_t{9757});
        QCOMPARE(other, std::size_t{0});
        QCOMPARE(depth + bookTicker + trade, std::size_t{41248});
        QCOMPARE(snapshots, std::size_t{1});
        QCOMPARE(snapshotLine, std::size_t{8});
        QCOMPARE(decreases, std::size_t{0});
        // README: 2024-08-08 23:54:13 to 2024-08-09 00:00:00 UTC.
        QVERIFY(first >= utcNs(2024, 8, 8, 23, 54, 13));
        QVERIFY(first < utcNs(2024, 8, 8, 23, 54, 14));
        QVERIFY(last >= utcNs(2024, 8, 8, 23, 59, 59));
        QVERIFY(last <= utcNs(2024, 8, 9, 0, 0, 0));
        // Every byte of the file is accounted for: nothing dropped, nothing altered in length.
        QCOMPARE(textBytes, gunzippedSize(kBinanceCapture));
    }

    void linesAreSplitExactly() {
        const std::string file = path("lines.gz");
        const std::string longJson =
            "{\"stream\":\"x\",\"data\":\"" + std::string(700'000, 'z') + "\"}";
        writeGzip(file,
                  "1 {\"a\":1}\r\n"
                  "\n"
                  "2 {\"b\":\"with spaces and \\\"quotes\\\"\"}\n"
                  "3 " +
                      longJson +
                      "\n"
                      "4 {\"last\":true}");
        CaptureReader reader(file);
        const auto lines = readAll(reader);
        QVERIFY2(reader.error().empty(), reader.error().c_str());
        QCOMPARE(lines.size(), std::size_t{4});
        QCOMPARE(lines[0].receiveNs, TimeNs{1});
        QCOMPARE(lines[0].payload, std::string("{\"a\":1}"));
        QCOMPARE(lines[1].payload, std::string("{\"b\":\"with spaces and \\\"quotes\\\"\"}"));
        QCOMPARE(lines[2].payload, longJson);
        QCOMPARE(lines[3].receiveNs, TimeNs{4});
        QCOMPARE(lines[3].payload, std::string("{\"last\":true}"));
        QCOMPARE(reader.lineNumber(), std::size_t{5});
    }

    void snapshotIsAnObjectWithTopLevelLastUpdateId_data() {
        QTest::addColumn<QString>("json");
        QTest::addColumn<bool>("snapshot");
        QTest::newRow("REST depth") << R"({"lastUpdateId":1,"bids":[],"asks":[]})" << true;
        QTest::newRow("key not first") << R"({"bids":[["1","2"]], "lastUpdateId" : 5})" << true;
        QTest::newRow("diff event") << R"({"stream":"s","data":{"U":1,"u":2}})" << false;
        QTest::newRow("partial depth stream")
            << R"({"stream":"btcusdt@depth20","data":{"lastUpdateId":1,"bids":[]}})" << false;
        QTest::newRow("as a value") << R"({"note":"lastUpdateId","x":1})" << false;
        QTest::newRow("escaped quote before") << "{\"a\":\"\\\"{\",\"lastUpdateId\":3}" << true;
        QTest::newRow("inside an array") << R"({"list":[{"lastUpdateId":1}]})" << false;
    }

    void snapshotIsAnObjectWithTopLevelLastUpdateId() {
        QFETCH(QString, json);
        QFETCH(bool, snapshot);
        const std::string file = path("classify.gz");
        writeGzip(file, "17 " + json.toStdString() + "\n");
        CaptureReader reader(file);
        const auto lines = readAll(reader);
        QVERIFY2(reader.error().empty(), reader.error().c_str());
        QCOMPARE(lines.size(), std::size_t{1});
        QCOMPARE(lines[0].kind, snapshot ? RecordKind::RestSnapshot : RecordKind::WsMessage);
        QCOMPARE(lines[0].payload, json.toStdString());
    }

    void malformedLineStopsWithFileAndLine_data() {
        QTest::addColumn<QString>("line");
        QTest::addColumn<QString>("reason");
        QTest::newRow("no timestamp") << R"({"lastUpdateId":1})"
                                      << "expected '<receive ns> <JSON>'";
        QTest::newRow("garbage") << "hello world"
                                 << "expected '<receive ns> <JSON>'";
        QTest::newRow("timestamp only") << "1723161253937085768"
                                        << "expected '<receive ns> <JSON>'";
        QTest::newRow("not json") << "1723161253937085768 hello"
                                  << "not a JSON object";
        QTest::newRow("truncated json") << R"(1723161253937085768 {"a":1)"
                                        << "not a JSON object";
        QTest::newRow("tab separator") << "1723161253937085768\t{}"
                                       << "expected '<receive ns> <JSON>'";
        QTest::newRow("two spaces") << "1723161253937085768  {}"
                                    << "not a JSON object";
        QTest::newRow("letters in time") << "17231x1253937085768 {}"
                                         << "expected '<receive ns> <JSON>'";
        QTest::newRow("negative time") << "-5 {}"
                                       << "expected '<receive ns> <JSON>'";
        QTest::newRow("time overflows") << "99999999999999999999 {}"
                                        << "out of range";
    }

    void malformedLineStopsWithFileAndLine() {
        QFETCH(QString, line);
        QFETCH(QString, reason);
        const std::string file = path("malformed.gz");
        writeGzip(file, "1 {\"a\":1}\n2 {\"a\":2}\n" + line.toStdString() + "\n3 {\"a\":3}\n");
        CaptureReader reader(file);
        const auto lines = readAll(reader);
        QCOMPARE(lines.size(), std::size_t{2});
        QCOMPARE(lines[1].payload, std::string("{\"a\":2}"));
        const QString error = QString::fromStdString(reader.error());
        QVERIFY2(error.startsWith(QString::fromStdString(file) + ":3: "), qPrintable(error));
        QVERIFY2(error.contains(reason), qPrintable(error));
        Record record;
        QVERIFY(!reader.next(record));  // stays stopped
    }

    // A small gzip file can hold one endless line (a 1.5 GB line compresses to a few MB). The
    // reader must refuse it naming the line after decompressing about the limit, not buffer it.
    void lineLongerThanTheLimitIsRefusedAfterReadingAtMostTheLimit() {
        const std::string file = path("long-line.gz");
        const std::string head = "1 {\"a\":1}\n2 {\"a\":2}\n3 {\"a\":\"";
        constexpr std::size_t kLongBytes = std::size_t{40} << 20;  // 40 MiB, well past 16 MiB
        {
            gzFile out = gzopen(file.c_str(), "wb1");
            QVERIFY(out);
            QCOMPARE(gzwrite(out, head.data(), unsigned(head.size())), int(head.size()));
            const std::string chunk(std::size_t{1} << 20, 'x');
            for (std::size_t written = 0; written < kLongBytes; written += chunk.size())
                QCOMPARE(gzwrite(out, chunk.data(), unsigned(chunk.size())), int(chunk.size()));
            const std::string tail = "\"}\n4 {\"a\":4}\n";
            QCOMPARE(gzwrite(out, tail.data(), unsigned(tail.size())), int(tail.size()));
            QCOMPARE(gzclose(out), Z_OK);
        }
        CaptureReader reader(file);
        const auto lines = readAll(reader);
        QCOMPARE(lines.size(), std::size_t{2});
        const QString error = QString::fromStdString(reader.error());
        QVERIFY2(error.startsWith(QString::fromStdString(file) + ":3: "), qPrintable(error));
        QVERIFY2(error.contains("longer than 16 MiB"), qPrintable(error));
        constexpr std::uint64_t kLimit = std::uint64_t{16} << 20;  // documented line limit
        constexpr std::uint64_t kOneRead = 256 * 1024;             // the reader's chunk
        QVERIFY2(reader.bytesDecompressed() <= kLimit + 2 + kOneRead + head.size(),
                 qPrintable(QString::number(reader.bytesDecompressed())));
        Record record;
        QVERIFY(!reader.next(record));  // stays stopped
    }

    void lineOfExactlyTheLimitIsRead() {
        const std::string file = path("limit-line.gz");
        const std::size_t limit = std::size_t{16} << 20;
        const std::string prefix = "7 {\"a\":\"";
        const std::string suffix = "\"}";
        std::string line =
            prefix + std::string(limit - prefix.size() - suffix.size(), 'y') + suffix;
        QCOMPARE(line.size(), limit);
        writeGzip(file, "1 {}\n" + line + "\r\n2 {}\n");
        CaptureReader reader(file);
        const auto lines = readAll(reader);
        QVERIFY2(reader.error().empty(), reader.error().c_str());
        QCOMPARE(lines.size(), std::size_t{3});
        QCOMPARE(lines[1].payload.size(), limit - 2);
        QCOMPARE(lines[2].receiveNs, TimeNs{2});
    }

    void gzipStreamCutShortIsATornTail_data() {
        QTest::addColumn<double>("keep");  // fraction of the compressed file kept
        QTest::newRow("a quarter") << 0.25;
        QTest::newRow("half") << 0.5;
        QTest::newRow("all but the trailer's last byte") << -1.0;
    }

    void gzipStreamCutShortIsATornTail() {
        QFETCH(double, keep);
        const QByteArray bytes = numberedCapture(path("whole.gz"));
        const qsizetype size = keep < 0 ? bytes.size() - 1 : qsizetype(double(bytes.size()) * keep);
        const std::string cut = path("cut.gz");
        writeBytes(cut, bytes.left(size));

        CaptureReader reader(cut);
        const auto lines = readAll(reader);
        QVERIFY2(reader.error().empty(), reader.error().c_str());
        QVERIFY(!lines.empty() && lines.size() <= kNumberedLines);
        if (keep < 0) QCOMPARE(lines.size(), kNumberedLines);  // only the CRC trailer is cut
        for (std::size_t i = 0; i < lines.size(); ++i) {
            QCOMPARE(lines[i].receiveNs, TimeNs(1000 + i));
            QCOMPARE(lines[i].payload, numberedJson(i));
        }
        QCOMPARE(reader.warnings().size(), std::size_t{1});
        const QString warning = QString::fromStdString(reader.warnings().front());
        QVERIFY2(warning.startsWith(QString::fromStdString(cut) + ": torn tail after line " +
                                    QString::number(lines.size()) + " (the gzip stream ends early"),
                 qPrintable(warning));
    }

    void corruptGzipDataIsAnErrorNamingTheLine() {
        QByteArray bytes = numberedCapture(path("whole.gz"));
        const qsizetype middle = bytes.size() / 2;
        for (qsizetype i = middle; i < middle + 8; ++i)
            bytes[i] = static_cast<char>(~bytes[i]);
        const std::string damaged = path("damaged.gz");
        writeBytes(damaged, bytes);

        CaptureReader reader(damaged);
        const auto lines = readAll(reader);
        QVERIFY(lines.size() < kNumberedLines);
        // zlib reports the damage, or it decodes to garbage that fails as a line: either way the
        // error names the file and the line.
        const QString error = QString::fromStdString(reader.error());
        const QRegularExpression named(
            "^" + QRegularExpression::escape(QString::fromStdString(damaged)) + ":\\d+: ");
        QVERIFY2(named.match(error).hasMatch(), qPrintable(error));
        qDebug("%s", qPrintable(error));
    }

    void gzipChecksumMismatchIsAnError() {
        QByteArray bytes = numberedCapture(path("whole.gz"));
        const qsizetype crcByte = bytes.size() - 8;  // the trailer: CRC32, then ISIZE
        bytes[crcByte] = static_cast<char>(bytes[crcByte] ^ 1);
        const std::string damaged = path("bad-crc.gz");
        writeBytes(damaged, bytes);
        CaptureReader reader(damaged);
        const auto lines = readAll(reader);
        // zlib finds the damage at the end and drops the text of the read that found it.
        QVERIFY(!lines.empty() && lines.size() < kNumberedLines);
        for (std::size_t i = 0; i < lines.size(); ++i)
            QCOMPARE(lines[i].payload, numberedJson(i));
        QCOMPARE(QString::fromStdString(reader.error()),
                 QString::fromStdString(damaged + ":" + std::to_string(lines.size() + 1) +
                                        ": gzip stream damaged: incorrect data check"));
    }

    void missingFileIsAnError() {
        CaptureReader reader(path("absent.gz"));
        QCOMPARE(reader.error(), path("absent.gz") + ": No such file or directory");
        Record record;
        QVERIFY(!reader.next(record));
    }

    void emptyCaptureEndsCleanly() {
        const std::string file = path("empty.gz");
        writeGzip(file, "");
        CaptureReader reader(file);
        Record record;
        QVERIFY(!reader.next(record));
        QVERIFY(reader.error().empty());
    }
};

QTEST_GUILESS_MAIN(TestCaptureReader)
#include "tst_capture_reader.moc"
