#pragma once
/// The trading core of one instrument: owns the orders by client id, puts every new order
/// through the risk check before anything leaves, applies the venue's answers to the state
/// machine, keeps the position, and writes every action to the audit log.
///
/// Idempotence: submit() takes an intent key that the caller derives from the user's action
/// (the ticket's contents for a click, the original key for a retry). A key already seen within
/// the duplicate window, or whose order is still open, returns that order instead of sending a
/// second one, so a double click, a retry after a timeout or a resend after a reconnect never
/// leaves two live orders.
///
/// Threading: owned by one thread (the gateway's), which also delivers every venue answer.

#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "book/clock.h"
#include "trading/audit_log.h"
#include "trading/order.h"
#include "trading/position.h"
#include "trading/risk_limits.h"

namespace flowscope::trading {

/// Where orders go. Answers come back through OrderManager's on*() methods, possibly before
/// sendNew() returns (a synchronous venue such as the paper gateway).
class VenueGateway {
  public:
    virtual ~VenueGateway() = default;
    virtual void sendNew(const Order& order) = 0;
    virtual void sendCancel(const Order& order) = 0;
};

struct OrderManagerConfig {
    /// A repeated intent key within this window returns the earlier order even when it is done.
    TimeNs duplicateWindowNs = 2'000'000'000;
    /// The trading day is the UTC calendar day of this clock: the daily loss limit counts the
    /// P&L since the day began (or since the manager started, if later). Tests inject a clock.
    std::function<TimeNs()> wallClockNs = wallNowNs;
};

enum class SubmitStatus : std::uint8_t {
    Sent,          ///< a new order left (its state may already be past Pending)
    Duplicate,     ///< the intent key matched an earlier order: `id` is that order, nothing left
    Blocked,       ///< a risk rule blocked it: the order exists, Rejected, with the rule's message
    NotConnected,  ///< no gateway: nothing left, no order created
    NotOpen,       ///< a move of an order that is no longer working: nothing left
    Unsupported,   ///< the venue cannot do this (e.g. brackets): nothing left
};

struct [[nodiscard]] SubmitOutcome {
    SubmitStatus status = SubmitStatus::NotConnected;
    ClientOrderId id;
    std::optional<RiskRejection> rejection;  ///< set when Blocked
};

enum class [[nodiscard]] CancelStatus : std::uint8_t{
    Sent,
    UnknownOrder,
    NotOpen,           ///< already filled, cancelled, rejected or expired
    AlreadyRequested,  ///< a cancel is on its way: not sent twice
    NotConnected,
};

class OrderManager {
  public:
    OrderManager(RiskCheck risk, FeeRates fees, ClientOrderIdGenerator ids, AuditLog& audit,
                 OrderManagerConfig config = {});

    /// Not owned; null disconnects (submit and cancel then send nothing).
    void setGateway(VenueGateway* gateway) { gateway_ = gateway; }
    /// Called for every fill the manager accepts (after the position took it), e.g. for a
    /// "last fills" display that must show each execution, not an average.
    using FillListener = std::function<void(const Order& order, PriceTicks priceTicks, Lots qty,
                                            Liquidity liquidity, TimeNs timeNs)>;
    void setFillListener(FillListener listener) { fillListener_ = std::move(listener); }

    /// The arm toggle: disarmed (the start state) blocks every order with rule Disarmed.
    void setArmed(bool armed, TimeNs nowNs);
    bool armed() const { return risk_.armed(); }
    /// The touch, for the price band, market-order notional and the mark (mid).
    void onMarket(std::optional<PriceTicks> bestBid, std::optional<PriceTicks> bestAsk);

    SubmitOutcome submit(const OrderRequest& request, std::string_view intentKey, TimeNs nowNs);
    CancelStatus cancel(const ClientOrderId& id, TimeNs nowNs);
    /// Sends a cancel for every open order not already being cancelled; returns how many.
    int cancelAll(TimeNs nowNs);

    // Venue answers, by client order id. An answer the state machine refuses (a fill after a
    // cancel, an unknown id) changes nothing; it is audited and counted in ignoredAnswers().
    void onAcknowledged(const ClientOrderId& id, std::uint64_t venueOrderId, TimeNs nowNs);
    void onFill(const ClientOrderId& id, PriceTicks priceTicks, Lots qty, Liquidity liquidity,
                TimeNs nowNs);
    void onRejected(const ClientOrderId& id, const std::string& reason, TimeNs nowNs);
    void onCancelled(const ClientOrderId& id, TimeNs nowNs);
    void onExpired(const ClientOrderId& id, TimeNs nowNs);
    /// The venue refused a cancel (e.g. the order had just filled); the order is unchanged.
    void onCancelRejected(const ClientOrderId& id, const std::string& reason, TimeNs nowNs);

    const Order* find(const ClientOrderId& id) const;
    /// Every order in creation order, blocked ones included.
    const std::vector<ClientOrderId>& orderIds() const { return sequence_; }
    int openOrderCount() const { return static_cast<int>(open_.size()); }
    const Position& position() const { return position_; }
    /// Mid in ticks (may be a half tick); nullopt without a two-sided book.
    std::optional<double> midTicks() const;
    /// Realised + unrealised at mid - fees, quote currency, since the UTC trading day began (or
    /// since this manager started, if later): what the daily loss limit checks.
    double dayPnl() const;
    /// The same since this manager started.
    double sessionPnl() const;
    std::uint64_t ignoredAnswers() const { return ignoredAnswers_; }
    const RiskCheck& risk() const { return risk_; }

  private:
    Order* findMutable(const ClientOrderId& id);
    void audit(TimeNs nowNs, std::string action, std::string params, std::string answer);
    std::string describeRequest(const ClientOrderId& id, const OrderRequest& request) const;
    /// Audits an answer; on a refused transition counts it instead of changing anything.
    void settle(const ClientOrderId& id, TransitionError error, TimeNs nowNs, std::string action,
                std::string detail);
    void updateOpen(const Order& order);
    RiskContext riskContext(TimeNs nowNs);
    /// Starts a new trading day when the wall clock passed midnight UTC: the day's P&L counts
    /// from the session P&L at that moment. Checked on every touch and before every order.
    void rollTradingDay();

    RiskCheck risk_;
    Position position_;
    ClientOrderIdGenerator ids_;
    AuditLog& audit_;
    OrderManagerConfig config_;
    VenueGateway* gateway_ = nullptr;
    FillListener fillListener_;

    std::map<ClientOrderId, Order> orders_;  ///< node-based: references survive re-entrant answers
    std::vector<ClientOrderId> sequence_;
    std::set<ClientOrderId> open_;
    struct Intent {
        ClientOrderId id;
        TimeNs firstNs = 0;
    };
    std::map<std::string, Intent, std::less<>> intents_;
    std::deque<TimeNs> recentSubmitsNs_;
    TimeNs nextDayStartNs_ = 0;  ///< wall clock at which the current trading day ends
    double dayStartPnl_ = 0;     ///< session P&L when the current trading day began
    std::vector<TimeNs> recentScratch_;
    std::optional<PriceTicks> bestBid_;
    std::optional<PriceTicks> bestAsk_;
    std::uint64_t ignoredAnswers_ = 0;
};

}  // namespace flowscope::trading
