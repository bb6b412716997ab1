#pragma once
// Own working size at one price, as the views show it: the ladder's order column and the
// heatmap's markers take the same list, built once per snapshot from TradingState::orders.

#include <vector>

#include "book/types.h"
#include "trading/trading_state.h"

namespace flowscope {

/// Own working size at one price, as the trading layer reports it.
struct OwnOrderLevel {
    Side side = Side::Bid;
    PriceTicks price = 0;
    Lots qty = 0;
    /// A bracket leg is marked "TP"/"SL" on the ladder (aggregate per side, price and role).
    trading::OrderRole role = trading::OrderRole::Entry;
    /// A stop waiting in Flowscope rather than at the venue (WorkingOrder::heldLocally); the
    /// heatmap draws it dashed.
    bool heldLocally = false;
    friend bool operator==(const OwnOrderLevel&, const OwnOrderLevel&) = default;
};

/// How the views name a bracket leg before its size: "TP ", "SL ", or "" for an entry.
constexpr const char* rolePrefix(trading::OrderRole role) {
    return role == trading::OrderRole::TakeProfit ? "TP "
           : role == trading::OrderRole::StopLoss ? "SL "
                                                  : "";
}

/// The views' form of a list: empty sizes dropped, equal side, price, role and holding summed
/// into one, highest price first (then a fixed order among equal prices).
std::vector<OwnOrderLevel> canonicalOwnOrders(std::vector<OwnOrderLevel> levels);

/// The working orders of a TradingState in canonical form.
std::vector<OwnOrderLevel> ownOrdersOf(const std::vector<trading::WorkingOrder>& orders);

}  // namespace flowscope
