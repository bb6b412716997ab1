#include "trading/order.h"

#include <utility>

namespace flowscope::trading {

const char* describe(OrderState s) {
    switch (s) {
        case OrderState::New:
            return "new";
        case OrderState::Pending:
            return "pending";
        case OrderState::Acknowledged:
            return "acknowledged";
        case OrderState::PartiallyFilled:
            return "partially filled";
        case OrderState::Filled:
            return "filled";
        case OrderState::Cancelled:
            return "cancelled";
        case OrderState::Rejected:
            return "rejected";
        case OrderState::Expired:
            return "expired";
    }
    return "?";
}

const char* describe(OrderType t) {
    switch (t) {
        case OrderType::Limit:
            return "limit";
        case OrderType::Market:
            return "market";
        case OrderType::PostOnly:
            return "post-only";
        case OrderType::ImmediateOrCancel:
            return "ioc";
    }
    return "?";
}

const char* sideName(Side s) {
    return s == Side::Bid ? "buy" : "sell";
}

const char* describe(TransitionError e) {
    switch (e) {
        case TransitionError::None:
            return "ok";
        case TransitionError::Illegal:
            return "illegal transition";
        case TransitionError::Overfill:
            return "fill exceeds the unfilled size";
        case TransitionError::InvalidFill:
            return "invalid fill";
    }
    return "?";
}

bool isLegalTransition(OrderState from, OrderState to) {
    using S = OrderState;
    switch (from) {
        case S::New:
            // Rejected here means blocked locally: nothing left.
            return to == S::Pending || to == S::Rejected;
        case S::Pending:
            return to == S::Acknowledged || to == S::PartiallyFilled || to == S::Filled ||
                   to == S::Cancelled || to == S::Rejected || to == S::Expired;
        case S::Acknowledged:
        case S::PartiallyFilled:
            return to == S::PartiallyFilled || to == S::Filled || to == S::Cancelled ||
                   to == S::Expired;
        case S::Filled:
        case S::Cancelled:
        case S::Rejected:
        case S::Expired:
            return false;
    }
    return false;
}

Order::Order(ClientOrderId id, OrderRequest request, TimeNs createdNs)
    : id_(std::move(id)), request_(request), createdNs_(createdNs) {}

double Order::averageFillPriceTicks() const {
    if (filledQty_ == 0) return 0;
    return static_cast<double>(filledNotionalTickLots_) / static_cast<double>(filledQty_);
}

TransitionError Order::transitionTo(OrderState to, TimeNs timeNs) {
    if (!isLegalTransition(state_, to)) return TransitionError::Illegal;
    // Fill states carry a size: they are reached through applyFill() only, so that filledQty_
    // and the state can never disagree.
    if ((to == OrderState::PartiallyFilled || to == OrderState::Filled) && filledQty_ == 0)
        return TransitionError::InvalidFill;
    history_.push_back({state_, to, timeNs});
    state_ = to;
    return TransitionError::None;
}

TransitionError Order::applyFill(Lots qty, PriceTicks priceTicks, TimeNs timeNs) {
    if (isTerminal(state_)) return TransitionError::Illegal;
    if (qty <= 0 || state_ == OrderState::New) return TransitionError::InvalidFill;
    if (qty > remainingQty()) return TransitionError::Overfill;
    const OrderState to = qty == remainingQty() ? OrderState::Filled : OrderState::PartiallyFilled;
    filledQty_ += qty;
    filledNotionalTickLots_ += qty * priceTicks;
    history_.push_back({state_, to, timeNs});
    state_ = to;
    return TransitionError::None;
}

TransitionError Order::reject(std::string reason, TimeNs timeNs) {
    const TransitionError e = transitionTo(OrderState::Rejected, timeNs);
    if (e == TransitionError::None) rejectReason_ = std::move(reason);
    return e;
}

ClientOrderIdGenerator::ClientOrderIdGenerator(std::string sessionPrefix)
    : prefix_(std::move(sessionPrefix)) {}

std::string ClientOrderIdGenerator::sessionPrefixFor(TimeNs wallNs) {
    constexpr char kDigits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
    auto ms = static_cast<std::uint64_t>(wallNs < 0 ? 0 : wallNs / 1'000'000);
    std::string out;
    do {
        out.insert(out.begin(), kDigits[ms % 36]);
        ms /= 36;
    } while (ms > 0);
    return out;
}

ClientOrderId ClientOrderIdGenerator::next() {
    return prefix_ + "-" + std::to_string(++counter_);
}

}  // namespace flowscope::trading
