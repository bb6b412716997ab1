#pragma once
// `--scenario lobster:MESSAGES,ORDERBOOK`: a LOBSTER day replayed as the exchange's market. Each
// message row becomes the book changes that turn the previous book row into this one (LOBSTER's
// book file is the authoritative level view, so the exchange's book is exactly its N levels) and,
// for executions, one trade. At the end of the files the market stops moving.
//
// LOBSTER prices are in 1/10000 of a dollar and sizes in shares; both are converted exactly to the
// exchange's --tick and --lot. A row that does not convert exactly is skipped and counted.

#include <string>

#include "lobster/lobster_reader.h"
#include "scenario.h"
#include "wire_format.h"

namespace flowscope::exchange {

class LobsterScenario : public Scenario {
  public:
    /// Throws std::runtime_error when the files cannot be opened or their first row is bad.
    LobsterScenario(const std::string& messagesPath, const std::string& bookPath, DecimalStep tick,
                    DecimalStep lot);

    void start(Market& market) override;
    std::size_t advance(Market& market, std::size_t events) override;
    bool finished() const override { return finished_; }
    std::uint64_t rejected() const override { return rejected_; }

  private:
    /// Converts the current row's book to the exchange's units; false if a value is not exact.
    bool convertRow(std::vector<Level>& bids, std::vector<Level>& asks) const;
    void reconcile(Market& market, Side side, const std::vector<Level>& target);
    void reject(const std::string& why);

    LobsterReader reader_;
    DecimalStep tick_;
    DecimalStep lot_;
    std::vector<Level> bids_;  ///< scratch, reused for every row
    std::vector<Level> asks_;
    bool finished_ = false;
    std::uint64_t rejected_ = 0;
};

/// LOBSTER price (1/10000 dollar) to ticks of `tick`; nullopt when not a whole number of ticks.
std::optional<PriceTicks> lobsterPriceToTicks(PriceTicks lobsterPrice, DecimalStep tick);
/// Shares to lots of `lot`; nullopt when not a whole number of lots or on overflow.
std::optional<Lots> sharesToLots(Lots shares, DecimalStep lot);

}  // namespace flowscope::exchange
