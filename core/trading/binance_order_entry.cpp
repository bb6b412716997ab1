#include "trading/binance_order_entry.h"
#include "book/clock.h"
#include "venues/known_instruments.h"

#include <algorithm>
#include <cmath>

namespace flowscope::trading {

namespace {

constexpr int kBinanceUnknownOrder = -2011;
constexpr int kBinanceOrderDoesNotExist = -2013;
constexpr const char* kReconcilingMessage = "reconciling open orders with the venue";

std::string venueReason(const BinanceReply& reply) {
    if (reply.kind == BinanceReply::Kind::VenueReject)
        return "binance " + std::to_string(reply.code) + ": " + reply.message;
    return reply.message;
}

bool finalStatus(const std::string& status) {
    return status == "CANCELED" || status == "EXPIRED" || status == "REJECTED" ||
           status == "EXPIRED_IN_MATCH";
}

}  // namespace

/// The manager's VenueGateway: each order and cancel becomes one signed request whose answer
/// returns to the entry on the loop. Nothing is answered inside sendNew()/sendCancel().
class BinanceOrderEntry::Link final : public VenueGateway {
  public:
    explicit Link(BinanceOrderEntry& entry) : entry_(entry) {}

    void sendNew(const Order& order) override {
        // The manager checked the order with the full context; the gateway's own check repeats
        // the size, notional and band checks against the same touch, a second guard before the
        // wire.
        RiskContext context;
        context.bestBid = entry_.bestBid_;
        context.bestAsk = entry_.bestAsk_;
        context.nowNs = now();
        entry_.placing_.insert(order.id());
        entry_.rest_->placeOrder(
            order.request(), order.id(), context,
            entry_.answered([&entry = entry_, id = order.id()](BinanceReply reply) {
                entry.onPlaced(id, std::move(reply));
            }));
    }
    void sendCancel(const Order& order) override { entry_.sendCancelRequest(order.id()); }

