#pragma once
/// Feeds a desk's BracketManager at safe points. Fills, prints and touch changes arrive inside
/// venue or matching-engine callbacks, where the brackets must not send (the engine may be in the
/// middle of a match, the order manager in the middle of an answer), so they are noted here as
/// they come and handed over by service(), which the desk calls where orders may be sent again:
/// after its own calls that touch brackets, after each venue answer, and on each market update.
///
/// Threading: the desk's thread.

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "trading/bracket_manager.h"

namespace flowscope::trading {

class BracketDriver {
  public:
    using Touch = std::pair<std::optional<PriceTicks>, std::optional<PriceTicks>>;
    /// `progress(id)`: whether the desk's order is still open at the venue and how much of it
    /// filled, by the desk's own record. `touch()`: the best bid and ask now (read only when the
    /// touch changed).
    BracketDriver(BracketManager& brackets,
                  std::function<OrderProgress(const ClientOrderId&)> progress,
                  std::function<Touch()> touch);

    void noteFill(const ClientOrderId& id, PriceTicks priceTicks, Lots qty) {
        pendingFills_.push_back({id, priceTicks, qty});
    }
    /// Only the extremes between two services matter to a stop: a print at or through it fires.
    void notePrint(PriceTicks priceTicks) {
        if (!printLow_ || priceTicks < *printLow_) printLow_ = priceTicks;
        if (!printHigh_ || priceTicks > *printHigh_) printHigh_ = priceTicks;
    }
    void noteTouchChanged() { touchChanged_ = true; }

    /// Hands everything noted to the brackets, in rounds until nothing new is noted (the
    /// brackets' own orders fill and come back). A call from inside a service returns at once.
    /// Returns the brackets' problem when it changed (a leg the risk checks refused), else
    /// nullopt.
    std::optional<std::string> service();

  private:
    std::optional<std::string> problemIfChanged();

    BracketManager& brackets_;
    void handOverFills();

    std::function<OrderProgress(const ClientOrderId&)> progress_;
    std::function<Touch()> touch_;
    std::vector<BracketManager::FillEvent> pendingFills_;
    std::vector<BracketManager::FillEvent> fillScratch_;
    std::optional<PriceTicks> printLow_;
    std::optional<PriceTicks> printHigh_;
    bool touchChanged_ = true;
    bool servicing_ = false;
    std::string lastProblem_;
};

}  // namespace flowscope::trading
