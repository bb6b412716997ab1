#pragma once
/// Risk limits per market, kept in the settings file where the trader edits them:
///
///   [risk]
///   sim_BTC-USD\maxOrderQty=5            ; base units (exact: a whole number of lots)
///   sim_BTC-USD\maxOrderNotional=500000  ; quote currency
///   sim_BTC-USD\priceBandPercent=1       ; limit price at most this far from mid
///   sim_BTC-USD\maxOpenOrders=50
///   sim_BTC-USD\maxPosition=20           ; base units
///   sim_BTC-USD\maxOrdersPerSecond=20
///   sim_BTC-USD\dailyLossLimit=50000     ; quote currency
///
/// A market's limits are written with their defaults the first time it starts, so the file
/// shows what there is to edit. A value that does not read (text, negative, not a whole number
/// of lots) or that is absurd (above the maxima below: 1e12 BTC per order is a typo, not a
/// limit) keeps its default and is reported; nothing is guessed.

#include <QSettings>
#include <QString>
#include <QStringList>

#include "book/instrument.h"
#include "trading/risk_limits.h"

namespace flowscope {

/// Largest accepted sizes (maxOrderQty, maxPosition), in the instrument's units.
inline constexpr double kMaxRiskSizeUnits = 1e9;
/// Largest accepted amounts (maxOrderNotional, dailyLossLimit), in the quote currency.
inline constexpr double kMaxRiskAmount = 1e12;
/// Largest accepted counts (maxOpenOrders, maxOrdersPerSecond).
inline constexpr int kMaxRiskCount = 10'000;

/// "sim_BTC-USD", "kraken_BTC_USD": a market key that is one settings group name.
QString riskSettingsGroup(const QString& venue, const QString& symbol);

/// The limits for a market: `defaults` overridden by what the settings file holds, every
/// problem appended to `problems` (with the key and the value). Missing keys are written.
trading::RiskLimits loadRiskLimits(QSettings& settings, const QString& venue, const QString& symbol,
                                   const Instrument& instrument,
                                   const trading::RiskLimits& defaults, QStringList& problems);

}  // namespace flowscope
