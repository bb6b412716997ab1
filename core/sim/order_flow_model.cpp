#include "sim/order_flow_model.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

// Fused multiply-add would change results between targets; keep every product rounded.
#if defined(__clang__)
#pragma clang fp contract(off)
#endif

namespace flowscope::sim {
namespace {

constexpr std::size_t idx(Side s) {
    return s == Side::Bid ? 0 : 1;
}
// Moves `ticks` away from the touch on `side` (down for bids, up for asks).
constexpr PriceTicks behind(Side side, PriceTicks price, PriceTicks ticks) {
    return side == Side::Bid ? price - ticks : price + ticks;
}
double reactive(double rate, double gain, double imbalance) {
    return std::max(0.0, rate * (1.0 + gain * imbalance));
}
bool isRate(double r) {
    return std::isfinite(r) && r >= 0.0;
}

}  // namespace

std::string FlowModelConfig::validate() const {
    if (levels < 1 || levels > 1000) return "levels must be in [1, 1000]";
    if (startBidTicks <= levels) return "startBidTicks must exceed levels (prices stay positive)";
    if (initialOrdersPerLevel < 0 || initialOrdersPerLevel > 10000)
        return "initialOrdersPerLevel must be in [0, 10000]";
    if (!isRate(limitRatePerSec) || limitRatePerSec <= 0) return "limitRatePerSec must be > 0";
    if (!(limitRateDecay > 0.0 && limitRateDecay <= 1.0)) return "limitRateDecay must be in (0, 1]";
    if (!isRate(insideSpreadRatePerSec)) return "insideSpreadRatePerSec must be >= 0";
    if (!isRate(cancelRatePerOrderPerSec)) return "cancelRatePerOrderPerSec must be >= 0";
    if (!isRate(deepCancelRatePerOrderPerSec)) return "deepCancelRatePerOrderPerSec must be >= 0";
    if (!isRate(marketRatePerSec)) return "marketRatePerSec must be >= 0";
    if (!(insideSpreadImbalanceGain >= 0.0 && insideSpreadImbalanceGain <= 1.0))
        return "insideSpreadImbalanceGain must be in [0, 1]";
    if (!(marketImbalanceGain >= 0.0 && marketImbalanceGain <= 1.0))
        return "marketImbalanceGain must be in [0, 1]";
    if (!(limitSizeMeanLots >= 1.0 && limitSizeMeanLots <= 1e9))
        return "limitSizeMeanLots must be in [1, 1e9]";
    if (!(marketSizeMeanLots >= 1.0 && marketSizeMeanLots <= 1e9))
        return "marketSizeMeanLots must be in [1, 1e9]";
    if (!(largeMarketProbability >= 0.0 && largeMarketProbability <= 1.0))
        return "largeMarketProbability must be in [0, 1]";
    if (!(largeMarketMultiplier >= 1.0 && largeMarketMultiplier <= 1e6))
        return "largeMarketMultiplier must be in [1, 1e6]";
    return {};
}

OrderRequest FlowEvent::request() const {
    return OrderRequest{kind == Kind::Market ? OrderType::Market : OrderType::Limit, side,
                        priceTicks, qty, Owner::Flow};
}

OrderFlowModel::OrderFlowModel(const FlowModelConfig& config, std::uint64_t seed)
    : config_(config),
      rng_(seed),
      lastBid_(config.startBidTicks),
      lastAsk_(config.startBidTicks + 1) {
    if (const std::string error = config.validate(); !error.empty())
        throw std::invalid_argument("FlowModelConfig: " + error);
    double weight = 1.0;
    for (int j = 0; j < config_.levels; ++j) {
        depthWeights_.push_back(weight);
        depthWeightSum_ += weight;
        weight *= config_.limitRateDecay;
    }
}

void OrderFlowModel::observe(const MatchingEngine& book) {
    const auto bids = book.levels(Side::Bid);
    const auto asks = book.levels(Side::Ask);
    if (!bids.empty() && !asks.empty()) {
        lastBid_ = bids.back().priceTicks;
        lastAsk_ = asks.back().priceTicks;
    }
    // An empty side is placed one tick from the other, so flow rebuilds it at the touch.
    SideState& bid = sides_[0];
    SideState& ask = sides_[1];
    bid.best = !bids.empty() ? bids.back().priceTicks
                             : (!asks.empty() ? asks.back().priceTicks - 1 : lastBid_);
    ask.best = !asks.empty() ? asks.back().priceTicks
                             : (!bids.empty() ? bids.back().priceTicks + 1 : lastAsk_);
    spread_ = ask.best - bid.best;
    for (Side s : {Side::Bid, Side::Ask}) {
        SideState& st = sides_[idx(s)];
        const auto levels = book.levels(s);
        st.touchQty = levels.empty() ? 0 : levels.back().qty;
        st.windowLevels = 0;
        st.windowOrders = 0;
        const PriceTicks limit = behind(s, st.best, config_.levels);
        for (auto it = levels.rbegin(); it != levels.rend() && isBetter(s, it->priceTicks, limit);
             ++it) {
            ++st.windowLevels;
            st.windowOrders += it->orders - it->userOrders;
        }
        st.deepOrders = book.orderCount(s) - book.userOrderCount(s) - st.windowOrders;
    }
    const Lots total = bid.touchQty + ask.touchQty;
    const double imbalance =
        total > 0 ? static_cast<double>(bid.touchQty - ask.touchQty) / static_cast<double>(total)
                  : 0.0;
    bid.imbalance = imbalance;
    ask.imbalance = -imbalance;
}

FlowEvent OrderFlowModel::next(const MatchingEngine& book, TimeNs nowNs) {
    observe(book);
    const FlowModelConfig& c = config_;
    const bool twoSided = !book.levels(Side::Bid).empty() && !book.levels(Side::Ask).empty();
    // Intensities in a fixed order, for each side: limit, inside spread, cancel, deep cancel,
    // market.
    constexpr std::size_t kKinds = 5;
    double rates[2 * kKinds] = {};
    double total = 0;
    for (Side s : {Side::Bid, Side::Ask}) {
        const SideState& st = sides_[idx(s)];
        double* r = rates + idx(s) * kKinds;
        r[0] = c.limitRatePerSec * depthWeightSum_;
        r[1] = twoSided && spread_ > 1
                   ? reactive(c.insideSpreadRatePerSec, c.insideSpreadImbalanceGain, st.imbalance)
                   : 0.0;
        r[2] = c.cancelRatePerOrderPerSec * static_cast<double>(st.windowOrders);
        r[3] = c.deepCancelRatePerOrderPerSec * static_cast<double>(st.deepOrders);
        r[4] = book.levels(opposite(s)).empty()
                   ? 0.0
                   : reactive(c.marketRatePerSec, c.marketImbalanceGain, st.imbalance);
    }
    std::size_t chosen = 0;  // the last positive intensity catches rounding at the top end
    for (std::size_t i = 0; i < 2 * kKinds; ++i) {
        total += rates[i];
        if (rates[i] > 0) chosen = i;
    }
    lastRate_ = total;

    FlowEvent event;
    // Waiting time in ns; at least 1 so that distinct events have distinct times.
    const double waitNs = rng_.exponential(1e9 / total);
    event.timeNs = nowNs + std::max<TimeNs>(1, static_cast<TimeNs>(std::min(waitNs, 1e15)));

    double u = rng_.uniform() * total;
    for (std::size_t i = 0; i < 2 * kKinds; ++i) {
        if (u < rates[i]) {
            chosen = i;
            break;
        }
        u -= rates[i];
    }
    const Side side = chosen < kKinds ? Side::Bid : Side::Ask;
    const std::size_t kind = chosen % kKinds;
    const SideState& st = sides_[idx(side)];
    event.side = side;
    switch (kind) {
        case 0: {
            double w = rng_.uniform() * depthWeightSum_;
            std::size_t j = 0;
            while (j + 1 < depthWeights_.size() && w >= depthWeights_[j])
                w -= depthWeights_[j++];
            event.kind = FlowEvent::Kind::Limit;
            event.priceTicks = behind(side, st.best, static_cast<PriceTicks>(j));
            event.qty = limitSize();
            break;
        }
        case 1: {
            // Uniform over the empty prices strictly inside the spread.
            const auto step =
                static_cast<PriceTicks>(rng_.below(static_cast<std::uint64_t>(spread_ - 1)));
            event.kind = FlowEvent::Kind::Limit;
            event.priceTicks = behind(side, st.best, -(1 + step));
            event.qty = limitSize();
            break;
        }
        case 2:
        case 3:
            event.kind = FlowEvent::Kind::Cancel;
            event.cancelId = pickFlowOrder(book, side, kind == 3);
            break;
        default:
            event.kind = FlowEvent::Kind::Market;
            event.qty = marketSize();
            break;
    }
    return event;
}

OrderId OrderFlowModel::pickFlowOrder(const MatchingEngine& book, Side side, bool deep) {
    const SideState& st = sides_[idx(side)];
    const auto levels = book.levels(side);
    std::uint64_t n = rng_.below(deep ? st.deepOrders : st.windowOrders);
    // Window levels are counted from the touch, deep ones from the far end.
    const std::size_t count = deep ? levels.size() - st.windowLevels : st.windowLevels;
    for (std::size_t i = 0; i < count; ++i) {
        const std::size_t depth = deep ? levels.size() - 1 - i : i;
        const PriceLevel& level = levels[levels.size() - 1 - depth];
        const std::uint64_t flow = level.orders - level.userOrders;
        if (n < flow) return book.nthOrderAt(side, depth, Owner::Flow, n);
        n -= flow;
    }
    return kNoOrder;  // unreachable while the counts agree with the book
}

Lots OrderFlowModel::marketSize() {
    const Lots qty = rng_.geometric(config_.marketSizeMeanLots);
    if (rng_.uniform() >= config_.largeMarketProbability) return qty;
    return static_cast<Lots>(static_cast<double>(qty) * config_.largeMarketMultiplier);
}

}  // namespace flowscope::sim
