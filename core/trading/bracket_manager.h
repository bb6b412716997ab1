#pragma once
/// Brackets managed locally (OCO in Flowscope, not at the venue), for any venue.
///
/// For each entry it is told about, as the entry fills it keeps one take-profit limit working
/// (opposite side, reduce-only, sized to what is open, at the average fill +/- the distance)
/// and holds the stop-loss here: when a trade prints at or through the stop price, or the touch
/// reaches it, a reduce-only market order closes what is open and the take-profit is cancelled.
/// A take-profit fill shrinks what the stop would close (one side filling reduces the other).
///
/// It never sends on its own: every order goes through the Actions the owner gives (the desk's
/// submit/cancel, which apply the risk checks). A take-profit is resized or moved by cancel, then
/// (once the venue confirms the old one closed) a new one, so two never work at once.
///
/// Threading: owned by the desk's thread. The owner must call it where the venue may be entered
/// again (never from inside a venue callback): actions run synchronously from these calls.

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

    /// On: a fired stop sends its market order only once the take-profit is out (its cancel
    /// answered, or it is found filled), sized to what is still open then. For a venue whose
    /// fills of resting orders are learned late (Binance spot: by polling), so a take-profit that
    /// filled just before the stop is not exited a second time. The stop waits one round trip;
    /// if the cancel fails for another reason than "unknown order" it goes out at once.
    void setExitAfterTakeProfitCloses(bool on) { exitAfterTakeProfitCloses_ = on; }

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
    /// An order is no longer working (filled, cancelled, rejected, expired).
    void onOrderClosed(const ClientOrderId& id);
    /// A cancel the brackets sent failed. `unknownAtVenue`: the venue no longer has the order
    /// (most likely filled; its fills are still to come). Otherwise the cancel is sent again at
    /// the next reconcile. Sends nothing itself.
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
    /// orders) that `isWorking` says is no longer working.
    void settleClosed(const std::function<bool(const ClientOrderId&)>& isWorking);
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
        /// Its cancel failed and the venue may still have it: a fired stop does not wait for it.
        bool takeProfitCancelFailed = false;

        bool stopWanted = false;
        std::optional<PriceTicks> stopPrice;  ///< set by the user; else from the fills
        bool stopTriggered = false;
        bool entryCancelSent = false;
        ClientOrderId stopOrderId;  ///< the working market order, empty if none
        int stopOrders = 0;

        int serial = 0;  ///< for unique intent keys
        Lots open() const { return entryFilled - exitFilled; }
        Side exitSide() const { return opposite(entrySide); }
    };

    void applyFill(const ClientOrderId& id, PriceTicks priceTicks, Lots qty);
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
    bool exitAfterTakeProfitCloses_ = false;
    std::vector<ClientOrderId> closedScratch_;  ///< settleClosed's, reused
};

}  // namespace flowscope::trading
