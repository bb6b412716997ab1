// Where live API keys come from: the OS keychain first, the environment when the keychain has
// none or cannot be reached, never a key from one place paired with a secret from the other, and
// no key or secret in the problems the app reports.
#include <QElapsedTimer>
#include <QTest>

#include <map>
#include <string>

#include "key_store.h"

using namespace flowscope;

namespace {

/// A keychain with fixed entries; entries not listed fail with `missingError`.
struct FakeKeychain {
    std::map<QString, QString> entries;
    QString missingError = "The specified item could not be found in the keychain.";
    QStringList asked;

    KeychainReader reader() {
        return [this](const QString& entry, QString& error) -> std::optional<QString> {
            asked << entry;
            const auto it = entries.find(entry);
            if (it == entries.end()) {
                error = "keychain " + entry + ": " + missingError;
                return std::nullopt;
            }
            return it->second;
        };
    }
};

trading::EnvironmentLookup environment(std::map<std::string, std::string> values) {
    return [values = std::move(values)](const std::string& name) -> std::optional<std::string> {
        const auto it = values.find(name);
        if (it == values.end()) return std::nullopt;
        return it->second;
    };
}

const std::map<std::string, std::string> kEnv{{"FLOWSCOPE_BINANCE_API_KEY", "env-key"},
                                              {"FLOWSCOPE_BINANCE_API_SECRET", "env-secret"}};

}  // namespace

class TestKeyStore : public QObject {
    Q_OBJECT

  private slots:
    void keychainWinsOverTheEnvironment() {
        FakeKeychain keychain;
        keychain.entries = {{"binance-spot/api_key", "kc-key"},
                            {"binance-spot/api_secret", "kc-secret"}};
        const LoadedKeys keys =
            loadApiKeys(venues::VenueId::BinanceSpot, keychain.reader(), environment(kEnv));
        QVERIFY(keys.credentials);
        QCOMPARE(keys.source, QString("keychain"));
        QCOMPARE(keys.credentials->key.reveal(), std::string("kc-key"));
        QCOMPARE(keys.credentials->secret.reveal(), std::string("kc-secret"));
        QCOMPARE(keychain.asked, QStringList({"binance-spot/api_key", "binance-spot/api_secret"}));
        QVERIFY(keys.problems.isEmpty());
    }

    void keychainErrorIsReportedAndTheEnvironmentUsed() {
        FakeKeychain keychain;
        keychain.missingError = "No keyring daemon";  // CI: no secret service at all
        const LoadedKeys keys =
            loadApiKeys(venues::VenueId::BinanceSpot, keychain.reader(), environment(kEnv));
        QVERIFY(keys.credentials);
        QCOMPARE(keys.source, QString("environment"));
        QCOMPARE(keys.credentials->key.reveal(), std::string("env-key"));
        QCOMPARE(keys.problems.size(), 1);
        QVERIFY(keys.problems[0].contains("No keyring daemon"));
    }

    void aKeychainKeyIsNeverPairedWithAnEnvironmentSecret() {
        FakeKeychain keychain;
        keychain.entries = {{"binance-spot/api_key", "kc-key-only"}};
        const LoadedKeys keys =
            loadApiKeys(venues::VenueId::BinanceSpot, keychain.reader(), environment(kEnv));
        QVERIFY(keys.credentials);
        QCOMPARE(keys.source, QString("environment"));
        QCOMPARE(keys.credentials->key.reveal(), std::string("env-key"));
        QCOMPARE(keys.credentials->secret.reveal(), std::string("env-secret"));
        // The problem names the missing entry, not the key that was found.
        QCOMPARE(keys.problems.size(), 1);
        QVERIFY(keys.problems[0].contains("binance-spot/api_secret"));
        QVERIFY(!keys.problems.join('\n').contains("kc-key-only"));
    }

    void noKeysAnywhereSaysWhatToSet() {
        FakeKeychain keychain;
        const LoadedKeys keys =
            loadApiKeys(venues::VenueId::BinanceSpot, keychain.reader(), environment({}));
        QVERIFY(!keys.credentials);
        QVERIFY(keys.source.isEmpty());
        QCOMPARE(keys.problems.size(), 2);
        QVERIFY(keys.problems[1].contains("FLOWSCOPE_BINANCE_SPOT_API_KEY"));
    }

    void environmentHalfSetIsRefusedWithoutItsValue() {
        FakeKeychain keychain;
        const LoadedKeys keys =
            loadApiKeys(venues::VenueId::BinanceSpot, keychain.reader(),
                        environment({{"FLOWSCOPE_BINANCE_API_KEY", "lonely-key-value"}}));
        QVERIFY(!keys.credentials);
        const QString all = keys.problems.join('\n');
        QVERIFY(all.contains("must both be set"));
        QVERIFY(!all.contains("lonely-key-value"));
    }

    void systemKeychainAnswersOrReportsWithinItsTimeout() {
        // Headless here: usually no secret service. Whatever the backend, the read returns in
        // bounded time and a failure comes with a reason.
        QElapsedTimer timer;
        timer.start();
        QString error;
        const auto text = systemKeychain(500)("flowscope-test/never-stored", error);
        QVERIFY(timer.elapsed() < 3000);
        QVERIFY(!text);
        QVERIFY(!error.isEmpty());
    }

    void keychainEntryNamesFollowTheVenue() {
        QCOMPARE(keychainEntry(venues::VenueId::BinanceSpot, "api_key"),
                 QString("binance-spot/api_key"));
        QCOMPARE(keychainEntry(venues::VenueId::Kraken, "api_secret"),
                 QString("kraken/api_secret"));
    }
};

QTEST_MAIN(TestKeyStore)
#include "tst_key_store.moc"
