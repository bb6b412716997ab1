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
/// of lots) keeps its default and is reported; nothing is guessed.

#include <QSettings>
#include <QString>
#include <QStringList>

#include "book/instrument.h"
#include "trading/risk_limits.h"

namespace flowscope {

/// "sim_BTC-USD", "kraken_BTC_USD": a market key that is one settings group name.
QString riskSettingsGroup(const QString& venue, const QString& symbol);

/// The limits for a market: `defaults` overridden by what the settings file holds, every
/// problem appended to `problems` (with the key and the value). Missing keys are written.
trading::RiskLimits loadRiskLimits(QSettings& settings, const QString& venue,
                                   const QString& symbol, const Instrument& instrument,
                                   const trading::RiskLimits& defaults, QStringList& problems);

}  // namespace flowscope
