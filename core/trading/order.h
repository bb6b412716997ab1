#pragma once
/// The order model of the trading core: what the user asked for (OrderRequest), the lifecycle
/// as an explicit state machine with every transition stamped, and client order ids that are
/// never reused. Value types only: no venue, no thread, no clock of their own.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "book/types.h"

namespace flowscope::trading {

/// Unique per order and never reused: a session prefix plus a monotonic counter, so ids from an
/// earlier run (still visible at the venue after a restart) cannot collide with new ones.
using ClientOrderId = std::string;

enum class OrderType : std::uint8_t {
    Limit,              ///< rests the remainder until cancelled (or the end of day)
    Market,             ///< takes at any price; the venue expires the unfilled remainder
    PostOnly,           ///< maker only: the venue rejects it if it would match on arrival
    ImmediateOrCancel,  ///< takes up to its limit price; the remainder expires
};

enum class TimeInForce : std::uint8_t { GoodTillCancel, ImmediateOrCancel, Day };

enum class Liquidity : std::uint8_t { Maker, Taker };

/// What the user asked for, in ticks and lots. `reduceOnly` is passed on where the venue has it.
struct OrderRequest {
    Side side = Side::Bid;  ///< Bid buys, Ask sells
    OrderType type = OrderType::Limit;
    PriceTicks priceTicks = 0;  ///< ignored for Market
    Lots qty = 0;
    TimeInForce timeInForce = TimeInForce::GoodTillCancel;
    bool reduceOnly = false;
    friend bool operator==(const OrderRequest&, const OrderRequest&) = default;
};

enum class OrderState : std::uint8_t {
    New,              ///< created locally, nothing has left
    Pending,          ///< sent, no venue answer yet
    Acknowledged,     ///< live at the venue, nothing filled
    PartiallyFilled,  ///< live at the venue, part filled
    Filled,           ///< terminal
    Cancelled,        ///< terminal: cancelled on request
    Rejected,         ///< terminal: blocked by a risk rule before sending, or refused by the venue
    Expired,          ///< terminal: the venue removed the remainder (IOC, market, end of day)
};

const char* describe(OrderState s);
const char* describe(OrderType t);
const char* sideName(Side s);  ///< "buy" / "sell", as order tickets say it

/// Working at the venue (or possibly so): counts against open-order limits and cancelAll().
constexpr bool isOpen(OrderState s) {
    return s == OrderState::Pending || s == OrderState::Acknowledged ||
           s == OrderState::PartiallyFilled;
}
constexpr bool isTerminal(OrderState s) {
    return s == OrderState::Filled || s == OrderState::Cancelled || s == OrderState::Rejected ||
           s == OrderState::Expired;
}

enum class [[nodiscard]] TransitionError : std::uint8_t{
    None,
    Illegal,      ///< the state machine has no such edge (e.g. Filled -> Cancelled)
    Overfill,     ///< a fill larger than the unfilled size
    InvalidFill,  ///< a fill of zero or negative size, or a fill before the order was sent
};

const char* describe(TransitionError e);

/// The state machine's edges. Fills may arrive before the acknowledgement (a taker order's
/// fills come with the venue's first answer), so Pending leads straight to the fill states.
bool isLegalTransition(OrderState from, OrderState to);

struct StateChange {
    OrderState from = OrderState::New;
    OrderState to = OrderState::New;
    TimeNs timeNs = 0;
};

/// One order and its history. Every mutation goes through the state machine; an illegal one
/// returns an error and leaves the order unchanged.
class Order {
  public:
    Order(ClientOrderId id, OrderRequest request, TimeNs createdNs);

    const ClientOrderId& id() const { return id_; }
    const OrderRequest& request() const { return request_; }
    OrderState state() const { return state_; }
    TimeNs createdNs() const { return createdNs_; }
    /// Every transition in order, each with the time it happened.
    const std::vector<StateChange>& history() const { return history_; }

    Lots filledQty() const { return filledQty_; }
    Lots remainingQty() const { return request_.qty - filledQty_; }
    /// Volume-weighted fill price in ticks; 0 before the first fill.
    double averageFillPriceTicks() const;
    /// Why it was rejected (risk rule or venue reason), or empty.
    const std::string& rejectReason() const { return rejectReason_; }
    std::uint64_t venueOrderId() const { return venueOrderId_; }
    bool cancelRequested() const { return cancelRequested_; }

    TransitionError transitionTo(OrderState to, TimeNs timeNs);
    /// Moves to PartiallyFilled or Filled as the size dictates.
    TransitionError applyFill(Lots qty, PriceTicks priceTicks, TimeNs timeNs);
    TransitionError reject(std::string reason, TimeNs timeNs);
    void setVenueOrderId(std::uint64_t id) { venueOrderId_ = id; }
    void markCancelRequested() { cancelRequested_ = true; }

  private:
    ClientOrderId id_;
    OrderRequest request_;
    OrderState state_ = OrderState::New;
    TimeNs createdNs_ = 0;
    std::vector<StateChange> history_;
    Lots filledQty_ = 0;
    std::int64_t filledNotionalTickLots_ = 0;  ///< sum of price * qty, exact
    std::string rejectReason_;
    std::uint64_t venueOrderId_ = 0;
    bool cancelRequested_ = false;
};

/// Hands out client order ids "<prefix>-<n>" with n = 1, 2, ... Never repeats within a session;
/// a fresh prefix per session keeps ids unique across restarts.
class ClientOrderIdGenerator {
  public:
    explicit ClientOrderIdGenerator(std::string sessionPrefix);
    /// A short prefix from a wall-clock time (base 36 of the milliseconds), e.g. at start-up.
    static std::string sessionPrefixFor(TimeNs wallNs);

    ClientOrderId next();
    const std::string& prefix() const { return prefix_; }
    std::uint64_t issued() const { return counter_; }

  private:
    std::string prefix_;
    std::uint64_t counter_ = 0;
};

}  // namespace flowscope::trading
