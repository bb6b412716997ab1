// flowscope-cli end to end: runs the built binary with QProcess and checks its output against the
// test's own computation straight from the LOBSTER CSV files (no core code is called here), its
// exit codes, and that a failed run leaves no output file behind.
#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <limits>
#include <optional>
#include <utility>
#include <vector>

namespace {

constexpr qint64 kEmptyAskMarker = 9999999999;
constexpr qint64 kEmptyBidMarker = -9999999999;
constexpr qint64 kNsPerSecond = 1'000'000'000;

// "34200.004241176" -> 34200004241176; exact decimal arithmetic, at most 9 decimals.
std::optional<qint64> secondsToNs(const QByteArray& text) {
    const qsizetype dot = text.indexOf('.');
    const QByteArray whole = dot < 0 ? text : text.left(dot);
    const QByteArray decimals = dot < 0 ? QByteArray() : text.mid(dot + 1);
    bool ok = false;
    const qint64 seconds = whole.toLongLong(&ok);
    if (!ok || decimals.size() > 9) return std::nullopt;
    qint64 fraction = 0;
    for (char c : decimals) {
        if (c < '0' || c > '9') return std::nullopt;
        fraction = fraction * 10 + (c - '0');
    }
    for (qsizetype i = decimals.size(); i < 9; ++i)
        fraction *= 10;
    return seconds * kNsPerSecond + fraction;
}

struct Message {
    qint64 timeNs = 0;
    int type = 0;
    qint64 size = 0;
    qint64 price = 0;
    int direction = 0;
};

// A LOBSTER sample as the test reads it: messages and raw book rows.
struct Sample {
    QString messagesPath;
    QString bookPath;
    std::vector<Message> messages;
    std::vector<std::vector<qint64>> book;
    int levels = 0;
    QString error;  ///< why the sample could not be read
};

QList<QByteArray> nonEmptyLines(const QString& path, bool& ok) {
    QFile f(path);
    ok = f.open(QIODevice::ReadOnly);
    QList<QByteArray> lines;
    if (!ok) return lines;
    for (const QByteArray& line : f.readAll().split('\n'))
        if (!line.trimmed().isEmpty()) lines << line.trimmed();
    return lines;
}

Sample loadSample(const QString& messagesPath, const QString& bookPath) {
    Sample s{messagesPath, bookPath, {}, {}, 0, {}};
    const auto fail = [&s](const QString& why) {
        s.error = why;
        return s;
    };
    bool ok = false;
    const QList<QByteArray> messageLines = nonEmptyLines(messagesPath, ok);
    if (!ok) return fail("cannot read '" + messagesPath + "'");
    const QList<QByteArray> bookLines = nonEmptyLines(bookPath, ok);
    if (!ok) return fail("cannot read '" + bookPath + "'");
    if (messageLines.size() != bookLines.size() || messageLines.isEmpty())
        return fail("the sample's files differ in length");
    for (const QByteArray& line : messageLines) {
        const QList<QByteArray> f = line.split(',');
        const auto t = f.size() == 6 ? secondsToNs(f[0]) : std::nullopt;
        if (!t) return fail("bad sample message " + QString::fromLatin1(line));
        s.messages.push_back(
            {*t, f[1].toInt(), f[3].toLongLong(), f[4].toLongLong(), f[5].toInt()});
    }
    for (const QByteArray& line : bookLines) {
        std::vector<qint64> row;
        for (const QByteArray& field : line.split(','))
            row.push_back(field.toLongLong());
        s.book.push_back(std::move(row));
    }
    s.levels = static_cast<int>(s.book.front().size() / 4);
    return s;
}

// One side of one level with LOBSTER's empty markers turned into +-infinity and size 0.
struct Quote {
    long double price;
    qint64 size;
};
Quote bidAt(const std::vector<qint64>& row, int m) {
    const qint64 p = row[std::size_t(4 * m + 2)];
    if (p == kEmptyBidMarker) return {-std::numeric_limits<long double>::infinity(), 0};
    return {static_cast<long double>(p), row[std::size_t(4 * m + 3)]};
}
Quote askAt(const std::vector<qint64>& row, int m) {
    const qint64 p = row[std::size_t(4 * m)];
    if (p == kEmptyAskMarker) return {std::numeric_limits<long double>::infinity(), 0};
    return {static_cast<long double>(p), row[std::size_t(4 * m + 1)]};
}

// e_n at level m from book rows n-1 and n (Cont, Kukanov & Stoikov; multi-level: Xu et al.).
qint64 ofiContribution(const std::vector<qint64>& before, const std::vector<qint64>& after, int m) {
    const Quote pb = bidAt(before, m), b = bidAt(after, m);
    const Quote pa = askAt(before, m), a = askAt(after, m);
    qint64 e = 0;
    if (b.price >= pb.price) e += b.size;
    if (b.price <= pb.price) e -= pb.size;
    if (a.price <= pa.price) e -= a.size;
    if (a.price >= pa.price) e += pa.size;
    return e;
}

// Twice the mid (ask1 + bid1), exact; nullopt if a side is empty.
std::optional<qint64> twiceMid(const std::vector<qint64>& row) {
    if (row[0] == kEmptyAskMarker || row[2] == kEmptyBidMarker) return std::nullopt;
    return row[0] + row[2];
}

struct ExpectedWindow {
    qint64 index = 0;  ///< window [index*S, (index+1)*S)
    qint64 events = 0;
    std::optional<qint64> midChangeTwice;
    std::vector<qint64> ofi;
};

// The OFI table from its definition: event n >= 1 uses book rows n-1 and n and belongs to the
// window holding message n's time; a window's mid change is the mid after its last event minus
// the mid after the event just before its first (row 0 for the first window).
std::vector<ExpectedWindow> expectedOfiTable(const Sample& s, int levels, qint64 intervalNs) {
    std::vector<ExpectedWindow> windows;
    std::vector<std::pair<std::size_t, std::size_t>> span;  // first and last event of each window
    for (std::size_t n = 1; n < s.messages.size(); ++n) {
        const qint64 index = s.messages[n].timeNs / intervalNs;
        if (windows.empty() || windows.back().index != index) {
            windows.push_back(
                {index, 0, std::nullopt, std::vector<qint64>(std::size_t(levels), 0)});
            span.push_back({n, n});
        }
        ExpectedWindow& w = windows.back();
        ++w.events;
        span.back().second = n;
        for (int m = 0; m < levels; ++m)
            w.ofi[std::size_t(m)] += ofiContribution(s.book[n - 1], s.book[n], m);
    }
    for (std::size_t i = 0; i < windows.size(); ++i) {
        const auto before = twiceMid(s.book[span[i].first - 1]);
        const auto after = twiceMid(s.book[span[i].second]);
        if (before && after) windows[i].midChangeTwice = *after - *before;
    }
    return windows;
}

QByteArray expectedOfiHeader(int levels) {
    QByteArray h = "start,end,events,mid_change";
    for (int m = 1; m <= levels; ++m)
        h += ",ofi_" + QByteArray::number(m);
    return h;
}

// Compares the program's CSV with the expected table; returns the first difference, or empty.
QString compareOfiCsv(const QByteArray& csv, const std::vector<ExpectedWindow>& expected,
                      int levels, qint64 intervalNs) {
    if (!csv.endsWith('\n')) return "the CSV does not end with a newline";
    QList<QByteArray> lines = csv.split('\n');
    lines.removeLast();
    if (lines.isEmpty()) return "no CSV header";
    if (lines[0] != expectedOfiHeader(levels))
        return "header '" + QString::fromLatin1(lines[0]) + "', expected '" +
               QString::fromLatin1(expectedOfiHeader(levels)) + "'";
    if (std::size_t(lines.size() - 1) != expected.size())
        return QString("%1 windows, expected %2").arg(lines.size() - 1).arg(expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const ExpectedWindow& w = expected[i];
        const QByteArray& line = lines[qsizetype(i + 1)];
        const QString where = QString("window %1 ('%2'): ").arg(i).arg(QString::fromLatin1(line));
        const QList<QByteArray> f = line.split(',');
        if (f.size() != 4 + levels) return where + "wrong column count";
        if (secondsToNs(f[0]) != w.index * intervalNs) return where + "start";
        if (secondsToNs(f[1]) != (w.index + 1) * intervalNs) return where + "end";
        if (f[2].toLongLong() != w.events)
            return where + QString("events, expected %1").arg(w.events);
        bool ok = false;
        const double midChange = f[3].toDouble(&ok);
        if (w.midChangeTwice) {
            // Half units are exact in a double, so the comparison can be exact.
            if (!ok || midChange != static_cast<double>(*w.midChangeTwice) / 2.0)
                return where + QString("mid_change, expected %1")
                                   .arg(static_cast<double>(*w.midChangeTwice) / 2.0);
        } else if (f[3] != "nan") {
            return where + "mid_change should be nan (a side was empty)";
        }
        for (int m = 0; m < levels; ++m) {
            const qint64 got = f[4 + m].toLongLong(&ok);
            if (!ok || got != w.ofi[std::size_t(m)])
                return where + QString("ofi_%1, expected %2").arg(m + 1).arg(w.ofi[std::size_t(m)]);
        }
    }
    return {};
}

// Least squares written for the test, in long double.
struct Fit {
    std::optional<double> beta;  ///< nullopt: undefined
    std::optional<double> r2;
};

Fit simpleRegression(const std::vector<long double>& x, const std::vector<long double>& y) {
    const std::size_t n = y.size();
    if (n < 2) return {};
    long double mx = 0, my = 0;
    for (std::size_t i = 0; i < n; ++i)
        mx += x[i], my += y[i];
    mx /= n;
    my /= n;
    long double sxx = 0, sxy = 0, syy = 0;
    for (std::size_t i = 0; i < n; ++i) {
        sxx += (x[i] - mx) * (x[i] - mx);
        sxy += (x[i] - mx) * (y[i] - my);
        syy += (y[i] - my) * (y[i] - my);
    }
    if (sxx == 0 || syy == 0) return {};
    return {static_cast<double>(sxy / sxx), static_cast<double>(sxy * sxy / (sxx * syy))};
}

// R^2 of y on an intercept and all columns: normal equations, Gaussian elimination with partial
// pivoting. nullopt when there are fewer observations than unknowns or the system is singular.
std::optional<double> multipleR2(const std::vector<std::vector<long double>>& columns,
                                 const std::vector<long double>& y) {
    const std::size_t n = y.size();
    const std::size_t p = columns.size() + 1;
    if (n < p) return std::nullopt;
    const auto x = [&](std::size_t i, std::size_t j) -> long double {
        return j == 0 ? 1.0L : columns[j - 1][i];
    };
    std::vector<std::vector<long double>> a(p, std::vector<long double>(p + 1, 0.0L));
    for (std::size_t r = 0; r < p; ++r) {
        for (std::size_t c = 0; c < p; ++c)
            for (std::size_t i = 0; i < n; ++i)
                a[r][c] += x(i, r) * x(i, c);
        for (std::size_t i = 0; i < n; ++i)
            a[r][p] += x(i, r) * y[i];
    }
    for (std::size_t col = 0; col < p; ++col) {
        std::size_t pivot = col;
        for (std::size_t r = col + 1; r < p; ++r)
            if (std::fabs(a[r][col]) > std::fabs(a[pivot][col])) pivot = r;
        if (a[pivot][col] == 0) return std::nullopt;
        std::swap(a[col], a[pivot]);
        for (std::size_t r = col + 1; r < p; ++r) {
            const long double f = a[r][col] / a[col][col];
            for (std::size_t c = col; c <= p; ++c)
                a[r][c] -= f * a[col][c];
        }
    }
    std::vector<long double> b(p);
    for (std::size_t r = p; r-- > 0;) {
        long double v = a[r][p];
        for (std::size_t c = r + 1; c < p; ++c)
            v -= a[r][c] * b[c];
        b[r] = v / a[r][r];
    }
    long double mean = 0;
    for (long double v : y)
        mean += v;
    mean /= n;
    long double ssr = 0, sst = 0;
    for (std::size_t i = 0; i < n; ++i) {
        long double fitted = 0;
        for (std::size_t j = 0; j < p; ++j)
            fitted += b[j] * x(i, j);
        ssr += (y[i] - fitted) * (y[i] - fitted);
        sst += (y[i] - mean) * (y[i] - mean);
    }
    if (sst == 0) return std::nullopt;
    return static_cast<double>(1.0L - ssr / sst);
}

// A JSON value against an expected number (or null when undefined); empty if they agree.
QString compareJsonNumber(const QJsonValue& got, std::optional<double> expected,
                          const QString& what) {
    if (!expected) return got.isNull() ? QString() : what + " should be null (undefined)";
    if (!got.isDouble()) return what + " is not a number";
    const double g = got.toDouble();
    if (std::fabs(g - *expected) > 1e-6 * std::fabs(*expected) + 1e-12)
        return what + QString(" = %1, expected %2").arg(g, 0, 'g', 17).arg(*expected, 0, 'g', 17);
    return {};
}

struct Run {
    bool finished = false;
    QProcess::ExitStatus status = QProcess::CrashExit;
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Run runCli(const QStringList& args) {
    QProcess p;
    p.start(QStringLiteral(FLOWSCOPE_CLI), args);
    Run r;
    if (!p.waitForStarted(10000)) return r;
    r.finished = p.waitForFinished(240000);
    if (!r.finished) {
        p.kill();
        p.waitForFinished(5000);
        return r;
    }
    r.status = p.exitStatus();
    r.exitCode = p.exitCode();
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

QString describe(const Run& r) {
    return QString("finished=%1 status=%2 exit=%3\nstderr: %4")
        .arg(r.finished ? "yes" : "no")
        .arg(r.status == QProcess::NormalExit ? "normal" : "crash")
        .arg(r.exitCode)
        .arg(QString::fromLocal8Bit(r.err.left(2000)));
}

bool writeFile(const QString& path, const QByteArray& content) {
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(content) == content.size();
}

QString findOne(const QString& dir, const QString& pattern) {
    const QStringList found = QDir(dir).entryList({pattern}, QDir::Files, QDir::Name);
    return found.size() == 1 ? QDir(dir).filePath(found.first()) : QString();
}

}  // namespace

class TstCli : public QObject {
    Q_OBJECT

