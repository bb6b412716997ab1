#pragma once
/// Live order entry on Binance spot: the order manager (risk, idempotence, state machine, audit)
/// wired to the signed REST gateway, behind the OrderEntry interface the GUI uses.
///
/// Orders go out as POST /api/v3/order with the manager's client order id as newClientOrderId,
/// so the venue itself refuses a second live order with the same id. Fills of a taker order come
/// in the FULL answer; fills of resting orders are read from GET /api/v3/openOrders, polled about
/// once a second while orders are open (weight 6 a poll, well inside the minute's budget).
///
/// Reconciliation: on start and after every reconnect of the feed, the venue's open orders are
/// fetched before any new order may leave; submissions meanwhile are refused with "reconciling
/// open orders with the venue". Orders this session knows are settled by client order id
/// (acknowledged, fills applied); open orders it does not know (an earlier session's) are adopted:
/// shown, cancellable, and cancelled by the kill switch, never re-sent.
///
/// An order of ours that left the venue's open orders without an answer of ours, and a Pending
/// order whose POST got no answer (network error) and is not among them, are asked for one by
/// one with GET /api/v3/order: the venue's status settles them (Filled with the executed size at
/// the venue's price, Cancelled, Expired); -2013 (the venue never took it) rejects a Pending one.
///
/// The kill switch cancels ours and the adopted ones one by one, then sends DELETE
/// /api/v3/openOrders, which also cancels orders this session has never seen.
///
/// Brackets are managed here (BracketManager): the take-profit rests at the venue, the stop is
/// held in Flowscope and fires on a trade printing at or through it (onPrint) or on the touch
/// reaching it (onMarket), sending a market order. Prints matter on Binance: its depth stream
/// comes in 100 ms batches, its trades one by one as they happen.
///
/// Starts disarmed: a live venue trades only after the user arms it.
///
/// Threading: every call on the EventLoop's thread (the feed thread of the VenueSource).

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "net/event_loop.h"
#include "trading/audit_log.h"
#include "trading/binance_order_answer.h"
#include "trading/binance_rest_gateway.h"
#include "trading/bracket_driver.h"
#include "trading/bracket_manager.h"
#include "trading/desk_state.h"
#include "trading/order_entry.h"
#include "trading/order_manager.h"

namespace flowscope::trading {

struct BinanceOrderEntryConfig {
    BinanceGatewayConfig gateway;
    ApiCredentials credentials;
    RiskLimits limits;
    FeeRates fees{10.0, 10.0};  ///< Binance spot's base rate, 0.1%
    std::string auditPath;      ///< empty: audit kept in memory only
    TimeNs pollIntervalNs = 1'000'000'000;
};

class BinanceOrderEntry final : public OrderEntry {
  public:
    /// Throws std::invalid_argument on invalid limits or a rest URL that does not parse.
    /// Reconciliation starts at once (the first poll of `loop` sends it).
    BinanceOrderEntry(net::EventLoop& loop, const Instrument& instrument,
                      BinanceOrderEntryConfig config, TimeNs sessionWallNs);
    ~BinanceOrderEntry() override;
    BinanceOrderEntry(const BinanceOrderEntry&) = delete;
    BinanceOrderEntry& operator=(const BinanceOrderEntry&) = delete;

    /// The feed's touch after each applied event: risk context and the mark. Also where the
    /// brackets act on what was noted since the last call.
    void onMarket(std::optional<PriceTicks> bestBid, std::optional<PriceTicks> bestAsk);
    /// A trade the feed saw (from inside the venue's message: noted, acted on at onMarket).
    void onPrint(PriceTicks priceTicks) { bracketDriver_->notePrint(priceTicks); }
    /// Fetches the venue's open orders and settles ours against them; new orders wait until it
    /// answered. Called on start and by the feed after a reconnect.
    void reconcile();
    bool reconciling() const { return reconciling_; }

