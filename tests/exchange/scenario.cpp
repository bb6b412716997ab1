#include "scenario.h"

#include "exchange_options.h"
#include "lobster_scenario.h"
#include "synthetic_scenario.h"

namespace flowscope::exchange {

std::unique_ptr<Scenario> makeScenario(const ExchangeOptions& options) {
    if (options.lobster)
        return std::make_unique<LobsterScenario>(options.lobsterMessages, options.lobsterBook,
                                                 options.tick, options.lot);
    return std::make_unique<SyntheticScenario>(options.seed, options.symbol, options.tick,
                                               options.lot);
}

}  // namespace flowscope::exchange
