#pragma once
/// Brackets managed locally (OCO in Flowscope, not at the venue), for any venue.
///
/// For each entry it is told about, as the entry fills it keeps one take-profit limit working
/// (opposite side, reduce-only, sized to what is open, at the average fill +/- the distance)
/// and holds the stop-loss here: when a trade prints at or through the stop price, or the touch
/// reaches it, a reduce-only market order closes what is open and the take-profit is cancelled.
/// A take-profit fill shrinks what the stop would close (one side filling reduces the other).
///
/// The invariant: a bracket's exits never add up to more than its entry filled, so a bracket
/// never flips the position. Two rules keep it. (1) A fired stop closes only what no order of
/// the bracket may still close: while a take-profit may still be working (its cancel sent, not
/// yet answered), the stop's market order waits for it, and it is sized to what is open once the
/// take-profit is out. (2) An exit order that closed counts what the desk says it filled at
/// that moment, even if those fills have not been handed over yet; when they do arrive, they
/// are not counted a second time. (Without (2) a stop order that filled inside the call that
/// sent it read as closed-unfilled, and the stop was sent again: issue 12, item 0.)
///
/// It never sends on its own: every order goes through the Actions the owner gives (the desk's
/// submit/cancel, which apply the risk checks). A take-profit is resized or moved by cancel, then
/// (once the venue confirms the old one closed) a new one, so two never work at once.
///
/// Threading: owned by the desk's thread. The owner must call it where the venue may be entered
/// again (never from inside a venue callback): actions run synchronously from these calls.

#include <algorithm>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "trading/bracket_spec.h"
#include "trading/order.h"
#include "trading/order_manager.h"
#include "trading/trading_state.h"

namespace flowscope::trading {

/// What the desk knows of an order: still working at the venue, and how much of it filled. The
/// filled quantity is the desk's own record (its order manager's), which may be ahead of the
/// fills the brackets were handed so far: a desk notes fills and hands them over later.
struct OrderProgress {
    bool working = true;
    Lots filledQty = 0;
};

/// One leg as the GUI shows it: a working take-profit or a stop held locally.
struct BracketLeg {
    std::string id;  ///< the take-profit's order id, or the stop's local id ("SL:" + entry id)
    OrderRole role = OrderRole::TakeProfit;
    Side side = Side::Ask;
    PriceTicks priceTicks = 0;
    Lots qty = 0;
    bool heldLocally = false;
};

class BracketManager {
  public:
    struct Actions {
        std::function<SubmitOutcome(const OrderRequest&, const std::string& intentKey)> submit;
        std::function<CancelStatus(const ClientOrderId&)> cancel;
    };
    /// Stop-loss market orders per bracket at most: each resends what an IOC left open.
    static constexpr int kMaxStopOrders = 4;

    /// `reduceOnly`: mark the legs reduce-only (where the venue has it; the legs are sized to
    /// the bracket's open quantity either way).
    explicit BracketManager(Actions actions, bool reduceOnly = true);

    /// A new entry (already submitted): its fills open the bracket. Ignored if `spec` is empty
    /// or the id is already tracked.
    void addEntry(const ClientOrderId& entryId, Side entrySide, const BracketSpec& spec);
    /// The entry was replaced (cancel/replace): the bracket follows the new order.
    void replaceEntry(const ClientOrderId& oldId, const ClientOrderId& newId);

    /// Every fill the venue reports; fills of orders not in a bracket are ignored.
    void onFill(const ClientOrderId& id, PriceTicks priceTicks, Lots qty);
    struct FillEvent {
        ClientOrderId id;
        PriceTicks priceTicks = 0;
        Lots qty = 0;
    };
    /// Several fills at once (an entry sweeping levels): the legs are adjusted once, after all,
    /// instead of once per fill.
    void onFills(std::span<const FillEvent> fills);
    /// An order is no longer working (filled, cancelled, rejected, expired). `filledQty`: what
    /// the desk knows it filled in all; fills beyond those handed over so far are counted now
    /// (and not again when they arrive). Without it, only the fills handed over count.
    void onOrderClosed(const ClientOrderId& id, std::optional<Lots> filledQty = std::nullopt);
    /// A cancel the brackets sent failed. `unknownAtVenue`: the venue no longer has the order
    /// (most likely filled; its fills are still to come). Otherwise the cancel is sent again at
    /// the next reconcile (a fired stop keeps waiting for that take-profit: it may still fill).
    /// Sends nothing itself.
    void onCancelFailed(const ClientOrderId& id, bool unknownAtVenue);
    /// The touch; a stop fires when its side of the touch reaches the stop price (a sell stop
    /// when the best bid is at or below it, a buy stop when the best ask is at or above it).
    void onTouch(std::optional<PriceTicks> bestBid, std::optional<PriceTicks> bestAsk);
    /// A print; a stop fires when a trade is at or through it. Only prints after the stop was
    /// armed count, which is why trades arrive one by one rather than as a "last price".
    void onTrade(PriceTicks priceTicks);