    SubmitOutcome submit(const OrderRequest& request, const std::string& intentKey) override;
    SubmitOutcome submitBracket(const OrderRequest& entry, const BracketSpec& bracket,
                                const std::string& intentKey) override;
    CancelStatus cancel(const ClientOrderId& id) override;
    void cancelAtPrice(PriceTicks price) override;
    void cancelAll() override;
    void flatten() override;
    /// Cancels `id`; the replacement leaves once the venue confirmed the cancel (with the size
    /// left then), so the exposure is never doubled. The outcome's id is empty for that reason:
    /// state() shows the replacement when it is working.
    SubmitOutcome moveOrder(const ClientOrderId& id, PriceTicks newPriceTicks) override;
    void killSwitch(bool flattenPosition) override;
    void setArmed(bool armed) override;
    TradingState state() const override;
    Lots orderStepLots() const override { return manager_->risk().orderStepLots(); }

    const OrderManager& manager() const { return *manager_; }
    const BinanceRestGateway& rest() const { return *rest_; }
    const BracketManager& brackets() const { return *brackets_; }
    /// Open orders of an earlier session found at the venue, by client order id.
    const std::map<ClientOrderId, BinanceOrderAnswer>& adoptedOrders() const { return adopted_; }

  private:
    class Link;
    struct Move {
        PriceTicks newPriceTicks = 0;
    };

    static TimeNs now();
    void onPlaced(const ClientOrderId& id, BinanceReply reply);
    void sendCancelRequest(const ClientOrderId& id);
    void onCancelAnswer(const ClientOrderId& id, BinanceReply reply);
    void onOpenOrders(BinanceReply reply, bool reconciliation);
    void queryOrder(const ClientOrderId& id);
    void onQueried(const ClientOrderId& id, BinanceReply reply);
    /// Brings one of our orders to the venue's word (ack, missing fill, final status).
    void settleFromVenue(const BinanceOrderAnswer& venue);
    void onCancelAll(BinanceReply reply);
    void applyVenueOrder(const BinanceOrderAnswer& venue);
    void schedulePoll();
    void poll();
    void cancelAdopted();
    void finishMove(const ClientOrderId& id);
    void note(std::string message);
    /// Hands the fills and touch noted since the last call to the brackets (which may send).
    void serviceBrackets();
    /// The callback for a venue answer: `handle` runs while this entry lives, and the brackets
    /// are serviced after it (an answer may bring fills or close a leg).
    template <typename Handle>
    BinanceRestGateway::Callback answered(Handle handle) {
        return [this, alive = alive_, handle = std::move(handle)](BinanceReply reply) mutable {
            if (!*alive) return;
            handle(std::move(reply));
            serviceBrackets();
        };
    }

    net::EventLoop& loop_;
    Instrument instrument_;
    RiskLimits limits_;
    TimeNs pollIntervalNs_;
    std::unique_ptr<AuditLog> audit_;
    std::unique_ptr<OrderManager> manager_;
    std::unique_ptr<BinanceRestGateway> rest_;
    std::unique_ptr<Link> link_;
    std::unique_ptr<BracketManager> brackets_;
    std::unique_ptr<BracketDriver> bracketDriver_;
    net::Timer pollTimer_;
    net::Timer reconcileTimer_;
    /// Lets callbacks still queued in the loop find out the entry is gone.
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);

    std::optional<PriceTicks> bestBid_;
    std::optional<PriceTicks> bestAsk_;
    bool reconciling_ = false;
    bool reconcileInFlight_ = false;
    bool timeSynced_ = false;
    bool pollInFlight_ = false;
    bool pollScheduled_ = false;
    std::set<ClientOrderId> placing_;     ///< POST sent, no answer yet
    std::set<ClientOrderId> cancelling_;  ///< DELETE sent, no answer yet
    std::set<ClientOrderId> querying_;    ///< GET /api/v3/order sent, no answer yet
    std::map<ClientOrderId, BinanceOrderAnswer> adopted_;
    std::map<ClientOrderId, Move> moves_;
    std::vector<BinanceOrderAnswer> venueScratch_;
    std::string lastMessage_;
    RecentFills fills_;
    std::uint64_t flattenSerial_ = 0;
};

}  // namespace flowscope::trading
