#pragma once
/// Vocabulary of the simulated venue: order requests, their typed results, and the events the
/// matching engine emits (L2 level changes, fills of user orders, queue positions).

#include <cstdint>
#include <span>

#include "book/types.h"

namespace flowscope::sim {

/// Assigned by the engine in arrival order, so a smaller id always has earlier time priority.
using OrderId = std::uint64_t;
constexpr OrderId kNoOrder = 0;

/// Who placed an order: the stochastic flow, or the user trading on paper.
enum class Owner : std::uint8_t { Flow, User };

enum class OrderType : std::uint8_t {
    Limit,              ///< good till cancelled: matches what crosses, rests the remainder
    Market,             ///< matches at any price; an unfilled remainder is cancelled
    ImmediateOrCancel,  ///< matches up to its limit price; the remainder is cancelled
    PostOnly,           ///< rests only: rejected if it would match on arrival
};

enum class Liquidity : std::uint8_t { Maker, Taker };

enum class RejectReason : std::uint8_t {
    None,
    InvalidQuantity,  ///< size <= 0
    InvalidPrice,     ///< price <= 0 on a priced order
    WouldCross,       ///< post-only order that would have matched
    NoLiquidity,      ///< market order against an empty side
    UnknownOrder,     ///< cancel or modify of an id that is not resting (filled, cancelled, never)
    NotAReduction,    ///< modify to a size not strictly between 0 and the remaining size
};

const char* describe(RejectReason r);

struct OrderRequest {
    OrderType type = OrderType::Limit;
    Side side = Side::Bid;
    PriceTicks priceTicks = 0;  ///< ignored for Market
    Lots qty = 0;
    Owner owner = Owner::User;
};

/// One match seen from one order. The engine emits these for user orders (maker and taker) and
/// lists the taker fills of every submission in its SubmitResult.
struct Fill {
    OrderId orderId = kNoOrder;
    Side side = Side::Bid;  ///< side of the filled order
    PriceTicks priceTicks = 0;
    Lots qty = 0;
    Lots remaining = 0;  ///< size left on the order after this fill; 0 means it is done
    Liquidity liquidity = Liquidity::Taker;
    TimeNs timeNs = 0;
};

/// The new total size at one price, as a venue's depth feed sends it (0 removes the level).
/// `sequence` increases by exactly one per update, so a consumer detects a gap.
struct LevelUpdate {
    Side side = Side::Bid;
    PriceTicks priceTicks = 0;
    Lots qty = 0;
    std::uint64_t sequence = 0;
    TimeNs timeNs = 0;
};

/// Where a resting user order stands in its price level's FIFO queue.
struct QueuePosition {
    OrderId orderId = kNoOrder;
    Side side = Side::Bid;
    PriceTicks priceTicks = 0;
    Lots ahead = 0;      ///< resting size with earlier time priority at the same price
    Lots remaining = 0;  ///< the order's own unfilled size
    TimeNs timeNs = 0;
};

struct [[nodiscard]] SubmitResult {
    RejectReason reason = RejectReason::None;
    OrderId id = kNoOrder;  ///< assigned to every accepted order, resting or not
    Lots filled = 0;
    Lots resting = 0;    ///< size left in the book (Limit and PostOnly only)
    Lots cancelled = 0;  ///< unfilled remainder of a Market or IOC order
    /// This order's taker fills. Points into the engine: valid until its next mutating call.
    std::span<const Fill> fills;

    bool accepted() const { return reason == RejectReason::None; }
};

/// Result of a cancel or a size reduction.
struct [[nodiscard]] AmendResult {
    RejectReason reason = RejectReason::None;
    Lots removed = 0;  ///< size taken out of the book
    bool accepted() const { return reason == RejectReason::None; }
};

}  // namespace flowscope::sim
