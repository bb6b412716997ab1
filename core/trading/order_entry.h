#pragma once
/// Order entry as the feed thread offers it to the GUI: the actions behind the ladder and the
/// trading panel. Every action passes the risk checks; refusals are reported in state().
///
/// Threading: called on the feed thread only (the GUI posts closures to it).

#include <string>

#include "trading/trading_state.h"

namespace flowscope::trading {

class OrderEntry {
  public:
    virtual ~OrderEntry() = default;
    /// A limit order. `intentKey` identifies the user's action: the same key again within the
    /// manager's window (a double click, a retry) does not send a second order.
    virtual void submitLimit(Side side, PriceTicks price, Lots qty,
                             const std::string& intentKey) = 0;
    virtual void submitMarket(Side side, Lots qty, const std::string& intentKey) = 0;
    virtual void cancelAtPrice(PriceTicks price) = 0;
    virtual void cancelAll() = 0;
    /// Cancels everything, then closes the position at market.
    virtual void flatten() = 0;
    virtual void setArmed(bool armed) = 0;
    virtual TradingState state() const = 0;
};

}  // namespace flowscope::trading
