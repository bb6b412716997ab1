#pragma once
/// Position and P&L of one instrument from its fills, by the average-cost method venues use:
/// a reducing fill realises (exit - average entry) x size; a flipping fill closes the whole
/// position and opens the rest at the fill price.
///
/// Money is kept in tick-lots (price ticks x lots), the book's own units, and converted to the
/// quote currency only through toQuote(). Cost is a double: exact while it is a sum of
/// price x size products below 2^53 (a position that only grows); a partial reduction removes a
/// proportional share of the cost, which is where rounding can enter.

#include "book/instrument.h"
#include "trading/order.h"

namespace flowscope::trading {

/// Fee rates in basis points of the notional; a negative maker rate is a rebate.
struct FeeRates {
    double makerBps = 0;
    double takerBps = 0;
};

class Position {
  public:
    explicit Position(FeeRates fees = {}) : fees_(fees) {}

    void applyFill(Side side, PriceTicks priceTicks, Lots qty, Liquidity liquidity);

    /// Signed: long > 0, short < 0.
    Lots qty() const { return qty_; }
    /// Average entry price in ticks; 0 when flat.
    double averagePriceTicks() const;
    /// Gross realised P&L, tick-lots.
    double realisedTickLots() const { return realised_; }
    /// Open P&L at `markTicks` (the mid), tick-lots; may be a half tick.
    double unrealisedTickLots(double markTicks) const;
    /// Fees paid (negative: rebates received), tick-lots.
    double feesTickLots() const { return feesPaid_; }
    /// Realised + unrealised - fees.
    double netTickLots(double markTicks) const;

    Lots boughtQty() const { return bought_; }
    Lots soldQty() const { return sold_; }

  private:
    FeeRates fees_;
    Lots qty_ = 0;
    double costTickLots_ = 0;  ///< |qty_| x average entry
    double realised_ = 0;
    double feesPaid_ = 0;
    Lots bought_ = 0;
    Lots sold_ = 0;
};

/// Tick-lots to the quote currency: 120,000 ticks of 0.5 x 1,000 lots of 0.001 = 60,000.
double toQuote(const Instrument& instrument, double tickLots);

}  // namespace flowscope::trading
