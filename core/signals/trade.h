#pragma once

#include <cstdint>

#include "book/types.h"

namespace flowscope {

/// A print. `aggressor` is the side that crossed the spread: Bid for a buyer-initiated trade
/// (it lifted the ask), Ask for a seller-initiated one.
struct Trade {
    PriceTicks price = 0;
    Lots qty = 0;
    Side aggressor = Side::Bid;
    TimeNs timeNs = 0;
    std::uint64_t sequence = 0;
};

}  // namespace flowscope
