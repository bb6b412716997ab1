#pragma once
/// A price-time-priority limit order book of individual orders: the simulated venue's matcher.
///
/// Orders rest in a FIFO per price; an incoming order matches the best opposite price first and,
/// within a price, the oldest order first. A size reduction keeps the order's place in the queue
/// (any other change is a cancel and a new order). Every change is reported to a MarketSink as a
/// venue would report it: one L2 update per touched price, one trade per match, and fills and queue
/// positions for user orders.
///
/// Storage: orders live in a pool (vector + free list) linked into intrusive per-price FIFOs, ids
/// map to slots through an open-addressing index, and each side's prices are a vector sorted from
/// worst to best, so the touch is the last element. Nothing allocates per order in steady state;
/// the containers grow only when the book is deeper than ever before.
///
/// Threading: owned by one thread (the feed thread); no locks.

#include <optional>
#include <span>
#include <vector>

#include "sim/market_sink.h"
#include "sim/order_index.h"
#include "sim/sim_types.h"

namespace flowscope::sim {

/// One price with resting orders. `head`/`tail` are the engine's FIFO links.
struct PriceLevel {
    PriceTicks priceTicks = 0;
    Lots qty = 0;
    std::uint32_t orders = 0;
    std::uint32_t userOrders = 0;
    std::uint32_t head = 0;
    std::uint32_t tail = 0;
};

/// A resting order as seen from outside.
struct OrderView {
    OrderId id = kNoOrder;
    Owner owner = Owner::Flow;
    Side side = Side::Bid;
    PriceTicks priceTicks = 0;
    Lots qty = 0;    ///< remaining
    Lots ahead = 0;  ///< size with earlier time priority at the same price
};

class MatchingEngine {
  public:
    explicit MatchingEngine(std::size_t reserveOrders = 1 << 16);

    /// Events go to `sink` (not owned, may be null) from the next call on.
    void setSink(MarketSink* sink);

    SubmitResult submit(const OrderRequest& request, TimeNs nowNs);
    AmendResult cancel(OrderId id, TimeNs nowNs);
    /// Reduces a resting order to `newQty` (0 < newQty < remaining), keeping its time priority.
    AmendResult reduce(OrderId id, Lots newQty, TimeNs nowNs);

    Level bestBid() const { return best(Side::Bid); }
    Level bestAsk() const { return best(Side::Ask); }
    Level best(Side side) const;
    /// Prices with resting size, from the worst to the best (the best is back()).
    std::span<const PriceLevel> levels(Side side) const { return levels_[index(side)]; }
    Lots sizeAt(Side side, PriceTicks price) const;

    std::optional<OrderView> find(OrderId id) const;
    /// The n-th (0-based, in time priority) order owned by `owner` at the level that is `depth`
    /// levels behind the best; kNoOrder if there are not that many.
    OrderId nthOrderAt(Side side, std::size_t depth, Owner owner, std::size_t n) const;
    std::size_t orderCount(Side side) const { return orderCount_[index(side)]; }
    std::size_t userOrderCount(Side side) const { return userOrderCount_[index(side)]; }

    /// Sequence of the last emitted LevelUpdate (0 before the first).
    std::uint64_t sequence() const { return sequence_; }
    std::uint64_t tradeCount() const { return tradeSequence_; }

  private:
    struct Order {
        OrderId id = kNoOrder;
        PriceTicks priceTicks = 0;
        Lots qty = 0;
        Lots reportedAhead = -1;  ///< last QueuePosition sent (user orders), to report changes only
        Lots reportedQty = -1;
        std::uint32_t prev = 0;
        std::uint32_t next = 0;
        Side side = Side::Bid;
        Owner owner = Owner::Flow;
    };

    static constexpr std::size_t index(Side s) { return s == Side::Bid ? 0 : 1; }
    std::vector<PriceLevel>& sideLevels(Side s) { return levels_[index(s)]; }
    /// Position of the first level not worse than `price` (== size() when all are worse).
    std::size_t positionOf(Side side, PriceTicks price) const;

    Lots match(const OrderRequest& request, OrderId id, bool limited, TimeNs nowNs);
    void rest(const OrderRequest& request, OrderId id, TimeNs nowNs);
    std::uint32_t allocate();
    void unlinkAndFree(PriceLevel& level, std::uint32_t slot);
    /// Ends a change at level `pos`: emits the update, drops the level if empty, and reports the
    /// queue positions of user orders still resting there.
    void finishLevel(Side side, std::size_t pos, TimeNs nowNs);
    void reportQueue(const PriceLevel& level, TimeNs nowNs);
    void emitFill(const Order& order, Lots qty, PriceTicks price, Liquidity liq, TimeNs nowNs);

    std::vector<Order> pool_;  ///< slot 0 is a sentinel: link value 0 means "none"
    std::vector<std::uint32_t> freeSlots_;
    OrderIndex index_;
    std::vector<PriceLevel> levels_[2];
    std::vector<Fill> fills_;  ///< the current submission's taker fills, reused
    std::size_t orderCount_[2] = {0, 0};
    std::size_t userOrderCount_[2] = {0, 0};
    OrderId nextId_ = 1;
    std::uint64_t sequence_ = 0;
    std::uint64_t tradeSequence_ = 0;
    MarketSink* sink_;  ///< never null: a do-nothing sink when none is set
};

}  // namespace flowscope::sim
