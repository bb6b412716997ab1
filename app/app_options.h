#pragma once
/// Command-line options of the `flowscope` app, validated before any window opens.

#include <QString>
#include <QStringList>
#include <optional>

#include "feed/market_snapshot.h"

namespace flowscope {

struct AppOptions {
    QString venue = "sim";       ///< "sim" or a live venue id (binance-spot, kraken, ...)
    QString symbol = "BTC-USD";  ///< in the venue's spelling
    QString tick;                ///< tick and lot of a live symbol Flowscope does not know
    QString lot;
    QString wsUrl;   ///< replaces the venue's WebSocket host (scheme://host:port)
    QString restUrl; ///< replaces its REST host
    QString caFile;  ///< trust only this CA (PEM) instead of the system store
    QString replay;  ///< play this recording or capture instead of a live or simulated feed
    QString record;  ///< record the live feed's raw messages to this file
    quint64 seed = 1;
    double speed = 1.0;
    double activity = 1.0;  ///< multiplies the simulated order-flow rates
    QString theme;          ///< empty: from settings (dark by default)
    QString settingsFile;   ///< empty: the user's config location
    int quitAfterMs = 0;    ///< for scripted runs and benchmarks: quit after this long
    QString screenshot;     ///< save the window to this PNG before quitting
};

/// Parses `arguments` (argv); on error returns nullopt with `error` set. Handles --help and
/// --version itself by setting `exitNow`.
std::optional<AppOptions> parseAppOptions(const QStringList& arguments, QString& error,
                                          bool& exitNow);

/// Tick and lot of a live symbol: --tick/--lot when given, else Flowscope's table; nullopt with
/// `error` when neither knows it.
std::optional<InstrumentInfo> liveInstrument(const QString& venue, const QString& symbol,
                                             const QString& tick, const QString& lot,
                                             QString& error);

/// The simulated instruments the app offers ("BTC-USD", "ETH-USD").
QStringList simulatedSymbols();

}  // namespace flowscope
