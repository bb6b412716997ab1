#pragma once
/// What the GUI shows of the user's trading on one instrument: a copyable value published with
/// every MarketSnapshot (working orders, position, P&L, the last fills and the last refusal).

#include <cstdint>
#include <string>
#include <vector>

#include "book/types.h"

namespace flowscope::trading {

/// What an order is for: a plain entry, or a leg of a bracket around one.
enum class OrderRole : std::uint8_t { Entry, TakeProfit, StopLoss };

struct WorkingOrder {
    std::string id;
    Side side = Side::Bid;
    PriceTicks priceTicks = 0;
    Lots remaining = 0;
    Lots filled = 0;
    OrderRole role = OrderRole::Entry;
    /// A stop that waits in Flowscope, not at the venue: it is sent at market when triggered,
    /// and is lost if Flowscope stops.
    bool heldLocally = false;
};

struct FillRecord {
    std::uint64_t sequence = 0;  ///< increases with every fill of the session
    TimeNs timeNs = 0;
    Side side = Side::Bid;
    PriceTicks priceTicks = 0;
    Lots qty = 0;
};

struct TradingState {
    bool available = false;  ///< the venue takes orders (paper or live)
    bool armed = false;
    std::vector<WorkingOrder> orders;
    Lots positionQty = 0;            ///< signed: long > 0
    double averagePriceTicks = 0.0;  ///< of the open position
    double realisedQuote = 0.0;      ///< quote currency
    double unrealisedQuote = 0.0;    ///< at the mid
    double feesQuote = 0.0;
    std::vector<FillRecord> lastFills;  ///< newest first, a few
    std::string lastMessage;            ///< why the last action was refused, if it was
};

}  // namespace flowscope::trading
