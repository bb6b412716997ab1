#include "book/book_side.h"

#include <algorithm>

namespace flowscope {
BookSide::BookSide(Side side, std::size_t reserveLevels) : side_(side) {
    levels_.reserve(reserveLevels);
}

namespace {
// Galloping search from the touch: O(log d) for a level d places from the best, so the usual
// update near the touch costs a few compares however deep the book is. The side is a template
// parameter so that the comparisons carry no branch on it.
template <Side kSide>
std::size_t positionFromTouch(const std::vector<Level>& levels, PriceTicks price) {
    const auto worse = [](PriceTicks a, PriceTicks b) { return isBetter(kSide, b, a); };
    // Most updates are within a few levels of the touch: a short linear scan first.
    constexpr std::size_t kLinearScanLevels = 4;
    std::size_t hi = levels.size();
    const std::size_t stop = hi > kLinearScanLevels ? hi - kLinearScanLevels : 0;
    while (hi > stop) {
        if (worse(levels[hi - 1].price, price)) return hi;
        --hi;
    }
    std::size_t lo = 0;
    std::size_t step = 1;
    while (hi > lo) {
        const std::size_t probe = hi - lo > step ? hi - step : lo;
        if (worse(levels[probe].price, price)) {
            lo = probe + 1;
            break;
        }
        hi = probe;
        step *= 2;
    }
    // The answer is in [lo, hi]: a branch-free binary search over the bracket.
    const Level* base = levels.data() + lo;
    std::size_t len = hi - lo;
    while (len > 1) {
        const std::size_t half = len / 2;
        base = worse(base[half].price, price) ? base + half : base;
        len -= half;
    }
    const std::size_t i = static_cast<std::size_t>(base - levels.data());
    return len == 1 && worse(base->price, price) ? i + 1 : i;
}
}  // namespace

std::size_t BookSide::positionOf(PriceTicks price) const {
    return side_ == Side::Bid ? positionFromTouch<Side::Bid>(levels_, price)
                              : positionFromTouch<Side::Ask>(levels_, price);
}

void BookSide::assign(std::span<const Level> levels) {
    levels_.clear();
    for (const Level& l : levels)
        if (l.qty > 0) levels_.push_back(l);
    // Worst to best: ascending prices for bids, descending for asks.
    if (side_ == Side::Bid)
        std::sort(levels_.begin(), levels_.end(),
                  [](const Level& a, const Level& b) { return a.price < b.price; });
    else
        std::sort(levels_.begin(), levels_.end(),
                  [](const Level& a, const Level& b) { return a.price > b.price; });
}

Lots BookSide::set(PriceTicks price, Lots qty) {
    const std::size_t i = positionOf(price);
    const bool found = i < levels_.size() && levels_[i].price == price;
    if (found) {
        const Lots previous = levels_[i].qty;
        if (qty > 0)
            levels_[i].qty = qty;
        else
            levels_.erase(levels_.begin() + static_cast<std::ptrdiff_t>(i));
        return previous;
    }
    if (qty > 0)
        levels_.insert(levels_.begin() + static_cast<std::ptrdiff_t>(i), Level{price, qty});
    return 0;
}

Lots BookSide::add(PriceTicks price, Lots delta) {
    const std::size_t i = positionOf(price);
    const bool found = i < levels_.size() && levels_[i].price == price;
    const Lots updated = (found ? levels_[i].qty : 0) + delta;
    if (found) {
        if (updated > 0) {
            levels_[i].qty = updated;
            return updated;
        }
        levels_.erase(levels_.begin() + static_cast<std::ptrdiff_t>(i));
        return 0;
    }
    if (updated <= 0) return 0;
    levels_.insert(levels_.begin() + static_cast<std::ptrdiff_t>(i), Level{price, updated});
    return updated;
}

Lots BookSide::sizeAt(PriceTicks price) const {
    const std::size_t i = positionOf(price);
    return i < levels_.size() && levels_[i].price == price ? levels_[i].qty : 0;
}

void BookSide::top(std::span<Level> out) const {
    const std::size_t n = std::min(out.size(), levels_.size());
    for (std::size_t k = 0; k < n; ++k)
        out[k] = levels_[levels_.size() - 1 - k];
    std::fill(out.begin() + static_cast<std::ptrdiff_t>(n), out.end(), emptyLevel(side_));
}

}  // namespace flowscope
