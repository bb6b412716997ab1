#include "trading/paper_desk.h"

#include <cmath>

#include "book/clock.h"

namespace flowscope::trading {

RiskLimits defaultPaperLimits() {
    RiskLimits l;
    l.maxOrderQty = 5'000;           // 5 BTC
    l.maxOrderNotional = 500'000.0;  // quote currency
    l.priceBandBps = 100;            // 1% from mid
    l.maxOpenOrders = 50;
    l.maxPositionQty = 20'000;  // 20 BTC
    l.maxOrdersPerSecond = 20;
    l.dailyLossLimit = 50'000.0;
    return l;
}

TimeNs PaperDesk::now() {
    return steadyNowNs();
}

PaperDesk::PaperDesk(sim::SimulatedMarket& market, const PaperDeskConfig& config,
                     TimeNs sessionStartNs)
    : market_(market), instrument_(market.instrument()), limits_(config.limits) {
    if (config.auditPath.empty())
        audit_ = std::make_unique<MemoryAuditLog>();
    else
        audit_ = std::make_unique<FileAuditLog>(config.auditPath);
    manager_ = std::make_unique<OrderManager>(
        RiskCheck(instrument_, config.limits), config.fees,
        ClientOrderIdGenerator(ClientOrderIdGenerator::sessionPrefixFor(sessionStartNs)), *audit_);
    gateway_ = std::make_unique<PaperGateway>(market_, *manager_, &PaperDesk::now);
    manager_->setGateway(gateway_.get());
    manager_->setFillListener(
        [this](const Order& order, PriceTicks price, Lots qty, Liquidity, TimeNs t) {
            fills_.add(t, order.request().side, price, qty);
            // Maker fills arrive inside the match: the brackets see them at the next service().
            bracketDriver_->noteFill(order.id(), price, qty);
        });
    brackets_ = std::make_unique<BracketManager>(
        BracketManager::Actions{
            [this](const OrderRequest& r, const std::string& key) {
                return submitUnserviced(r, key);
            },
            [this](const ClientOrderId& id) { return manager_->cancel(id, now()); }},
        /*reduceOnly=*/false);  // SIM refuses reduce-only; the legs are sized to the bracket
    bracketDriver_ = std::make_unique<BracketDriver>(
        *brackets_,
        [this](const ClientOrderId& id) {
            const Order* o = manager_->find(id);
            if (!o) return OrderProgress{false, 0};
            return OrderProgress{isOpen(o->state()), o->filledQty()};
        },
        [this] {
            const Level bid = market_.engine().bestBid();
            const Level ask = market_.engine().bestAsk();
            return BracketDriver::Touch{bid.qty > 0 ? std::optional(bid.price) : std::nullopt,
                                        ask.qty > 0 ? std::optional(ask.price) : std::nullopt};
        });
    gateway_->syncMarket();
    manager_->setArmed(config.armed, now());
}

void PaperDesk::MarketTap::onLevel(const sim::LevelUpdate& update) {
    desk_.gateway_->onLevel(update);
    desk_.bracketDriver_->noteTouchChanged();
}

void PaperDesk::MarketTap::onTrade(const Trade& trade) {
    desk_.gateway_->onTrade(trade);
    desk_.bracketDriver_->notePrint(trade.price);
}

void PaperDesk::MarketTap::onFill(const sim::Fill& fill) {
    desk_.gateway_->onFill(fill);
}

void PaperDesk::MarketTap::onQueuePosition(const sim::QueuePosition& position) {
    desk_.gateway_->onQueuePosition(position);
}

void PaperDesk::service() {
    if (auto problem = bracketDriver_->service()) lastMessage_ = std::move(*problem);
}

SubmitOutcome PaperDesk::submit(const OrderRequest& request, const std::string& intentKey) {
    SubmitOutcome outcome = submitUnserviced(request, intentKey);
    service();
    return outcome;
}

SubmitOutcome PaperDesk::submitUnserviced(const OrderRequest& request,
                                          const std::string& intentKey) {
    SubmitOutcome outcome = manager_->submit(request, intentKey, now());
    if (outcome.status == SubmitStatus::Blocked && outcome.rejection)
        lastMessage_ = outcome.rejection->message;
    else if (outcome.status == SubmitStatus::NotConnected)
        lastMessage_ = "not connected";
    else if (outcome.status == SubmitStatus::Sent)
        lastMessage_.clear();
    return outcome;
}

SubmitOutcome PaperDesk::submitBracket(const OrderRequest& entry, const BracketSpec& bracket,
                                       const std::string& intentKey) {
    // The entry's own fills (a market entry fills inside submit) are queued, so the bracket
    // registered right after still sees every one of them at service().
    SubmitOutcome outcome = submitUnserviced(entry, intentKey);
    if (outcome.status == SubmitStatus::Sent) brackets_->addEntry(outcome.id, entry.side, bracket);
    service();
    return outcome;
}

CancelStatus PaperDesk::cancel(const ClientOrderId& id) {
    if (brackets_->isStop(id)) {
        (void)brackets_->cancelStop(id);
        return CancelStatus::Sent;
    }
    const CancelStatus status = manager_->cancel(id, now());
    service();
    return status;
}

SubmitOutcome PaperDesk::moveOrder(const ClientOrderId& id, PriceTicks newPriceTicks) {
    if (brackets_->isTakeProfit(id) || brackets_->isStop(id)) {
        // A stop just takes the price; a take-profit is cancelled and placed again by the
        // bracket, under a new id.
        const bool stop = brackets_->isStop(id);
        (void)brackets_->moveLeg(id, newPriceTicks);
        service();
        if (stop) return {SubmitStatus::Sent, id, std::nullopt};
        for (const BracketLeg& leg : brackets_->legs())
            if (leg.role == OrderRole::TakeProfit && leg.priceTicks == newPriceTicks)
                return {SubmitStatus::Sent, leg.id, std::nullopt};
        // No take-profit at the new price: it filled at once (it crossed), or the replacement
        // was refused (lastMessage says why).
        if (!lastMessage_.empty()) return {SubmitStatus::NotOpen, {}, std::nullopt};
        return {SubmitStatus::Sent, {}, std::nullopt};
    }
    SubmitOutcome outcome = moveUnserviced(id, newPriceTicks);
    // Before service(): the old entry's cancel must not read as the end of its bracket.
    if (outcome.status == SubmitStatus::Sent) brackets_->replaceEntry(id, outcome.id);
    service();
    return outcome;
}

SubmitOutcome PaperDesk::moveUnserviced(const ClientOrderId& id, PriceTicks newPriceTicks) {
    const Order* o = manager_->find(id);
    if (!o || !isOpen(o->state()) || o->request().type == OrderType::Market) {
        lastMessage_ = "move: order " + id + " is not working";
        return {SubmitStatus::NotOpen, {}, std::nullopt};
    }
    if (o->request().priceTicks == newPriceTicks)
        return {SubmitStatus::Duplicate, id, std::nullopt};
    OrderRequest replacement = o->request();
    replacement.priceTicks = newPriceTicks;
    replacement.qty = o->remainingQty();
    // Cancel first: the paper venue answers at once, so what is left is known exactly and the
    // replacement never doubles the exposure. One key per move of this order to this price.
    if (manager_->cancel(id, now()) != CancelStatus::Sent) {
        lastMessage_ = "move: the cancel of " + id + " was not sent";
        return {SubmitStatus::NotOpen, {}, std::nullopt};
    }
    const Order* after = manager_->find(id);
    if (after && after->state() != OrderState::Cancelled) {
        lastMessage_ = "move: " + id + " did not cancel";
        return {SubmitStatus::NotOpen, {}, std::nullopt};
    }
    replacement.qty = after ? after->remainingQty() : replacement.qty;
    if (replacement.qty <= 0) return {SubmitStatus::NotOpen, {}, std::nullopt};
    return submitUnserviced(replacement, "move:" + id + ":" + std::to_string(newPriceTicks));
}

void PaperDesk::killSwitch(bool flattenPosition) {
    brackets_->dropAll();  // no stop or take-profit may send anything from here on
    manager_->cancelAll(now());
    if (flattenPosition) {
        // Armed only for the closing orders, on this thread: nothing else can slip in between.
        manager_->setArmed(true, now());
        flatten();
    }
    manager_->setArmed(false, now());
}

void PaperDesk::cancelAtPrice(PriceTicks price) {
    for (const BracketLeg& leg : brackets_->legs())
        if (leg.heldLocally && leg.priceTicks == price) (void)brackets_->cancelStop(leg.id);
    for (const ClientOrderId& id : manager_->orderIds()) {
        const Order* o = manager_->find(id);
        if (o && isOpen(o->state()) && o->request().type != OrderType::Market &&
            o->request().priceTicks == price)
            (void)manager_->cancel(id, now());
    }
    service();
}

void PaperDesk::cancelAll() {
    brackets_->cancelAll();
    manager_->cancelAll(now());
    service();
}

void PaperDesk::flatten() {
    brackets_->dropAll();  // the closing orders must not be answered by a stop or take-profit
    manager_->cancelAll(now());
    // Closed in slices no larger than one order may be, so a position built from several
    // orders can always be closed; each slice passes the risk checks like any order. One key
    // per flatten click and slice: a double click cannot send the close twice.
    const std::string click = "flatten:" + std::to_string(++flattenSerial_);
    constexpr int kMaxSlices = 64;
    for (int slice = 0; slice < kMaxSlices; ++slice) {
        const Lots qty = manager_->position().qty();
        if (qty == 0) return;
        Lots sliceQty = std::llabs(qty);
        if (limits_.maxOrderQty > 0) sliceQty = std::min(sliceQty, limits_.maxOrderQty);
        const auto mid = manager_->midTicks();
        if (limits_.maxOrderNotional > 0 && mid && *mid > 0) {
            const double perLot = instrument_.toPrice(1) * *mid * instrument_.lotSize().value();
            sliceQty = std::min(sliceQty, static_cast<Lots>(limits_.maxOrderNotional / perLot));
        }
        if (sliceQty <= 0) return;
        const std::uint64_t before = fills_.sequence();
        (void)submitMarket(qty > 0 ? Side::Ask : Side::Bid, sliceQty,
                           click + ":" + std::to_string(slice));
        if (fills_.sequence() == before) return;  // blocked, or nothing to match
    }
}

void PaperDesk::setArmed(bool armed) {
    manager_->setArmed(armed, now());
}

TradingState PaperDesk::state() const {
    return deskState(*manager_, *brackets_, instrument_, fills_, lastMessage_);
}

}  // namespace flowscope::trading