  private:
    QTemporaryDir dir_;
    Sample aapl_;
    std::optional<Sample> amzn_;  ///< loaded on first use
    QList<QByteArray> aaplMessageLines_, aaplBookLines_;
    // Small inputs derived from the AAPL sample, generated in initTestCase: good ones and ones
    // with one defect each, at a known line.
    QString goodM_, goodB_;
    QString missing_, longerM_, shorterM_, bookCols_, messageCols_, nonNumericM_, nonNumericB_,
        backwardsM_, fullBackwardsM_, hugeSizeM_, hugeSizeB_;

    // Writes the first `rows` lines of a sample file with line `line` (1-based) replaced.
    QString derive(const QString& name, const QList<QByteArray>& lines, int rows, int line = 0,
                   const QByteArray& replacement = {}) {
        QByteArray content;
        for (int i = 0; i < rows; ++i)
            content += (i + 1 == line ? replacement : lines[i]) + "\n";
        const QString path = dir_.filePath(name);
        return writeFile(path, content) ? path : QString();
    }

    const Sample* sample(const QString& name) {
        if (name == "AAPL") return &aapl_;
        if (!amzn_) {
            const QString dir = QStringLiteral(FLOWSCOPE_SHARED_DATA "/lobster");
            const QString m = findOne(dir, "AMZN_*message_1.csv");
            const QString b = findOne(dir, "AMZN_*orderbook_1.csv");
            if (m.isEmpty() || b.isEmpty()) return nullptr;
            amzn_ = loadSample(m, b);
        }
        return &*amzn_;
    }

