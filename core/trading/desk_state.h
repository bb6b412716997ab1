#pragma once
/// What the paper desk and the live Binance entry both publish: the last fills they saw, and the
/// TradingState assembled from their order manager and brackets.
///
/// Threading: the desk's thread.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>

#include "book/instrument.h"
#include "trading/bracket_manager.h"
#include "trading/order_manager.h"
#include "trading/trading_state.h"

namespace flowscope::trading {

/// The newest few fills of a session, newest first, each numbered in session order.
class RecentFills {
  public:
    static constexpr std::size_t kKept = 8;

    void add(TimeNs timeNs, Side side, PriceTicks priceTicks, Lots qty) {
        fills_.push_front({++sequence_, timeNs, side, priceTicks, qty});
        if (fills_.size() > kKept) fills_.pop_back();
    }
    /// Increases with every fill: a caller sees whether anything filled across a call.
    std::uint64_t sequence() const { return sequence_; }
    const std::deque<FillRecord>& newestFirst() const { return fills_; }

  private:
    std::deque<FillRecord> fills_;
    std::uint64_t sequence_ = 0;
};

/// The desk's working orders (its open non-market orders, then the stops held locally), its
/// position and P&L (unrealised at the manager's mid), fees, the last fills and `lastMessage`.
TradingState deskState(const OrderManager& manager, const BracketManager& brackets,
                       const Instrument& instrument, const RecentFills& fills,
                       const std::string& lastMessage);

}  // namespace flowscope::trading