    /// Moves a take-profit (cancel/replace) or a stop (locally) by id; false if it is neither.
    bool moveLeg(const std::string& id, PriceTicks newPriceTicks);
    /// Removes a stop (it was never at the venue); false if `id` is no stop.
    bool cancelStop(const std::string& id);
    /// Cancels the take-profits and working entries and forgets every bracket.
    void cancelAll();
    /// Forgets every bracket without sending anything (the owner cancels by itself).
    void dropAll() { brackets_.clear(); }

    /// Brings every bracket's orders in line with it (what the calls above end with); for a
    /// change the brackets were told of without one of them (onCancelFailed).
    void reconcileAll();
    /// Calls onOrderClosed for each order the manager waits on (entries, take-profits, stop
    /// orders) that `progress` says is no longer working, with the quantity it filled.
    void settleClosed(const std::function<OrderProgress(const ClientOrderId&)>& progress);
    bool isTakeProfit(const ClientOrderId& id) const;
    bool isStop(const std::string& id) const;
    OrderRole roleOf(const ClientOrderId& id) const;
    /// Take-profits and stops, for the display.
    std::vector<BracketLeg> legs() const;
    int bracketCount() const { return static_cast<int>(brackets_.size()); }
    /// Stops that fired, since construction.
    std::uint64_t stopsTriggered() const { return stopsTriggered_; }
    /// Why the last take-profit or stop order was not placed (a risk refusal), if one was not.
    const std::string& lastProblem() const { return lastProblem_; }

  private:
    struct Bracket {
        ClientOrderId entryId;
        Side entrySide = Side::Bid;
        BracketSpec spec;
        bool entryOpen = true;
        Lots entryFilled = 0;
        std::int64_t entryTickLots = 0;  ///< sum of price * qty of the entry fills
        Lots exitFilled = 0;             ///< take-profit and stop fills

        bool takeProfitWanted = false;              ///< off when the user cancelled it
        std::optional<PriceTicks> takeProfitPrice;  ///< set by the user; else from the fills
        ClientOrderId takeProfitId;                 ///< the working one, empty if none
        PriceTicks takeProfitSentPrice = 0;
        Lots takeProfitSentQty = 0;
        Lots takeProfitFilled = 0;  ///< of the working one
        bool takeProfitCancelling = false;
        int takeProfitCancelFailures = 0;  ///< cancels of it that failed, for the message

        bool stopWanted = false;
        std::optional<PriceTicks> stopPrice;  ///< set by the user; else from the fills
        bool stopTriggered = false;
        bool entryCancelSent = false;
        ClientOrderId stopOrderId;  ///< the working market order, empty if none
        Lots stopOrderFilled = 0;   ///< of the working one
        int stopOrders = 0;
        /// Exit orders that closed with fills counted from the desk's record before they were
        /// handed over: those fills, when they arrive, are already counted.
        struct CountedAhead {
            ClientOrderId id;
            Lots qty = 0;
        };
        std::vector<CountedAhead> countedAhead;

        int serial = 0;  ///< for unique intent keys
        Lots open() const { return entryFilled - exitFilled; }
        /// What the working take-profit may still close (all of it, until the venue says).
        Lots takeProfitOutstanding() const {
            return takeProfitId.empty() ? 0
                                        : std::max<Lots>(takeProfitSentQty - takeProfitFilled, 0);
        }
        Side exitSide() const { return opposite(entrySide); }
    };

    void applyFill(const ClientOrderId& id, PriceTicks priceTicks, Lots qty);
    /// A fill of an exit order that closed earlier: true if it was counted already.
    bool countedAhead(const ClientOrderId& id, Lots qty);
    Bracket* findByOrder(const ClientOrderId& id);
    const Bracket* findByOrder(const ClientOrderId& id) const;
    /// Brings the venue in line with the bracket (places, resizes, moves or cancels orders) and
    /// forgets it when done.
    void reconcile(Bracket& b);
    void trigger(Bracket& b);
    PriceTicks takeProfitPrice(const Bracket& b) const;
    std::optional<PriceTicks> stopPrice(const Bracket& b) const;
    bool touchReached(const Bracket& b, PriceTicks stop) const;
    bool stopArmed(const Bracket& b) const;
    static std::string stopId(const Bracket& b) { return "SL:" + b.entryId; }
    std::string nextKey(Bracket& b, const char* what) const;

    Actions actions_;
    std::vector<Bracket> brackets_;
    std::optional<PriceTicks> bestBid_;
    std::optional<PriceTicks> bestAsk_;
    std::uint64_t stopsTriggered_ = 0;
    std::string lastProblem_;
    bool reduceOnly_ = true;
    struct ClosedOrder {
        ClientOrderId id;
        Lots filledQty = 0;
    };
    std::vector<ClosedOrder> closedScratch_;  ///< settleClosed's, reused
};

}  // namespace flowscope::trading
