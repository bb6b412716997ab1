// Decimal edges of the book: venue strings become ticks and lots exactly, or are refused.
#include <QtTest>

#include "book/instrument.h"

using namespace flowscope;

class TestInstrument : public QObject {
    Q_OBJECT

  private slots:
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
