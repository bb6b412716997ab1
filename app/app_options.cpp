#include "app_options.h"

#include <QCommandLineParser>
#include <QFileInfo>
#include <QTextStream>

#include "record/recording_identity.h"
#include "venues/known_instruments.h"

namespace flowscope {

std::optional<InstrumentInfo> liveInstrument(const QString& venue, const QString& symbol,
                                             const QString& tick, const QString& lot,
                                             QString& error) {
    const auto id = venues::parseVenueId(venue.toStdString());
    if (!id) {
        error = "unknown venue '" + venue + "' (sim, " +
                QString::fromStdString(venues::venueList()) + ")";
        return std::nullopt;
    }
    InstrumentInfo info;
    info.venue = venues::venueName(*id);
    info.symbol = symbol.toStdString();
    if (!tick.isEmpty() || !lot.isEmpty()) {
        const auto t = DecimalStep::parse(tick.toStdString());
        const auto l = DecimalStep::parse(lot.toStdString());
        if (!t || !l) {
            error = "--tick and --lot must both be positive decimals like 0.01, got '" + tick +
                    "' and '" + lot + "'";
            return std::nullopt;
        }
        info.tick = *t;
        info.lot = *l;
        return info;
    }
    const auto known = venues::knownInstrument(*id, info.symbol);
    if (!known) {
        error = "unknown symbol '" + symbol + "' on " + info.venue.c_str() +
                ": give its tick and lot sizes with --tick and --lot (e.g. --tick 0.01 --lot "
                "0.00001)";
        return std::nullopt;
    }
    info.tick = known->tick;
    info.lot = known->lot;
    return info;
}

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
    const QCommandLineOption venue(
        "venue",
        "Venue id: sim (default), binance-spot, binance-usdm, kraken, okx, coinbase, bybit, "
        "bybit-linear, okx-swap.",
        "id", "sim");
    const QCommandLineOption symbol("symbol",
                                    "Instrument in the venue's spelling (sim: BTC-USD, ETH-USD; "
                                    "binance-spot: BTCUSDT; kraken: BTC/USD; okx: BTC-USDT).",
                                    "symbol");
    const QCommandLineOption tick("tick", "Tick size of a live symbol Flowscope does not know.",
                                  "decimal");
    const QCommandLineOption lot("lot", "Lot size of a live symbol Flowscope does not know.",
                                 "decimal");
    const QCommandLineOption wsUrl("ws-url", "WebSocket base address replacing the venue's.",
                                   "url");
    const QCommandLineOption restUrl("rest-url", "REST base address replacing the venue's.", "url");
    const QCommandLineOption caFile("ca-file", "Trust only this certificate authority (PEM).",
                                    "pem");
    const QCommandLineOption replay(
        "replay", "Play a recording (flowscope-cli record) or a capture instead of a live feed.",
        "file");
    const QCommandLineOption record("record", "Record the live feed's raw messages to this file.",
                                    "file");
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
    parser.addOptions({venue, symbol, tick, lot, wsUrl, restUrl, caFile, replay, record, seed,
                       speed, activity, theme, settings, quitAfter, screenshot});
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
    o.symbol = parser.value(symbol);
    o.tick = parser.value(tick);
    o.lot = parser.value(lot);
    o.wsUrl = parser.value(wsUrl);
    o.restUrl = parser.value(restUrl);
    o.caFile = parser.value(caFile);
    o.replay = parser.value(replay);
    o.record = parser.value(record);
    if (!o.caFile.isEmpty() && !QFileInfo(o.caFile).isReadable()) {
        error = "--ca-file " + o.caFile + ": cannot read the file";
        return std::nullopt;
    }
    if (!o.replay.isEmpty()) {
        // What the recording holds decides venue and symbol unless the user says otherwise.
        record::RecordingIdentity identity;
        try {
            identity = record::identifyRecording(o.replay.toStdString());
        } catch (const std::exception& e) {
            error = "--replay: " + QString::fromStdString(e.what());
            return std::nullopt;
        }
        if (!parser.isSet(venue)) o.venue = QString::fromStdString(identity.venue);
        if (o.symbol.isEmpty()) o.symbol = QString::fromStdString(identity.symbol);
        if (o.venue.isEmpty() || o.venue == "sim") {
            error = "--replay " + o.replay +
                    ": the file does not name its venue: give --venue (e.g. binance-spot)";
            return std::nullopt;
        }
        if (o.symbol.isEmpty()) {
            error = "--replay " + o.replay + ": the file does not name its symbol: give --symbol";
            return std::nullopt;
        }
    }
    if (o.venue == "sim") {
        if (o.symbol.isEmpty()) o.symbol = simulatedSymbols().first();
        if (!simulatedSymbols().contains(o.symbol)) {
            error = "unknown simulated symbol '" + o.symbol + "' (choose " +
                    simulatedSymbols().join(", ") + ")";
            return std::nullopt;
        }
        if (!o.record.isEmpty()) {
            error = "--record records a live venue's feed; the simulated market has none";
            return std::nullopt;
        }
    } else {
        const auto id = venues::parseVenueId(o.venue.toStdString());
        if (!id) {
            error = "unknown venue '" + o.venue + "' (sim, " +
                    QString::fromStdString(venues::venueList()) + ")";
            return std::nullopt;
        }
        o.venue = venues::venueName(*id);
        if (o.symbol.isEmpty()) o.symbol = QString::fromStdString(venues::exampleSymbol(*id));
        if (!liveInstrument(o.venue, o.symbol, o.tick, o.lot, error)) return std::nullopt;
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
