#include "synthetic_scenario.h"

#include <algorithm>
#include <cmath>

namespace flowscope::exchange {

namespace {

sim::SimulatedMarketConfig simConfig(std::uint64_t seed, const std::string& symbol,
                                     DecimalStep tick, DecimalStep lot) {
    sim::SimulatedMarketConfig config;
    config.seed = seed;
    config.venue = "EXCHANGE";
    config.symbol = symbol;
    config.tick = tick;
    config.lot = lot;
    // The model's parameters are in ticks and lots; keep a BTC-like market whatever the steps.
    const double startPrice = 60'000.0;
    config.flow.startBidTicks = std::max<PriceTicks>(
        config.flow.levels + 1, static_cast<PriceTicks>(std::llround(startPrice / tick.value())));
    config.flow.limitSizeMeanLots = std::clamp(0.18 / lot.value(), 1.0, 1e9);
    config.flow.marketSizeMeanLots = std::clamp(0.26 / lot.value(), 1.0, 1e9);
    return config;
}

}  // namespace

SyntheticScenario::SyntheticScenario(std::uint64_t seed, const std::string& symbol,
                                     DecimalStep tick, DecimalStep lot)
    : sim_(simConfig(seed, symbol, tick, lot)) {
    sim_.setSink(this);
}

void SyntheticScenario::start(Market& market) {
    const sim::BookSnapshot snapshot = sim_.snapshot();
    market.load(snapshot.bids, snapshot.asks);
}

std::size_t SyntheticScenario::advance(Market& market, std::size_t events) {
    market_ = &market;
    for (std::size_t i = 0; i < events; ++i)
        sim_.step();
    market_ = nullptr;
    return events;
}

void SyntheticScenario::onLevel(const sim::LevelUpdate& update) {
    if (market_) (void)market_->setLevel(update.side, update.priceTicks, update.qty);
}

void SyntheticScenario::onTrade(const Trade& trade) {
    if (market_) market_->trade(trade.aggressor, trade.price, trade.qty);
}

}  // namespace flowscope::exchange
