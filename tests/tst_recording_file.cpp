// The recording format: writer and reader round trips (bit-identical, all kinds, empty and
// oversized payloads), block flushing by size and age, survival of torn tails and corrupt
// blocks, clear errors for foreign, empty and newer files, a kill -9 crash test, write errors,
// openRecording()'s format sniffing, and the throughput on the real Binance capture.
//
// Expected records are the ones the test generated itself; expected file offsets are checked
// against the layout the format specifies (sync word "FBLK" at each block start, the version
// field at offset 8), written down here independently of recording_format.h.
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include "record/capture_reader.h"
#include "record/recording_file.h"
#include "record/recording_reader.h"

using namespace flowscope;
using namespace flowscope::record;

namespace {

struct Expected {
    RecordKind kind = RecordKind::WsMessage;
    TimeNs receiveNs = 0;
    std::string payload;
    bool operator==(const Expected&) const = default;
};

constexpr RecordKind kAllKinds[] = {RecordKind::WsMessage, RecordKind::RestSnapshot,
                                    RecordKind::Connected, RecordKind::Disconnected};

RecordingHeader sampleHeader() {
    RecordingHeader header;
    header.venue = "binance-spot";
    header.symbol = "BTCUSDT";
    header.createdNs = 1'723'161'253'937'085'768;
    header.software = "flowscope 0.1.0 (tst_recording_file)";
    return header;
}

std::string randomBytes(std::mt19937_64& rng, std::size_t size) {
    std::string bytes(size, '\0');
    for (char& c : bytes)
        c = static_cast<char>(rng() & 0xFF);
    return bytes;
}

/// Deterministic content for record i, so a reader of a crashed file can check every record.
Expected recordFor(std::uint64_t i) {
    std::mt19937_64 rng(i * 7919 + 1);
    return {kAllKinds[i % 4], static_cast<TimeNs>(i), randomBytes(rng, i % 97)};
}

std::vector<Expected> readAll(RecordSource& source) {
    std::vector<Expected> out;
    Record record;
    while (source.next(record))
        out.push_back({record.kind, record.receiveNs, std::string(record.payload)});
    return out;
}

void append(RecordingWriter& writer, const Expected& e) {
    writer.append(e.kind, e.receiveNs, e.payload);
}

std::uint64_t fileSize(const std::string& path) {
    return static_cast<std::uint64_t>(QFileInfo(QString::fromStdString(path)).size());
}

QByteArray readFile(const std::string& path) {
    QFile file(QString::fromStdString(path));
    if (!file.open(QIODevice::ReadOnly)) qFatal("cannot read %s", path.c_str());
    return file.readAll();
}

void writeFile(const std::string& path, const QByteArray& bytes) {
    QFile file(QString::fromStdString(path));
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        qFatal("cannot write %s", path.c_str());
    file.write(bytes);
}

bool sameRecords(const std::vector<Expected>& got, const std::vector<Expected>& want) {
    if (got.size() != want.size()) {
        qWarning("record count %zu, expected %zu", got.size(), want.size());
        return false;
    }
    for (std::size_t i = 0; i < got.size(); ++i) {
        if (!(got[i] == want[i])) {
            qWarning("record %zu differs (kind %d/%d, time %lld/%lld, %zu/%zu bytes)", i,
                     int(got[i].kind), int(want[i].kind), (long long)got[i].receiveNs,
                     (long long)want[i].receiveNs, got[i].payload.size(), want[i].payload.size());
            return false;
        }
    }
    return true;
}

/// A file of `blocks` blocks closed by explicit flushes; remembers where each block starts and
/// which records it holds.
struct BlockedFile {
    std::vector<Expected> records;
    std::vector<std::uint64_t> blockStart;  ///< file offset of each block
    std::vector<std::size_t> blockFirst;    ///< index of each block's first record
    std::uint64_t size = 0;
};

BlockedFile writeBlockedFile(const std::string& path, int blocks, int recordsPerBlock) {
    BlockedFile file;
    RecordingWriterOptions options;
    options.blockBytes = 1 << 20;
    options.flushIntervalNs = std::numeric_limits<TimeNs>::max();
    RecordingWriter writer(path, sampleHeader(), options);
    std::uint64_t i = 0;
    for (int b = 0; b < blocks; ++b) {
        file.blockStart.push_back(writer.bytesWritten());
        file.blockFirst.push_back(file.records.size());
        for (int r = 0; r < recordsPerBlock; ++r, ++i) {
            file.records.push_back(recordFor(i));
            append(writer, file.records.back());
        }
        writer.flush();
    }
    writer.close();
    file.size = writer.bytesWritten();
    return file;
}

/// The records of `file` without those of block `skipped`.
std::vector<Expected> withoutBlock(const BlockedFile& file, std::size_t skipped) {
    std::vector<Expected> out;
    for (std::size_t b = 0; b < file.blockStart.size(); ++b) {
        if (b == skipped) continue;
        const std::size_t end =
            b + 1 < file.blockFirst.size() ? file.blockFirst[b + 1] : file.records.size();
        out.insert(out.end(), file.records.begin() + std::ptrdiff_t(file.blockFirst[b]),
                   file.records.begin() + std::ptrdiff_t(end));
    }
    return out;
}

std::uint32_t getU32(const QByteArray& bytes, int at) {
    std::uint32_t v = 0;
    for (int i = 3; i >= 0; --i)
        v = (v << 8) | static_cast<unsigned char>(bytes[at + i]);
    return v;
}

void putU32(QByteArray& bytes, int at, std::uint32_t v) {
    for (int i = 0; i < 4; ++i)
        bytes[at + i] = static_cast<char>((v >> (8 * i)) & 0xFF);
}

}  // namespace

