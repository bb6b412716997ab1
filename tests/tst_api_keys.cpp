// API keys from the environment (../shared/CLI.md), and a key type that cannot print its text.
#include <QTest>

#include <map>
#include <sstream>

#include "trading/api_keys.h"
#include "trading/request_weight.h"

using namespace flowscope::trading;
using flowscope::venues::VenueId;

namespace {
EnvironmentLookup fakeEnvironment(std::map<std::string, std::string> values) {
    return [values](const std::string& name) -> std::optional<std::string> {
        const auto it = values.find(name);
        if (it == values.end()) return std::nullopt;
        return it->second;
    };
}
}  // namespace

class TestApiKeys : public QObject {
    Q_OBJECT

  private slots:
    void secretTextStreamsAsStars() {
        const SecretText secret("hunter2-very-secret");
        std::ostringstream out;
        out << "key=" << secret;
        QCOMPARE(QString::fromStdString(out.str()), QString("key=***"));
        QCOMPARE(QString::fromStdString(secret.reveal()), QString("hunter2-very-secret"));
    }

    void venueStemIsPreferred() {
        std::string error;
        const auto c =
            credentialsFromEnvironment(VenueId::BinanceSpot,
                                       fakeEnvironment({{"FLOWSCOPE_BINANCE_SPOT_API_KEY", "k1"},
                                                        {"FLOWSCOPE_BINANCE_SPOT_API_SECRET", "s1"},
                                                        {"FLOWSCOPE_BINANCE_API_KEY", "k2"},
                                                        {"FLOWSCOPE_BINANCE_API_SECRET", "s2"}}),
                                       error);
        QVERIFY(c);
        QCOMPARE(QString::fromStdString(c->key.reveal()), QString("k1"));
        QCOMPARE(QString::fromStdString(c->secret.reveal()), QString("s1"));
    }

    void binanceStemIsAcceptedForSpot() {
        std::string error;
        const auto c =
            credentialsFromEnvironment(VenueId::BinanceSpot,
                                       fakeEnvironment({{"FLOWSCOPE_BINANCE_API_KEY", "k2"},
                                                        {"FLOWSCOPE_BINANCE_API_SECRET", "s2"}}),
                                       error);
        QVERIFY(c);
        QCOMPARE(QString::fromStdString(c->key.reveal()), QString("k2"));
        // ...but not for the futures venue, whose stem is BINANCE_USDM.
        QVERIFY(
            !credentialsFromEnvironment(VenueId::BinanceUsdm,
                                        fakeEnvironment({{"FLOWSCOPE_BINANCE_API_KEY", "k2"},
                                                         {"FLOWSCOPE_BINANCE_API_SECRET", "s2"}}),
                                        error));
        QVERIFY(error.find("FLOWSCOPE_BINANCE_USDM_API_KEY") != std::string::npos);
    }

    void keyWithAControlCharacterIsRefusedNamingTheVariableNotTheValue_data() {
        QTest::addColumn<QByteArray>("key");
        QTest::newRow("trailing newline") << QByteArray("abcDEF123\n");
        QTest::newRow("CRLF header forgery") << QByteArray("abc\r\nX-Evil: 1");
        QTest::newRow("NUL") << QByteArray("abc\0def", 7);
        QTest::newRow("tab") << QByteArray("abc\tdef");
        QTest::newRow("space") << QByteArray("abc def");
        QTest::newRow("DEL") << QByteArray("abc\x7f");
        QTest::newRow("non-ascii") << QByteArray("abc\xc3\xa9");
    }
    void keyWithAControlCharacterIsRefusedNamingTheVariableNotTheValue() {
        QFETCH(QByteArray, key);
        std::string error;
        const std::string text(key.constData(), key.size());
        QVERIFY(!isSendableApiKey(text));
        QVERIFY(!credentialsFromEnvironment(
            VenueId::BinanceSpot,
            fakeEnvironment({{"FLOWSCOPE_BINANCE_SPOT_API_KEY", text},
                             {"FLOWSCOPE_BINANCE_SPOT_API_SECRET", "s1"}}),
            error));
        QVERIFY2(error.find("FLOWSCOPE_BINANCE_SPOT_API_KEY") != std::string::npos, error.c_str());
        QVERIFY(error.find("abc") == std::string::npos);
    }

    void printableKeysAreSendable() {
        QVERIFY(
            isSendableApiKey("vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A"));
        QVERIFY(isSendableApiKey("!~"));
        QVERIFY(!isSendableApiKey(""));
        QVERIFY(!isSendableApiKey(std::string(257, 'k')));
    }

    void halfSetKeysAreAnErrorThatNamesVariablesNotValues() {
        std::string error;
        QVERIFY(!credentialsFromEnvironment(
            VenueId::Kraken, fakeEnvironment({{"FLOWSCOPE_KRAKEN_API_KEY", "topsecretkey"}}),
            error));
        QVERIFY(error.find("FLOWSCOPE_KRAKEN_API_SECRET") != std::string::npos);
        QVERIFY(error.find("topsecretkey") == std::string::npos);
    }

    void weightBudgetRefusesNearTheLimitAndResetsEachMinute() {
        RequestWeight weight(6000, 100);
        const std::int64_t minute = 60'000 * 1000;
        QVERIFY(weight.tryTake(5800, minute + 1));
        QVERIFY(weight.tryTake(100, minute + 2));  // 5900: exactly the limit minus the reserve
        QVERIFY(!weight.tryTake(1, minute + 3));
        QCOMPARE(weight.refused(), std::uint64_t{1});
        QCOMPARE(weight.used(minute + 3), 5900);
        QVERIFY(weight.tryTake(1, minute + 60'000));  // the next calendar minute
        weight.onUsedWeight(5950, minute + 60'001);   // the venue's own count wins
        QVERIFY(!weight.tryTake(1, minute + 60'002));
    }
};

QTEST_GUILESS_MAIN(TestApiKeys)
#include "tst_api_keys.moc"
