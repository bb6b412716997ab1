#include "book/order_book.h"

#include <algorithm>
#include <vector>

namespace flowscope {
namespace {

bool isSentinel(PriceTicks p) {
    return p == kNoBidPrice || p == kNoAskPrice;
}

BookError validateSide(std::span<const Level> levels, std::vector<PriceTicks>& scratch) {
    scratch.clear();
    for (const Level& l : levels) {
        if (l.qty < 0) return BookError::NegativeSize;
        if (l.qty == 0) continue;  // absent levels (including padded empty ones) are skipped
        if (isSentinel(l.price)) return BookError::InvalidPrice;
        scratch.push_back(l.price);
    }
    std::sort(scratch.begin(), scratch.end());
    if (std::adjacent_find(scratch.begin(), scratch.end()) != scratch.end())
        return BookError::DuplicateLevel;
    return BookError::None;
}

}  // namespace

const char* describe(BookError e) {
    switch (e) {
        case BookError::None:
            return "none";
        case BookError::NegativeSize:
            return "negative size";
        case BookError::InvalidPrice:
            return "invalid price";
        case BookError::DuplicateLevel:
            return "duplicate price level in snapshot";
    }
    return "unknown";
}

const char* describe(BookState s) {
    switch (s) {
        case BookState::Normal:
            return "normal";
        case BookState::Empty:
            return "empty";
        case BookState::OneSided:
            return "one-sided";
        case BookState::Locked:
            return "locked";
        case BookState::Crossed:
            return "crossed";
    }
    return "unknown";
}

OrderBook::OrderBook(std::size_t reserveLevelsPerSide)
    : bids_(Side::Bid, reserveLevelsPerSide), asks_(Side::Ask, reserveLevelsPerSide) {}

BookError OrderBook::applySnapshot(std::span<const Level> bids, std::span<const Level> asks,
                                   std::uint64_t sequence, TimeNs timeNs) {
    // Snapshots are rare (sync and resync), so validation may allocate.
    std::vector<PriceTicks> scratch;
    scratch.reserve(std::max(bids.size(), asks.size()));
    if (auto e = validateSide(bids, scratch); e != BookError::None) return e;
    if (auto e = validateSide(asks, scratch); e != BookError::None) return e;
    bids_.assign(bids);
    asks_.assign(asks);
    stamp(sequence, timeNs);
    return BookError::None;
}

BookError OrderBook::apply(Side side, PriceTicks price, Lots qty, std::uint64_t sequence,
                           TimeNs timeNs) {
    if (qty < 0) return BookError::NegativeSize;
    if (isSentinel(price)) return BookError::InvalidPrice;
    mutableSide(side).set(price, qty);
    stamp(sequence, timeNs);
    return BookError::None;
}

BookError OrderBook::applyDelta(Side side, PriceTicks price, Lots delta, std::uint64_t sequence,
                                TimeNs timeNs) {
    if (isSentinel(price)) return BookError::InvalidPrice;
    mutableSide(side).add(price, delta);
    stamp(sequence, timeNs);
    return BookError::None;
}

void OrderBook::clear() {
    bids_.clear();
    asks_.clear();
}

BookState OrderBook::state() const {
    if (bids_.empty() && asks_.empty()) return BookState::Empty;
    if (bids_.empty() || asks_.empty()) return BookState::OneSided;
    const PriceTicks bid = bids_.best().price;
    const PriceTicks ask = asks_.best().price;
    if (bid < ask) return BookState::Normal;
    return bid == ask ? BookState::Locked : BookState::Crossed;
}

}  // namespace flowscope
