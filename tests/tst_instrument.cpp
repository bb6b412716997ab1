// Decimal edges of the book: venue strings become ticks and lots exactly, or are refused.
#include <QtTest>

#include <random>
#include <string>

#include "book/instrument.h"
#include "book/size_list.h"
#include "reference_decimal.h"

using namespace flowscope;
using flowscope::testing::referenceScaled;
using flowscope::testing::referenceSteps;

namespace {

/// Compares parseScaledDecimal with the reference on `text`; an empty string when they agree.
QString disagreement(const std::string& text, int decimals) {
    const auto got = flowscope::parseScaledDecimal(text, decimals);
    const auto want = referenceScaled(text, decimals);
    if (got == want) return {};
    return QString("'%1' with %2 decimals: got %3, want %4")
        .arg(QString::fromStdString(text))
        .arg(decimals)
        .arg(got ? QString::number(*got) : "none")
        .arg(want ? QString::number(*want) : "none");
}

/// Text in the shape Binance prints ("61685.99000000": 1-8 integer digits, a dot, 8 decimals),
/// which the SWAR path reads, with trailing decimals mostly zeros as on the wire, and one byte
/// in four texts replaced by any byte (a non-digit, a second dot, bytes >= 0xFA that carry).
std::string binanceShapedText(std::mt19937_64& rng) {
    std::string t;
    const std::size_t intDigits = 1 + rng() % 8;
    for (std::size_t k = 0; k < intDigits; ++k)
        t += static_cast<char>('0' + rng() % 10);
    t += '.';
    const std::size_t significant = rng() % 9;
    for (std::size_t k = 0; k < 8; ++k)
        t += static_cast<char>(k < significant ? '0' + rng() % 10 : '0');
    if (rng() % 4 == 0) t[rng() % t.size()] = static_cast<char>(rng() % 256);
    return t;
}

}  // namespace

class TestInstrument : public QObject {
    Q_OBJECT

  private slots:
    void fastDecimalPathAgreesWithAReferenceOnRandomText() {
        std::mt19937_64 rng(3);
        const std::string alphabet = "0123456789012345678901234567890123456789..-+x ";
        for (int n = 0; n < 200'000; ++n) {
            std::string t;
            const std::size_t length = rng() % 25;
            for (std::size_t k = 0; k < length; ++k)
                t += alphabet[rng() % alphabet.size()];
            const int decimals = static_cast<int>(rng() % 11);
            if (const QString problem = disagreement(t, decimals); !problem.isEmpty())
                QFAIL(qPrintable(problem));
        }
    }

    void eightDecimalPathAgreesWithTheReference() {
        // The shape of every Binance number, at every scale from 0 to 10 decimals (the 8-byte
        // path serves 0-8, the general one the rest): exact values, and refusals of non-zero
        // digits past the scale and of any stray byte.
        std::mt19937_64 rng(8);
        int accepted = 0;
        for (int n = 0; n < 500'000; ++n) {
            const std::string t = binanceShapedText(rng);
            const int decimals = static_cast<int>(rng() % 11);
            if (const QString problem = disagreement(t, decimals); !problem.isEmpty())
                QFAIL(qPrintable(problem));
            accepted += flowscope::parseScaledDecimal(t, decimals).has_value();
        }
        QVERIFY(accepted > 100'000);  // both outcomes are well exercised
    }

    void eightDecimalPathEdges_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("decimals");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<qint64>("value");
        QTest::newRow("binance price") << "61685.99000000" << 2 << true << 6168599LL;
        QTest::newRow("binance size") << "1.00870000" << 8 << true << 100870000LL;
        QTest::newRow("zero") << "0.00000000" << 8 << true << 0LL;
        QTest::newRow("eight integer digits")
            << "99999999.99999999" << 8 << true << 9999999999999999LL;
        QTest::newRow("leading zeros") << "00000001.00000000" << 0 << true << 1LL;
        QTest::newRow("no decimals kept") << "7.00000000" << 0 << true << 7LL;
        QTest::newRow("decimal past the scale") << "7.00000001" << 7 << false << 0LL;
        QTest::newRow("off the tick") << "61685.99500000" << 2 << false << 0LL;
        QTest::newRow("nine integer digits") << "123456789.00000000" << 2 << true << 12345678900LL;
        QTest::newRow("colon after digits") << "1:.00000000" << 2 << false << 0LL;
        QTest::newRow("slash in decimals") << "1.0000/000" << 8 << false << 0LL;
        QTest::newRow("second dot") << "1.0000.000" << 8 << false << 0LL;
        QTest::newRow("sign") << "-1.00000000" << 8 << true << -100000000LL;
    }
    void eightDecimalPathEdges() {
        QFETCH(QString, text);
        QFETCH(int, decimals);
        QFETCH(bool, ok);
        QFETCH(qint64, value);
        const auto parsed = flowscope::parseScaledDecimal(text.toStdString(), decimals);
        QCOMPARE(parsed.has_value(), ok);
        if (ok) QCOMPARE(*parsed, value);
    }