class TestRecordingFile : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    std::string path(const char* name) const { return dir_.filePath(name).toStdString(); }

  private slots:
    void initTestCase() { QVERIFY(dir_.isValid()); }

    void roundTripKeepsEveryRecordBitIdentical() {
        const std::string file = path("roundtrip.frec");
        std::mt19937_64 rng(42);
        RecordingWriterOptions options;
        options.blockBytes = 4096;
        std::vector<Expected> records;
        for (int i = 0; i < 3000; ++i) {
            const int shape = i % 10;
            const std::size_t size = shape == 0   ? 0
                                     : shape == 1 ? 4096 + rng() % 20000  // beyond a block
                                                  : rng() % 700;
            TimeNs receiveNs = static_cast<TimeNs>(rng());
            if (i == 1) receiveNs = std::numeric_limits<TimeNs>::min();
            if (i == 2) receiveNs = std::numeric_limits<TimeNs>::max();
            if (i == 3) receiveNs = -1;
            records.push_back({kAllKinds[rng() % 4], receiveNs, randomBytes(rng, size)});
        }
        {
            RecordingWriter writer(file, sampleHeader(), options);
            for (const Expected& e : records)
                append(writer, e);
            QCOMPARE(writer.recordsWritten(), std::uint64_t{3000});
            writer.close();
            QCOMPARE(writer.bytesWritten(), fileSize(file));
        }
        RecordingReader reader(file);
        QVERIFY2(reader.error().empty(), reader.error().c_str());
        QVERIFY(sameRecords(readAll(reader), records));
        QVERIFY(reader.error().empty());
        QVERIFY(reader.warnings().empty());
        // 300 oversized records alone, the rest in blocks of at most 4096 raw bytes.
        QVERIFY(reader.blocksRead() > 600);
        QCOMPARE(reader.header().formatVersion, std::uint32_t{1});
    }

    void recordLargerThanTheBlockIsAloneInItsBlock() {
        const std::string file = path("oversized.frec");
        RecordingWriterOptions options;
        options.blockBytes = 100;
        RecordingWriter writer(file, sampleHeader(), options);
        const std::uint64_t headerEnd = writer.bytesWritten();
        writer.append(RecordKind::WsMessage, 1, std::string(10, 'a'));  // 23 raw bytes
        QCOMPARE(writer.bytesWritten(), headerEnd);
        writer.append(RecordKind::WsMessage, 2, std::string(500, 'b'));
        // The small block went first, then the big record in a block of its own.
        const QByteArray bytes = readFile(file);
        QCOMPARE(std::uint64_t(bytes.size()), writer.bytesWritten());
        QCOMPARE(bytes.mid(int(headerEnd), 4), QByteArray("FBLK"));
        QCOMPARE(getU32(bytes, int(headerEnd) + 12), 1u);  // record count of block 1
        const int second = int(headerEnd) + 40 + int(getU32(bytes, int(headerEnd) + 4));
        QCOMPARE(bytes.mid(second, 4), QByteArray("FBLK"));
        QCOMPARE(getU32(bytes, second + 8), 513u);  // raw length: 13 + 500
        QCOMPARE(getU32(bytes, second + 12), 1u);
        QCOMPARE(second + 40 + int(getU32(bytes, second + 4)), bytes.size());
        writer.close();
    }

    // A frame whose header is sound (its CRC checks out) but that claims a 64 MiB block is more
    // than any writer produces (blocks close at 16 MiB): refused naming the file and the offset,
    // before its data is read or a buffer of that size is made.
    void blockLargerThanTheReadLimitIsAnErrorNamingItsOffset() {
        const std::string file = path("huge-block.frec");
        {
            RecordingWriter writer(file, sampleHeader());
            writer.append(RecordKind::WsMessage, 1, "first");
            writer.close();
        }
        QByteArray bytes = readFile(file);
        const int frameAt = bytes.size();
        const QByteArray data(1000, '\x5a');
        QByteArray frame(40, '\0');
        frame.replace(0, 4, "FBLK");
        putU32(frame, 4, std::uint32_t(data.size()));  // compressed length
        putU32(frame, 8, 64u << 20);                   // raw length: 64 MiB
        putU32(frame, 12, 1);                          // one record
        putU32(frame, 32,
               std::uint32_t(crc32(0, reinterpret_cast<const Bytef*>(data.data()), data.size())));
        putU32(frame, 36,
               std::uint32_t(crc32(0, reinterpret_cast<const Bytef*>(frame.data()), 36)));
        writeFile(file, bytes + frame + data);

        RecordingReader reader(file);
        QVERIFY2(reader.error().empty(), reader.error().c_str());
        const auto records = readAll(reader);
        QCOMPARE(records.size(), std::size_t{1});
        QCOMPARE(records[0].payload, std::string("first"));
        const QString error = QString::fromStdString(reader.error());
        QVERIFY2(error.startsWith(QString::fromStdString(file) + ": block at offset " +
                                  QString::number(frameAt)),
                 qPrintable(error));
        QVERIFY2(error.contains("32 MiB"), qPrintable(error));
    }

    void recordOverTheLimitIsRefusedByTheWriterAndOneAtTheLimitRoundTrips() {
        const std::string file = path("limit-record.frec");
        const std::size_t limit = std::size_t{16} << 20;  // documented record limit
        std::string atLimit(limit, 'r');
        atLimit.front() = '{';
        atLimit.back() = '}';
        {
            RecordingWriterOptions options;
            options.blockBytes = std::size_t{1} << 30;  // asks for more than the cap
            RecordingWriter writer(file, sampleHeader(), options);
            QVERIFY_THROWS_EXCEPTION(std::length_error, writer.append(RecordKind::WsMessage, 1,
                                                                      std::string(limit + 1, 'x')));
            writer.append(RecordKind::WsMessage, 2, atLimit);
            writer.append(RecordKind::WsMessage, 3, "after");
            writer.close();
        }
        RecordingReader reader(file);
        const auto records = readAll(reader);
        QVERIFY2(reader.error().empty(), reader.error().c_str());
        QCOMPARE(records.size(), std::size_t{2});
        QVERIFY(records[0].payload == atLimit);
        QCOMPARE(records[1].payload, std::string("after"));
    }

    void headerRoundTripsAndAnEmptyRecordingReadsClean() {
        const std::string file = path("header.frec");
        RecordingHeader header;
        header.venue = "okx";
        header.symbol = "BTC-USDT-SWAP \xE2\x82\xBF";  // UTF-8 passes through as bytes
        header.createdNs = -5;
        header.software = std::string(65535, 's');
        RecordingWriter(file, header).close();
        RecordingReader reader(file);
        QVERIFY2(reader.error().empty(), reader.error().c_str());
        QCOMPARE(reader.header().venue, header.venue);
        QCOMPARE(reader.header().symbol, header.symbol);
        QCOMPARE(reader.header().createdNs, header.createdNs);
        QCOMPARE(reader.header().software, header.software);
        Record record;
        QVERIFY(!reader.next(record));
        QVERIFY(reader.error().empty());
        QVERIFY(reader.warnings().empty());

        RecordingHeader tooLong = header;
        tooLong.venue = std::string(65536, 'v');
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 RecordingWriter(path("toolong.frec"), tooLong));
    }

    void oldBlockIsWrittenByTheAppendThatFindsIt() {
        const std::string file = path("interval.frec");
        RecordingWriterOptions options;
        options.blockBytes = 1 << 20;
        options.flushIntervalNs = 1000;
        RecordingWriter writer(file, sampleHeader(), options);
        const std::uint64_t headerEnd = fileSize(file);
        QCOMPARE(writer.bytesWritten(), headerEnd);
        writer.append(RecordKind::Connected, 10'000, "wss://stream.binance.com:9443/stream");
        writer.append(RecordKind::WsMessage, 10'999, "{\"a\":1}");
        QCOMPARE(fileSize(file), headerEnd);  // 999 ns old: still buffered
        writer.append(RecordKind::WsMessage, 11'000, "{\"a\":2}");
        const std::uint64_t afterFirstBlock = fileSize(file);
        QVERIFY(afterFirstBlock > headerEnd);  // 1000 ns old: written
        QCOMPARE(writer.bytesWritten(), afterFirstBlock);
        {
            // Readable while the writer is still open: the block is whole on disk.
            RecordingReader reader(file);
            const auto records = readAll(reader);
            QCOMPARE(records.size(), std::size_t{3});
            QCOMPARE(records[2].receiveNs, TimeNs{11'000});
            QVERIFY(reader.warnings().empty());
        }
        writer.append(RecordKind::WsMessage, 11'500, "{\"a\":3}");
        QCOMPARE(fileSize(file), afterFirstBlock);  // a new block, 0 ns old
        writer.flush();
        QVERIFY(fileSize(file) > afterFirstBlock);
        writer.flush();  // nothing pending: no empty block
        const std::uint64_t afterFlush = fileSize(file);
        writer.append(RecordKind::Disconnected, 20'000'000, "");
        writer.append(RecordKind::WsMessage, 19'000'000, "{}");  // a clock step back of 1 ms
        QVERIFY(fileSize(file) > afterFlush);
        writer.close();
    }

    void zeroIntervalWritesEveryAppend() {
        const std::string file = path("zero-interval.frec");
        RecordingWriterOptions options;
        options.flushIntervalNs = 0;
        RecordingWriter writer(file, sampleHeader(), options);
        std::uint64_t size = fileSize(file);
        for (int i = 0; i < 5; ++i) {
            writer.append(RecordKind::WsMessage, 0, "x");
            QVERIFY(fileSize(file) > size);
            size = fileSize(file);
        }
        writer.close();
    }

    void tornTailAtEveryOffsetOfTheLastBlockEndsCleanly() {
        const std::string file = path("torn.frec");
        const BlockedFile written = writeBlockedFile(file, 4, 12);
        const std::uint64_t lastStart = written.blockStart.back();
        const std::vector<Expected> complete(
            written.records.begin(),
            written.records.begin() + std::ptrdiff_t(written.blockFirst.back()));
        QVERIFY(written.size - lastStart > 100);
        const std::string cut = path("torn-cut.frec");
        writeFile(cut, readFile(file));
        // From the longest cut down, shrinking one copy in place.
        for (std::uint64_t length = written.size - 1; length + 1 > lastStart; --length) {
            QCOMPARE(::truncate(cut.c_str(), off_t(length)), 0);
            RecordingReader reader(cut);
            const auto records = readAll(reader);
            QVERIFY2(reader.error().empty(), reader.error().c_str());
            QVERIFY2(sameRecords(records, complete), qPrintable(QString::number(length)));
            if (length == lastStart) {
                QVERIFY(reader.warnings().empty());  // a clean cut between blocks
                continue;
            }
            QCOMPARE(reader.warnings().size(), std::size_t{1});
            const std::string expected = cut + ": torn tail at offset " +
                                         std::to_string(lastStart) + " (" +
                                         std::to_string(length - lastStart) +
                                         " bytes after the last complete block): ignored";
            QCOMPARE(reader.warnings().front(), expected);
        }
    }

    void corruptByteSkipsOnlyItsBlock_data() {
        QTest::addColumn<int>("block");
        QTest::addColumn<int>("offsetInBlock");  // negative: from the block's end
        QTest::addColumn<QString>("reason");
        QTest::newRow("sync word") << 2 << 0 << "no sync word";
        QTest::newRow("compressed length") << 2 << 5 << "frame header CRC mismatch";
        QTest::newRow("record count") << 2 << 12 << "frame header CRC mismatch";
        QTest::newRow("frame crc") << 2 << 37 << "frame header CRC mismatch";
        QTest::newRow("data crc field") << 2 << 33 << "frame header CRC mismatch";
        QTest::newRow("first data byte") << 2 << 40 << "data CRC mismatch";
        QTest::newRow("middle data byte") << 2 << 90 << "data CRC mismatch";
        QTest::newRow("last data byte") << 2 << -1 << "data CRC mismatch";
        QTest::newRow("first block") << 0 << 60 << "data CRC mismatch";
        QTest::newRow("last block") << 4 << 60 << "data CRC mismatch";
    }

    void corruptByteSkipsOnlyItsBlock() {
        QFETCH(int, block);
        QFETCH(int, offsetInBlock);
        QFETCH(QString, reason);
        const std::string file = path("corrupt.frec");
        const BlockedFile written = writeBlockedFile(file, 5, 20);
        QByteArray bytes = readFile(file);
        const std::uint64_t start = written.blockStart[std::size_t(block)];
        const std::uint64_t end = std::size_t(block) + 1 < written.blockStart.size()
                                      ? written.blockStart[std::size_t(block) + 1]
                                      : written.size;
        QCOMPARE(bytes.mid(qsizetype(start), 4), QByteArray("FBLK"));
        const qsizetype at = qsizetype(offsetInBlock >= 0 ? start + std::uint64_t(offsetInBlock)
                                                          : end - std::uint64_t(-offsetInBlock));
        bytes[at] = static_cast<char>(bytes[at] ^ 0x5A);
        writeFile(file, bytes);

        RecordingReader reader(file);
        QVERIFY(sameRecords(readAll(reader), withoutBlock(written, std::size_t(block))));
        QVERIFY2(reader.error().empty(), reader.error().c_str());
        QCOMPARE(reader.warnings().size(), std::size_t{1});
        const QString warning = QString::fromStdString(reader.warnings().front());
        QVERIFY2(warning.startsWith(QString::fromStdString(file) + ": corrupt block at offset " +
                                    QString::number(start) + " (" + reason),
                 qPrintable(warning));
        if (end < written.size)
            QVERIFY2(warning.endsWith("skipped " + QString::number(end - start) +
                                      " bytes to the next block at offset " + QString::number(end)),
                     qPrintable(warning));
        else
            QVERIFY2(warning.contains("no intact block"), qPrintable(warning));
        QCOMPARE(reader.corruptBlocks(), std::uint64_t{1});
    }

    void recordsOfUnknownKindAreSkippedWithOneWarning() {
        const std::string file = path("kinds.frec");
        {
            RecordingWriter writer(file, sampleHeader());
            writer.append(RecordKind::WsMessage, 1, "a");
            writer.append(static_cast<RecordKind>(9), 2, "from the future");
            writer.append(static_cast<RecordKind>(9), 3, "again");
            writer.append(RecordKind::RestSnapshot, 4, "b");
            writer.close();
        }
        RecordingReader reader(file);
        const std::vector<Expected> want = {{RecordKind::WsMessage, 1, "a"},
                                            {RecordKind::RestSnapshot, 4, "b"}};
        QVERIFY(sameRecords(readAll(reader), want));
        QVERIFY(reader.error().empty());
        QCOMPARE(reader.warnings().size(), std::size_t{1});
        QVERIFY(QString::fromStdString(reader.warnings().front()).contains("unknown kind 9"));
    }

    void badFilesGiveClearErrors_data() {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("expected");
        QByteArray valid;
        {
            const std::string file = path("valid-for-errors.frec");
            RecordingWriter writer(file, sampleHeader());
            writer.append(RecordKind::WsMessage, 1, "{}");
            writer.close();
            valid = readFile(file);
        }
        QByteArray newer = valid;
        putU32(newer, 8, 2);
        // Recompute the header CRC (offset 16 + bodyLength) so only the version is "wrong".
        const int crcAt = 16 + int(getU32(newer, 12));
        putU32(newer, crcAt,
               std::uint32_t(
                   crc32(0, reinterpret_cast<const Bytef*>(newer.constData()), uInt(crcAt))));
        QByteArray damagedHeader = valid;
        damagedHeader[18] = 'X';  // inside the venue

        QTest::newRow("empty") << QByteArray() << "empty file, not a Flowscope recording";
        QTest::newRow("wrong magic")
            << QByteArray("hello, world\n0123456789") << "not a Flowscope recording";
        QTest::newRow("gzip") << QByteArray("\x1f\x8b\x08\x00\x00\x00\x00\x00", 8)
                              << "not a Flowscope recording";
        QTest::newRow("newer version") << newer << "recording format version 2 is newer";
        QTest::newRow("version zero")
            << QByteArray(valid).replace(8, 1, "\0", 1) << "corrupt header";
        QTest::newRow("damaged header") << damagedHeader << "corrupt header (CRC mismatch)";
        QTest::newRow("truncated header") << valid.left(12) << "truncated header";
        QTest::newRow("truncated header body") << valid.left(30) << "truncated header";
    }

    void badFilesGiveClearErrors() {
        QFETCH(QByteArray, content);
        QFETCH(QString, expected);
        const std::string file = path("bad.frec");
        writeFile(file, content);
        RecordingReader reader(file);
        const QString error = QString::fromStdString(reader.error());
        QVERIFY2(error.startsWith(QString::fromStdString(file) + ": "), qPrintable(error));
        QVERIFY2(error.contains(expected), qPrintable(error));
        Record record;
        QVERIFY(!reader.next(record));
        QCOMPARE(reader.error(), error.toStdString());
    }

    void missingFileIsAnError() {
        RecordingReader reader(path("missing.frec"));
        QCOMPARE(reader.error(), path("missing.frec") + ": No such file or directory");
        Record record;
        QVERIFY(!reader.next(record));
    }

    void killDashNineLosesAtMostTheUnflushedTail() {
        const std::string file = path("crash.frec");
        int progress[2];
        QCOMPARE(::pipe(progress), 0);
        const pid_t child = ::fork();
        QVERIFY(child >= 0);
        if (child == 0) {
            ::close(progress[0]);
            try {
                RecordingWriterOptions options;
                options.blockBytes = 256;
                RecordingWriter writer(file, sampleHeader(), options);
                for (std::uint64_t i = 0;; ++i) {
                    append(writer, recordFor(i));
                    if (i % 7 == 6) {
                        writer.flush();
                        const std::uint64_t durable = i + 1;
                        if (::write(progress[1], &durable, sizeof durable) != sizeof durable)
                            ::_exit(4);
                    }
                }
            } catch (...) {
                ::_exit(3);
            }
        }
        ::close(progress[1]);
        std::uint64_t durable = 0;
        std::uint64_t report = 0;
        while (durable < 3000 && ::read(progress[0], &report, sizeof report) == sizeof report)
            durable = report;
        ::usleep(20'000);  // let the child run on, so the kill lands in the middle of its work
        QCOMPARE(::kill(child, SIGKILL), 0);
        int status = 0;
        QCOMPARE(::waitpid(child, &status, 0), child);
        QVERIFY(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
        while (::read(progress[0], &report, sizeof report) == sizeof report)
            durable = report;
        ::close(progress[0]);
        QVERIFY(durable >= 3000);

        RecordingReader reader(file);
        Record record;
        std::uint64_t count = 0;
        while (reader.next(record)) {
            const Expected want = recordFor(count);
            if (record.kind != want.kind || record.receiveNs != want.receiveNs ||
                record.payload != want.payload)
                QFAIL(qPrintable("record " + QString::number(count) + " damaged or out of order"));
            ++count;
        }
        QVERIFY2(reader.error().empty(), reader.error().c_str());
        QVERIFY(reader.warnings().size() <= 1);  // a torn tail at most
        for (const std::string& w : reader.warnings())
            QVERIFY2(QString::fromStdString(w).contains("torn tail"), w.c_str());
        QVERIFY2(count >= durable,
                 qPrintable(QString("%1 read, %2 flushed").arg(count).arg(durable)));
        qDebug("kill -9 after %llu flushed records: %llu read back", (unsigned long long)durable,
               (unsigned long long)count);
    }

    void writeErrorsNameTheFile() {
        try {
            RecordingWriter writer("/dev/full", sampleHeader());
            QFAIL("no exception on /dev/full");
        } catch (const std::runtime_error& e) {
            QCOMPARE(std::string(e.what()), std::string("/dev/full: No space left on device"));
        }
        const std::string noDir = path("no/such/dir.frec");
        try {
            RecordingWriter writer(noDir, sampleHeader());
            QFAIL("no exception for a missing directory");
        } catch (const std::runtime_error& e) {
            QCOMPARE(std::string(e.what()), noDir + ": No such file or directory");
        }
    }

    void writeErrorDuringAppendThrowsAndSticks() {
        // A file size limit makes write() fail with EFBIG part way; done in a child so the limit
        // does not touch the test process.
        const std::string file = path("limited.frec");
        const pid_t child = ::fork();
        QVERIFY(child >= 0);
        if (child == 0) {
            std::signal(SIGXFSZ, SIG_IGN);
            const rlimit limit{8192, 8192};
            if (::setrlimit(RLIMIT_FSIZE, &limit) != 0) ::_exit(10);
            RecordingWriterOptions options;
            options.blockBytes = 512;
            RecordingWriter writer(file, sampleHeader(), options);
            std::mt19937_64 rng(7);
            std::string message;
            try {
                for (int i = 0; i < 100000; ++i)
                    writer.append(RecordKind::WsMessage, i, randomBytes(rng, 200));
                ::_exit(11);  // never failed
            } catch (const std::runtime_error& e) {
                message = e.what();
            }
            if (message != file + ": File too large") ::_exit(12);
            try {
                writer.flush();
                ::_exit(13);
            } catch (const std::runtime_error& e) {
                if (e.what() != message) ::_exit(14);
            }
            ::_exit(0);
        }
        int status = 0;
        QCOMPARE(::waitpid(child, &status, 0), child);
        QVERIFY(WIFEXITED(status));
        QCOMPARE(WEXITSTATUS(status), 0);
        // What reached the disk before the error is still a readable recording.
        RecordingReader reader(file);
        const auto records = readAll(reader);
        QVERIFY2(reader.error().empty(), reader.error().c_str());
        QVERIFY(!records.empty());
    }

    void appendAfterCloseIsALogicError() {
        RecordingWriter writer(path("closed.frec"), sampleHeader());
        writer.close();
        QVERIFY_THROWS_EXCEPTION(std::logic_error, writer.append(RecordKind::WsMessage, 1, "x"));
    }

    void openRecordingPicksTheReaderByTheFirstBytes() {
        const std::string recording = path("sniff.frec");
        {
            RecordingWriter writer(recording, sampleHeader());
            writer.append(RecordKind::WsMessage, 5, "{}");
        }  // the destructor flushes
        auto source = openRecording(recording);
        QVERIFY(dynamic_cast<RecordingReader*>(source.get()));
        QCOMPARE(source->header().venue, std::string("binance-spot"));
        QCOMPARE(readAll(*source).size(), std::size_t{1});

        const std::string capture = path("sniff-capture");  // no extension on purpose
        gzFile gz = gzopen(capture.c_str(), "wb");
        QVERIFY(gz);
        gzputs(gz, "1 {\"a\":1}\n");
        gzclose(gz);
        source = openRecording(capture);
        QVERIFY(dynamic_cast<CaptureReader*>(source.get()));
        QCOMPARE(readAll(*source).size(), std::size_t{1});

        const auto throwsWith = [](const std::string& file, const std::string& message) {
            try {
                openRecording(file);
            } catch (const std::runtime_error& e) {
                return std::string(e.what()) == message;
            }
            return false;
        };
        const std::string text = path("plain.txt");
        writeFile(text, "1723161253937085768 {}\n");
        QVERIFY(throwsWith(text, text + ": neither a Flowscope recording nor a gzip capture"));
        writeFile(text, "");
        QVERIFY(throwsWith(text, text + ": neither a Flowscope recording nor a gzip capture"));
        QVERIFY(
            throwsWith(path("absent.frec"), path("absent.frec") + ": No such file or directory"));
        QByteArray newer = readFile(recording);
        putU32(newer, 8, 7);
        const std::string newerFile = path("newer.frec");
        writeFile(newerFile, newer);
        QVERIFY(throwsWith(newerFile, newerFile + ": recording format version 7 is newer than "
                                                  "this build reads (up to 1); update Flowscope"));
    }

    void binanceCaptureRoundTripsWithThroughput() {
        const std::string capture = FLOWSCOPE_TEST_DATA "/binance/spot_btcusdt_20240808.gz";
        if (!QFile::exists(QString::fromStdString(capture))) QSKIP("shared Binance capture absent");
        CaptureReader captureReader(capture);
        const std::vector<Expected> records = readAll(captureReader);
        QVERIFY2(captureReader.error().empty(), captureReader.error().c_str());
        QCOMPARE(records.size(), std::size_t{41249});
        std::uint64_t rawBytes = 0;
        for (const Expected& e : records)
            rawBytes += 13 + e.payload.size();

        const std::string file = path("binance.frec");
        QElapsedTimer timer;
        timer.start();
        RecordingWriter writer(file, sampleHeader());
        for (const Expected& e : records)
            append(writer, e);
        writer.close();
        const double writeSeconds = double(timer.nsecsElapsed()) / 1e9;

        timer.restart();
        RecordingReader reader(file);
        Record record;
        std::size_t i = 0;
        bool identical = true;
        while (reader.next(record)) {
            identical = identical && i < records.size() && record.kind == records[i].kind &&
                        record.receiveNs == records[i].receiveNs &&
                        record.payload == records[i].payload;
            ++i;
        }
        const double readSeconds = double(timer.nsecsElapsed()) / 1e9;
        QVERIFY(identical);
        QCOMPARE(i, records.size());
        QVERIFY(reader.warnings().empty() && reader.error().empty());

        const double mb = double(rawBytes) / 1e6;
        const double fileBytes = double(fileSize(file));
        qDebug(
            "Binance capture: %zu records, %.2f MB raw -> %.0f bytes in %llu blocks "
            "(ratio %.2f; the gzip capture is %lld bytes)",
            records.size(), mb, fileBytes, (unsigned long long)reader.blocksRead(),
            double(rawBytes) / fileBytes,
            (long long)QFileInfo(QString::fromStdString(capture)).size());
        qDebug("write %.0f MB/s, read (decompress + CRC + iterate) %.0f MB/s", mb / writeSeconds,
               mb / readSeconds);
    }
};

QTEST_GUILESS_MAIN(TestRecordingFile)
#include "tst_recording_file.moc"
