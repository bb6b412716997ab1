#include "sim/simulated_market.h"

#include <algorithm>
#include <stdexcept>

namespace flowscope::sim {

std::string SimulatedMarketConfig::validate() const {
    if (venue.empty()) return "venue is empty";
    if (symbol.empty()) return "symbol is empty";
    if (tick.mantissa <= 0 || tick.decimals < 0 || tick.decimals > 18) return "invalid tick size";
    if (lot.mantissa <= 0 || lot.decimals < 0 || lot.decimals > 18) return "invalid lot size";
    if (std::string error = flow.validate(); !error.empty()) return "flow: " + error;
    return {};
}

namespace {
const SimulatedMarketConfig& checked(const SimulatedMarketConfig& config) {
    if (const std::string error = config.validate(); !error.empty())
        throw std::invalid_argument("SimulatedMarketConfig: " + error);
    return config;
}
}  // namespace

SimulatedMarket::SimulatedMarket(const SimulatedMarketConfig& config)
    : config_(checked(config)), model_(config_.flow, config_.seed) {
    // The starting book: K prices a side with a few flow orders each, one tick spread.
    const FlowModelConfig& flow = config_.flow;
    for (int j = 0; j < flow.levels; ++j) {
        for (int k = 0; k < flow.initialOrdersPerLevel; ++k) {
            const PriceTicks bid = flow.startBidTicks - j;
            const PriceTicks ask = flow.startBidTicks + 1 + j;
            (void)engine_.submit(
                {OrderType::Limit, Side::Bid, bid, model_.limitSize(), Owner::Flow}, 0);
            (void)engine_.submit(
                {OrderType::Limit, Side::Ask, ask, model_.limitSize(), Owner::Flow}, 0);
        }
    }
}

void SimulatedMarket::apply(const FlowEvent& event) {
    // Flow results need no handling: every effect reaches the sink, and the model never sends an
    // order that can be rejected on a two-sided book (a market order on an empty side is dropped).
    if (event.kind == FlowEvent::Kind::Cancel)
        (void)engine_.cancel(event.cancelId, event.timeNs);
    else
        (void)engine_.submit(event.request(), event.timeNs);
}

AdvanceResult SimulatedMarket::advanceTo(TimeNs simNs, std::uint64_t maxEvents) {
    AdvanceResult result;
    while (result.events < maxEvents) {
        if (!pending_) pending_ = model_.next(engine_, nowNs_);
        if (pending_->timeNs > simNs) {
            nowNs_ = std::max(nowNs_, simNs);
            result.reachedTarget = true;
            return result;
        }
        nowNs_ = pending_->timeNs;
        apply(*pending_);
        pending_.reset();
        ++flowEvents_;
        ++result.events;
    }
    return result;
}

TimeNs SimulatedMarket::step() {
    if (!pending_) pending_ = model_.next(engine_, nowNs_);
    nowNs_ = pending_->timeNs;
    apply(*pending_);
    pending_.reset();
    ++flowEvents_;
    return nowNs_;
}

bool SimulatedMarket::isUserOrder(OrderId id) const {
    const auto order = engine_.find(id);
    return order && order->owner == Owner::User;
}

SubmitResult SimulatedMarket::submit(OrderRequest request) {
    request.owner = Owner::User;
    SubmitResult result = engine_.submit(request, nowNs_);
    if (result.accepted()) pending_.reset();
    return result;
}

AmendResult SimulatedMarket::cancel(OrderId id) {
    if (!isUserOrder(id)) return {RejectReason::UnknownOrder, 0};
    pending_.reset();
    return engine_.cancel(id, nowNs_);
}

AmendResult SimulatedMarket::reduce(OrderId id, Lots newQty) {
    if (!isUserOrder(id)) return {RejectReason::UnknownOrder, 0};
    AmendResult result = engine_.reduce(id, newQty, nowNs_);
    if (result.accepted()) pending_.reset();
    return result;
}

BookSnapshot SimulatedMarket::snapshot(std::size_t depth) const {
    BookSnapshot snap;
    snap.sequence = engine_.sequence();
    snap.timeNs = nowNs_;
    for (Side side : {Side::Bid, Side::Ask}) {
        const auto levels = engine_.levels(side);
        auto& out = side == Side::Bid ? snap.bids : snap.asks;
        out.reserve(std::min(depth, levels.size()));
        for (auto it = levels.rbegin(); it != levels.rend() && out.size() < depth; ++it)
            out.push_back({it->priceTicks, it->qty});
    }
    return snap;
}

}  // namespace flowscope::sim
