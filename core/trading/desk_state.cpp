#include "trading/desk_state.h"

#include "trading/position.h"

namespace flowscope::trading {

TradingState deskState(const OrderManager& manager, const BracketManager& brackets,
                       const Instrument& instrument, const RecentFills& fills,
                       const std::string& lastMessage) {
    TradingState s;
    s.available = true;
    s.armed = manager.armed();
    for (const ClientOrderId& id : manager.orderIds()) {
        const Order* o = manager.find(id);
        // A market order is gone within its answer: nothing a trader could act on.
        if (!o || !isOpen(o->state()) || o->request().type == OrderType::Market) continue;
        s.orders.push_back({id, o->request().side, o->request().priceTicks, o->remainingQty(),
                            o->filledQty(), brackets.roleOf(id), false});
    }
    for (const BracketLeg& leg : brackets.legs())
        if (leg.heldLocally)
            s.orders.push_back({leg.id, leg.side, leg.priceTicks, leg.qty, 0, leg.role, true});
    const Position& p = manager.position();
    s.positionQty = p.qty();
    s.averagePriceTicks = p.averagePriceTicks();
    s.realisedQuote = toQuote(instrument, p.realisedTickLots());
    const auto mid = manager.midTicks();
    s.unrealisedQuote = mid ? toQuote(instrument, p.unrealisedTickLots(*mid)) : 0.0;
    s.feesQuote = toQuote(instrument, p.feesTickLots());
    s.lastFills.assign(fills.newestFirst().begin(), fills.newestFirst().end());
    s.lastMessage = lastMessage;
    return s;
}

}  // namespace flowscope::trading
