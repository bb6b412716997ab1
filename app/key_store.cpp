#include "key_store.h"

#include <qt6keychain/keychain.h>
#include <QEventLoop>
#include <QTimer>

#include <memory>

namespace flowscope {

namespace {
const QString kService = QStringLiteral("Flowscope");
}

QString keychainEntry(venues::VenueId venue, const char* what) {
    return QString::fromStdString(venues::venueName(venue)) + "/" + what;
}

KeychainReader systemKeychain(int timeoutMs) {
    return [timeoutMs](const QString& entry, QString& error) -> std::optional<QString> {
        // The job deletes itself when it finishes, even after we stopped waiting: a backend
        // that answers late then writes into the shared result, never into a dead frame.
        struct Result {
            bool done = false;
            QKeychain::Error error = QKeychain::NoError;
            QString errorText;
            QString text;
        };
        auto result = std::make_shared<Result>();
        auto* job = new QKeychain::ReadPasswordJob(kService);
        job->setAutoDelete(true);
        job->setKey(entry);
        QEventLoop wait;
        QObject::connect(job, &QKeychain::Job::finished, job, [result, job] {
            result->done = true;
            result->error = job->error();
            result->errorText = job->errorString();
            result->text = job->textData();
        });
        QObject::connect(job, &QKeychain::Job::finished, &wait, &QEventLoop::quit);
        QTimer::singleShot(timeoutMs, &wait, &QEventLoop::quit);
        job->start();
        if (!result->done) wait.exec();
        if (!result->done) {
            error = "keychain: no answer within " + QString::number(timeoutMs) + " ms";
            return std::nullopt;
        }
        if (result->error != QKeychain::NoError) {
            // QtKeychain's text names the backend's problem (no secret service, entry not
            // found), never the entry's content.
            error = "keychain " + entry + ": " + result->errorText;
            return std::nullopt;
        }
        return result->text;
    };
}

LoadedKeys loadApiKeys(venues::VenueId venue, const KeychainReader& keychain,
                       const trading::EnvironmentLookup& environment) {
    LoadedKeys out;
    if (keychain) {
        QString keyError, secretError;
        const auto key = keychain(keychainEntry(venue, "api_key"), keyError);
        const auto secret = key ? keychain(keychainEntry(venue, "api_secret"), secretError)
                                : std::optional<QString>();
        if (key && secret && !key->isEmpty() && !secret->isEmpty()) {
            out.credentials = trading::ApiCredentials{trading::SecretText(key->toStdString()),
                                                      trading::SecretText(secret->toStdString())};
            out.source = "keychain";
            return out;
        }
        if (!keyError.isEmpty()) out.problems << keyError;
        if (!secretError.isEmpty()) out.problems << secretError;
        if ((key && key->isEmpty()) || (secret && secret->isEmpty()))
            out.problems << "keychain: empty entry for " +
                                QString::fromStdString(venues::venueName(venue));
    }
    std::string error;
    if (auto credentials = trading::credentialsFromEnvironment(venue, environment, error)) {
        out.credentials = std::move(credentials);
        out.source = "environment";
        return out;
    }
    out.problems << QString::fromStdString(error);
    return out;
}

}  // namespace flowscope
