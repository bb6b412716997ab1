#include "trading/position.h"

#include <algorithm>
#include <cstdlib>

namespace flowscope::trading {

void Position::applyFill(Side side, PriceTicks priceTicks, Lots qty, Liquidity liquidity) {
    if (qty <= 0) return;
    const double price = static_cast<double>(priceTicks);
    const double notional = price * static_cast<double>(qty);
    const double bps = liquidity == Liquidity::Maker ? fees_.makerBps : fees_.takerBps;
    feesPaid_ += notional * bps / 10'000.0;
    (side == Side::Bid ? bought_ : sold_) += qty;

    const Lots signedQty = side == Side::Bid ? qty : -qty;
    const bool opening = qty_ == 0 || (qty_ > 0) == (signedQty > 0);
    if (opening) {
        qty_ += signedQty;
        costTickLots_ += notional;
        return;
    }
    // Reducing, closing or flipping: the closed part realises against the average entry.
    const Lots open = std::llabs(qty_);
    const Lots closed = std::min(qty, open);
    const double average = costTickLots_ / static_cast<double>(open);
    const double direction = qty_ > 0 ? 1.0 : -1.0;
    realised_ += direction * (price - average) * static_cast<double>(closed);
    if (closed == open) {
        costTickLots_ = 0;
    } else {
        costTickLots_ -= average * static_cast<double>(closed);
    }
    qty_ += signedQty;
    const Lots opened = qty - closed;
    if (opened > 0) costTickLots_ = price * static_cast<double>(opened);
}

double Position::averagePriceTicks() const {
    if (qty_ == 0) return 0;
    return costTickLots_ / static_cast<double>(std::llabs(qty_));
}

double Position::unrealisedTickLots(double markTicks) const {
    if (qty_ == 0) return 0;
    return (markTicks - averagePriceTicks()) * static_cast<double>(qty_);
}

double Position::netTickLots(double markTicks) const {
    return realised_ + unrealisedTickLots(markTicks) - feesPaid_;
}

double toQuote(const Instrument& instrument, double tickLots) {
    return tickLots * instrument.tickSize().value() * instrument.lotSize().value();
}

}  // namespace flowscope::trading
