#include "book/book_side.h"

#include <algorithm>

namespace flowscope {
namespace {
// Updates beyond this distance from the touch switch from a linear scan to a binary search.
constexpr std::size_t kLinearScanLevels = 8;
}  // namespace

BookSide::BookSide(Side side, std::size_t reserveLevels) : side_(side) {
    levels_.reserve(reserveLevels);
}

std::size_t BookSide::positionOf(PriceTicks price) const {
    const auto worse = [this](PriceTicks a, PriceTicks b) { return isBetter(side_, b, a); };
    std::size_t i = levels_.size();
    const std::size_t stop = i > kLinearScanLevels ? i - kLinearScanLevels : 0;
    while (i > stop) {
        if (worse(levels_[i - 1].price, price)) return i;
        --i;
    }
    if (i == 0) return 0;
    auto it =
        std::lower_bound(levels_.begin(), levels_.begin() + static_cast<std::ptrdiff_t>(i), price,
                         [&](const Level& l, PriceTicks p) { return worse(l.price, p); });
    return static_cast<std::size_t>(it - levels_.begin());
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
