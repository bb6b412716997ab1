#include "trading/paper_desk.h"

#include <chrono>
#include <cmath>

namespace flowscope::trading {
namespace {
constexpr std::size_t kLastFills = 8;
}

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
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
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
            fills_.push_front({++fillSequence_, t, order.request().side, price, qty});
            while (fills_.size() > kLastFills)
                fills_.pop_back();
        });
    gateway_->syncMarket();
    manager_->setArmed(config.armed, now());
}

SubmitOutcome PaperDesk::submit(const OrderRequest& request, const std::string& intentKey) {
    SubmitOutcome outcome = manager_->submit(request, intentKey, now());
    if (outcome.status == SubmitStatus::Blocked && outcome.rejection)
        lastMessage_ = outcome.rejection->message;
    else if (outcome.status == SubmitStatus::NotConnected)
        lastMessage_ = "not connected";
    else if (outcome.status == SubmitStatus::Sent)
        lastMessage_.clear();
    return outcome;
}

CancelStatus PaperDesk::cancel(const ClientOrderId& id) {
    return manager_->cancel(id, now());
}

SubmitOutcome PaperDesk::moveOrder(const ClientOrderId& id, PriceTicks newPriceTicks) {
    const Order* o = manager_->find(id);
    if (!o || !isOpen(o->state()) || o->request().type == OrderType::Market) {
        lastMessage_ = "move: order " + id + " is not working";
        return {SubmitStatus::NotOpen, {}, std::nullopt};
    }
    if (o->request().priceTicks == newPriceTicks) return {SubmitStatus::Duplicate, id, std::nullopt};
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
    return submit(replacement, "move:" + id + ":" + std::to_string(newPriceTicks));
}

void PaperDesk::killSwitch(bool flattenPosition) {
    manager_->cancelAll(now());
    if (flattenPosition) {
        // Armed only for the closing orders, on this thread: nothing else can slip in between.
        manager_->setArmed(true, now());
        flatten();
    }
    manager_->setArmed(false, now());
}

void PaperDesk::cancelAtPrice(PriceTicks price) {
    for (const ClientOrderId& id : manager_->orderIds()) {
        const Order* o = manager_->find(id);
        if (o && isOpen(o->state()) && o->request().type != OrderType::Market &&
            o->request().priceTicks == price)
            (void)manager_->cancel(id, now());
    }
}

void PaperDesk::cancelAll() {
    manager_->cancelAll(now());
}

void PaperDesk::flatten() {
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
        const std::uint64_t before = fillSequence_;
        (void)submitMarket(qty > 0 ? Side::Ask : Side::Bid, sliceQty,
                           click + ":" + std::to_string(slice));
        if (fillSequence_ == before) return;  // blocked, or nothing to match
    }
}

void PaperDesk::setArmed(bool armed) {
    manager_->setArmed(armed, now());
}

TradingState PaperDesk::state() const {
    TradingState s;
    s.available = true;
    s.armed = manager_->armed();
    for (const ClientOrderId& id : manager_->orderIds()) {
        const Order* o = manager_->find(id);
        if (!o || !isOpen(o->state()) || o->request().type == OrderType::Market) continue;
        s.orders.push_back(
            {id, o->request().side, o->request().priceTicks, o->remainingQty(), o->filledQty()});
    }
    const Position& p = manager_->position();
    s.positionQty = p.qty();
    s.averagePriceTicks = p.averagePriceTicks();
    s.realisedQuote = toQuote(instrument_, p.realisedTickLots());
    const auto mid = manager_->midTicks();
    s.unrealisedQuote = mid ? toQuote(instrument_, p.unrealisedTickLots(*mid)) : 0.0;
    s.feesQuote = toQuote(instrument_, p.feesTickLots());
    s.lastFills.assign(fills_.begin(), fills_.end());
    s.lastMessage = lastMessage_;
    return s;
}

}  // namespace flowscope::trading
