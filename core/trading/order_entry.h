#pragma once
/// Order entry as the feed thread offers it to the GUI, the alert desk and brackets: the actions
/// behind the ladder and the trading panel. Every order passes the risk checks; refusals are
/// returned and also reported in state().lastMessage.
///
/// Threading: called on the feed thread only (the GUI posts closures to it).

#include <string>
#include <string_view>

#include "trading/bracket_spec.h"
#include "trading/order_manager.h"
#include "trading/trading_state.h"

namespace flowscope::trading {

/// What a venue without brackets answers to submitBracket (with SubmitStatus::Unsupported).
inline constexpr std::string_view kBracketsUnsupported = "brackets are not available on this venue";

class OrderEntry {
  public:
    virtual ~OrderEntry() = default;

    /// Any order. `intentKey` identifies the user's action: the same key again within the
    /// manager's window (a double click, a retry) returns the first order and sends nothing.
    virtual SubmitOutcome submit(const OrderRequest& request, const std::string& intentKey) = 0;
    /// A good-till-cancel limit order.
    SubmitOutcome submitLimit(Side side, PriceTicks price, Lots qty, const std::string& intentKey) {
        return submit(OrderRequest{side, OrderType::Limit, price, qty}, intentKey);
    }
    /// A market order (the venue expires what it cannot fill).
    SubmitOutcome submitMarket(Side side, Lots qty, const std::string& intentKey) {
        return submit(OrderRequest{side, OrderType::Market, 0, qty, TimeInForce::ImmediateOrCancel},
                      intentKey);
    }
    /// An entry with a take-profit and a stop-loss at `bracket`'s distances from its average
    /// fill. The legs follow the entry's fills and cancel each other (see BracketManager).
    /// Venues without brackets answer Unsupported and send nothing.
    virtual SubmitOutcome submitBracket(const OrderRequest& entry, const BracketSpec& bracket,
                                        const std::string& intentKey) {
        (void)entry;
        (void)bracket;
        (void)intentKey;
        return {SubmitStatus::Unsupported, {}, std::nullopt};
    }
    /// Cancels an order, or removes a stop held locally (its id from state()).
    virtual CancelStatus cancel(const ClientOrderId& id) = 0;
    virtual void cancelAtPrice(PriceTicks price) = 0;
    virtual void cancelAll() = 0;
    /// Cancels everything, then closes the position at market.
    virtual void flatten() = 0;
    /// Reverse: flattens (cancel all, close at market), then opens the same size on the other
    /// side at market. Only while the position is still `expectedPositionQty`, the position the
    /// trader saw when asking: a repeated or stale request (a double click, a hotkey held down)
    /// then finds another position and answers NotOpen without sending anything, so a position
    /// is never reversed twice. The opening order passes the risk checks like any other; if they
    /// refuse it (Blocked, with the rule), the position is left flat: the safe side.
    SubmitOutcome reverse(Lots expectedPositionQty, const std::string& intentKey) {
        const Lots qty = state().positionQty;
        if (qty == 0 || qty != expectedPositionQty) return {SubmitStatus::NotOpen, {}, {}};
        flatten();
        return submitMarket(qty > 0 ? Side::Ask : Side::Bid, qty > 0 ? qty : -qty, intentKey);
    }
    /// Cancel/replace: cancels working order `id` and sends the same side and remaining size at
    /// `newPriceTicks` through the risk checks. Nothing is sent when `id` is not open. A take-
    /// profit is replaced the same way; a stop held locally just takes the new price.
    virtual SubmitOutcome moveOrder(const ClientOrderId& id, PriceTicks newPriceTicks) = 0;
    /// The kill switch: disarms first (nothing new leaves afterwards), cancels every open order
    /// and, when `flattenPosition`, closes the position at market (the only orders a disarmed
    /// desk still sends).
    virtual void killSwitch(bool flattenPosition) = 0;
    virtual void setArmed(bool armed) = 0;
    virtual TradingState state() const = 0;
    /// The venue's order step in the instrument's lots: every order size is a multiple of it
    /// (Binance BTCUSDT: 0.00001 BTC, 1,000 lots of the book's 1e-8). 1: any whole number of lots.
    virtual Lots orderStepLots() const { return 1; }
};

}  // namespace flowscope::trading
