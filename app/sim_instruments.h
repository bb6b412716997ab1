#pragma once
/// The simulated instruments the app offers, each with a tick, lot and starting price that make
/// its book look like the real market it imitates.

#include <QString>

#include "sim/simulated_market.h"

namespace flowscope {

/// Config of the simulated `symbol` ("BTC-USD" or "ETH-USD") with `seed`; BTC-USD for others.
/// `activity` multiplies every order-flow rate: a busier market at the same clock speed.
sim::SimulatedMarketConfig simulatedInstrument(const QString& symbol, quint64 seed,
                                               double activity = 1.0);

}  // namespace flowscope
