#pragma once
// Where the exchange's market comes from: the simulator (`synthetic`) or a LOBSTER file
// (`lobster:`). A scenario only moves the authoritative Market; pacing (--rate) and pausing are
// the exchange's job.

#include <cstddef>
#include <memory>
#include <string>

#include "market.h"

namespace flowscope::exchange {

struct ExchangeOptions;

class Scenario {
  public:
    virtual ~Scenario() = default;
    /// Loads the starting book into the market.
    virtual void start(Market& market) = 0;
    /// Applies up to `events` source events; returns how many were applied (fewer at the end of a
    /// finite source).
    virtual std::size_t advance(Market& market, std::size_t events) = 0;
    virtual bool finished() const { return false; }
    /// Source events that could not be turned into the market (bad rows; the first is logged).
    virtual std::uint64_t rejected() const { return 0; }
};

/// Builds the scenario the options name. Throws std::runtime_error (message for stderr) when it
/// cannot be opened.
std::unique_ptr<Scenario> makeScenario(const ExchangeOptions& options);

}  // namespace flowscope::exchange