  private slots:
    void initTestCase() {
        QVERIFY2(QFile::exists(QStringLiteral(FLOWSCOPE_CLI)), FLOWSCOPE_CLI " is not built");
        QVERIFY(dir_.isValid());
        const QString data = QStringLiteral(FLOWSCOPE_TEST_DATA "/lobster");
        aapl_ = loadSample(findOne(data, "AAPL_*message_10*.csv"),
                           findOne(data, "AAPL_*orderbook_10*.csv"));
        QVERIFY2(aapl_.error.isEmpty(),
                 qPrintable("tests/data/lobster AAPL sample: " + aapl_.error));
        QCOMPARE(aapl_.messages.size(), std::size_t(999));
        QCOMPARE(aapl_.levels, 10);
        bool ok = false;
        aaplMessageLines_ = nonEmptyLines(aapl_.messagesPath, ok);
        aaplBookLines_ = nonEmptyLines(aapl_.bookPath, ok);

        const auto& m = aaplMessageLines_;
        const auto& b = aaplBookLines_;
        goodM_ = derive("good_m.csv", m, 20);
        goodB_ = derive("good_b.csv", b, 20);
        missing_ = dir_.filePath("no_such_file.csv");
        longerM_ = derive("m_21_rows.csv", m, 21);   // 21 messages, 20 book rows: line 21
        shorterM_ = derive("m_19_rows.csv", m, 19);  // 19 messages, 20 book rows: line 20
        QByteArray cut = b[6];
        cut.truncate(cut.lastIndexOf(','));  // 39 columns on line 7
        bookCols_ = derive("b_cols.csv", b, 20, 7, cut);
        messageCols_ = derive("m_cols.csv", m, 20, 5, "34200.1,1,16113575,18,5853300");
        QList<QByteArray> price = m[8].split(',');
        price[4] = "58533x0";  // the price field, line 9
        nonNumericM_ = derive("m_text.csv", m, 20, 9, price.join(','));
        QList<QByteArray> fields = b[11].split(',');
        fields[5] = "many";  // a size, line 12
        nonNumericB_ = derive("b_text.csv", b, 20, 12, fields.join(','));
        QList<QByteArray> early = m[14].split(',');
        early[0] = "34200.0";  // before line 14's time, line 15
        backwardsM_ = derive("m_back.csv", m, 20, 15, early.join(','));
        QList<QByteArray> lateEarly = m[499].split(',');
        lateEarly[0] = "34200.0";  // the full sample going backwards at line 500
        fullBackwardsM_ = derive("m_full_back.csv", m, int(m.size()), 500, lateEarly.join(','));
        QList<QByteArray> huge = m[2].split(',');
        huge[3] = "9223372036854775000";  // a size near 2^63, line 3
        hugeSizeM_ = derive("m_huge.csv", m, 20, 3, huge.join(','));
        QList<QByteArray> hugeBook = b[3].split(',');
        hugeBook[1] = "4611686018427387904";  // ask size 2^62 at level 1, line 4
        hugeBook[3] = "4611686018427387904";  // and the bid's: their sum wraps
        hugeSizeB_ = derive("b_huge.csv", b, 20, 4, hugeBook.join(','));
        for (const QString& p :
             {goodM_, goodB_, longerM_, shorterM_, bookCols_, messageCols_, nonNumericM_,
              nonNumericB_, backwardsM_, fullBackwardsM_, hugeSizeM_, hugeSizeB_})
            QVERIFY2(!p.isEmpty(), "cannot write a fixture");
    }

