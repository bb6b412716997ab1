#include "trading/order_manager.h"
#include "book/clock.h"

#include <utility>

namespace flowscope::trading {

namespace {

constexpr TimeNs kRateWindowNs = 1'000'000'000;

const char* tifName(TimeInForce t) {
    switch (t) {
        case TimeInForce::GoodTillCancel:
            return "gtc";
        case TimeInForce::ImmediateOrCancel:
            return "ioc";
        case TimeInForce::Day:
            return "day";
    }
    return "?";
}

constexpr TimeNs kDayNs = 86'400 * TimeNs{1'000'000'000};

}  // namespace

OrderManager::OrderManager(RiskCheck risk, FeeRates fees, ClientOrderIdGenerator ids,
                           AuditLog& audit, OrderManagerConfig config)
    : risk_(std::move(risk)),
      position_(fees),
      ids_(std::move(ids)),
      audit_(audit),
      config_(std::move(config)) {
    rollTradingDay();
}

void OrderManager::rollTradingDay() {
    const TimeNs now = config_.wallClockNs();
    if (now < nextDayStartNs_) return;
    // The first midnight after now; the P&L made so far belongs to the days before.
    nextDayStartNs_ = (now / kDayNs + 1) * kDayNs;
    dayStartPnl_ = sessionPnl();
}

void OrderManager::setArmed(bool armed, TimeNs nowNs) {
    if (armed == risk_.armed()) return;
    risk_.setArmed(armed);
    audit(nowNs, armed ? "arm" : "disarm", "symbol=" + risk_.instrument().symbol(), {});
}

void OrderManager::onMarket(std::optional<PriceTicks> bestBid, std::optional<PriceTicks> bestAsk) {
    // Rolled before the new touch marks the position: the day begins at the old day's last
    // price.
    rollTradingDay();
    bestBid_ = bestBid;
    bestAsk_ = bestAsk;
}

std::optional<double> OrderManager::midTicks() const {
    if (!bestBid_ || !bestAsk_) return std::nullopt;
    return (static_cast<double>(*bestBid_) + static_cast<double>(*bestAsk_)) / 2.0;
}

double OrderManager::sessionPnl() const {
    // Without a mid the open position is marked at its own entry: no unrealised P&L invented.
    const double mark = midTicks().value_or(position_.averagePriceTicks());
    return toQuote(risk_.instrument(), position_.netTickLots(mark));
}

double OrderManager::dayPnl() const {
    return sessionPnl() - dayStartPnl_;
}

RiskContext OrderManager::riskContext(TimeNs nowNs) {
    rollTradingDay();
    while (!recentSubmitsNs_.empty() && nowNs - recentSubmitsNs_.front() >= kRateWindowNs)
        recentSubmitsNs_.pop_front();
    recentScratch_.assign(recentSubmitsNs_.begin(), recentSubmitsNs_.end());
    RiskContext context;
    context.bestBid = bestBid_;
    context.bestAsk = bestAsk_;
    context.openOrders = openOrderCount();
    for (const ClientOrderId& id : open_) {
        const Order& order = orders_.at(id);
        (order.request().side == Side::Bid ? context.openBuyQty : context.openSellQty) +=
            order.remainingQty();
    }
    context.positionQty = position_.qty();
    context.recentSubmitsNs = recentScratch_;
    context.nowNs = nowNs;
    context.dayPnl = dayPnl();
    return context;
}

SubmitOutcome OrderManager::submit(const OrderRequest& request, std::string_view intentKey,
                                   TimeNs nowNs) {
    if (!intentKey.empty()) {
        if (const auto it = intents_.find(intentKey); it != intents_.end()) {
            const Order& earlier = orders_.at(it->second.id);
            if (isOpen(earlier.state()) || nowNs - it->second.firstNs < config_.duplicateWindowNs) {
                audit(nowNs, "duplicate", describeRequest(earlier.id(), request),
                      std::string("intent ") + std::string(intentKey) + " is " +
                          describe(earlier.state()));
                return {SubmitStatus::Duplicate, earlier.id(), std::nullopt};
            }
        }
    }
    if (!gateway_) {
        audit(nowNs, "submit", describeRequest({}, request), "not connected");
        return {SubmitStatus::NotConnected, {}, std::nullopt};
    }

    const ClientOrderId id = ids_.next();
    Order& order = orders_.emplace(id, Order(id, request, nowNs)).first->second;
    sequence_.push_back(id);

    if (auto rejection = risk_.check(request, riskContext(nowNs))) {
        // Blocked orders keep no intent key: once the cause is fixed the same click may go.
        (void)order.reject(rejection->message, nowNs);
        audit(nowNs, "block", describeRequest(id, request), rejection->message);
        return {SubmitStatus::Blocked, id, std::move(rejection)};
    }

    if (!intentKey.empty()) intents_[std::string(intentKey)] = Intent{id, nowNs};
    recentSubmitsNs_.push_back(nowNs);
    (void)order.transitionTo(OrderState::Pending, nowNs);
    updateOpen(order);
    audit(nowNs, "submit", describeRequest(id, request), {});
    // May answer synchronously: the order is Pending and in open_ before the venue sees it.
    gateway_->sendNew(order);
    return {SubmitStatus::Sent, id, std::nullopt};
}

CancelStatus OrderManager::cancel(const ClientOrderId& id, TimeNs nowNs) {
    Order* order = findMutable(id);
    CancelStatus status = CancelStatus::Sent;
    if (!order)
        status = CancelStatus::UnknownOrder;
    else if (!isOpen(order->state()))
        status = CancelStatus::NotOpen;
    else if (order->cancelRequested())
        status = CancelStatus::AlreadyRequested;
    else if (!gateway_)
        status = CancelStatus::NotConnected;
    const char* answers[] = {"", "unknown order", "not open", "already requested", "not connected"};
    audit(nowNs, "cancel", "id=" + id, answers[static_cast<int>(status)]);
    if (status != CancelStatus::Sent) return status;
    order->markCancelRequested();
    gateway_->sendCancel(*order);
    return status;
}

