#pragma once
/// Command-line options of the `flowscope` app, validated before any window opens.

#include <QString>
#include <QStringList>
#include <optional>

namespace flowscope {

struct AppOptions {
    QString venue = "sim";
    QString symbol = "BTC-USD";
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

/// The simulated instruments the app offers ("BTC-USD", "ETH-USD").
QStringList simulatedSymbols();

}  // namespace flowscope
