#include "app_options.h"

#include <QCommandLineParser>
#include <QTextStream>

namespace flowscope {

QStringList simulatedSymbols() {
    return {"BTC-USD", "ETH-USD"};
}

std::optional<AppOptions> parseAppOptions(const QStringList& arguments, QString& error,
                                          bool& exitNow) {
    exitNow = false;
    QCommandLineParser parser;
    parser.setApplicationDescription(
        "Flowscope: order-flow terminal. Starts on the built-in simulated market by default.");
    const QCommandLineOption help = parser.addHelpOption();
    const QCommandLineOption version = parser.addVersionOption();
    const QCommandLineOption venue("venue", "Venue id (sim).", "id", "sim");
    const QCommandLineOption symbol("symbol",
                                    "Instrument in the venue's spelling (sim: BTC-USD, ETH-USD).",
                                    "symbol", "BTC-USD");
    const QCommandLineOption seed("seed", "Seed of the simulated market (reproducible runs).", "n",
                                  "1");
    const QCommandLineOption speed(
        "speed", "Simulated market speed: 1 = real time, 10 = ten times faster.", "x", "1");
    const QCommandLineOption activity("activity",
                                      "Simulated market activity: multiplies its order-flow rates "
                                      "(1 = about 350 book updates/s).",
                                      "x", "1");
    const QCommandLineOption theme("theme", "Colour theme: dark or light.", "name");
    const QCommandLineOption settings("settings", "Settings file (INI) to read and write.", "file");
    const QCommandLineOption quitAfter("quit-after", "Quit after this many milliseconds (scripts).",
                                       "ms");
    const QCommandLineOption screenshot(
        "screenshot", "Save the main window to this PNG before quitting.", "file");
    parser.addOptions(
        {venue, symbol, seed, speed, activity, theme, settings, quitAfter, screenshot});
    if (!parser.parse(arguments)) {
        error = parser.errorText();
        return std::nullopt;
    }
    if (parser.isSet(help) || parser.isSet(version)) {
        QTextStream(stdout) << (parser.isSet(help) ? parser.helpText()
                                                   : QStringLiteral("flowscope 0.1.0\n"));
        exitNow = true;
        return std::nullopt;
    }
    if (!parser.positionalArguments().isEmpty()) {
        error = "unexpected argument '" + parser.positionalArguments().first() + "'";
        return std::nullopt;
    }
    AppOptions o;
    o.venue = parser.value(venue).toLower();
    if (o.venue != "sim") {
        error =
            "venue '" + o.venue +
            "' is not available in this build: only the simulated market (sim) is; live venues "
            "(binance-spot, binance-usdm, kraken, okx, coinbase, bybit) arrive with the live feed";
        return std::nullopt;
    }
    o.symbol = parser.value(symbol);
    if (!simulatedSymbols().contains(o.symbol)) {
        error = "unknown simulated symbol '" + o.symbol + "' (choose " +
                simulatedSymbols().join(", ") + ")";
        return std::nullopt;
    }
    bool ok = false;
    o.seed = parser.value(seed).toULongLong(&ok);
    if (!ok) {
        error = "--seed must be a non-negative integer, got '" + parser.value(seed) + "'";
        return std::nullopt;
    }
    o.speed = parser.value(speed).toDouble(&ok);
    if (!ok || !(o.speed > 0) || o.speed > 1000) {
        error = "--speed must be a number in (0, 1000], got '" + parser.value(speed) + "'";
        return std::nullopt;
    }
    o.activity = parser.value(activity).toDouble(&ok);
    if (!ok || !(o.activity > 0) || o.activity > 10000) {
        error = "--activity must be a number in (0, 10000], got '" + parser.value(activity) + "'";
        return std::nullopt;
    }
    if (parser.isSet(theme)) {
        o.theme = parser.value(theme);
        if (o.theme != "dark" && o.theme != "light") {
            error = "--theme must be dark or light, got '" + o.theme + "'";
            return std::nullopt;
        }
    }
    o.settingsFile = parser.value(settings);
    if (parser.isSet(quitAfter)) {
        o.quitAfterMs = parser.value(quitAfter).toInt(&ok);
        if (!ok || o.quitAfterMs <= 0) {
            error = "--quit-after must be a positive number of milliseconds";
            return std::nullopt;
        }
    }
    o.screenshot = parser.value(screenshot);
    return o;
}

}  // namespace flowscope