int OrderManager::cancelAll(TimeNs nowNs) {
    // Copied: a synchronous gateway removes orders from open_ while we iterate.
    const std::vector<ClientOrderId> open(open_.begin(), open_.end());
    audit(nowNs, "cancel-all", "open=" + std::to_string(open.size()), {});
    int sent = 0;
    for (const ClientOrderId& id : open) {
        const Order* order = find(id);
        if (!order || order->cancelRequested()) continue;
        if (cancel(id, nowNs) == CancelStatus::Sent) ++sent;
    }
    return sent;
}

void OrderManager::onAcknowledged(const ClientOrderId& id, std::uint64_t venueOrderId,
                                  TimeNs nowNs) {
    Order* order = findMutable(id);
    if (!order) return settle(id, TransitionError::Illegal, nowNs, "ack", "unknown order");
    order->setVenueOrderId(venueOrderId);
    // A taker order may be filled before its acknowledgement arrives: nothing to change then.
    if (order->state() != OrderState::Pending) {
        audit(nowNs, "ack", "id=" + id, "venue id " + std::to_string(venueOrderId));
        return;
    }
    settle(id, order->transitionTo(OrderState::Acknowledged, nowNs), nowNs, "ack",
           "venue id " + std::to_string(venueOrderId));
}

void OrderManager::onFill(const ClientOrderId& id, PriceTicks priceTicks, Lots qty,
                          Liquidity liquidity, TimeNs nowNs) {
    Order* order = findMutable(id);
    const std::string detail = risk_.instrument().formatSize(qty) + " @ " +
                               risk_.instrument().formatPrice(priceTicks) +
                               (liquidity == Liquidity::Maker ? " maker" : " taker");
    if (!order) return settle(id, TransitionError::Illegal, nowNs, "fill", detail);
    const TransitionError error = order->applyFill(qty, priceTicks, nowNs);
    // The position follows the venue's fills that the order accepts; a refused fill (an
    // overfill) is audited for a human to reconcile rather than guessed at.
    if (error == TransitionError::None)
        position_.applyFill(order->request().side, priceTicks, qty, liquidity);
    settle(id, error, nowNs, "fill", detail);
    if (error == TransitionError::None && fillListener_)
        fillListener_(*order, priceTicks, qty, liquidity, nowNs);
}

void OrderManager::onRejected(const ClientOrderId& id, const std::string& reason, TimeNs nowNs) {
    Order* order = findMutable(id);
    settle(id, order ? order->reject(reason, nowNs) : TransitionError::Illegal, nowNs, "reject",
           reason);
}

void OrderManager::onCancelled(const ClientOrderId& id, TimeNs nowNs) {
    Order* order = findMutable(id);
    settle(id, order ? order->transitionTo(OrderState::Cancelled, nowNs) : TransitionError::Illegal,
           nowNs, "cancelled", {});
}

void OrderManager::onExpired(const ClientOrderId& id, TimeNs nowNs) {
    Order* order = findMutable(id);
    settle(id, order ? order->transitionTo(OrderState::Expired, nowNs) : TransitionError::Illegal,
           nowNs, "expired", {});
}

void OrderManager::onCancelRejected(const ClientOrderId& id, const std::string& reason,
                                    TimeNs nowNs) {
    audit(nowNs, "cancel-reject", "id=" + id, reason);
}

const Order* OrderManager::find(const ClientOrderId& id) const {
    const auto it = orders_.find(id);
    return it == orders_.end() ? nullptr : &it->second;
}

Order* OrderManager::findMutable(const ClientOrderId& id) {
    const auto it = orders_.find(id);
    return it == orders_.end() ? nullptr : &it->second;
}

void OrderManager::settle(const ClientOrderId& id, TransitionError error, TimeNs nowNs,
                          std::string action, std::string detail) {
    if (error != TransitionError::None) {
        ++ignoredAnswers_;
        const Order* order = find(id);
        audit(nowNs, std::move(action), "id=" + id,
              detail + (detail.empty() ? "" : "; ") +
                  "ignored: " + (order ? describe(error) : "unknown order") +
                  (order ? std::string(" in state ") + describe(order->state()) : std::string()));
        return;
    }
    const Order& order = orders_.at(id);
    updateOpen(order);
    audit(nowNs, std::move(action), "id=" + id,
          detail + (detail.empty() ? "" : "; ") + "now " + describe(order.state()));
}

void OrderManager::updateOpen(const Order& order) {
    if (isOpen(order.state()))
        open_.insert(order.id());
    else
        open_.erase(order.id());
}

void OrderManager::audit(TimeNs nowNs, std::string action, std::string params, std::string answer) {
    audit_.record(AuditRecord{nowNs, std::move(action), std::move(params), std::move(answer)});
}

std::string OrderManager::describeRequest(const ClientOrderId& id,
                                          const OrderRequest& request) const {
    const Instrument& instrument = risk_.instrument();
    std::string text = "id=" + (id.empty() ? std::string("-") : id) +
                       " symbol=" + instrument.symbol() + " side=" + sideName(request.side) +
                       " type=" + describe(request.type);
    if (request.type != OrderType::Market)
        text += " price=" + instrument.formatPrice(request.priceTicks);
    text += " qty=" + instrument.formatSize(request.qty) + " tif=" + tifName(request.timeInForce) +
            " reduceOnly=" + (request.reduceOnly ? "1" : "0");
    return text;
}

}  // namespace flowscope::trading
