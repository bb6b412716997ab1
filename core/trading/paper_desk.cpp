#include "trading/paper_desk.h"

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

PaperDesk::PaperDesk(sim::SimulatedMarket& market, const PaperDeskConfig& config,
                     TimeNs sessionStartNs)
    : market_(market), instrument_(market.instrument()) {
    if (config.auditPath.empty())
        audit_ = std::make_unique<MemoryAuditLog>();
    else
        audit_ = std::make_unique<FileAuditLog>(config.auditPath);
    manager_ = std::make_unique<OrderManager>(
        RiskCheck(instrument_, config.limits), config.fees,
        ClientOrderIdGenerator(ClientOrderIdGenerator::sessionPrefixFor(sessionStartNs)), *audit_);
    gateway_ = std::make_unique<PaperGateway>(market_, *manager_);
    manager_->setGateway(gateway_.get());
    gateway_->syncMarket();
    manager_->setArmed(config.armed, now());
}

void PaperDesk::submit(const OrderRequest& request, const std::string& intentKey) {
    const SubmitOutcome outcome = manager_->submit(request, intentKey, now());
    if (outcome.status == SubmitStatus::Blocked && outcome.rejection)
        lastMessage_ = outcome.rejection->message;
    else if (outcome.status == SubmitStatus::NotConnected)
        lastMessage_ = "not connected";
    else if (outcome.status == SubmitStatus::Sent)
        lastMessage_.clear();
    noteFills();  // marketable orders fill on arrival
}

void PaperDesk::submitLimit(Side side, PriceTicks price, Lots qty, const std::string& intentKey) {
    submit(OrderRequest{side, OrderType::Limit, price, qty}, intentKey);
}

void PaperDesk::submitMarket(Side side, Lots qty, const std::string& intentKey) {
    submit(OrderRequest{side, OrderType::Market, 0, qty, TimeInForce::ImmediateOrCancel},
           intentKey);
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
    const Lots qty = manager_->position().qty();
    if (qty == 0) return;
    // One flatten per position size and second: a double click cannot flip the position.
    const std::string key =
        "flatten:" + std::to_string(qty) + ":" + std::to_string(now() / 1'000'000'000);
    submitMarket(qty > 0 ? Side::Ask : Side::Bid, std::llabs(qty), key);
}

void PaperDesk::setArmed(bool armed) {
    manager_->setArmed(armed, now());
}

void PaperDesk::noteFills() {
    for (const ClientOrderId& id : manager_->orderIds()) {
        const Order* o = manager_->find(id);
        if (!o || o->filledQty() == 0) continue;
        auto& [seenQty, seenAvg] = filledSeen_[id];
        if (o->filledQty() == seenQty) continue;
        const Lots delta = o->filledQty() - seenQty;
        // The new fills' price from the change of the order's average fill price.
        const double avg = o->averageFillPriceTicks();
        const double price =
            (avg * static_cast<double>(o->filledQty()) - seenAvg * static_cast<double>(seenQty)) /
            static_cast<double>(delta);
        fills_.push_front(
            {now(), o->request().side, static_cast<PriceTicks>(std::llround(price)), delta});
        seenQty = o->filledQty();
        seenAvg = avg;
    }
    while (fills_.size() > kLastFills)
        fills_.pop_back();
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
