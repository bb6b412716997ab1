// LobsterReader: exact parsing, errors that name the file and line, the trade rule, and the
// book-vs-data check that replays every message of real LOBSTER samples through OrderBook.
//
// Expected values come from the data files read by the test's own minimal CSV parser, or by hand;
// the reader under test only supplies the messages being replayed.
#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QList>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <array>
#include <optional>
#include <span>
#include <vector>

#include "book/order_book.h"
#include "lobster/lobster_reader.h"

using namespace flowscope;

Q_DECLARE_METATYPE(flowscope::Side)

namespace flowscope {
// Readable QCOMPARE failures (found by argument-dependent lookup).
char* toString(Side s) {
    return qstrdup(s == Side::Bid ? "Bid" : "Ask");
}
}  // namespace flowscope

namespace {

constexpr qint64 kEmptyAskMarker = 9999999999;
constexpr qint64 kEmptyBidMarker = -9999999999;

// Both files of a LOBSTER sample found by name pattern in `dir`; empty strings if absent.
struct SamplePaths {
    QString messages;
    QString book;
    bool found() const { return !messages.isEmpty() && !book.isEmpty(); }
};

SamplePaths findSample(const QString& dir, const QString& messagePattern,
                       const QString& bookPattern) {
    const QDir d(dir);
    const QStringList m = d.entryList({messagePattern}, QDir::Files, QDir::Name);
    const QStringList b = d.entryList({bookPattern}, QDir::Files, QDir::Name);
    if (m.size() != 1 || b.size() != 1) return {};
    return {d.filePath(m.first()), d.filePath(b.first())};
}

SamplePaths aaplSample() {
    return findSample(QStringLiteral(FLOWSCOPE_TEST_DATA "/lobster"),
                      QStringLiteral("AAPL_*message_10*.csv"),
                      QStringLiteral("AAPL_*orderbook_10*.csv"));
}

SamplePaths amznSample() {
    return findSample(QStringLiteral(FLOWSCOPE_SHARED_DATA "/lobster"),
                      QStringLiteral("AMZN_*message_1.csv"),
                      QStringLiteral("AMZN_*orderbook_1.csv"));
}

// The test's own reading of a CSV file: one vector of integers per line. Only for files known
// to be well formed (the samples), so it needs no error handling beyond a flag.
std::vector<std::vector<qint64>> readIntegerRows(const QString& path, bool& ok) {
    std::vector<std::vector<qint64>> rows;
    QFile f(path);
    ok = f.open(QIODevice::ReadOnly);
    if (!ok) return rows;
    const QList<QByteArray> lines = f.readAll().split('\n');
    for (QByteArray line : lines) {
        line = line.trimmed();
        if (line.isEmpty()) continue;
        std::vector<qint64> row;
        for (const QByteArray& field : line.split(',')) {
            bool fieldOk = false;
            row.push_back(field.toLongLong(&fieldOk));
            if (!fieldOk) ok = false;
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

// Visible levels of one side of a raw book row, best first, empty-level markers dropped.
std::vector<Level> visibleLevels(const std::vector<qint64>& row, Side side) {
    std::vector<Level> out;
    for (std::size_t i = 0; i + 3 < row.size(); i += 4) {
        const qint64 price = side == Side::Ask ? row[i] : row[i + 2];
        const qint64 size = side == Side::Ask ? row[i + 1] : row[i + 3];
        if (price == kEmptyAskMarker || price == kEmptyBidMarker) continue;
        out.push_back({price, size});
    }
    return out;
}

bool atOrBetter(Side side, PriceTicks price, PriceTicks boundary) {
    return side == Side::Bid ? price >= boundary : price <= boundary;
}

struct ReplayResult {
    std::size_t rows = 0;
    std::size_t comparedLevels = 0;  ///< levels checked, to show the check is not vacuous
    std::size_t mismatches = 0;
    QStringList firstMismatches;
    QString failure;  ///< set if the replay could not run at all
};

// The book-vs-data check: for every row k >= 1, book row k-1 with message k applied must show
// the visible levels of book row k.
//
// What is determinable from a file that shows only L levels: if row k-1 shows all L levels of a
// side, nothing is known beyond its L-th price (the boundary), so only prices at or better than
// the boundary are compared. Two effects move levels across the view's edge and are handled:
//  - a delete or execution can bring a level from beyond the L-th into view: it lies beyond the
//    boundary, so it is outside the compared range on both sides;
//  - a new order better than the boundary pushes row k-1's L-th level out of view in row k: so the
//    derived book is cut to its best L levels before comparing, exactly as the file's view is.
// Within those limits the real data has no exceptions: every compared level matches.
ReplayResult replayBookAgainstFile(const SamplePaths& sample) {
    ReplayResult result;
    bool ok = false;
    const auto expected = readIntegerRows(sample.book, ok);
    if (!ok || expected.empty()) {
        result.failure = "cannot read " + sample.book + " independently";
        return result;
    }
    LobsterReader reader;
    if (!reader.open(sample.messages.toStdString(), sample.book.toStdString())) {
        result.failure = QString::fromStdString(reader.error()->toString());
        return result;
    }
    const std::size_t levels = expected.front().size() / 4;
    OrderBook book(64);
    std::vector<Level> derivedTop(levels);
    while (reader.next()) {
        const std::size_t k = reader.row().index;
        ++result.rows;
        if (k == 0) continue;
        if (k >= expected.size()) {
            result.failure = QString("the reader returned row %1 past the file's end").arg(k);
            return result;
        }
        const auto& before = expected[k - 1];
        const auto& after = expected[k];
        const std::vector<Level> bidsBefore = visibleLevels(before, Side::Bid);
        const std::vector<Level> asksBefore = visibleLevels(before, Side::Ask);
        if (book.applySnapshot(bidsBefore, asksBefore, k - 1, 0) != BookError::None) {
            result.failure = QString("book row %1 rejected as a snapshot").arg(k);
            return result;
        }
        const LobsterMessage& m = reader.row().message;
        if (const auto delta = lobsterBookDelta(m)) {
            if (book.applyDelta(m.side, m.price, *delta, k, m.timeNs) != BookError::None) {
                result.failure = QString("message %1 rejected by the book").arg(k + 1);
                return result;
            }
        }
        for (const Side side : {Side::Bid, Side::Ask}) {
            const auto& shownBefore = side == Side::Bid ? bidsBefore : asksBefore;
            const std::optional<PriceTicks> boundary = shownBefore.size() == levels
                                                           ? std::optional(shownBefore.back().price)
                                                           : std::nullopt;
            const auto inRange = [&](const Level& l) {
                return !boundary || atOrBetter(side, l.price, *boundary);
            };
            book.side(side).top(derivedTop);
            std::vector<Level> derived, shown;
            for (const Level& l : derivedTop)
                if (!isEmptyLevel(l) && inRange(l)) derived.push_back(l);
            for (const Level& l : visibleLevels(after, side))
                if (inRange(l)) shown.push_back(l);
            result.comparedLevels += shown.size();
            if (derived != shown) {
                ++result.mismatches;
                if (result.firstMismatches.size() < 5)
                    result.firstMismatches
                        << QString("row %1 %2: derived best %3x%4, file best %5x%6")
                               .arg(k)
                               .arg(side == Side::Bid ? "bid" : "ask")
                               .arg(derived.empty() ? 0 : derived[0].price)
                               .arg(derived.empty() ? 0 : derived[0].qty)
                               .arg(shown.empty() ? 0 : shown[0].price)
                               .arg(shown.empty() ? 0 : shown[0].qty);
            }
        }
    }
    if (reader.error()) result.failure = QString::fromStdString(reader.error()->toString());
    if (result.rows != expected.size())
        result.failure =
            QString("read %1 rows, the file has %2").arg(result.rows).arg(expected.size());
    return result;
}

// The reader's error as text for a failure message, or a note that there is none. Used only
// after the call that may fail, so it reports that call's outcome.
QByteArray errorOf(const LobsterReader& reader) {
    return reader.error() ? QByteArray::fromStdString(reader.error()->toString())
                          : QByteArray("no error reported");
}

// A valid two-level book row and a message line, to build small files from.
const QByteArray kBook2 = "5859400,200,5853300,18,5859800,200,5853000,150";
QByteArray message(const QByteArray& time, int type = 1, int direction = 1) {
    return time + "," + QByteArray::number(type) + ",16113575,18,5853300," +
           QByteArray::number(direction);
}

}  // namespace

class TstLobsterReader : public QObject {
    Q_OBJECT

  private:
    QTemporaryDir dir_;
    int fileCounter_ = 0;

    QString writeFile(const QByteArray& content) {
        const QString path = dir_.filePath(QString("f%1.csv").arg(++fileCounter_));
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly) || f.write(content) != content.size()) return {};
        return path;
    }

  private slots:
    void initTestCase() {
        QVERIFY2(dir_.isValid(), "cannot create a temporary directory");
        QVERIFY2(aaplSample().found(),
                 "tests/data/lobster must hold the AAPL 10-level sample (message and orderbook)");
    }

    // --- book-vs-data check -------------------------------------------------------------------

    void everyAaplMessageTurnsTheBookRowBeforeItIntoTheRowAfterIt() {
        const ReplayResult r = replayBookAgainstFile(aaplSample());
        QVERIFY2(r.failure.isEmpty(), qPrintable(r.failure));
        QCOMPARE(r.rows, std::size_t(999));  // 999 events in the sample (its README)
        // Most rows show 10 levels a side, almost all at or better than the boundary.
        QVERIFY2(r.comparedLevels > 998 * 2 * 8, qPrintable(QString::number(r.comparedLevels)));
        QVERIFY2(r.mismatches == 0, qPrintable(QString("%1 mismatching rows, first: %2")
                                                   .arg(r.mismatches)
                                                   .arg(r.firstMismatches.join("; "))));
    }

    void everyAmznFullDayMessageTurnsTheBookRowBeforeItIntoTheRowAfterIt() {
        const SamplePaths amzn = amznSample();
        if (!amzn.found())
            QSKIP("../shared/data/lobster has no AMZN level-1 full day (AMZN_*message_1.csv)");
        const ReplayResult r = replayBookAgainstFile(amzn);
        QVERIFY2(r.failure.isEmpty(), qPrintable(r.failure));
        QCOMPARE(r.rows, std::size_t(57515));  // the data README's count
        QVERIFY2(r.comparedLevels > 57514, qPrintable(QString::number(r.comparedLevels)));
        QVERIFY2(r.mismatches == 0, qPrintable(QString("%1 mismatching rows, first: %2")
                                                   .arg(r.mismatches)
                                                   .arg(r.firstMismatches.join("; "))));
    }

    // --- parsing
    // ----------------------------------------------------------------------------------

    void everyAaplRowEqualsTheFileReadIndependently() {
        const SamplePaths s = aaplSample();
        bool ok = false;
        const auto book = readIntegerRows(s.book, ok);
        QVERIFY(ok);
        QFile mf(s.messages);
        QVERIFY(mf.open(QIODevice::ReadOnly));
        const QList<QByteArray> messageLines = mf.readAll().trimmed().split('\n');
        QCOMPARE(messageLines.size(), qsizetype(book.size()));

        LobsterReader reader;
        QVERIFY(reader.open(s.messages.toStdString(), s.book.toStdString()));
        std::size_t k = 0;
        while (reader.next()) {
            QVERIFY(k < book.size());
            const LobsterRow& row = reader.row();
            QCOMPARE(row.index, k);
            const QList<QByteArray> f = messageLines[qsizetype(k)].trimmed().split(',');
            QCOMPARE(f.size(), 6);
            // Time: whole seconds and the decimals, padded to nanoseconds by hand.
            const QList<QByteArray> secs = f[0].split('.');
            const qint64 ns = secs[0].toLongLong() * 1'000'000'000 +
                              (secs.size() > 1 ? secs[1].leftJustified(9, '0').toLongLong() : 0);
            QCOMPARE(row.message.timeNs, ns);
            QCOMPARE(static_cast<int>(row.message.type), f[1].toInt());
            QCOMPARE(row.message.orderId, f[2].toLongLong());
            QCOMPARE(row.message.size, f[3].toLongLong());
            QCOMPARE(row.message.price, f[4].toLongLong());
            QCOMPARE(row.message.side, f[5].toInt() == 1 ? Side::Bid : Side::Ask);
            QCOMPARE(row.asks.size(), std::size_t(10));
            QCOMPARE(row.bids.size(), std::size_t(10));
            for (std::size_t i = 0; i < 10; ++i) {
                QCOMPARE(row.asks[i].price, book[k][4 * i]);
                QCOMPARE(row.asks[i].qty, book[k][4 * i + 1]);
                QCOMPARE(row.bids[i].price, book[k][4 * i + 2]);
                QCOMPARE(row.bids[i].qty, book[k][4 * i + 3]);
            }
            ++k;
        }
        QVERIFY2(!reader.error(), errorOf(reader).constData());
        QCOMPARE(k, book.size());
        QCOMPARE(reader.levels(), 10);
    }

    void timeWithNanosecondDecimalsIsParsedExactly_data() {
        QTest::addColumn<QByteArray>("time");
        QTest::addColumn<qint64>("expectedNs");
        QTest::newRow("nine decimals") << QByteArray("34200.004241176") << qint64(34200004241176);
        QTest::newRow("eight decimals") << QByteArray("34200.20196619") << qint64(34200201966190);
        QTest::newRow("one decimal") << QByteArray("34200.5") << qint64(34200500000000);
        QTest::newRow("no decimals") << QByteArray("34200") << qint64(34200000000000);
        QTest::newRow("last nanosecond of the day")
            << QByteArray("57599.999999999") << qint64(57599999999999);
        QTest::newRow("one nanosecond") << QByteArray("0.000000001") << qint64(1);
    }
    void timeWithNanosecondDecimalsIsParsedExactly() {
        QFETCH(QByteArray, time);
        QFETCH(qint64, expectedNs);
        const QString m = writeFile(message(time) + "\n");
        const QString b = writeFile(kBook2 + "\n");
        LobsterReader reader;
        QVERIFY(reader.open(m.toStdString(), b.toStdString()));
        const bool read = reader.next();
        QVERIFY2(read, errorOf(reader).constData());
        QCOMPARE(reader.row().message.timeNs, expectedNs);
    }

    void emptyLevelMarkersBecomeEmptyLevels() {
        const QString m = writeFile(message("34200.1") + "\n" + message("34200.2") + "\n");
        // Row 1: level 2 empty on both sides. Row 2: the ask side empty, one bid.
        const QString b = writeFile(
            "5859400,200,5853300,18,9999999999,0,-9999999999,0\n"
            "9999999999,0,5853300,18,9999999999,0,-9999999999,0\n");
        LobsterReader reader;
        QVERIFY(reader.open(m.toStdString(), b.toStdString()));
        QVERIFY(reader.next());
        QCOMPARE(reader.levels(), 2);
        const LobsterRow& r = reader.row();
        QCOMPARE(r.asks[0].price, PriceTicks(5859400));
        QCOMPARE(r.asks[0].qty, Lots(200));
        QCOMPARE(r.bids[0].price, PriceTicks(5853300));
        QCOMPARE(r.bids[0].qty, Lots(18));
        QVERIFY(!isEmptyLevel(r.asks[0]));
        QVERIFY(isEmptyLevel(r.asks[1]));
        QVERIFY(isEmptyLevel(r.bids[1]));
        QCOMPARE(r.asks[1].qty, Lots(0));
        QCOMPARE(r.bids[1].qty, Lots(0));
        // Empty bid = minus infinity, empty ask = plus infinity, so OFI comparisons work.
        QCOMPARE(r.bids[1].price, kNoBidPrice);
        QCOMPARE(r.asks[1].price, kNoAskPrice);
        QVERIFY(reader.next());
        QVERIFY(isEmptyLevel(reader.row().asks[0]));
        QVERIFY(isEmptyLevel(reader.row().asks[1]));
        QCOMPARE(reader.row().bids[0].price, PriceTicks(5853300));
        QVERIFY(!reader.next());
        QVERIFY(!reader.error());
    }

    void levelCountIsInferredFromTheColumns_data() {
        QTest::addColumn<int>("levels");
        QTest::newRow("1 level, 4 columns") << 1;
        QTest::newRow("2 levels, 8 columns") << 2;
        QTest::newRow("10 levels, 40 columns") << 10;
        QTest::newRow("50 levels, 200 columns") << 50;
    }
    void levelCountIsInferredFromTheColumns() {
        QFETCH(int, levels);
        QByteArray row;
        for (int i = 0; i < levels; ++i) {
            if (i) row += ',';
            // ask price rising and bid price falling with depth; sizes tell the levels apart
            row += QByteArray::number(5859400 + 100 * i) + "," + QByteArray::number(10 + i) + "," +
                   QByteArray::number(5853300 - 100 * i) + "," + QByteArray::number(20 + i);
        }
        const QString m = writeFile(message("34200.1") + "\n");
        const QString b = writeFile(row + "\n");
        LobsterReader reader;
        QVERIFY(reader.open(m.toStdString(), b.toStdString()));
        QVERIFY(reader.next());
        QCOMPARE(reader.levels(), levels);
        QCOMPARE(reader.row().asks.size(), std::size_t(levels));
        QCOMPARE(reader.row().bids.size(), std::size_t(levels));
        const auto last = static_cast<std::size_t>(levels - 1);
        QCOMPARE(reader.row().asks[last].price, PriceTicks(5859400 + 100 * (levels - 1)));
        QCOMPARE(reader.row().asks[last].qty, Lots(10 + levels - 1));
        QCOMPARE(reader.row().bids[last].price, PriceTicks(5853300 - 100 * (levels - 1)));
        QCOMPARE(reader.row().bids[last].qty, Lots(20 + levels - 1));
    }

    void lastLineWithoutNewlineIsRead() {
        const QString m = writeFile(message("34200.1") + "\n" + message("34200.25", 3, -1));
        const QString b = writeFile(kBook2 + "\n" + "5859400,200,5853300,18,5859800,200,5853000,7");
        LobsterReader reader;
        QVERIFY(reader.open(m.toStdString(), b.toStdString()));
        QVERIFY(reader.next());
        QVERIFY(reader.next());
        QCOMPARE(reader.row().index, std::size_t(1));
        QCOMPARE(reader.row().message.timeNs, qint64(34200250000000));
        QCOMPARE(static_cast<int>(reader.row().message.type), 3);
        QCOMPARE(reader.row().message.side, Side::Ask);
        QCOMPARE(reader.row().bids[1].qty, Lots(7));  // the last field of the file
        QVERIFY(!reader.next());
        QVERIFY(!reader.error());
    }

    void crlfLineEndingsAreAccepted() {
        const QString m =
            writeFile(message("34200.1", 1, -1) + "\r\n" + message("34200.2", 4, -1) + "\r\n");
        const QString b =
            writeFile(kBook2 + "\r\n" + "5859400,200,5853300,18,5859800,200,5853000,9\r\n");
        LobsterReader reader;
        QVERIFY(reader.open(m.toStdString(), b.toStdString()));
        const bool readFirst = reader.next();
        QVERIFY2(readFirst, errorOf(reader).constData());
        QCOMPARE(reader.row().message.side, Side::Ask);  // "-1\r" would not parse
        QCOMPARE(reader.row().bids[1].qty, Lots(150));
        const bool readSecond = reader.next();
        QVERIFY2(readSecond, errorOf(reader).constData());
        QCOMPARE(static_cast<int>(reader.row().message.type), 4);
        QCOMPARE(reader.row().bids[1].qty, Lots(9));
        QVERIFY(!reader.next());
        QVERIFY(!reader.error());
    }

    void repeatedTimesAreAccepted() {
        const QString m = writeFile(message("34200.275072491") + "\n" + message("34200.275072491") +
                                    "\n" + message("34200.275072491") + "\n");
        const QString b = writeFile(kBook2 + "\n" + kBook2 + "\n" + kBook2 + "\n");
        LobsterReader reader;
        QVERIFY(reader.open(m.toStdString(), b.toStdString()));
        int rows = 0;
        while (reader.next())
            ++rows;
        QVERIFY(!reader.error());
        QCOMPARE(rows, 3);
    }

    // --- errors
    // -----------------------------------------------------------------------------------

    void missingFileIsRejectedNamingIt_data() {
        QTest::addColumn<bool>("messagesMissing");
        QTest::newRow("messages file missing") << true;
        QTest::newRow("book file missing") << false;
    }
    void missingFileIsRejectedNamingIt() {
        QFETCH(bool, messagesMissing);
        const QString present = writeFile(message("34200.1") + "\n");
        const QString missing = dir_.filePath("does_not_exist.csv");
        const QString m = messagesMissing ? missing : present;
        const QString b = messagesMissing ? writeFile(kBook2 + "\n") : missing;
        LobsterReader reader;
        QVERIFY(!reader.open(m.toStdString(), b.toStdString()));
        QVERIFY(reader.error());
        QCOMPARE(QString::fromStdString(reader.error()->file), missing);
        QCOMPARE(reader.error()->line, std::size_t(0));  // the file as a whole
        QVERIFY(!reader.error()->message.empty());
        QVERIFY(!reader.next());
    }

    void malformedInputIsRejectedNamingFileAndLine_data() {
        QTest::addColumn<QByteArray>("messages");
        QTest::addColumn<QByteArray>("book");
        QTest::addColumn<int>("levels");  // 0 = infer from the first book row
        QTest::addColumn<bool>("inBookFile");
        QTest::addColumn<int>("line");
        QTest::addColumn<QString>("mentions");  // a word the message must contain
        QTest::addColumn<int>("goodRows");      // rows read before the error

        const QByteArray m1 = message("34200.1") + "\n";
        const QByteArray m2 = message("34200.2") + "\n";
        const QByteArray m3 = message("34200.3") + "\n";
        const QByteArray b = kBook2 + "\n";

        QTest::newRow("time too large for nanoseconds")
            << m1 + message("9999999999.5") + "\n"
            << b + b << 0 << false << 2 << "seconds after midnight" << 1;
        QTest::newRow("messages longer than book")
            << m1 + m2 + m3 << b + b << 0 << false << 3 << "same length" << 2;
        QTest::newRow("book longer than messages")
            << m1 + m2 << b + b + b << 0 << true << 3 << "same length" << 2;
        QTest::newRow("messages empty, book not")
            << QByteArray() << b << 0 << true << 1 << "same length" << 0;
        QTest::newRow("book empty, messages not")
            << m1 << QByteArray() << 0 << false << 1 << "same length" << 0;
        QTest::newRow("book row with 7 columns for 2 levels")
            << m1 + m2 + m3 << b + b + "5859400,200,5853300,18,5859800,200,5853000\n"
            << 0 << true << 3 << "columns" << 2;
        QTest::newRow("book row with 12 columns for 2 levels")
            << m1 + m2 << b + kBook2 + ",5861000,200,5851000,5\n"
            << 0 << true << 2 << "columns" << 1;
        QTest::newRow("first book row not a multiple of 4 columns")
            << m1 << QByteArray("5859400,200,5853300,18,5859800,200\n") << 0 << true << 1
            << "columns" << 0;
        QTest::newRow("book with 2 levels read as 3")
            << m1 << b << 3 << true << 1 << "columns" << 0;
        QTest::newRow("message with 5 columns") << m1 + "34200.2,1,16113575,18,5853300\n"
                                                << b + b << 0 << false << 2 << "columns" << 1;
        QTest::newRow("message with 7 columns") << m1 + m2 + "34200.3,1,16113575,18,5853300,1,0\n"
                                                << b + b + b << 0 << false << 3 << "columns" << 2;
        QTest::newRow("non-numeric message price") << m1 + "34200.2,1,16113575,18,58533OO,1\n"
                                                   << b + b << 0 << false << 2 << "58533OO" << 1;
        QTest::newRow("non-numeric message time")
            << m1 + m2 + "34200.3x,1,16113575,18,5853300,1\n"
            << b + b + b << 0 << false << 3 << "34200.3x" << 2;
        QTest::newRow("empty message size") << m1 + "34200.2,1,16113575,,5853300,1\n"
                                            << b + b << 0 << false << 2 << "size" << 1;
        QTest::newRow("non-numeric book size")
            << m1 + m2 << b + "5859400,abc,5853300,18,5859800,200,5853000,150\n"
            << 0 << true << 2 << "abc" << 1;
        QTest::newRow("decimal book price")
            << m1 + m2 + m3 << b + b + "5859400.5,200,5853300,18,5859800,200,5853000,150\n"
            << 0 << true << 3 << "5859400.5" << 2;
        QTest::newRow("time going backwards")
            << m1 + m3 + m2 << b + b + b << 0 << false << 3 << "backwards" << 2;
        QTest::newRow("type 8") << m1 + message("34200.2", 8) + "\n"
                                << b + b << 0 << false << 2 << "type" << 1;
        QTest::newRow("type 0") << message("34200.1", 0) + "\n"
                                << b << 0 << false << 1 << "type" << 0;
        QTest::newRow("direction 0") << m1 + m2 + message("34200.3", 1, 0) + "\n"
                                     << b + b + b << 0 << false << 3 << "direction" << 2;
        QTest::newRow("direction 2") << message("34200.1", 1, 2) + "\n"
                                     << b << 0 << false << 1 << "direction" << 0;
        // Values that would wrap a 64-bit sum (two sizes near 2^63 make OFI and depth imbalance
        // wrap) or that do not fit in 64 bits at all are refused, not read.
        QTest::newRow("message size near 2^63")
            << m1 + "34200.2,1,16113575,9223372036854775000,5853300,1\n"
            << b + b << 0 << false << 2 << "above" << 1;
        QTest::newRow("message size past 2^63")
            << m1 + "34200.2,1,16113575,9223372036854775808,5853300,1\n"
            << b + b << 0 << false << 2 << "64 bits" << 1;
        QTest::newRow("message size just above 10^12")
            << m1 + "34200.2,1,16113575,1000000000001,5853300,1\n"
            << b + b << 0 << false << 2 << "above" << 1;
        QTest::newRow("message price near -2^63")
            << m1 + "34200.2,1,16113575,18,-9223372036854775000,1\n"
            << b + b << 0 << false << 2 << "price" << 1;
        QTest::newRow("book ask size near 2^63")
            << m1 + m2 << b + "5859400,4611686018427387904,5853300,18,5859800,200,5853000,150\n"
            << 0 << true << 2 << "above" << 1;
        QTest::newRow("book bid size near 2^63 at level 2")
            << m1 + m2 << b + "5859400,200,5853300,18,5859800,200,5853000,4611686018427387904\n"
            << 0 << true << 2 << "level 2" << 1;
        QTest::newRow("book price near 2^63")
            << m1 + m2 << b + "9223372036854775000,200,5853300,18,5859800,200,5853000,150\n"
            << 0 << true << 2 << "price" << 1;
    }
    void malformedInputIsRejectedNamingFileAndLine() {
        QFETCH(QByteArray, messages);
        QFETCH(QByteArray, book);
        QFETCH(int, levels);
        QFETCH(bool, inBookFile);
        QFETCH(int, line);
        QFETCH(QString, mentions);
        QFETCH(int, goodRows);
        const QString m = writeFile(messages);
        const QString b = writeFile(book);
        LobsterReader reader;
        QVERIFY(reader.open(m.toStdString(), b.toStdString(), levels));
        int rows = 0;
        while (reader.next())
            ++rows;
        QCOMPARE(rows, goodRows);
        QVERIFY2(reader.error(), "the reader stopped without reporting an error");
        const InputError& e = *reader.error();
        QCOMPARE(QString::fromStdString(e.file), inBookFile ? b : m);
        QCOMPARE(e.line, std::size_t(line));
        QVERIFY2(QString::fromStdString(e.message).contains(mentions),
                 qPrintable(QString::fromStdString(e.message)));
        // toString() is what users see: it names the file and the line.
        QVERIFY(QString::fromStdString(e.toString())
                    .startsWith((inBookFile ? b : m) + ":" + QString::number(line) + ":"));
        QVERIFY(!reader.next());  // stays failed
    }

    void largestAcceptedSizeIsReadExactly() {
        // 10^12 is the documented maximum: read as is, not refused.
        const QString m = writeFile("34200.1,1,16113575,1000000000000,5853300,1\n");
        const QString b = writeFile(
            "5859400,1000000000000,5853300,1000000000000,5859800,200,"
            "5853000,150\n");
        LobsterReader reader;
        QVERIFY(reader.open(m.toStdString(), b.toStdString()));
        QVERIFY2(reader.next(), reader.error() ? reader.error()->toString().c_str() : "");
        QCOMPARE(reader.row().message.size, qint64(1'000'000'000'000));
        QCOMPARE(reader.row().asks[0].qty, qint64(1'000'000'000'000));
        QCOMPARE(reader.row().bids[0].qty, qint64(1'000'000'000'000));
    }

    // A file with no newline at all (/dev/zero) must be refused after reading about the limit,
    // never buffered whole: the reader's own byte count bounds what it consumed.
    void messagesFileWithoutNewlinesIsRefusedAfterReadingAtMostTheLimit() {
        if (!QFile::exists("/dev/zero")) QSKIP("no /dev/zero");
        const QString b = writeFile(kBook2 + "\n");
        LobsterReader reader;
        QVERIFY(reader.open("/dev/zero", b.toStdString()));
        QVERIFY(!reader.next());
        QVERIFY2(reader.error(), "an endless line must be an error");
        QCOMPARE(QString::fromStdString(reader.error()->file), QString("/dev/zero"));
        QCOMPARE(reader.error()->line, std::size_t(1));
        const QString text = QString::fromStdString(reader.error()->message);
        QVERIFY2(text.contains("longer than 1 MiB"), qPrintable(text));
        constexpr std::uint64_t kLimit = 1 << 20;    // the documented LOBSTER row limit
        constexpr std::uint64_t kOneRead = 1 << 20;  // one buffer refill
        QVERIFY2(reader.bytesRead() <= kLimit + kOneRead + 2 + kBook2.size() + 1,
                 qPrintable(QString::number(reader.bytesRead())));
        QVERIFY(!reader.next());
    }

    void overlongBookLineIsRefusedNamingItsLine() {
        const QByteArray longRow(3 << 20, '7');  // one 3 MiB field, no comma, no newline
        const QString m = writeFile(message("34200.1") + "\n" + message("34200.2") + "\n");
        const QString b = writeFile(kBook2 + "\n" + longRow + "\n");
        LobsterReader reader;
        QVERIFY(reader.open(m.toStdString(), b.toStdString()));
        QVERIFY(reader.next());
        QVERIFY(!reader.next());
        QVERIFY(reader.error());
        QCOMPARE(QString::fromStdString(reader.error()->file), b);
        QCOMPARE(reader.error()->line, std::size_t(2));
        QVERIFY(QString::fromStdString(reader.error()->message).contains("longer than"));
        QVERIFY(reader.bytesRead() < (std::uint64_t{5} << 20) / 2 + (1 << 20));
    }

    void rowOfExactlyTheLimitIsAccepted() {
        // A message row padded to exactly 1 MiB (leading zeros in the order id) still reads.
        const QByteArray head = "34200.1,1,";
        const QByteArray tail = "16113575,18,5853300,-1";
        const QByteArray row = head + QByteArray((1 << 20) - head.size() - tail.size(), '0') + tail;
        QCOMPARE(row.size(), 1 << 20);
        const QString m = writeFile(row + "\r\n");
        const QString b = writeFile(kBook2 + "\n");
        LobsterReader reader;
        QVERIFY(reader.open(m.toStdString(), b.toStdString()));
        QVERIFY2(reader.next(), reader.error() ? reader.error()->toString().c_str() : "");
        QCOMPARE(reader.row().message.orderId, qint64(16113575));
    }

    void emptyFilesAreRejectedNamingTheMessageFile() {
        const QString m = writeFile({});
        const QString b = writeFile({});
        LobsterReader reader;
        QVERIFY(reader.open(m.toStdString(), b.toStdString()));
        QVERIFY(!reader.next());
        QVERIFY2(reader.error(), "an empty input must be an error, not an empty result");
        QCOMPARE(QString::fromStdString(reader.error()->file), m);
        QCOMPARE(reader.error()->line, std::size_t(0));  // the file as a whole
        QVERIFY(QString::fromStdString(reader.error()->message).contains("empty"));
    }

    // --- trades and book deltas ---------------------------------------------------------------

    void executionsAreTradesWithTheAggressorOppositeTheOrder_data() {
        QTest::addColumn<int>("type");
        QTest::addColumn<int>("direction");
        QTest::addColumn<bool>("isTrade");
        QTest::addColumn<Side>("aggressor");
        QTest::newRow("visible execution of a sell order is buyer-initiated")
            << 4 << -1 << true << Side::Bid;
        QTest::newRow("visible execution of a buy order is seller-initiated")
            << 4 << 1 << true << Side::Ask;
        QTest::newRow("hidden execution of a sell order is buyer-initiated")
            << 5 << -1 << true << Side::Bid;
        QTest::newRow("hidden execution of a buy order is seller-initiated")
            << 5 << 1 << true << Side::Ask;
        QTest::newRow("cross is not flow") << 6 << -1 << false << Side::Bid;
        QTest::newRow("submit is not a trade") << 1 << 1 << false << Side::Bid;
        QTest::newRow("partial cancel is not a trade") << 2 << -1 << false << Side::Bid;
        QTest::newRow("delete is not a trade") << 3 << 1 << false << Side::Bid;
        QTest::newRow("halt is not a trade") << 7 << -1 << false << Side::Bid;
    }
    void executionsAreTradesWithTheAggressorOppositeTheOrder() {
        QFETCH(int, type);
        QFETCH(int, direction);
        QFETCH(bool, isTrade);
        QFETCH(Side, aggressor);
        LobsterMessage m;
        m.type = static_cast<LobsterType>(type);
        m.side = direction == 1 ? Side::Bid : Side::Ask;
        m.size = 100;
        m.price = 5859400;
        Side got = isTrade ? opposite(aggressor) : Side::Bid;  // must be overwritten if a trade
        QCOMPARE(lobsterTrade(m, got), isTrade);
        if (isTrade) QCOMPARE(got, aggressor);
    }

    void bookDeltaAddsSubmitsAndRemovesCancelsDeletesAndExecutions_data() {
        QTest::addColumn<int>("type");
        QTest::addColumn<bool>("changesBook");
        QTest::addColumn<qint64>("delta");  // for a message of size 18
        QTest::newRow("submit") << 1 << true << qint64(18);
        QTest::newRow("partial cancel") << 2 << true << qint64(-18);
        QTest::newRow("delete") << 3 << true << qint64(-18);
        QTest::newRow("visible execution") << 4 << true << qint64(-18);
        QTest::newRow("hidden execution") << 5 << false << qint64(0);
        QTest::newRow("cross") << 6 << false << qint64(0);
        QTest::newRow("halt") << 7 << false << qint64(0);
    }
    void bookDeltaAddsSubmitsAndRemovesCancelsDeletesAndExecutions() {
        QFETCH(int, type);
        QFETCH(bool, changesBook);
        QFETCH(qint64, delta);
        LobsterMessage m;
        m.type = static_cast<LobsterType>(type);
        m.size = 18;
        const std::optional<Lots> got = lobsterBookDelta(m);
        QCOMPARE(got.has_value(), changesBook);
        if (changesBook) QCOMPARE(*got, delta);
    }
};

QTEST_GUILESS_MAIN(TstLobsterReader)
#include "tst_lobster_reader.moc"
