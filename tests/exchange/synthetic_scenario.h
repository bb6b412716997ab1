#pragma once
// `--scenario synthetic`: the engine's queue-reactive simulator (core/sim) mirrored level by level
// into the exchange's book. Same seed, same sequence of book changes and trades.

#include "scenario.h"
#include "sim/market_sink.h"
#include "sim/simulated_market.h"

namespace flowscope::exchange {

class SyntheticScenario : public Scenario, private sim::MarketSink {
  public:
    /// `tick` and `lot` are the exchange's instrument; the simulator's book starts near 60,000
    /// with orders of about 0.18 (in the instrument's units) whatever the steps.
    SyntheticScenario(std::uint64_t seed, const std::string& symbol, DecimalStep tick,
                      DecimalStep lot);

    void start(Market& market) override;
    std::size_t advance(Market& market, std::size_t events) override;

  private:
    void onLevel(const sim::LevelUpdate& update) override;
    void onTrade(const Trade& trade) override;

    sim::SimulatedMarket sim_;
    Market* market_ = nullptr;  ///< set while advance() runs
};

}  // namespace flowscope::exchange
