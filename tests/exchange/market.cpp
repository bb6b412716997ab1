#include "market.h"

namespace flowscope::exchange {

Market::Market(Instrument instrument) : instrument_(std::move(instrument)) {
    history_.push_back(view(kHistoryDepth));
}

void Market::load(const std::vector<Level>& bids, const std::vector<Level>& asks) {
    ++lastUpdateId_;
    if (book_.applySnapshot(bids, asks, lastUpdateId_, wallNowNs()) != BookError::None)
        book_.clear();
    history_.clear();
    history_.push_back(view(kHistoryDepth));
}

bool Market::setLevel(Side side, PriceTicks price, Lots qty) {
    if (qty < 0 || price == kNoBidPrice || price == kNoAskPrice) return false;
    if (book_.sizeAt(side, price) == qty) return true;
    const std::uint64_t id = lastUpdateId_ + 1;
    if (book_.apply(side, price, qty, id, wallNowNs()) != BookError::None) return false;
    lastUpdateId_ = id;
    if (listener_) listener_->onBookChange({side, price, qty, id});
    return true;
}

void Market::trade(Side aggressor, PriceTicks price, Lots qty) {
    const Trade print{price, qty, aggressor, wallNowNs(), nextTradeId_++};
    if (listener_) listener_->onTrade(print);
}

BookView Market::view(std::size_t depth) const {
    BookView out;
    out.lastUpdateId = lastUpdateId_;
    for (Side side : {Side::Bid, Side::Ask}) {
        const BookSide& levels = book_.side(side);
        auto& target = side == Side::Bid ? out.bids : out.asks;
        const std::size_t n = std::min(depth, levels.depth());
        target.reserve(n);
        for (std::size_t i = 0; i < n; ++i)
            target.push_back(levels.level(i));
    }
    return out;
}

void Market::rememberBook() {
    history_.push_back(view(kHistoryDepth));
    while (history_.size() > kHistory)
        history_.pop_front();
}

}  // namespace flowscope::exchange
