#pragma once
/// The simulated instruments the app offers, each with a tick, lot and starting price that make
/// its book look like the real market it imitates.

#include <QString>

#include "sim/simulated_market.h"

namespace flowscope {

/// Config of the simulated `symbol` ("BTC-USD" or "ETH-USD") with `seed`; BTC-USD for others.
sim::SimulatedMarketConfig simulatedInstrument(const QString& symbol, quint64 seed);

}  // namespace flowscope
