// Contract sizes to base units: the decimal point of the venue's text moves by the contract
// value's power of ten, exactly (expectations written by hand), and OKX's known swaps.
#include <QtTest>

#include <string>

#include "venues/contract_size.h"
#include "venues/venue_id.h"

using namespace flowscope::venues;

class TestContractSize : public QObject {
    Q_OBJECT

  private slots:
    void scalesTheText_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("pow10");
        QTest::addColumn<QString>("expected");
        QTest::newRow("12.5 x 0.01") << "12.5" << -2 << "0.125";
        QTest::newRow("1 x 0.01") << "1" << -2 << "0.01";
        QTest::newRow("0.01 x 0.01") << "0.01" << -2 << "0.0001";
        QTest::newRow("1500 x 0.01") << "1500" << -2 << "15.00";
        QTest::newRow("123.456 x 0.1") << "123.456" << -1 << "12.3456";
        QTest::newRow("7 x 1") << "7" << 0 << "7";
        QTest::newRow("0.5 x 100") << "0.5" << 2 << "50";
        QTest::newRow("2.25 x 1000") << "2.25" << 3 << "2250";
        QTest::newRow("zero") << "0" << -2 << "0.00";
        QTest::newRow("leading zeros") << "000.5" << 1 << "5";
        QTest::newRow("trailing point") << "3." << -1 << "0.3";
    }

    void scalesTheText() {
        QFETCH(QString, text);
        QFETCH(int, pow10);
        QFETCH(QString, expected);
        std::string out = "left over";
        QVERIFY(scaleDecimalText(text.toStdString(), pow10, out));
        QCOMPARE(QString::fromStdString(out), expected);
    }

    void refusesWhatIsNotADecimal() {
        std::string out;
        for (const char* bad : {"", ".", "1.2.3", "-1", "1e5", "12,5", " 1", "0x10"})
            QVERIFY2(!scaleDecimalText(bad, -2, out), bad);
    }

    void knowsOkxSwapContractValues() {
        // OKX instruments (instType=SWAP): ctVal 0.01 BTC, 0.1 ETH, 1 SOL.
        QCOMPARE(okxContractValuePow10("BTC-USDT-SWAP"), std::optional<int>(-2));
        QCOMPARE(okxContractValuePow10("ETH-USDT-SWAP"), std::optional<int>(-1));
        QCOMPARE(okxContractValuePow10("SOL-USDT-SWAP"), std::optional<int>(0));
        QCOMPARE(okxContractValuePow10("BTC-USDT"), std::optional<int>());
        QCOMPARE(okxContractValuePow10("DOGE-USDT-SWAP"), std::optional<int>());
    }

    void perpetualVenueIdsFollowCliMd() {
        QCOMPARE(parseVenueId("bybit-linear"), std::optional(VenueId::BybitLinear));
        QCOMPARE(parseVenueId("okx-swap"), std::optional(VenueId::OkxSwap));
        QCOMPARE(std::string(venueName(VenueId::BybitLinear)), std::string("bybit-linear"));
        QCOMPARE(std::string(venueName(VenueId::OkxSwap)), std::string("okx-swap"));
        QCOMPARE(keyEnvironmentStem(VenueId::BybitLinear), std::string("BYBIT_LINEAR"));
        QCOMPARE(keyEnvironmentStem(VenueId::OkxSwap), std::string("OKX_SWAP"));
    }
};

QTEST_GUILESS_MAIN(TestContractSize)
#include "tst_contract_size.moc"
