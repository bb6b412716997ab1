#pragma once
/// A bracket around an entry order: a take-profit and a stop-loss, each a distance in ticks
/// from the entry's average fill price (0 = that leg is not used).

#include "book/types.h"

namespace flowscope::trading {

struct BracketSpec {
    PriceTicks takeProfitTicks = 0;
    PriceTicks stopLossTicks = 0;

    bool empty() const { return takeProfitTicks <= 0 && stopLossTicks <= 0; }
    friend bool operator==(const BracketSpec&, const BracketSpec&) = default;
};

}  // namespace flowscope::trading
