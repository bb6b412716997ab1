// Decimal edges of the book: venue strings become ticks and lots exactly, or are refused.
#include <QtTest>

#include <random>
#include <string>

#include "book/instrument.h"

using namespace flowscope;

class TestInstrument : public QObject {
    Q_OBJECT

  private slots:
    void fastDecimalPathAgreesWithAReferenceOnRandomText() {
        // The reference: obviously right and slow (128-bit, digit by digit, every rule spelled
        // out). Random text over digits, signs, dots and junk, 0-24 characters, 0-10 decimals.
        const auto reference = [](const std::string& t,
                                  int decimals) -> std::optional<std::int64_t> {
            std::size_t i = 0;
            bool negative = false;
            if (!t.empty() && (t[0] == '-' || t[0] == '+')) negative = t[i++] == '-';
            __int128 v = 0;
            int digits = 0, frac = 0;
            bool dot = false;
            for (; i < t.size(); ++i) {
                if (t[i] == '.') {
                    if (dot) return std::nullopt;
                    dot = true;
                    continue;
                }
                if (t[i] < '0' || t[i] > '9') return std::nullopt;
                ++digits;
                if (dot && frac == decimals) {
                    if (t[i] != '0') return std::nullopt;
                    continue;
                }
                frac += dot;
                v = v * 10 + (t[i] - '0');
                if (v > INT64_MAX) return std::nullopt;
            }
            if (digits == 0) return std::nullopt;
            for (int k = frac; k < decimals; ++k)
                v *= 10;
            if (v > INT64_MAX) return std::nullopt;
            return static_cast<std::int64_t>(negative ? -v : v);
        };
        std::mt19937_64 rng(3);
        const std::string alphabet = "0123456789012345678901234567890123456789..-+x ";
        for (int n = 0; n < 200'000; ++n) {
            std::string t;
            const std::size_t length = rng() % 25;
            for (std::size_t k = 0; k < length; ++k)
                t += alphabet[rng() % alphabet.size()];
            const int decimals = static_cast<int>(rng() % 11);
            const auto got = flowscope::parseScaledDecimal(t, decimals);
            const auto want = reference(t, decimals);
            if (got != want)
                QFAIL(qPrintable(QString("'%1' with %2 decimals: got %3, want %4")
                                     .arg(QString::fromStdString(t))
                                     .arg(decimals)
                                     .arg(got ? QString::number(*got) : "none")
                                     .arg(want ? QString::number(*want) : "none")));
        }
    }

    void parseScaledDecimal_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("decimals");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<qint64>("value");
        QTest::newRow("integer") << "7" << 2 << true << 700LL;
        QTest::newRow("fraction") << "64123.45" << 2 << true << 6412345LL;
        QTest::newRow("short fraction") << "1.5" << 3 << true << 1500LL;
        QTest::newRow("leading dot") << ".5" << 1 << true << 5LL;
        QTest::newRow("negative") << "-12.34" << 2 << true << -1234LL;
        QTest::newRow("trailing zeros beyond scale") << "0.0100000" << 2 << true << 1LL;
        QTest::newRow("too precise") << "0.001" << 2 << false << 0LL;
        QTest::newRow("letters") << "12a" << 2 << false << 0LL;
        QTest::newRow("two dots") << "1.2.3" << 2 << false << 0LL;
        QTest::newRow("empty") << "" << 2 << false << 0LL;
        QTest::newRow("sign only") << "-" << 2 << false << 0LL;
        QTest::newRow("exponent") << "1e5" << 0 << false << 0LL;
        QTest::newRow("overflow") << "92233720368547758.08" << 2 << false << 0LL;
        QTest::newRow("max") << "92233720368547758.07" << 2 << true << 9223372036854775807LL;
    }
    void parseScaledDecimal() {
        QFETCH(QString, text);
        QFETCH(int, decimals);
        QFETCH(bool, ok);
        QFETCH(qint64, value);
        const std::string s = text.toStdString();
        const auto parsed = flowscope::parseScaledDecimal(s, decimals);
        QCOMPARE(parsed.has_value(), ok);
        if (ok) QCOMPARE(*parsed, value);
    }

    void stepParsesAndNormalises() {
        const auto step = DecimalStep::parse("0.50");
        QVERIFY(step);
        QCOMPARE(step->mantissa, std::int64_t{5});
        QCOMPARE(step->decimals, 1);
        QCOMPARE(step->toString(), std::string("0.5"));
        QVERIFY(!DecimalStep::parse("0"));
        QVERIFY(!DecimalStep::parse("-0.01"));
        QVERIFY(!DecimalStep::parse("abc"));
    }

    void pricesConvertExactlyToTicksAndBack() {
        const Instrument btc("BTCUSDT", *DecimalStep::parse("0.01"),
                             *DecimalStep::parse("0.00001"));
        QCOMPARE(*btc.parsePrice("64123.45"), PriceTicks{6412345});
        QCOMPARE(*btc.parsePrice("64123.450000"), PriceTicks{6412345});
        QCOMPARE(btc.formatPrice(6412345), std::string("64123.45"));
        QCOMPARE(btc.formatPrice(5), std::string("0.05"));
        QCOMPARE(btc.formatPrice(-5), std::string("-0.05"));
        QCOMPARE(*btc.parseSize("0.12345"), Lots{12345});
        QCOMPARE(btc.formatSize(12345), std::string("0.12345"));
        QCOMPARE(btc.toPrice(6412345), 64123.45);
        QCOMPARE(btc.roundToTicks(64123.449999), PriceTicks{6412345});
        QVERIFY(!btc.parsePrice("64123.455"));  // not a whole tick
        QVERIFY(!btc.parseSize("-1"));          // sizes are never negative
    }

    void coarseTicksRejectOffGridPrices() {
        const Instrument fut("ES", *DecimalStep::parse("0.25"), *DecimalStep::parse("1"));
        QCOMPARE(*fut.parsePrice("5000.75"), PriceTicks{20003});
        QVERIFY(!fut.parsePrice("5000.10"));
        QCOMPARE(fut.formatPrice(20003), std::string("5000.75"));
        QCOMPARE(*fut.parseSize("3"), Lots{3});
        QVERIFY(!fut.parseSize("1.5"));
    }
};

QTEST_GUILESS_MAIN(TestInstrument)
#include "tst_instrument.moc"
