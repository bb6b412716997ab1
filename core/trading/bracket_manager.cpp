#include "trading/bracket_manager.h"

#include <algorithm>

#include "book/floor_div.h"

namespace flowscope::trading {
namespace {

bool placed(const SubmitOutcome& o) {
    return (o.status == SubmitStatus::Sent || o.status == SubmitStatus::Duplicate) && !o.id.empty();
}

}  // namespace

BracketManager::BracketManager(Actions actions, bool reduceOnly)
    : actions_(std::move(actions)), reduceOnly_(reduceOnly) {}

void BracketManager::addEntry(const ClientOrderId& entryId, Side entrySide,
                              const BracketSpec& spec) {
    if (spec.empty() || entryId.empty() || findByOrder(entryId)) return;
    Bracket b;
    b.entryId = entryId;
    b.entrySide = entrySide;
    b.spec = spec;
    b.takeProfitWanted = spec.takeProfitTicks > 0;
    b.stopWanted = spec.stopLossTicks > 0;
    brackets_.push_back(std::move(b));
}

void BracketManager::replaceEntry(const ClientOrderId& oldId, const ClientOrderId& newId) {
    for (Bracket& b : brackets_)
        if (b.entryId == oldId) {
            b.entryId = newId;
            b.entryOpen = true;
            b.entryCancelSent = false;
        }
}

BracketManager::Bracket* BracketManager::findByOrder(const ClientOrderId& id) {
    for (Bracket& b : brackets_)
        if (b.entryId == id || b.takeProfitId == id || b.stopOrderId == id) return &b;
    return nullptr;
}

const BracketManager::Bracket* BracketManager::findByOrder(const ClientOrderId& id) const {
    return const_cast<BracketManager*>(this)->findByOrder(id);
}

void BracketManager::onFill(const ClientOrderId& id, PriceTicks priceTicks, Lots qty) {
    applyFill(id, priceTicks, qty);
    reconcileAll();
}

void BracketManager::onFills(std::span<const FillEvent> fills) {
    for (const FillEvent& f : fills)
        applyFill(f.id, f.priceTicks, f.qty);
    reconcileAll();
}

void BracketManager::applyFill(const ClientOrderId& id, PriceTicks priceTicks, Lots qty) {
    if (qty <= 0 || countedAhead(id, qty)) return;
    Bracket* b = findByOrder(id);
    if (!b) return;
    if (id == b->entryId) {
        b->entryFilled += qty;
        b->entryTickLots += priceTicks * qty;
    } else {
        b->exitFilled += qty;
        if (id == b->takeProfitId) b->takeProfitFilled += qty;
        if (id == b->stopOrderId) b->stopOrderFilled += qty;
    }
}

bool BracketManager::countedAhead(const ClientOrderId& id, Lots qty) {
    for (Bracket& b : brackets_)
        for (auto it = b.countedAhead.begin(); it != b.countedAhead.end(); ++it) {
            if (it->id != id) continue;
            // Counted when the order closed; a fill beyond that (none is expected: the desk's
            // record was complete then) is an exit too, and counts, which only shrinks the stop.
            const Lots already = std::min(qty, it->qty);
            it->qty -= already;
            if (qty > already) b.exitFilled += qty - already;
            if (it->qty == 0) b.countedAhead.erase(it);
            return true;
        }
    return false;
}

void BracketManager::onCancelFailed(const ClientOrderId& id, bool unknownAtVenue) {
    Bracket* b = findByOrder(id);
    if (!b || id != b->takeProfitId) return;
    // Unknown at the venue: it filled (or closed) and its answer is on the way; wait for it.
    if (unknownAtVenue) return;
    // Otherwise it may still be working: cancelled again at the next reconcile (it must not
    // outlive the bracket). A fired stop keeps waiting: the take-profit may still fill, and an
    // exit beside it could close more than the entry filled. Said, since the position waits.
    b->takeProfitCancelling = false;
    ++b->takeProfitCancelFailures;
    if (b->stopTriggered)
        lastProblem_ = "stop fired: its exit waits for take-profit " + id +
                       " to be cancelled (cancel failed " +
                       std::to_string(b->takeProfitCancelFailures) + " time(s); sent again)";
}

void BracketManager::onOrderClosed(const ClientOrderId& id, std::optional<Lots> filledQty) {
    Bracket* b = findByOrder(id);
    if (!b) return;
    // The desk's record of an exit order is ahead of the fills handed over so far (a market
    // order fills inside the call that sent it): count the difference now, so what is open is
    // right before anything is sent again, and remember it so the fills are not counted twice.
    const auto countAhead = [&](Lots& seen) {
        if (!filledQty || *filledQty <= seen) return;
        const Lots ahead = *filledQty - seen;
        seen = *filledQty;
        b->exitFilled += ahead;
        b->countedAhead.push_back({id, ahead});
    };
    if (id == b->entryId) {
        b->entryOpen = false;
    } else if (id == b->takeProfitId) {
        countAhead(b->takeProfitFilled);
        // Closed without our cancel and not filled: the user cancelled it or the venue refused
        // it. Either way it must not come back by itself.
        if (!b->takeProfitCancelling && b->takeProfitFilled < b->takeProfitSentQty) {
            b->takeProfitWanted = false;
            lastProblem_ = "take-profit " + id + " ended unfilled: not replaced";
        }
        b->takeProfitId.clear();
        b->takeProfitCancelling = false;
        b->takeProfitSentQty = 0;
        b->takeProfitFilled = 0;
    } else if (id == b->stopOrderId) {
        countAhead(b->stopOrderFilled);
        b->stopOrderId.clear();
        b->stopOrderFilled = 0;
    }
    reconcileAll();
}

void BracketManager::onTouch(std::optional<PriceTicks> bestBid, std::optional<PriceTicks> bestAsk) {
    bestBid_ = bestBid;
    bestAsk_ = bestAsk;
    reconcileAll();
}

void BracketManager::onTrade(PriceTicks priceTicks) {
    for (std::size_t i = 0; i < brackets_.size(); ++i) {
        Bracket& b = brackets_[i];
        const auto stop = stopPrice(b);
        if (!stopArmed(b) || !stop) continue;
        const bool through = b.exitSide() == Side::Ask ? priceTicks <= *stop : priceTicks >= *stop;
        if (through) trigger(b);
    }
    reconcileAll();
}

bool BracketManager::stopArmed(const Bracket& b) const {
    return b.stopWanted && !b.stopTriggered && b.open() > 0;
}

bool BracketManager::touchReached(const Bracket& b, PriceTicks stop) const {
    // A sell stop looks at the bid (where it would sell), a buy stop at the ask.
    if (b.exitSide() == Side::Ask) return bestBid_ && *bestBid_ <= stop;
    return bestAsk_ && *bestAsk_ >= stop;
}

PriceTicks BracketManager::takeProfitPrice(const Bracket& b) const {
    if (b.takeProfitPrice) return *b.takeProfitPrice;
    // At least the distance from the average fill: rounded away from the entry.
    if (b.entrySide == Side::Bid)
        return ceilDiv(b.entryTickLots, b.entryFilled) + b.spec.takeProfitTicks;
    return floorDiv(b.entryTickLots, b.entryFilled) - b.spec.takeProfitTicks;
}

std::optional<PriceTicks> BracketManager::stopPrice(const Bracket& b) const {
    if (!b.stopWanted) return std::nullopt;
    if (b.stopPrice) return b.stopPrice;
    if (b.entryFilled <= 0) return std::nullopt;
    // At most the distance from the average fill: rounded toward the entry, so the loss taken
    // is never larger than asked for.
    if (b.entrySide == Side::Bid)
        return ceilDiv(b.entryTickLots, b.entryFilled) - b.spec.stopLossTicks;
    return floorDiv(b.entryTickLots, b.entryFilled) + b.spec.stopLossTicks;
}

void BracketManager::trigger(Bracket& b) {
    b.stopTriggered = true;
    ++stopsTriggered_;
}

std::string BracketManager::nextKey(Bracket& b, const char* what) const {
    return std::string("bracket:") + what + ":" + b.entryId + ":" + std::to_string(++b.serial);
}

void BracketManager::reconcileAll() {
    // Index loop: reconcile may remove the bracket it handles.
    for (std::size_t i = 0; i < brackets_.size();) {
        const std::size_t before = brackets_.size();
        reconcile(brackets_[i]);
        if (brackets_.size() == before) ++i;
    }
}

void BracketManager::reconcile(Bracket& b) {
    if (stopArmed(b)) {
        const auto stop = stopPrice(b);
        if (stop && touchReached(b, *stop)) trigger(b);
    }
    if (b.stopTriggered) {
        // OCO: the stop fired, so the take-profit and any unfilled entry go, and what is open
        // is closed at market.
        if (!b.takeProfitId.empty() && !b.takeProfitCancelling) {
            const CancelStatus c = actions_.cancel(b.takeProfitId);
            b.takeProfitCancelling = c == CancelStatus::Sent || c == CancelStatus::AlreadyRequested;
        }
        if (b.entryOpen && !b.entryCancelSent) {
            (void)actions_.cancel(b.entryId);
            b.entryCancelSent = true;
        }
        b.takeProfitWanted = false;
        // Only what no working order of the bracket may still close: a take-profit may have
        // filled unseen (on Binance spot its fills are learned by asking), so the exit waits
        // for the venue's word on it and is sized to what is open then. One stop order at a
        // time, for the same reason.
        const Lots exitQty = b.open() - b.takeProfitOutstanding();
        if (b.stopOrderId.empty() && exitQty > 0 && b.stopOrders < kMaxStopOrders) {
            ++b.stopOrders;
            const OrderRequest close{
                b.exitSide(), OrderType::Market, 0, exitQty, TimeInForce::ImmediateOrCancel,
                reduceOnly_};
            const SubmitOutcome o = actions_.submit(close, nextKey(b, "stop"));
            if (placed(o))
                b.stopOrderId = o.id;
            else
                lastProblem_ = "stop-loss market order not sent";
        }
    } else if (b.takeProfitWanted && b.entryFilled > 0) {
        const Lots want = std::max<Lots>(b.open(), 0);
        const PriceTicks price = takeProfitPrice(b);
        if (!b.takeProfitId.empty()) {
            const Lots working = b.takeProfitSentQty - b.takeProfitFilled;
            if (!b.takeProfitCancelling && (working != want || b.takeProfitSentPrice != price)) {
                // Resize or move: cancel first, place the new one when the old one is closed.
                const CancelStatus c = actions_.cancel(b.takeProfitId);
                b.takeProfitCancelling =
                    c == CancelStatus::Sent || c == CancelStatus::AlreadyRequested;
            }
        } else if (want > 0) {
            const OrderRequest tp{
                b.exitSide(), OrderType::Limit, price, want, TimeInForce::GoodTillCancel,
                reduceOnly_};
            const SubmitOutcome o = actions_.submit(tp, nextKey(b, "tp"));
            if (placed(o)) {
                b.takeProfitId = o.id;
                b.takeProfitSentPrice = price;
                b.takeProfitSentQty = want;
                b.takeProfitFilled = 0;
            } else {
                // Not retried on every tick: a refused take-profit would be refused again.
                b.takeProfitWanted = false;
                lastProblem_ = "take-profit not placed" +
                               (o.rejection ? ": " + o.rejection->message : std::string());
            }
        }
    }
    const bool ordersWorking = b.entryOpen || !b.takeProfitId.empty() || !b.stopOrderId.empty();
    const bool somethingToGuard =
        b.open() > 0 && (b.takeProfitWanted ||
                         (b.stopWanted && (!b.stopTriggered || b.stopOrders < kMaxStopOrders)));
    if (!ordersWorking && !somethingToGuard) {
        const ClientOrderId id = b.entryId;
        std::erase_if(brackets_, [&](const Bracket& x) { return x.entryId == id; });
    }
}

bool BracketManager::moveLeg(const std::string& id, PriceTicks newPriceTicks) {
    for (Bracket& b : brackets_) {
        if (!b.takeProfitId.empty() && b.takeProfitId == id) {
            b.takeProfitPrice = newPriceTicks;
            reconcileAll();
            return true;
        }
        if (b.stopWanted && !b.stopTriggered && stopId(b) == id) {
            b.stopPrice = newPriceTicks;
            reconcileAll();  // a stop moved to or through the touch fires now
            return true;
        }
    }
    return false;
}

bool BracketManager::cancelStop(const std::string& id) {
    for (Bracket& b : brackets_)
        if (b.stopWanted && !b.stopTriggered && stopId(b) == id) {
            b.stopWanted = false;
            reconcileAll();
            return true;
        }
    return false;
}

void BracketManager::cancelAll() {
    std::vector<Bracket> all = std::move(brackets_);
    brackets_.clear();
    for (const Bracket& b : all) {
        if (!b.takeProfitId.empty()) (void)actions_.cancel(b.takeProfitId);
        if (b.entryOpen) (void)actions_.cancel(b.entryId);
    }
}

void BracketManager::settleClosed(
    const std::function<OrderProgress(const ClientOrderId&)>& progress) {
    // Ids are copied only for orders that closed (rare), so a poll with nothing new allocates
    // nothing; onOrderClosed may remove brackets, hence the second pass.
    closedScratch_.clear();
    for (const Bracket& b : brackets_)
        for (const ClientOrderId* id : {&b.entryId, &b.takeProfitId, &b.stopOrderId}) {
            const bool tracked = id == &b.entryId ? b.entryOpen : !id->empty();
            if (!tracked) continue;
            const OrderProgress p = progress(*id);
            if (!p.working) closedScratch_.push_back({*id, p.filledQty});
        }
    for (const ClosedOrder& c : closedScratch_)
        onOrderClosed(c.id, c.filledQty);
}

bool BracketManager::isTakeProfit(const ClientOrderId& id) const {
    return std::any_of(brackets_.begin(), brackets_.end(), [&](const Bracket& b) {
        return !b.takeProfitId.empty() && b.takeProfitId == id;
    });
}

bool BracketManager::isStop(const std::string& id) const {
    return std::any_of(brackets_.begin(), brackets_.end(),
                       [&](const Bracket& b) { return stopId(b) == id; });
}

OrderRole BracketManager::roleOf(const ClientOrderId& id) const {
    const Bracket* b = findByOrder(id);
    if (!b || id == b->entryId) return OrderRole::Entry;
    return id == b->takeProfitId ? OrderRole::TakeProfit : OrderRole::StopLoss;
}

std::vector<BracketLeg> BracketManager::legs() const {
    std::vector<BracketLeg> out;
    for (const Bracket& b : brackets_) {
        if (!b.takeProfitId.empty())
            out.push_back({b.takeProfitId, OrderRole::TakeProfit, b.exitSide(),
                           b.takeProfitSentPrice, b.takeProfitSentQty - b.takeProfitFilled, false});
        const auto stop = stopPrice(b);
        if (stopArmed(b) && stop)
            out.push_back({stopId(b), OrderRole::StopLoss, b.exitSide(), *stop, b.open(), true});
    }
    return out;
}

}  // namespace flowscope::trading
