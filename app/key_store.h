#pragma once
/// API keys for live order entry: the OS keychain first (QtKeychain, service "Flowscope", entries
/// "<venue>/api_key" and "<venue>/api_secret"), the environment second (FLOWSCOPE_<VENUE>_API_KEY
/// and _API_SECRET, see core/trading/api_keys.h). A keychain that cannot be reached (no secret
/// service in CI or a headless session) is reported and the environment is tried.
///
/// Secrets stay in SecretText; nothing here logs or reports a key or a secret, only where the
/// keys came from and why a place had none.
///
/// Threading: the GUI thread (the keychain job needs its event loop for a short wait).

#include <QString>
#include <QStringList>
#include <functional>
#include <optional>

#include "trading/api_keys.h"
#include "venues/venue_id.h"

namespace flowscope {

struct LoadedKeys {
    std::optional<trading::ApiCredentials> credentials;
    QString source;        ///< "keychain" or "environment"; empty when none was found
    QStringList problems;  ///< why each place gave nothing (never a key or a secret)
};

/// Reads one keychain entry: the text, or nullopt with `error` saying why.
using KeychainReader = std::function<std::optional<QString>(const QString& entry, QString& error)>;

/// QtKeychain, service "Flowscope", waiting at most `timeoutMs` for each entry.
KeychainReader systemKeychain(int timeoutMs = 2000);

/// Keychain entry names for a venue: "binance-spot/api_key", "binance-spot/api_secret".
QString keychainEntry(venues::VenueId venue, const char* what);

/// Key and secret from the keychain (both from there, never mixed) or else the environment.
LoadedKeys loadApiKeys(
    venues::VenueId venue, const KeychainReader& keychain = systemKeychain(),
    const trading::EnvironmentLookup& environment = trading::processEnvironment());

}  // namespace flowscope