    // --- ofi: the table
    // ---------------------------------------------------------------------------

    void ofiCsvEqualsTheTableComputedFromTheFiles_data() {
        QTest::addColumn<QString>("sample");
        QTest::addColumn<int>("levels");
        QTest::addColumn<QString>("interval");
        QTest::addColumn<qint64>("intervalNs");
        QTest::newRow("AAPL L=1 S=1") << "AAPL" << 1 << "1" << qint64(1'000'000'000);
        QTest::newRow("AAPL L=5 S=10") << "AAPL" << 5 << "10" << qint64(10'000'000'000);
        QTest::newRow("AAPL L=10 S=2.5") << "AAPL" << 10 << "2.5" << qint64(2'500'000'000);
        QTest::newRow("AAPL L=3 S=0.001") << "AAPL" << 3 << "0.001" << qint64(1'000'000);
        // One nanosecond: every distinct time is a window; repeated times share one.
        QTest::newRow("AAPL L=2 S=1ns") << "AAPL" << 2 << "0.000000001" << qint64(1);
        QTest::newRow("AAPL L=10 S=60") << "AAPL" << 10 << "60" << qint64(60'000'000'000);
        QTest::newRow("AMZN full day L=1 S=10") << "AMZN" << 1 << "10" << qint64(10'000'000'000);
        QTest::newRow("AMZN full day L=1 S=0.5") << "AMZN" << 1 << "0.5" << qint64(500'000'000);
    }
    void ofiCsvEqualsTheTableComputedFromTheFiles() {
        QFETCH(QString, sample);
        QFETCH(int, levels);
        QFETCH(QString, interval);
        QFETCH(qint64, intervalNs);
        const Sample* s = this->sample(sample);
        if (!s) QSKIP("../shared/data/lobster has no AMZN level-1 full day");
        QVERIFY2(s->error.isEmpty(), qPrintable(s->error));
        const Run r = runCli({"ofi", "--messages", s->messagesPath, "--book", s->bookPath,
                              "--levels", QString::number(levels), "--interval", interval});
        QVERIFY2(r.finished && r.status == QProcess::NormalExit && r.exitCode == 0,
                 qPrintable(describe(r)));
        const auto expected = expectedOfiTable(*s, levels, intervalNs);
        QVERIFY(!expected.empty());
        const QString diff = compareOfiCsv(r.out, expected, levels, intervalNs);
        QVERIFY2(diff.isEmpty(), qPrintable(diff));
    }

    void ofiStartAndEndArePrintedWithoutTrailingZeros() {
        const Run r = runCli({"ofi", "--messages", aapl_.messagesPath, "--book", aapl_.bookPath,
                              "--levels", "1", "--interval", "2.5"});
        QCOMPARE(r.exitCode, 0);
        const QList<QByteArray> lines = r.out.split('\n');
        QVERIFY(lines.size() > 3);
        // The sample starts at 34200.004: the first windows are [34200, 34202.5), [34202.5, 34205).
        QVERIFY2(lines[1].startsWith("34200,34202.5,"), lines[1].constData());
        QVERIFY2(lines[2].startsWith("34202.5,34205,"), lines[2].constData());
    }

    // --- ofi --summary
    // ----------------------------------------------------------------------------

    void ofiSummaryEqualsTheTestsOwnRegression_data() {
        QTest::addColumn<QString>("sample");
        QTest::addColumn<int>("levels");
        QTest::addColumn<QString>("interval");
        QTest::addColumn<qint64>("intervalNs");
        QTest::newRow("AAPL L=1 S=1") << "AAPL" << 1 << "1" << qint64(1'000'000'000);
        // 5 windows, 6 unknowns: the multi-level R^2 is undefined.
        QTest::newRow("AAPL L=5 S=10") << "AAPL" << 5 << "10" << qint64(10'000'000'000);
        QTest::newRow("AAPL L=10 S=2.5") << "AAPL" << 10 << "2.5" << qint64(2'500'000'000);
        QTest::newRow("AAPL L=10 S=1") << "AAPL" << 10 << "1" << qint64(1'000'000'000);
        QTest::newRow("AAPL L=3 S=5") << "AAPL" << 3 << "5" << qint64(5'000'000'000);
        QTest::newRow("AMZN full day L=1 S=60") << "AMZN" << 1 << "60" << qint64(60'000'000'000);
    }
    void ofiSummaryEqualsTheTestsOwnRegression() {
        QFETCH(QString, sample);
        QFETCH(int, levels);
        QFETCH(QString, interval);
        QFETCH(qint64, intervalNs);
        const Sample* s = this->sample(sample);
        if (!s) QSKIP("../shared/data/lobster has no AMZN level-1 full day");
        QVERIFY2(s->error.isEmpty(), qPrintable(s->error));
        const Run r =
            runCli({"ofi", "--messages", s->messagesPath, "--book", s->bookPath, "--levels",
                    QString::number(levels), "--interval", interval, "--summary"});
        QVERIFY2(r.finished && r.status == QProcess::NormalExit && r.exitCode == 0,
                 qPrintable(describe(r)));
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(r.out, &parseError);
        QVERIFY2(parseError.error == QJsonParseError::NoError && doc.isObject(),
                 qPrintable("stdout is not one JSON object: " + parseError.errorString() + "\n" +
                            QString::fromUtf8(r.out.left(500))));
        const QJsonObject o = doc.object();

        // Observations: windows whose mid change is defined.
        std::vector<long double> y;
        std::vector<std::vector<long double>> x(static_cast<std::size_t>(levels));
        for (const ExpectedWindow& w : expectedOfiTable(*s, levels, intervalNs)) {
            if (!w.midChangeTwice) continue;
            y.push_back(static_cast<long double>(*w.midChangeTwice) / 2.0L);
            for (int m = 0; m < levels; ++m)
                x[std::size_t(m)].push_back(static_cast<long double>(w.ofi[std::size_t(m)]));
        }
        QVERIFY2(o.value("windows").isDouble(), "no \"windows\" number");
        QCOMPARE(o.value("windows").toInteger(), qint64(y.size()));
        const QJsonArray perLevel = o.value("levels").toArray();
        QCOMPARE(perLevel.size(), qsizetype(levels));
        for (int m = 0; m < levels; ++m) {
            const QJsonObject l = perLevel[m].toObject();
            QCOMPARE(l.value("level").toInt(), m + 1);
            const Fit fit = simpleRegression(x[std::size_t(m)], y);
            const QString label = QString("level %1 ").arg(m + 1);
            QString diff = compareJsonNumber(l.value("beta"), fit.beta, label + "beta");
            QVERIFY2(diff.isEmpty(), qPrintable(diff));
            diff = compareJsonNumber(l.value("r2"), fit.r2, label + "r2");
            QVERIFY2(diff.isEmpty(), qPrintable(diff));
        }
        const QString diff = compareJsonNumber(o.value("mlofi_r2"), multipleR2(x, y), "mlofi_r2");
        QVERIFY2(diff.isEmpty(), qPrintable(diff));
    }

    // --- ofi --out
    // --------------------------------------------------------------------------------

    void ofiOutWritesTheSameCsvToTheFile() {
        const QStringList args = {"ofi",    "--messages",   aapl_.messagesPath,
                                  "--book", aapl_.bookPath, "--levels",
                                  "10",     "--interval",   "2.5"};
        const Run toStdout = runCli(args);
        QCOMPARE(toStdout.exitCode, 0);
        const QString path = dir_.filePath("ofi_out.csv");
        const Run toFile = runCli(args + QStringList{"--out", path});
        QVERIFY2(toFile.finished && toFile.status == QProcess::NormalExit && toFile.exitCode == 0,
                 qPrintable(describe(toFile)));
        QVERIFY2(toFile.out.isEmpty(), "with --out the CSV goes to the file only");
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray written = f.readAll();
        QCOMPARE(written, toStdout.out);
        const QString diff =
            compareOfiCsv(written, expectedOfiTable(aapl_, 10, 2'500'000'000), 10, 2'500'000'000);
        QVERIFY2(diff.isEmpty(), qPrintable(diff));
        QVERIFY(!QFile::exists(path + ".partial"));
        QVERIFY(QFile::remove(path));
    }

    void ofiOutWithSummaryWritesCsvToTheFileAndJsonToStdout() {
        const QString path = dir_.filePath("ofi_out_summary.csv");
        const Run r = runCli({"ofi", "--messages", aapl_.messagesPath, "--book", aapl_.bookPath,
                              "--levels", "3", "--interval", "5", "--summary", "--out", path});
        QVERIFY2(r.finished && r.status == QProcess::NormalExit && r.exitCode == 0,
                 qPrintable(describe(r)));
        QVERIFY(QJsonDocument::fromJson(r.out).isObject());
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QString diff =
            compareOfiCsv(f.readAll(), expectedOfiTable(aapl_, 3, 5'000'000'000), 3, 5'000'000'000);
        QVERIFY2(diff.isEmpty(), qPrintable(diff));
        f.close();
        QVERIFY(QFile::remove(path));
    }

    void outFileIsNotLeftBehindOnBadInput_data() {
        QTest::addColumn<QString>("command");
        QTest::addColumn<QString>("messages");
        QTest::newRow("ofi, time backwards at line 500") << "ofi" << fullBackwardsM_;
        QTest::newRow("signals, time backwards at line 500") << "signals" << fullBackwardsM_;
        QTest::newRow("ofi, missing message file") << "ofi" << missing_;
        QTest::newRow("signals, missing message file") << "signals" << missing_;
    }
    void outFileIsNotLeftBehindOnBadInput() {
        QFETCH(QString, command);
        QFETCH(QString, messages);
        QTemporaryDir outDir;
        QVERIFY(outDir.isValid());
        const QString path = outDir.filePath("result.csv");
        QStringList args = {command,        "--messages", messages, "--book",
                            aapl_.bookPath, "--out",      path};
        if (command == "ofi")
            args << "--levels"
                 << "2"
                 << "--interval"
                 << "1";
        const Run r = runCli(args);
        QVERIFY2(r.finished && r.status == QProcess::NormalExit, qPrintable(describe(r)));
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(messages.toLocal8Bit()), qPrintable(describe(r)));
        QVERIFY2(!QFile::exists(path), "a failed run left the output file behind");
        QVERIFY2(QDir(outDir.path()).isEmpty(), "a failed run left a file in the output directory");
    }

    // --- bad input
    // --------------------------------------------------------------------------------

    void badInputExitsWithTwoAndNamesTheProblem_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QStringList>("mentions");  // what stderr must contain
        const QString m = goodM_, b = goodB_;
        const auto ofi = [&](const QString& messages, const QString& book) {
            return QStringList{"ofi",      "--messages", messages,     "--book", book,
                               "--levels", "10",         "--interval", "1"};
        };
        const auto sig = [&](const QString& messages, const QString& book) {
            return QStringList{"signals", "--messages", messages, "--book", book};
        };
        const auto at = [](const QString& path, int line) {
            return QStringList{path + ":" + QString::number(line) + ":"};
        };

        QTest::newRow("ofi missing message file") << ofi(missing_, b) << QStringList{missing_};
        QTest::newRow("ofi missing book file") << ofi(m, missing_) << QStringList{missing_};
        QTest::newRow("ofi more messages than book rows") << ofi(longerM_, b) << at(longerM_, 21);
        QTest::newRow("ofi more book rows than messages") << ofi(shorterM_, b) << at(b, 20);
        QTest::newRow("ofi book row with 39 columns") << ofi(m, bookCols_) << at(bookCols_, 7);
        QTest::newRow("ofi message with 5 columns") << ofi(messageCols_, b) << at(messageCols_, 5);
        QTest::newRow("ofi non-numeric price") << ofi(nonNumericM_, b) << at(nonNumericM_, 9);
        QTest::newRow("ofi non-numeric size in book")
            << ofi(m, nonNumericB_) << at(nonNumericB_, 12);
        QTest::newRow("ofi time going backwards") << ofi(backwardsM_, b) << at(backwardsM_, 15);
        // Bounds: an endless line is refused after at most the limit, sizes that would wrap the
        // sums are refused, each naming the file and line.
        if (QFile::exists("/dev/zero"))
            QTest::newRow("ofi messages without a newline (/dev/zero)")
                << ofi("/dev/zero", b) << QStringList{"/dev/zero:1:", "longer than 1 MiB"};
        QTest::newRow("ofi message size near 2^63")
            << ofi(hugeSizeM_, b) << at(hugeSizeM_, 3) + QStringList{"size"};
        QTest::newRow("ofi book sizes near 2^63")
            << ofi(m, hugeSizeB_) << at(hugeSizeB_, 4) + QStringList{"size"};
        QTest::newRow("signals book sizes near 2^63")
            << sig(m, hugeSizeB_) << at(hugeSizeB_, 4) + QStringList{"size"};
        QTest::newRow("ofi --levels beyond the file's 10")
            << QStringList{"ofi", "--messages", m, "--book", b, "--levels", "11", "--interval", "1"}
            << QStringList{b, "11"};
        QTest::newRow("ofi --levels 0")
            << QStringList{"ofi", "--messages", m, "--book", b, "--levels", "0", "--interval", "1"}
            << QStringList{"--levels"};
        QTest::newRow("ofi --levels non-numeric")
            << QStringList{"ofi", "--messages", m,  "--book", b, "--levels",
                           "two", "--interval", "1"}
            << QStringList{"--levels", "two"};
        for (const char* option : {"messages", "book", "levels", "interval"}) {
            QStringList args = ofi(m, b);
            const qsizetype i = args.indexOf(QString("--") + option);
            args.remove(i, 2);
            QTest::addRow("ofi missing --%s", option)
                << args << QStringList{QString("--") + option};
        }
        QTest::newRow("ofi unknown option")
            << ofi(m, b) + QStringList{"--bogus", "1"} << QStringList{"--bogus"};
        QTest::newRow("ofi option without its value")
            << ofi(m, b) + QStringList{"--out"} << QStringList{"--out"};
        QTest::newRow("ofi stray argument")
            << ofi(m, b) + QStringList{"extra"} << QStringList{"extra"};
        for (const char* bad : {"0", "0.0", "-1", "abc", "1s", "", "0.0000000001"}) {
            QStringList args = ofi(m, b);
            args[args.indexOf("--interval") + 1] = bad;
            QTest::addRow("ofi --interval '%s'", bad) << args << QStringList{"--interval"};
        }
        QTest::newRow("ofi --out into a missing directory")
            << ofi(m, b) + QStringList{"--out", dir_.filePath("no_dir/x.csv")}
            << QStringList{dir_.filePath("no_dir/x.csv")};

        QTest::newRow("signals missing book file") << sig(m, missing_) << QStringList{missing_};
        QTest::newRow("signals more messages than book rows")
            << sig(longerM_, b) << at(longerM_, 21);
        QTest::newRow("signals book row with 39 columns") << sig(m, bookCols_) << at(bookCols_, 7);
        QTest::newRow("signals non-numeric price") << sig(nonNumericM_, b) << at(nonNumericM_, 9);
        QTest::newRow("signals time going backwards") << sig(backwardsM_, b) << at(backwardsM_, 15);
        QTest::newRow("signals --every 0")
            << sig(m, b) + QStringList{"--every", "0"} << QStringList{"--every"};
        QTest::newRow("signals --levels beyond the file")
            << sig(m, b) + QStringList{"--levels", "11"} << QStringList{b, "11"};
        QTest::newRow("signals missing --book")
            << QStringList{"signals", "--messages", m} << QStringList{"--book"};
        QTest::newRow("signals unknown option")
            << sig(m, b) + QStringList{"--interval", "1"} << QStringList{"--interval"};
    }
    void badInputExitsWithTwoAndNamesTheProblem() {
        QFETCH(QStringList, args);
        QFETCH(QStringList, mentions);
        const Run r = runCli(args);
        QVERIFY2(r.finished, "flowscope-cli did not finish");
        QVERIFY2(r.status == QProcess::NormalExit, qPrintable("crashed: " + describe(r)));
        QVERIFY2(r.exitCode == 2, qPrintable(describe(r)));
        for (const QString& word : mentions)
            QVERIFY2(QString::fromLocal8Bit(r.err).contains(word),
                     qPrintable("stderr should mention '" + word + "'\n" + describe(r)));
        if (args.first() == "ofi")
            QVERIFY2(r.out.isEmpty(), "ofi printed a partial result before failing");
    }

    void aHugeBadFieldIsQuotedShortAndPrintable() {
        // Line 3's price: 1 MB of text with a NUL and half a UTF-8 character in it. On main the
        // whole field, NUL included, was echoed into one 1 MB stderr line.
        QList<QByteArray> price = aaplMessageLines_[2].split(',');
        price[4] = QByteArray(1'000'000, '7') + QByteArray("\0\xc3", 2);
        const QString path = derive("m_huge_field.csv", aaplMessageLines_, 20, 3, price.join(','));
        const Run r = runCli(
            {"ofi", "--messages", path, "--book", goodB_, "--levels", "10", "--interval", "1"});
        QVERIFY2(r.finished && r.status == QProcess::NormalExit, qPrintable(describe(r)));
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.size() < 1000, r.err.left(1000).constData());
        QVERIFY2(r.err.contains((path + ":3:").toLocal8Bit()), r.err.constData());
        QVERIFY(!r.err.contains('\0'));
        // Valid UTF-8 throughout, and one line.
        QVERIFY(QString::fromUtf8(r.err).toUtf8() == r.err);
        QCOMPARE(r.err.count('\n'), 1);
    }

    void unknownSubcommandExitsWithTwo_data() {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("unknown subcommand") << QStringList{"ofy", "--levels", "1"};
        QTest::newRow("no subcommand") << QStringList{};
        QTest::newRow("option instead of subcommand") << QStringList{"--levels"};
    }
    void unknownSubcommandExitsWithTwo() {
        QFETCH(QStringList, args);
        const Run r = runCli(args);
        QVERIFY2(r.finished && r.status == QProcess::NormalExit, qPrintable(describe(r)));
        QCOMPARE(r.exitCode, 2);
        QVERIFY(!r.err.isEmpty());
        QVERIFY(r.out.isEmpty());
        if (!args.isEmpty())
            QVERIFY2(r.err.contains(args.first().toLocal8Bit()), r.err.constData());
    }

    // --- signals
    // ----------------------------------------------------------------------------------

    void signalsRowsMatchTheBookFileAndTheTestsOwnMeasures_data() {
        QTest::addColumn<int>("every");
        QTest::newRow("every 100th row") << 100;
        QTest::newRow("every row") << 1;
        QTest::newRow("every 7th row") << 7;
    }
    void signalsRowsMatchTheBookFileAndTheTestsOwnMeasures() {
        QFETCH(int, every);
        const Run r = runCli({"signals", "--messages", aapl_.messagesPath, "--book", aapl_.bookPath,
                              "--every", QString::number(every)});
        QVERIFY2(r.finished && r.status == QProcess::NormalExit && r.exitCode == 0,
                 qPrintable(describe(r)));
        QList<QByteArray> lines = r.out.split('\n');
        QVERIFY(r.out.endsWith('\n'));
        lines.removeLast();
        QVERIFY(!lines.isEmpty());
        QVERIFY2(lines[0].startsWith("time,row,type,best_bid,bid_size,best_ask,ask_size,mid,"
                                     "micro_price,spread,queue_imbalance,depth_imbalance,"
                                     "ofi_event,cvd"),
                 lines[0].constData());
        const QList<QByteArray> header = lines[0].split(',');
        const auto col = [&](const char* name) { return header.indexOf(QByteArray(name)); };
        for (const char* name :
             {"time", "row", "type", "best_bid", "bid_size", "best_ask", "ask_size", "mid",
              "micro_price", "spread", "queue_imbalance", "depth_imbalance", "cvd"})
            QVERIFY2(col(name) >= 0, name);

        // Cumulative buyer- minus seller-initiated execution volume after each row.
        std::vector<qint64> cvd(aapl_.messages.size());
        qint64 running = 0;
        for (std::size_t i = 0; i < aapl_.messages.size(); ++i) {
            const Message& msg = aapl_.messages[i];
            if (msg.type == 4 || msg.type == 5)
                running += msg.direction == -1 ? msg.size : -msg.size;
            cvd[i] = running;
        }

        const qsizetype expectedRows = (999 + every - 1) / every;  // rows 0, every, 2*every, ...
        QCOMPARE(lines.size() - 1, expectedRows);
        const auto close = [](double got, double expected) {
            return std::fabs(got - expected) <= 1e-12 * std::fabs(expected) + 1e-12;
        };
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QList<QByteArray> f = lines[i].split(',');
            QCOMPARE(f.size(), header.size());
            const std::size_t row = std::size_t((i - 1) * every);
            const auto& book = aapl_.book[row];
            const Message& msg = aapl_.messages[row];
            const QByteArray where = "row " + QByteArray::number(qulonglong(row)) + ": " + lines[i];
            QVERIFY2(f[col("row")].toULongLong() == row, where.constData());
            QVERIFY2(secondsToNs(f[col("time")]) == msg.timeNs, where.constData());
            QVERIFY2(f[col("type")].toInt() == msg.type, where.constData());
            const qint64 pa = book[0], qa = book[1], pb = book[2], qb = book[3];
            QVERIFY2(f[col("best_bid")].toLongLong() == pb, where.constData());
            QVERIFY2(f[col("bid_size")].toLongLong() == qb, where.constData());
            QVERIFY2(f[col("best_ask")].toLongLong() == pa, where.constData());
            QVERIFY2(f[col("ask_size")].toLongLong() == qa, where.constData());
            QVERIFY2(close(f[col("mid")].toDouble(), double(pa + pb) / 2.0), where.constData());
            const double micro =
                (double(pa) * double(qb) + double(pb) * double(qa)) / double(qb + qa);
            QVERIFY2(close(f[col("micro_price")].toDouble(), micro), where.constData());
            QVERIFY2(f[col("spread")].toDouble() == double(pa - pb), where.constData());
            QVERIFY2(close(f[col("queue_imbalance")].toDouble(), double(qb - qa) / double(qb + qa)),
                     where.constData());
            qint64 bidDepth = 0, askDepth = 0;
            for (int m = 0; m < 10; ++m) {
                askDepth += book[std::size_t(4 * m + 1)];
                bidDepth += book[std::size_t(4 * m + 3)];
            }
            QVERIFY2(close(f[col("depth_imbalance")].toDouble(),
                           double(bidDepth - askDepth) / double(bidDepth + askDepth)),
                     where.constData());
            QVERIFY2(f[col("cvd")].toLongLong() == cvd[row],
                     (where + " cvd expected " + QByteArray::number(cvd[row])).constData());
        }
    }

    // ofi_event is e_n at level 1 of the row's own event (book rows r-1 and r): 0 for row 0 and
    // for messages that leave the visible book as it was, so that the column sums to the OFI.
    void signalsOfiEventIsTheRowsOwnLevelOneContribution() {
        const Run r = runCli({"signals", "--messages", aapl_.messagesPath, "--book", aapl_.bookPath,
                              "--every", "1"});
        QVERIFY2(r.finished && r.status == QProcess::NormalExit && r.exitCode == 0,
                 qPrintable(describe(r)));
        QList<QByteArray> lines = r.out.split('\n');
        lines.removeLast();
        QCOMPARE(lines.size(), qsizetype(1000));
        const qsizetype ofiColumn = lines[0].split(',').indexOf("ofi_event");
        QVERIFY(ofiColumn >= 0);
        QStringList wrong;
        qint64 sumPrinted = 0, sumExpected = 0;
        for (std::size_t row = 0; row < aapl_.messages.size(); ++row) {
            const qint64 got = lines[qsizetype(row) + 1].split(',')[ofiColumn].toLongLong();
            const qint64 expected =
                row == 0 ? 0 : ofiContribution(aapl_.book[row - 1], aapl_.book[row], 0);
            sumPrinted += got;
            sumExpected += expected;
            if (got != expected && wrong.size() < 5)
                wrong << QString("row %1 (type %2): %3, expected %4")
                             .arg(row)
                             .arg(aapl_.messages[row].type)
                             .arg(got)
                             .arg(expected);
        }
        QVERIFY2(wrong.isEmpty(),
                 qPrintable(wrong.join("; ") +
                            QString("; column sum %1, OFI %2").arg(sumPrinted).arg(sumExpected)));
    }
};

QTEST_GUILESS_MAIN(TstCli)
#include "tst_cli.moc"
