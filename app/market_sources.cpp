#include "market_sources.h"

#include <QDateTime>
#include <QDir>
#include <QStandardPaths>
#include <QtGlobal>

#include "book/clock.h"
#include "feed/replay_source.h"
#include "feed/simulated_source.h"
#include "feed/venue_source.h"
#include "key_store.h"
#include "risk_settings.h"
#include "sim_instruments.h"
#include "venues/known_instruments.h"

namespace flowscope {

namespace {

const char* venueLabel(venues::VenueId id) {
    switch (id) {
        case venues::VenueId::BinanceSpot:
            return "Binance spot";
        case venues::VenueId::BinanceUsdm:
            return "Binance USD-M";
        case venues::VenueId::Kraken:
            return "Kraken";
        case venues::VenueId::Okx:
            return "OKX";
        case venues::VenueId::Coinbase:
            return "Coinbase";
        case venues::VenueId::Bybit:
            return "Bybit";
        case venues::VenueId::BybitLinear:
            return "Bybit linear";
        case venues::VenueId::OkxSwap:
            // OKX counts swap sizes in contracts; the book, trades and OFI are in base units.
            return "OKX swap (contracts as base units)";
    }
    return "?";
}

constexpr venues::VenueId kLiveVenues[] = {
    venues::VenueId::BinanceSpot, venues::VenueId::BinanceUsdm, venues::VenueId::BybitLinear,
    venues::VenueId::OkxSwap,     venues::VenueId::Kraken,      venues::VenueId::Okx,
    venues::VenueId::Coinbase,    venues::VenueId::Bybit};

/// First-use limits for a live account, in the quote currency: small orders, a tight band, a slow
/// rate. Sizes are bounded through the notional (no reference price is known before the feed is
/// up), so the lot caps are set far above what the notional allows rather than guessed per coin.
trading::RiskLimits defaultLiveLimits() {
    trading::RiskLimits l;
    l.maxOrderQty = 1'000'000'000'000;
    l.maxOrderNotional = 1'000.0;
    l.priceBandBps = 100;  // 1% from mid
    l.maxOpenOrders = 10;
    l.maxPositionQty = 1'000'000'000'000;
    l.maxOrdersPerSecond = 5;
    l.dailyLossLimit = 250.0;
    return l;
}

/// The audit file of a live account: one per venue and symbol, appended across sessions.
std::string liveAuditPath(venues::VenueId venue, const QString& symbol) {
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    if (dir.isEmpty() || !QDir().mkpath(dir)) return {};
    return QDir(dir)
        .filePath(QString("audit-%1-%2.log").arg(venues::venueName(venue), symbol))
        .toStdString();
}

/// Keys and limits for order entry on `venue`, or nothing (the source then takes no orders).
std::optional<VenueTradingConfig> liveTrading(venues::VenueId venue, const QString& symbol,
                                              const Instrument& instrument, QSettings* settings,
                                              QStringList& riskProblems) {
    if (venue != venues::VenueId::BinanceSpot) return std::nullopt;
    LoadedKeys keys = loadApiKeys(venue);
    // Where the keys came from and why a place had none; never the keys themselves.
    for (const QString& problem : keys.problems)
        qInfo("flowscope keys: %s", qPrintable(problem));
    if (!keys.credentials) return std::nullopt;
    qInfo("flowscope keys: %s API keys from the %s", venues::venueName(venue),
          qPrintable(keys.source));
    const trading::RiskLimits limits =
        settings ? loadRiskLimits(*settings, venues::venueName(venue), symbol, instrument,
                                  defaultLiveLimits(), riskProblems)
                 : defaultLiveLimits();
    return VenueTradingConfig{std::move(*keys.credentials), limits, liveAuditPath(venue, symbol)};
}

}  // namespace

std::optional<MarketChoice> MarketChoice::fromKey(const QString& key) {
    const qsizetype colon = key.indexOf(':');
    if (colon <= 0) return std::nullopt;
    return MarketChoice{key.left(colon), key.mid(colon + 1)};
}

QString MarketChoice::label() const {
    if (venue == "sim") return "SIM:" + symbol;
    if (venue == "replay") return "Replay · " + symbol;
    const auto id = venues::parseVenueId(venue.toStdString());
    return QString(id ? venueLabel(*id) : "?") + " · " + symbol;
}

MarketChoice initialMarket(const AppOptions& options) {
    if (!options.replay.isEmpty()) return {"replay", options.symbol};
    return {options.venue, options.symbol};
}

QList<MarketChoice> offeredMarkets(const AppOptions& options) {
    QList<MarketChoice> list;
    for (const QString& s : simulatedSymbols())
        list.append({"sim", s});
    const MarketChoice initial = initialMarket(options);
    if (initial.venue != "sim") list.append(initial);
    for (const venues::VenueId id : kLiveVenues) {
        const MarketChoice choice{venues::venueName(id),
                                  QString::fromStdString(venues::exampleSymbol(id))};
        if (choice.key() != initial.key()) list.append(choice);
    }
    return list;
}

std::unique_ptr<MarketSource> makeMarketSource(const MarketChoice& choice,
                                               const AppOptions& options,
                                               const trading::PaperDeskConfig& paper,
                                               QString& error, QSettings* settings,
                                               QStringList* riskProblems) {
    QStringList ignoredProblems;
    QStringList& problems = riskProblems ? *riskProblems : ignoredProblems;
    if (choice.venue == "sim") {
        const auto market = simulatedInstrument(choice.symbol, options.seed, options.activity);
        trading::PaperDeskConfig desk = paper;
        if (settings)
            desk.limits = loadRiskLimits(*settings, choice.venue, choice.symbol,
                                         Instrument(market.symbol, market.tick, market.lot),
                                         paper.limits, problems);
        return std::make_unique<sim::SimulatedSource>(market, options.speed, wallNowNs(), desk);
    }
    const bool replay = choice.venue == "replay";
    const QString venue = replay ? options.venue : choice.venue;
    // The command line's tick and lot belong to the command line's market only.
    const bool fromCommandLine =
        replay || (venue == options.venue && choice.symbol == options.symbol);
    auto info = liveInstrument(venue, choice.symbol, fromCommandLine ? options.tick : QString(),
                               fromCommandLine ? options.lot : QString(), error);
    if (!info) return nullptr;
    const auto id = *venues::parseVenueId(venue.toStdString());
    try {
        if (replay) {
            ReplaySourceConfig config;
            config.path = options.replay.toStdString();
            config.venue = id;
            config.instrument = *info;
            config.instrument.venue = "replay " + info->venue;
            config.speed = options.speed;
            return std::make_unique<ReplaySource>(std::move(config));
        }
        VenueSourceConfig config;
        config.venue = id;
        config.instrument = *info;
        config.trading = liveTrading(id, choice.symbol, info->instrument(), settings, problems);
        if (fromCommandLine) {
            config.endpoints = {options.wsUrl.toStdString(), options.restUrl.toStdString(),
                                options.caFile.toStdString()};
            config.recordPath = options.record.toStdString();
        }
        return std::make_unique<VenueSource>(std::move(config));
    } catch (const std::exception& e) {
        error = QString::fromStdString(e.what());
        return nullptr;
    }
}

}  // namespace flowscope
