#pragma once
/// The markets the app can show and the MarketSource behind each: the simulated market, a live
/// venue (VenueSource), or a recording played back (ReplaySource).

#include <QList>
#include <QSettings>
#include <QString>
#include <QStringList>
#include <memory>
#include <optional>

#include "app_options.h"
#include "feed/market_source.h"
#include "trading/paper_desk.h"

namespace flowscope {

struct MarketChoice {
    QString venue;   ///< "sim", a live venue id, or "replay"
    QString symbol;  ///< in the venue's spelling

    /// "sim:BTC-USD", "binance-spot:BTCUSDT", "replay:BTCUSDT": the instrument picker's data.
    QString key() const { return venue + ":" + symbol; }
    static std::optional<MarketChoice> fromKey(const QString& key);
    /// "SIM:BTC-USD", "Binance spot · BTCUSDT", "Replay · BTCUSDT".
    QString label() const;
};

/// What the picker offers: the simulated instruments, the command line's market (live or
/// replay), and the live instruments Flowscope knows on every venue.
QList<MarketChoice> offeredMarkets(const AppOptions& options);

/// The market the command line asks for.
MarketChoice initialMarket(const AppOptions& options);

/// Builds the source; nullptr with `error` when it cannot (unknown symbol, unreadable file).
/// Endpoints, recording and replay file come from `options`. With `settings`, the market's risk
/// limits come from it (risk_settings.h) and any value it refuses is added to `riskProblems`.
std::unique_ptr<MarketSource> makeMarketSource(const MarketChoice& choice,
                                               const AppOptions& options,
                                               const trading::PaperDeskConfig& paper,
                                               QString& error, QSettings* settings = nullptr,
                                               QStringList* riskProblems = nullptr);

}  // namespace flowscope
