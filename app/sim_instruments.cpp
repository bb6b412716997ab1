#include "sim_instruments.h"

namespace flowscope {

sim::SimulatedMarketConfig simulatedInstrument(const QString& symbol, quint64 seed,
                                               double activity) {
    sim::SimulatedMarketConfig c;
    c.seed = seed;
    // Every intensity scales together, so queues and imbalance behave alike, only faster.
    c.flow.limitRatePerSec *= activity;
    c.flow.insideSpreadRatePerSec *= activity;
    c.flow.cancelRatePerOrderPerSec *= activity;
    c.flow.deepCancelRatePerOrderPerSec *= activity;
    c.flow.marketRatePerSec *= activity;
    if (symbol == "ETH-USD") {
        c.symbol = "ETH-USD";
        c.tick = DecimalStep{5, 2};          // 0.05
        c.lot = DecimalStep{1, 3};           // 0.001
        c.flow.startBidTicks = 60'000;       // 3,000.00
        c.flow.limitSizeMeanLots = 2'500.0;  // 2.5 ETH
        c.flow.marketSizeMeanLots = 3'500.0;
    }
    return c;  // defaults otherwise: BTC-USD, tick 0.5, lot 0.001, 60,000.0
}

}  // namespace flowscope