  private:
    BinanceOrderEntry& entry_;
};

TimeNs BinanceOrderEntry::now() {
    // Wall time: the audit log of a live account must line up with the venue's own records.
    return wallNowNs();
}

BinanceOrderEntry::BinanceOrderEntry(net::EventLoop& loop, const Instrument& instrument,
                                     BinanceOrderEntryConfig config, TimeNs sessionWallNs)
    : loop_(loop),
      instrument_(instrument),
      limits_(config.limits),
      pollIntervalNs_(config.pollIntervalNs),
      pollTimer_(loop),
      reconcileTimer_(loop) {
    if (config.auditPath.empty())
        audit_ = std::make_unique<MemoryAuditLog>();
    else
        audit_ = std::make_unique<FileAuditLog>(config.auditPath);
    // Orders go in the venue's order step, not the book's finer lot: a size off the step is
    // refused here (panel, rules, kill switch alike) rather than rejected by Binance with -1013.
    RiskCheck deskCheck(instrument_, limits_);
    RiskCheck wireCheck(instrument_, limits_);
    if (const auto step =
            venues::venueOrderStep(venues::VenueId::BinanceSpot, instrument_.symbol())) {
        deskCheck.setOrderStep(*step);
        wireCheck.setOrderStep(*step);
    }
    manager_ = std::make_unique<OrderManager>(
        std::move(deskCheck), config.fees,
        ClientOrderIdGenerator(ClientOrderIdGenerator::sessionPrefixFor(sessionWallNs)), *audit_);
    // The manager is the arm switch; the gateway's check stays armed so that the closing orders
    // of a kill switch (sent while the manager is briefly armed) are not refused a second time.
    wireCheck.setArmed(true);
    rest_ = std::make_unique<BinanceRestGateway>(loop_, std::move(config.gateway),
                                                 std::move(config.credentials), wireCheck);
    link_ = std::make_unique<Link>(*this);
    manager_->setGateway(link_.get());
    manager_->setFillListener(
        [this](const Order& order, PriceTicks price, Lots qty, Liquidity, TimeNs t) {
            fills_.add(t, order.request().side, price, qty);
            // Fills arrive inside the venue's answers: the brackets see them once it is handled.
            bracketDriver_->noteFill(order.id(), price, qty);
        });
    brackets_ = std::make_unique<BracketManager>(
        BracketManager::Actions{
            [this](const OrderRequest& r, const std::string& key) { return submit(r, key); },
            [this](const ClientOrderId& id) { return cancel(id); }},
        /*reduceOnly=*/false);  // spot has no reduce-only; the legs are sized to the bracket
    bracketDriver_ = std::make_unique<BracketDriver>(
        *brackets_,
        [this](const ClientOrderId& id) {
            const Order* o = manager_->find(id);
            if (!o) return OrderProgress{false, 0};
            return OrderProgress{isOpen(o->state()), o->filledQty()};
        },
        [this] {
            return BracketDriver::Touch{bestBid_, bestAsk_};
        });
    manager_->setArmed(false, now());
    reconcile();
}

BinanceOrderEntry::~BinanceOrderEntry() {
    *alive_ = false;
    manager_->setGateway(nullptr);
}

void BinanceOrderEntry::note(std::string message) {
    lastMessage_ = std::move(message);
}

void BinanceOrderEntry::onMarket(std::optional<PriceTicks> bestBid,
                                 std::optional<PriceTicks> bestAsk) {
    const bool moved = bestBid != bestBid_ || bestAsk != bestAsk_;
    bestBid_ = bestBid;
    bestAsk_ = bestAsk;
    manager_->onMarket(bestBid, bestAsk);
    if (moved) bracketDriver_->noteTouchChanged();
    serviceBrackets();
}

void BinanceOrderEntry::serviceBrackets() {
    if (auto problem = bracketDriver_->service()) note(std::move(*problem));
}

SubmitOutcome BinanceOrderEntry::submitBracket(const OrderRequest& entry,
                                               const BracketSpec& bracket,
                                               const std::string& intentKey) {
    SubmitOutcome outcome = submit(entry, intentKey);
    if (outcome.status == SubmitStatus::Sent) brackets_->addEntry(outcome.id, entry.side, bracket);
    serviceBrackets();
    return outcome;
}

void BinanceOrderEntry::reconcile() {
    reconciling_ = true;
    if (reconcileInFlight_) return;  // the request on its way answers for this call too
    reconcileInFlight_ = true;
    note(kReconcilingMessage);
    if (!timeSynced_) {
        // Queued first: the openOrders request is signed when it leaves, after the offset is set.
        rest_->syncTime([this, alive = alive_](BinanceReply reply) {
            if (*alive && reply.ok()) timeSynced_ = true;
        });
    }
    rest_->openOrders(
        answered([this](BinanceReply reply) { onOpenOrders(std::move(reply), true); }));
}

SubmitOutcome BinanceOrderEntry::submit(const OrderRequest& request, const std::string& intentKey) {
    // Disarmed answers first (the manager's Disarmed rule says more than "reconciling").
    if (reconciling_ && manager_->armed()) {
        note(kReconcilingMessage);
        return {SubmitStatus::NotConnected, {}, std::nullopt};
    }
    SubmitOutcome outcome = manager_->submit(request, intentKey, now());
    if (outcome.status == SubmitStatus::Blocked && outcome.rejection)
        note(outcome.rejection->message);
    else if (outcome.status == SubmitStatus::NotConnected)
        note("not connected");
    else if (outcome.status == SubmitStatus::Sent)
        lastMessage_.clear();
    return outcome;
}

void BinanceOrderEntry::onPlaced(const ClientOrderId& id, BinanceReply reply) {
    placing_.erase(id);
    const TimeNs t = now();
    switch (reply.kind) {
        case BinanceReply::Kind::Ok: {
            BinanceOrderAnswer answer;
            std::string error;
            if (!parseBinanceOrder(reply.body, instrument_, answer, error)) {
                // Sent and accepted, but unreadable: the venue's open orders settle it.
                note("order " + id + ": " + error + "; reconciling");
                reconcile();
                return;
            }
            manager_->onAcknowledged(id, answer.orderId, t);
            for (const BinanceFill& fill : answer.fills)
                manager_->onFill(id, fill.priceTicks, fill.qty, Liquidity::Taker, t);
            const Order* order = manager_->find(id);
            if (order && isOpen(order->state()) && finalStatus(answer.status))
                manager_->onExpired(id, t);
            break;
        }
        case BinanceReply::Kind::VenueReject:
        case BinanceReply::Kind::Refused:
            manager_->onRejected(id, venueReason(reply), t);
            note("order " + id + " rejected: " + venueReason(reply));
            break;
        case BinanceReply::Kind::NetworkError:
            // The order may or may not have reached the venue: ask it before anything new goes.
            note("no answer for order " + id + " (" + reply.message + "); reconciling");
            reconcile();
            return;
    }
    schedulePoll();
}

void BinanceOrderEntry::sendCancelRequest(const ClientOrderId& id) {
    cancelling_.insert(id);
    rest_->cancelOrder(
        id, answered([this, id](BinanceReply reply) { onCancelAnswer(id, std::move(reply)); }));
}

CancelStatus BinanceOrderEntry::cancel(const ClientOrderId& id) {
    if (brackets_->isStop(id)) {  // held here, never at the venue
        (void)brackets_->cancelStop(id);
        return CancelStatus::Sent;
    }
    if (adopted_.count(id)) {
        if (cancelling_.count(id)) return CancelStatus::AlreadyRequested;
        audit_->record({now(), "cancel", "id=" + id, "adopted order"});
        sendCancelRequest(id);
        return CancelStatus::Sent;
    }
    CancelStatus status = manager_->cancel(id, now());
    if (status == CancelStatus::AlreadyRequested && !cancelling_.count(id)) {
        // The earlier cancel got no answer or was refused here (weight): the order is still
        // marked as being cancelled in the manager, so the retry goes straight to the venue.
        audit_->record({now(), "cancel", "id=" + id, "retry"});
        sendCancelRequest(id);
        status = CancelStatus::Sent;
    }
    if (status != CancelStatus::Sent) moves_.erase(id);
    return status;
}

void BinanceOrderEntry::onCancelAnswer(const ClientOrderId& id, BinanceReply reply) {
    cancelling_.erase(id);
    const TimeNs t = now();
    if (const auto adopted = adopted_.find(id); adopted != adopted_.end()) {
        const bool gone = reply.ok() || (reply.kind == BinanceReply::Kind::VenueReject &&
                                         reply.code == kBinanceUnknownOrder);
        audit_->record({t, "cancelled", "id=" + id, gone ? "adopted order" : venueReason(reply)});
        if (gone)
            adopted_.erase(adopted);
        else
            note("cancel of " + id + ": " + venueReason(reply));
        return;
    }
    if (!reply.ok()) {
        manager_->onCancelRejected(id, venueReason(reply), t);
        // No recheck of its own: the brackets send the cancel again at their next reconcile (the
        // next depth update, print or poll), not in a loop with a gateway that refuses at once
        // (a spent request-weight budget answers before anything leaves).
        brackets_->onCancelFailed(id, reply.kind == BinanceReply::Kind::VenueReject &&
                                          reply.code == kBinanceUnknownOrder);
        note("cancel of " + id + " refused: " + venueReason(reply));
        moves_.erase(id);
        // -2011: no longer open at the venue (most likely filled): the next poll settles it.
        schedulePoll();
        return;
    }
    BinanceOrderAnswer answer;
    std::string error;
    const Order* order = manager_->find(id);
    if (parseBinanceOrder(reply.body, instrument_, answer, error) && order &&
        answer.executedQty > order->filledQty()) {
        // Filled in part before the cancel took: a resting order fills at its own price.
        manager_->onFill(id, answer.priceTicks, answer.executedQty - order->filledQty(),
                         Liquidity::Maker, t);
    }
    order = manager_->find(id);
    if (order && isOpen(order->state())) manager_->onCancelled(id, t);
    finishMove(id);
}

void BinanceOrderEntry::finishMove(const ClientOrderId& id) {
    const auto it = moves_.find(id);
    if (it == moves_.end()) return;
    const PriceTicks price = it->second.newPriceTicks;
    moves_.erase(it);
    const Order* order = manager_->find(id);
    if (!order || order->state() != OrderState::Cancelled || order->remainingQty() <= 0) return;
    OrderRequest replacement = order->request();
    replacement.priceTicks = price;
    replacement.qty = order->remainingQty();
    const SubmitOutcome outcome = submit(replacement, "move:" + id + ":" + std::to_string(price));
    // A bracket follows its entry to the new order.
    if (outcome.status == SubmitStatus::Sent) brackets_->replaceEntry(id, outcome.id);
}

SubmitOutcome BinanceOrderEntry::moveOrder(const ClientOrderId& id, PriceTicks newPriceTicks) {
    if (brackets_->isStop(id) || brackets_->isTakeProfit(id)) {
        // A stop just takes the price; a take-profit is cancelled and, once the venue confirmed,
        // placed again by its bracket under a new id (state() shows it when it is working).
        const bool stop = brackets_->isStop(id);
        (void)brackets_->moveLeg(id, newPriceTicks);
        serviceBrackets();
        return {SubmitStatus::Sent, stop ? id : ClientOrderId{}, std::nullopt};
    }
    const Order* o = manager_->find(id);
    if (!o || !isOpen(o->state()) || o->request().type == OrderType::Market) {
        note("move: order " + id + " is not working");
        return {SubmitStatus::NotOpen, {}, std::nullopt};
    }
    if (o->request().priceTicks == newPriceTicks || moves_.count(id))
        return {SubmitStatus::Duplicate, id, std::nullopt};
    if (cancel(id) != CancelStatus::Sent) {
        note("move: the cancel of " + id + " was not sent");
        return {SubmitStatus::NotOpen, {}, std::nullopt};
    }
    moves_[id] = Move{newPriceTicks};
    return {SubmitStatus::Sent, {}, std::nullopt};
}

void BinanceOrderEntry::cancelAdopted() {
    for (const auto& [id, order] : adopted_)
        if (!cancelling_.count(id)) (void)cancel(id);
}

void BinanceOrderEntry::cancelAll() {
    brackets_->cancelAll();
    (void)manager_->cancelAll(now());
}

void BinanceOrderEntry::cancelAtPrice(PriceTicks price) {
    for (const BracketLeg& leg : brackets_->legs())
        if (leg.heldLocally && leg.priceTicks == price) (void)brackets_->cancelStop(leg.id);
    for (const ClientOrderId& id : manager_->orderIds()) {
        const Order* o = manager_->find(id);
        if (o && isOpen(o->state()) && o->request().type != OrderType::Market &&
            o->request().priceTicks == price)
            (void)cancel(id);
    }
    std::vector<ClientOrderId> adoptedAtPrice;
    for (const auto& [id, order] : adopted_)
        if (order.priceTicks == price) adoptedAtPrice.push_back(id);
    for (const ClientOrderId& id : adoptedAtPrice)
        (void)cancel(id);
}

void BinanceOrderEntry::flatten() {
    brackets_->dropAll();  // the closing orders must not be answered by a stop or take-profit
    (void)manager_->cancelAll(now());
    cancelAdopted();
    // The position closes in slices no larger than one order may be; all slices leave now (the
    // venue answers later), each through the risk checks. One key per click and slice.
    const std::string click = "flatten:" + std::to_string(++flattenSerial_);
    Lots left = std::llabs(manager_->position().qty());
    const Side side = manager_->position().qty() > 0 ? Side::Ask : Side::Bid;
    Lots sliceLimit = limits_.maxOrderQty;
    const auto mid = manager_->midTicks();
    if (mid && *mid > 0) {
        const double perLot = instrument_.toPrice(1) * *mid * instrument_.lotSize().value();
        sliceLimit = std::min(sliceLimit, static_cast<Lots>(limits_.maxOrderNotional / perLot));
    }
    constexpr int kMaxSlices = 64;
    for (int slice = 0; slice < kMaxSlices && left > 0 && sliceLimit > 0; ++slice) {
        const Lots qty = std::min(left, sliceLimit);
        if (submitMarket(side, qty, click + ":" + std::to_string(slice)).status !=
            SubmitStatus::Sent)
            return;
        left -= qty;
    }
}

void BinanceOrderEntry::killSwitch(bool flattenPosition) {
    manager_->setArmed(false, now());
    brackets_->dropAll();  // no stop or take-profit may send anything from here on
    moves_.clear();        // no replacement may follow a kill
    const std::vector<ClientOrderId> ids = manager_->orderIds();
    for (const ClientOrderId& id : ids) {
        const Order* o = manager_->find(id);
        if (o && isOpen(o->state()) && !cancelling_.count(id)) (void)cancel(id);
    }
    cancelAdopted();
    // Last in the gateway's queue: whatever the single cancels did not reach (orders of other
    // programs, or placed since our last look) goes too.
    rest_->cancelAllOrders(answered([this](BinanceReply reply) { onCancelAll(std::move(reply)); }));
    if (flattenPosition) {
        // Armed only for the closing orders, on this thread: nothing else can slip in between.
        manager_->setArmed(true, now());
        flatten();
        manager_->setArmed(false, now());
    }
}

void BinanceOrderEntry::setArmed(bool armed) {
    manager_->setArmed(armed, now());
}

void BinanceOrderEntry::schedulePoll() {
    if (pollScheduled_ || (manager_->openOrderCount() == 0 && adopted_.empty())) return;
    pollScheduled_ = true;
    pollTimer_.startAfter(pollIntervalNs_, [this] {
        pollScheduled_ = false;
        poll();
    });
}

void BinanceOrderEntry::poll() {
    if (reconciling_ || pollInFlight_) return;  // a reconciliation answers for the poll
    if (manager_->openOrderCount() == 0 && adopted_.empty()) return;
    pollInFlight_ = true;
    rest_->openOrders(
        answered([this](BinanceReply reply) { onOpenOrders(std::move(reply), false); }));
}

void BinanceOrderEntry::applyVenueOrder(const BinanceOrderAnswer& venue) {
    const Order* order = manager_->find(venue.clientOrderId);
    if (!order) return;
    const TimeNs t = now();
    if (order->state() == OrderState::Pending)
        manager_->onAcknowledged(venue.clientOrderId, venue.orderId, t);
    if (venue.executedQty > order->filledQty())
        manager_->onFill(venue.clientOrderId, venue.priceTicks,
                         venue.executedQty - order->filledQty(), Liquidity::Maker, t);
}

void BinanceOrderEntry::onOpenOrders(BinanceReply reply, bool reconciliation) {
    if (reconciliation)
        reconcileInFlight_ = false;
    else
        pollInFlight_ = false;
    std::string error;
    if (!reply.ok() || !parseBinanceOrderList(reply.body, instrument_, venueScratch_, error)) {
        const std::string why = reply.ok() ? error : venueReason(reply);
        if (reconciliation) {
            note(std::string(kReconcilingMessage) + ": " + why + "; retrying");
            reconcileTimer_.startAfter(pollIntervalNs_, [this] { reconcile(); });
        } else {
            note("open orders: " + why);
            schedulePoll();
        }
        return;
    }
    std::set<ClientOrderId> atVenue;
    for (const BinanceOrderAnswer& venue : venueScratch_) {
        atVenue.insert(venue.clientOrderId);
        if (manager_->find(venue.clientOrderId))
            applyVenueOrder(venue);
        else
            adopted_[venue.clientOrderId] = venue;  // an earlier session's: shown, never re-sent
    }
    std::erase_if(adopted_, [&](const auto& entry) { return !atVenue.count(entry.first); });

    const std::vector<ClientOrderId> ids = manager_->orderIds();
    for (const ClientOrderId& id : ids) {
        const Order* order = manager_->find(id);
        if (!order || !isOpen(order->state()) || atVenue.count(id)) continue;
        if (placing_.count(id) || cancelling_.count(id)) continue;  // its own answer settles it
        // Not open at the venue: filled or cancelled elsewhere, or (Pending after a network
        // error) perhaps never arrived. openOrders cannot tell which; the order query can.
        queryOrder(id);
    }
    if (reconciliation && reconciling_) {
        reconciling_ = false;
        if (lastMessage_.rfind(kReconcilingMessage, 0) == 0) lastMessage_.clear();
        if (!adopted_.empty())
            note(std::to_string(adopted_.size()) + " open order(s) of an earlier session adopted");
    }
    schedulePoll();
}

void BinanceOrderEntry::queryOrder(const ClientOrderId& id) {
    if (!querying_.insert(id).second) return;  // asked already, the answer is on its way
    rest_->queryOrder(
        id, answered([this, id](BinanceReply reply) { onQueried(id, std::move(reply)); }));
}

void BinanceOrderEntry::onQueried(const ClientOrderId& id, BinanceReply reply) {
    querying_.erase(id);
    const Order* order = manager_->find(id);
    if (!order || !isOpen(order->state())) return;  // settled meanwhile by another answer
    if (reply.kind == BinanceReply::Kind::VenueReject && reply.code == kBinanceOrderDoesNotExist) {
        const std::string reason = "never reached the venue (" + venueReason(reply) + ")";
        if (order->state() == OrderState::Pending)
            manager_->onRejected(id, reason, now());
        else
            manager_->onExpired(id, now());  // acknowledged once, unknown now: nothing to trust
        note("order " + id + ": " + reason);
        return;
    }
    BinanceOrderAnswer answer;
    std::string error;
    if (!reply.ok() || !parseBinanceOrder(reply.body, instrument_, answer, error)) {
        // Still unknown: the next poll finds it missing again and asks again.
        note("order " + id + " left the venue's open orders; query failed: " +
             (reply.ok() ? error : venueReason(reply)));
        schedulePoll();
        return;
    }
    settleFromVenue(answer);
    schedulePoll();
}

void BinanceOrderEntry::settleFromVenue(const BinanceOrderAnswer& venue) {
    const ClientOrderId& id = venue.clientOrderId;
    const Order* order = manager_->find(id);
    if (!order || !isOpen(order->state())) return;
    const TimeNs t = now();
    if (order->state() == OrderState::Pending) manager_->onAcknowledged(id, venue.orderId, t);
    const Lots missing = venue.executedQty - order->filledQty();
    if (missing > 0) {
        // The venue's average covers the whole execution: exact for the missing part when we
        // had none of it. Otherwise a limit order's missing part is taken at its own price (a
        // resting order fills there); a market order has no other price than the average.
        const auto average = averageExecutedPrice(venue);
        std::optional<PriceTicks> price;
        if (average && (order->filledQty() == 0 || venue.priceTicks == 0))
            price = average;
        else if (venue.priceTicks > 0)
            price = venue.priceTicks;
        if (price) {
            const Liquidity liquidity =
                *price == venue.priceTicks ? Liquidity::Maker : Liquidity::Taker;
            manager_->onFill(id, *price, missing, liquidity, t);
        } else {
            note("order " + id + ": venue executed " + instrument_.formatSize(venue.executedQty) +
                 " without a usable price; check the account");
        }
    }
    order = manager_->find(id);
    if (!order) return;
    if (!isOpen(order->state())) {
        note("order " + id + " " + describe(order->state()) + " at the venue (" +
             instrument_.formatSize(venue.executedQty) + " executed)");
        return;
    }
    if (venue.status == "CANCELED")
        manager_->onCancelled(id, t);
    else if (venue.status == "EXPIRED" || venue.status == "EXPIRED_IN_MATCH")
        manager_->onExpired(id, t);
    else if (venue.status == "REJECTED")
        manager_->onRejected(id, "the venue reports REJECTED", t);
    else
        return;  // NEW or PARTIALLY_FILLED: still working, the polls follow it
    if (!(order = manager_->find(id))) return;
    note("order " + id + " " + describe(order->state()) + " at the venue, not by us (" +
         instrument_.formatSize(venue.executedQty) + " executed)");
}

void BinanceOrderEntry::onCancelAll(BinanceReply reply) {
    if (reply.kind == BinanceReply::Kind::VenueReject && reply.code == kBinanceUnknownOrder)
        return;  // nothing was open any more: the single cancels got everything
    std::string error;
    if (!reply.ok() || !parseBinanceOrderList(reply.body, instrument_, venueScratch_, error)) {
        note("kill switch: cancel-all failed: " + (reply.ok() ? error : venueReason(reply)));
        return;
    }
    int unseen = 0;
    for (const BinanceOrderAnswer& venue : venueScratch_) {
        if (manager_->find(venue.clientOrderId)) {
            settleFromVenue(venue);
        } else if (adopted_.erase(venue.clientOrderId) == 0) {
            ++unseen;
        }
    }
    audit_->record({now(), "cancel-all", "symbol=" + instrument_.symbol(),
                    std::to_string(venueScratch_.size()) + " cancelled, " + std::to_string(unseen) +
                        " unseen by this session"});
    if (unseen > 0)
        note("kill switch cancelled " + std::to_string(unseen) +
             " order(s) this session had not seen");
}

TradingState BinanceOrderEntry::state() const {
    TradingState s = deskState(*manager_, *brackets_, instrument_, fills_, lastMessage_);
    // Open orders found at the venue that an earlier session placed: adopted, shown with ours.
    for (const auto& [id, o] : adopted_)
        s.orders.push_back({id, o.side, o.priceTicks, o.origQty - o.executedQty, o.executedQty});
    return s;
}

}  // namespace flowscope::trading
