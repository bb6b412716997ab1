#include "sim/matching_engine.h"

#include <algorithm>

namespace flowscope::sim {
namespace {

MarketSink gNullSink;  // stateless: every call is a no-op

// True when a resting order at `resting` on the opposite side matches an order limited at `limit`.
bool crosses(Side aggressor, PriceTicks limit, PriceTicks resting) {
    return aggressor == Side::Bid ? resting <= limit : resting >= limit;
}

}  // namespace

const char* describe(RejectReason r) {
    switch (r) {
        case RejectReason::None:
            return "none";
        case RejectReason::InvalidQuantity:
            return "invalid quantity";
        case RejectReason::InvalidPrice:
            return "invalid price";
        case RejectReason::WouldCross:
            return "post-only order would cross";
        case RejectReason::NoLiquidity:
            return "no liquidity";
        case RejectReason::UnknownOrder:
            return "unknown order";
        case RejectReason::NotAReduction:
            return "not a size reduction";
    }
    return "unknown";
}

MatchingEngine::MatchingEngine(std::size_t reserveOrders)
    : index_(reserveOrders), sink_(&gNullSink) {
    pool_.reserve(reserveOrders + 1);
    pool_.emplace_back();  // the sentinel slot 0
    freeSlots_.reserve(reserveOrders);
    for (auto& side : levels_)
        side.reserve(1024);
    fills_.reserve(256);
}

void MatchingEngine::setSink(MarketSink* sink) {
    sink_ = sink != nullptr ? sink : &gNullSink;
}

std::size_t MatchingEngine::positionOf(Side side, PriceTicks price) const {
    const auto& levels = levels_[index(side)];
    // Most changes are at or next to the touch, which is the back of the vector.
    std::size_t i = levels.size();
    while (i > 0 && levels.size() - i < 4) {
        if (isBetter(side, price, levels[i - 1].priceTicks)) return i;
        --i;
    }
    auto it = std::lower_bound(
        levels.begin(), levels.begin() + static_cast<std::ptrdiff_t>(i), price,
        [side](const PriceLevel& l, PriceTicks p) { return isBetter(side, p, l.priceTicks); });
    return static_cast<std::size_t>(it - levels.begin());
}

Level MatchingEngine::best(Side side) const {
    const auto& levels = levels_[index(side)];
    if (levels.empty()) return emptyLevel(side);
    return {levels.back().priceTicks, levels.back().qty};
}

Lots MatchingEngine::sizeAt(Side side, PriceTicks price) const {
    const auto& levels = levels_[index(side)];
    const std::size_t pos = positionOf(side, price);
    return pos < levels.size() && levels[pos].priceTicks == price ? levels[pos].qty : 0;
}

SubmitResult MatchingEngine::submit(const OrderRequest& request, TimeNs nowNs) {
    fills_.clear();
    SubmitResult result;
    const bool priced = request.type != OrderType::Market;
    if (request.qty <= 0) {
        result.reason = RejectReason::InvalidQuantity;
        return result;
    }
    if (priced && request.priceTicks <= 0) {
        result.reason = RejectReason::InvalidPrice;
        return result;
    }
    const auto& opposite = levels_[index(flowscope::opposite(request.side))];
    const bool wouldMatch =
        !opposite.empty() &&
        (!priced || crosses(request.side, request.priceTicks, opposite.back().priceTicks));
    if (request.type == OrderType::PostOnly && wouldMatch) {
        result.reason = RejectReason::WouldCross;
        return result;
    }
    if (request.type == OrderType::Market && opposite.empty()) {
        result.reason = RejectReason::NoLiquidity;
        return result;
    }

    result.id = nextId_++;
    const Lots remaining = wouldMatch ? match(request, result.id, priced, nowNs) : request.qty;
    result.filled = request.qty - remaining;
    result.fills = fills_;
    if (remaining == 0) return result;
    if (request.type == OrderType::Limit || request.type == OrderType::PostOnly) {
        OrderRequest rest = request;
        rest.qty = remaining;
        this->rest(rest, result.id, nowNs);
        result.resting = remaining;
    } else {
        result.cancelled = remaining;
    }
    return result;
}

Lots MatchingEngine::match(const OrderRequest& request, OrderId id, bool limited, TimeNs nowNs) {
    const Side makerSide = opposite(request.side);
    auto& levels = sideLevels(makerSide);
    Lots remaining = request.qty;
    while (remaining > 0 && !levels.empty()) {
        const std::size_t pos = levels.size() - 1;
        const PriceTicks price = levels[pos].priceTicks;
        if (limited && !crosses(request.side, request.priceTicks, price)) break;
        std::uint32_t slot = levels[pos].head;
        while (remaining > 0 && slot != 0) {
            Order& maker = pool_[slot];
            const std::uint32_t next = maker.next;
            const Lots qty = std::min(remaining, maker.qty);
            maker.qty -= qty;
            levels[pos].qty -= qty;
            remaining -= qty;
            sink_->onTrade(Trade{price, qty, request.side, nowNs, ++tradeSequence_});
            if (maker.owner == Owner::User) emitFill(maker, qty, price, Liquidity::Maker, nowNs);
            const Fill taker{id, request.side, price, qty, remaining, Liquidity::Taker, nowNs};
            fills_.push_back(taker);
            if (request.owner == Owner::User) sink_->onFill(taker);
            if (maker.qty == 0) unlinkAndFree(levels[pos], slot);
            slot = next;
        }
        finishLevel(makerSide, pos, nowNs);
    }
    return remaining;
}

void MatchingEngine::rest(const OrderRequest& request, OrderId id, TimeNs nowNs) {
    auto& levels = sideLevels(request.side);
    std::size_t pos = positionOf(request.side, request.priceTicks);
    if (pos == levels.size() || levels[pos].priceTicks != request.priceTicks) {
        levels.insert(levels.begin() + static_cast<std::ptrdiff_t>(pos),
                      PriceLevel{request.priceTicks, 0, 0, 0, 0, 0});
    }
    PriceLevel& level = levels[pos];
    const std::uint32_t slot = allocate();
    Order& order = pool_[slot];
    order = Order{id, request.priceTicks, request.qty,  -1, -1, level.tail,
                  0,  request.side,       request.owner};
    if (level.tail != 0)
        pool_[level.tail].next = slot;
    else
        level.head = slot;
    level.tail = slot;
    level.qty += request.qty;
    ++level.orders;
    ++orderCount_[index(request.side)];
    if (request.owner == Owner::User) {
        ++level.userOrders;
        ++userOrderCount_[index(request.side)];
    }
    index_.insert(id, slot);
    finishLevel(request.side, pos, nowNs);
}

AmendResult MatchingEngine::cancel(OrderId id, TimeNs nowNs) {
    const auto slot = index_.find(id);
    if (!slot) return {RejectReason::UnknownOrder, 0};
    const Order& order = pool_[*slot];
    const Side side = order.side;
    const Lots qty = order.qty;
    const std::size_t pos = positionOf(side, order.priceTicks);
    PriceLevel& level = sideLevels(side)[pos];
    level.qty -= qty;
    unlinkAndFree(level, *slot);
    finishLevel(side, pos, nowNs);
    return {RejectReason::None, qty};
}

AmendResult MatchingEngine::reduce(OrderId id, Lots newQty, TimeNs nowNs) {
    const auto slot = index_.find(id);
    if (!slot) return {RejectReason::UnknownOrder, 0};
    Order& order = pool_[*slot];
    if (newQty <= 0 || newQty >= order.qty) return {RejectReason::NotAReduction, 0};
    const Lots removed = order.qty - newQty;
    order.qty = newQty;
    const std::size_t pos = positionOf(order.side, order.priceTicks);
    sideLevels(order.side)[pos].qty -= removed;
    finishLevel(order.side, pos, nowNs);
    return {RejectReason::None, removed};
}

std::uint32_t MatchingEngine::allocate() {
    if (!freeSlots_.empty()) {
        const std::uint32_t slot = freeSlots_.back();
        freeSlots_.pop_back();
        return slot;
    }
    pool_.emplace_back();
    return static_cast<std::uint32_t>(pool_.size() - 1);
}

void MatchingEngine::unlinkAndFree(PriceLevel& level, std::uint32_t slot) {
    Order& order = pool_[slot];
    if (order.prev != 0)
        pool_[order.prev].next = order.next;
    else
        level.head = order.next;
    if (order.next != 0)
        pool_[order.next].prev = order.prev;
    else
        level.tail = order.prev;
    --level.orders;
    --orderCount_[index(order.side)];
    if (order.owner == Owner::User) {
        --level.userOrders;
        --userOrderCount_[index(order.side)];
    }
    index_.erase(order.id);
    order.id = kNoOrder;
    freeSlots_.push_back(slot);
}

void MatchingEngine::finishLevel(Side side, std::size_t pos, TimeNs nowNs) {
    auto& levels = sideLevels(side);
    const PriceLevel& level = levels[pos];
    sink_->onLevel(LevelUpdate{side, level.priceTicks, level.qty, ++sequence_, nowNs});
    if (level.qty == 0)
        levels.erase(levels.begin() + static_cast<std::ptrdiff_t>(pos));
    else if (level.userOrders > 0)
        reportQueue(level, nowNs);
}

void MatchingEngine::reportQueue(const PriceLevel& level, TimeNs nowNs) {
    Lots ahead = 0;
    std::uint32_t usersLeft = level.userOrders;
    for (std::uint32_t slot = level.head; slot != 0 && usersLeft > 0; slot = pool_[slot].next) {
        Order& order = pool_[slot];
        if (order.owner == Owner::User) {
            --usersLeft;
            if (order.reportedAhead != ahead || order.reportedQty != order.qty) {
                order.reportedAhead = ahead;
                order.reportedQty = order.qty;
                sink_->onQueuePosition(
                    QueuePosition{order.id, order.side, order.priceTicks, ahead, order.qty, nowNs});
            }
        }
        ahead += order.qty;
    }
}

void MatchingEngine::emitFill(const Order& order, Lots qty, PriceTicks price, Liquidity liq,
                              TimeNs nowNs) {
    sink_->onFill(Fill{order.id, order.side, price, qty, order.qty, liq, nowNs});
}

std::optional<OrderView> MatchingEngine::find(OrderId id) const {
    const auto slot = index_.find(id);
    if (!slot) return std::nullopt;
    const Order& order = pool_[*slot];
    Lots ahead = 0;
    for (std::uint32_t s = order.prev; s != 0; s = pool_[s].prev)
        ahead += pool_[s].qty;
    return OrderView{order.id, order.owner, order.side, order.priceTicks, order.qty, ahead};
}

OrderId MatchingEngine::nthOrderAt(Side side, std::size_t depth, Owner owner, std::size_t n) const {
    const auto& levels = levels_[index(side)];
    if (depth >= levels.size()) return kNoOrder;
    for (std::uint32_t s = levels[levels.size() - 1 - depth].head; s != 0; s = pool_[s].next) {
        if (pool_[s].owner != owner) continue;
        if (n == 0) return pool_[s].id;
        --n;
    }
    return kNoOrder;
}

}  // namespace flowscope::sim
