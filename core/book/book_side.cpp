#include "book/book_side.h"

#include <algorithm>
#include <cstring>

namespace flowscope {
BookSide::BookSide(Side side, std::size_t reserveLevels) : side_(side) {
    buffer_.resize(std::max<std::size_t>(reserveLevels, 16));
    clear();
}

namespace {
// Galloping search from the touch: O(log d) for a level d places from the best, so the usual
// update near the touch costs a few compares however deep the book is. The side is a template
// parameter so that the comparisons carry no branch on it.
template <Side kSide>
std::size_t positionFromTouch(std::span<const Level> levels, PriceTicks price) {
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
    return side_ == Side::Bid ? positionFromTouch<Side::Bid>(worstToBest(), price)
                              : positionFromTouch<Side::Ask>(worstToBest(), price);
}

void BookSide::recentre(std::size_t levels) {
    const std::size_t n = depth();
    // Room for twice the levels: after a re-centre either end can take levels/2 inserts before
    // the next one, so re-centring costs O(1) per insert on average.
    const std::size_t wanted = 2 * std::max(levels, n) + 16;
    if (buffer_.size() < wanted) {
        std::vector<Level> grown(std::max(wanted, 2 * buffer_.size()));
        const std::size_t start = (grown.size() - n) / 2;
        std::copy(buffer_.begin() + static_cast<std::ptrdiff_t>(begin_),
                  buffer_.begin() + static_cast<std::ptrdiff_t>(end_),
                  grown.begin() + static_cast<std::ptrdiff_t>(start));
        buffer_.swap(grown);
        begin_ = start;
    } else {
        const std::size_t start = (buffer_.size() - n) / 2;
        std::memmove(buffer_.data() + start, buffer_.data() + begin_, n * sizeof(Level));
        begin_ = start;
    }
    end_ = begin_ + n;
}

void BookSide::insertAt(std::size_t i, Level level) {
    const std::size_t n = depth();
    const bool shiftFront = i < n - i;  // fewer levels on the far side of `i` than toward the touch
    if ((shiftFront && begin_ == 0) || (!shiftFront && end_ == buffer_.size())) recentre(n + 1);
    if (shiftFront) {
        std::memmove(buffer_.data() + begin_ - 1, buffer_.data() + begin_, i * sizeof(Level));
        --begin_;
    } else {
        std::memmove(buffer_.data() + begin_ + i + 1, buffer_.data() + begin_ + i,
                     (n - i) * sizeof(Level));
        ++end_;
    }
    at(i) = level;
}

void BookSide::eraseAt(std::size_t i) {
    const std::size_t n = depth();
    if (i < n - 1 - i) {
        std::memmove(buffer_.data() + begin_ + 1, buffer_.data() + begin_, i * sizeof(Level));
        ++begin_;
    } else {
        std::memmove(buffer_.data() + begin_ + i, buffer_.data() + begin_ + i + 1,
                     (n - 1 - i) * sizeof(Level));
        --end_;
    }
}

void BookSide::assign(std::span<const Level> levels) {
    clear();
    if (buffer_.size() < 2 * levels.size() + 16) recentre(levels.size());
    begin_ = end_ = (buffer_.size() - levels.size()) / 2;
    for (const Level& l : levels)
        if (l.qty > 0) buffer_[end_++] = l;
    // Worst to best: ascending prices for bids, descending for asks.
    const auto first = buffer_.begin() + static_cast<std::ptrdiff_t>(begin_);
    const auto last = buffer_.begin() + static_cast<std::ptrdiff_t>(end_);
    if (side_ == Side::Bid)
        std::sort(first, last, [](const Level& a, const Level& b) { return a.price < b.price; });
    else
        std::sort(first, last, [](const Level& a, const Level& b) { return a.price > b.price; });
}

Lots BookSide::set(PriceTicks price, Lots qty) {
    const std::size_t i = positionOf(price);
    const bool found = i < depth() && at(i).price == price;
    if (found) {
        const Lots previous = at(i).qty;
        if (qty > 0)
            at(i).qty = qty;
        else
            eraseAt(i);
        return previous;
    }
    if (qty > 0) insertAt(i, Level{price, qty});
    return 0;
}

Lots BookSide::add(PriceTicks price, Lots delta) {
    const std::size_t i = positionOf(price);
    const bool found = i < depth() && at(i).price == price;
    const Lots updated = (found ? at(i).qty : 0) + delta;
    if (found) {
        if (updated > 0) {
            at(i).qty = updated;
            return updated;
        }
        eraseAt(i);
        return 0;
    }
    if (updated <= 0) return 0;
    insertAt(i, Level{price, updated});
    return updated;
}

Lots BookSide::sizeAt(PriceTicks price) const {
    const std::size_t i = positionOf(price);
    return i < depth() && at(i).price == price ? at(i).qty : 0;
}

void BookSide::top(std::span<Level> out) const {
    const std::size_t n = std::min(out.size(), depth());
    for (std::size_t k = 0; k < n; ++k)
        out[k] = buffer_[end_ - 1 - k];
    std::fill(out.begin() + static_cast<std::ptrdiff_t>(n), out.end(), emptyLevel(side_));
}

}  // namespace flowscope