    void stepConversionsAgreeWithTheReference() {
        // Steps that are 1 at their scale (no division), coarse ones (0.25, 0.5, 5) and the
        // capture's lot, on Binance-shaped and random text. The overloads without std::optional
        // give the same answers and the digits after the point in the text.
        const Instrument instruments[] = {
            Instrument("A", *DecimalStep::parse("0.01"), *DecimalStep::parse("0.00000001")),
            Instrument("B", *DecimalStep::parse("0.25"), *DecimalStep::parse("0.5")),
            Instrument("C", *DecimalStep::parse("5"), *DecimalStep::parse("0.00001")),
            Instrument("D", *DecimalStep::parse("0.0000000001"), *DecimalStep::parse("1")),
        };
        const std::string alphabet = "0123456789000000..-x";
        std::mt19937_64 rng(11);
        for (int n = 0; n < 200'000; ++n) {
            std::string t = binanceShapedText(rng);
            if (n % 2 == 1) {
                t.clear();
                for (std::size_t k = rng() % 20; k > 0; --k)
                    t += alphabet[rng() % alphabet.size()];
            }
            const std::size_t dot = t.find('.');
            const int textDecimals =
                dot == std::string::npos ? 0 : static_cast<int>(t.size() - dot - 1);
            for (const Instrument& instrument : instruments) {
                const auto wantPrice = referenceSteps(t, instrument.tickSize());
                auto wantSize = referenceSteps(t, instrument.lotSize());
                if (wantSize && *wantSize < 0) wantSize.reset();
                QCOMPARE(instrument.parsePrice(t), wantPrice);
                QCOMPARE(instrument.parseSize(t), wantSize);
                PriceTicks ticks = 0;
                Lots lots = 0;
                int priceDecimals = -1;
                int sizeDecimals = -1;
                QCOMPARE(instrument.parsePrice(t, ticks, priceDecimals), wantPrice.has_value());
                QCOMPARE(instrument.parseSize(t, lots, sizeDecimals), wantSize.has_value());
                if (wantPrice) {
                    QCOMPARE(ticks, *wantPrice);
                    QCOMPARE(priceDecimals, textDecimals);
                }
                if (wantSize) {
                    QCOMPARE(lots, *wantSize);
                    QCOMPARE(sizeDecimals, textDecimals);
                }
            }
        }
    }

    void coarseStepsOnTheEightDecimalPath() {
        // A step that is not 1 at its scale divides the scaled value: exact or refused.
        const Instrument half("X", *DecimalStep::parse("0.5"), *DecimalStep::parse("0.25"));
        QCOMPARE(*half.parsePrice("100.50000000"), PriceTicks{201});
        QVERIFY(!half.parsePrice("100.30000000"));
        QCOMPARE(*half.parseSize("0.75000000"), Lots{3});
        QVERIFY(!half.parseSize("0.70000000"));
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

    void sizeListKeepsTheValidPartsAndListsTheRefused() {
        const Instrument btc("BTC-USD", *DecimalStep::parse("0.5"), *DecimalStep::parse("0.001"));
        const SizeList list = parseSizeList(" abc,-1, 0.1,,0.0005 ,2", btc);
        QCOMPARE(list.sizes, (std::vector<Lots>{100, 2000}));  // 0.1 and 2 in lots of 0.001
        QCOMPARE(list.refused, (std::vector<std::string>{"abc", "-1", "0.0005"}));
        QVERIFY(parseSizeList("", btc).sizes.empty());
        QVERIFY(parseSizeList(" , ,", btc).refused.empty());
        QCOMPARE(parseSizeList("0", btc).refused, std::vector<std::string>{"0"});
    }
};

QTEST_GUILESS_MAIN(TestInstrument)
#include "tst_instrument.moc"
