#include "trading/paper_gateway.h"

#include <utility>

namespace flowscope::trading {

namespace {

sim::OrderType toSim(const OrderRequest& request) {
    switch (request.type) {
        case OrderType::Market:
            return sim::OrderType::Market;
        case OrderType::PostOnly:
            return sim::OrderType::PostOnly;
        case OrderType::ImmediateOrCancel:
            return sim::OrderType::ImmediateOrCancel;
        case OrderType::Limit:
            return request.timeInForce == TimeInForce::ImmediateOrCancel
                       ? sim::OrderType::ImmediateOrCancel
                       : sim::OrderType::Limit;
    }
    return sim::OrderType::Limit;
}

Liquidity fromSim(sim::Liquidity l) {
    return l == sim::Liquidity::Maker ? Liquidity::Maker : Liquidity::Taker;
}

}  // namespace

PaperGateway::PaperGateway(sim::SimulatedMarket& market, OrderManager& manager, Clock clock)
    : market_(market), manager_(manager), clock_(std::move(clock)) {
    manager_.setGateway(this);
    syncMarket();
}

PaperGateway::~PaperGateway() {
    manager_.setGateway(nullptr);
}

void PaperGateway::syncMarket() {
    const Level bid = market_.engine().bestBid();
    const Level ask = market_.engine().bestAsk();
    manager_.onMarket(isEmptyLevel(bid) ? std::nullopt : std::optional<PriceTicks>(bid.price),
                      isEmptyLevel(ask) ? std::nullopt : std::optional<PriceTicks>(ask.price));
}

void PaperGateway::sendNew(const Order& order) {
    const ClientOrderId id = order.id();  // `order` may move state under the calls below
    const OrderRequest& request = order.request();
    if (request.reduceOnly) {
        // SIM has no reduce-only flag; refusing is safer than an emulation that could add risk.
        manager_.onRejected(id, "reduce-only is not supported by SIM", now());
        return;
    }
    submitting_ = true;
    unclaimedQueue_.reset();
    const sim::SubmitResult result = market_.submit(
        {toSim(request), request.side, request.priceTicks, request.qty, sim::Owner::User});
    submitting_ = false;
    const TimeNs t = now();
    if (!result.accepted()) {
        manager_.onRejected(id, sim::describe(result.reason), t);
        return;
    }
    // Copied before any callback: result.fills points into the engine.
    const std::vector<sim::Fill> fills(result.fills.begin(), result.fills.end());
    if (result.resting > 0) {
        byVenueId_[result.id] = id;
        if (unclaimedQueue_ && unclaimedQueue_->orderId == result.id) queue_[id] = *unclaimedQueue_;
    }
    unclaimedQueue_.reset();
    manager_.onAcknowledged(id, result.id, t);
    for (const sim::Fill& fill : fills)
        manager_.onFill(id, fill.priceTicks, fill.qty, Liquidity::Taker, t);
    if (result.cancelled > 0) manager_.onExpired(id, t);
    syncMarket();
}

void PaperGateway::sendCancel(const Order& order) {
    const ClientOrderId id = order.id();
    const sim::OrderId venueId = order.venueOrderId();
    const sim::AmendResult result = market_.cancel(venueId);
    const TimeNs t = now();
    if (!result.accepted()) {
        manager_.onCancelRejected(id, sim::describe(result.reason), t);
        return;
    }
    forget(venueId);
    manager_.onCancelled(id, t);
    syncMarket();
}

void PaperGateway::onFill(const sim::Fill& fill) {
    if (fill.liquidity != sim::Liquidity::Maker) return;  // reported by sendNew()
    const auto it = byVenueId_.find(fill.orderId);
    if (it == byVenueId_.end()) {
        ++unknownFills_;
        return;
    }
    const ClientOrderId id = it->second;
    if (fill.remaining == 0) forget(fill.orderId);
    manager_.onFill(id, fill.priceTicks, fill.qty, fromSim(fill.liquidity), fill.timeNs);
}

void PaperGateway::onQueuePosition(const sim::QueuePosition& position) {
    const auto it = byVenueId_.find(position.orderId);
    if (it != byVenueId_.end())
        queue_[it->second] = position;
    else if (submitting_)
        unclaimedQueue_ = position;
}

void PaperGateway::onLevel(const sim::LevelUpdate& update) {
    (void)update;
    syncMarket();
}

std::optional<sim::QueuePosition> PaperGateway::queuePosition(const ClientOrderId& id) const {
    const auto it = queue_.find(id);
    if (it == queue_.end()) return std::nullopt;
    return it->second;
}

void PaperGateway::forget(sim::OrderId venueId) {
    const auto it = byVenueId_.find(venueId);
    if (it == byVenueId_.end()) return;
    queue_.erase(it->second);
    byVenueId_.erase(it);
}

}  // namespace flowscope::trading
