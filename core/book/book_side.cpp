#include "book/book_side.h"

#include <algorithm>
#include <bit>
#include <cassert>
#include <limits>
#include <utility>

namespace flowscope {
namespace {

using Word = std::uint64_t;
constexpr Word kAll = ~Word{0};
/// Far-store updates between two checks whether the window should follow the
/// touch; a re-centre costs O(window levels), so at most one per this many.
constexpr std::uint32_t kFarOpsCheck = 256;

// Every shift amount below is masked to 0..63: free (x86 shifts mask it
// anyway) and it tells the static analyser that no shift reaches 64.

/// The bit for position `b` (0..63).
constexpr Word bit(std::size_t b) {
    return Word{1} << (b & 63);
}
/// Bits at or below `b` (0..63).
constexpr Word atOrBelow(std::size_t b) {
    return kAll >> ((63 - b) & 63);
}
/// Bits strictly below `b` (0..63).
constexpr Word below(std::size_t b) {
    return b == 0 ? 0 : kAll >> ((64 - b) & 63);
}
/// The highest and lowest set bits of a non-zero word.
std::size_t highBit(Word w) {
    return static_cast<std::size_t>(63 - std::countl_zero(w)) & 63;
}
std::size_t lowBit(Word w) {
    return static_cast<std::size_t>(std::countr_zero(w)) & 63;
}

}  // namespace

BookSide::BookSide(Side side, std::size_t reserveLevels)
    : side_(side), keyMask_(side == Side::Bid ? 0 : ~Key{0}), far_(side, reserveLevels) {
    flat_.reserve(reserveLevels);
    scratch_.reserve(reserveLevels);
}

// --- bitmap -----------------------------------------------------------------

void BookSide::placeWindow(std::size_t off, Lots qty) {
    qty_[off] = qty;
    const std::size_t w = off >> 6;
    if (bits0_[w] == 0) {
        if (bits1_[w >> 6] == 0) bits2_ |= bit(w >> 6);
        bits1_[w >> 6] |= bit(w);
    }
    bits0_[w] |= bit(off);
    if (++windowDepth_ == 1 || off > bestOff_) bestOff_ = off;
}

void BookSide::insertWindow(std::size_t off, Lots qty) {
    placeWindow(off, qty);
    topInsert(keyAt(off), qty);
}

void BookSide::eraseWindow(std::size_t off) {
    qty_[off] = 0;
    const std::size_t w = off >> 6;
    bits0_[w] &= ~bit(off);
    if (bits0_[w] == 0) {
        bits1_[w >> 6] &= ~bit(w);
        if (bits1_[w >> 6] == 0) bits2_ &= ~bit(w >> 6);
    }
    --windowDepth_;
    if (off == bestOff_) bestOff_ = highestBelow(off);
    topErase(keyAt(off));
}

// --- cached best levels -----------------------------------------------------
// top_ holds the best topCount_ levels of the window. A level better than the
// last cached one belongs in it; anything else leaves the prefix as it is.

void BookSide::topInsert(Key k, Lots qty) {
    // The cache held the whole window (small books: LOBSTER's ten levels): it
    // still does, wherever the new level goes. Else only a level better than its
    // last one belongs in it.
    const bool whole = topCount_ + 1 == windowDepth_ && topCount_ < kTopCache;
    if (!whole && (topCount_ == 0 || k < lastTopKey())) return;
    std::size_t j = 0;
    while (j < topCount_ && keyOf(top_[j].price) > k)
        ++j;
    // A carried swap rather than std::copy: a handful of levels, where a call to
    // memmove costs more than the move.
    topCount_ = std::min(topCount_ + 1, kTopCache);
    Level carry{priceOf(k), qty};
    for (; j < topCount_; ++j)
        std::swap(carry, top_[j]);
}

void BookSide::topErase(Key k) {
    if (topCount_ == 0 || k < lastTopKey()) return;
    std::size_t j = 0;
    while (keyOf(top_[j].price) > k)
        ++j;
    --topCount_;
    Level carry = top_[topCount_];
    for (std::size_t i = topCount_; i-- > j;)
        std::swap(carry, top_[i]);
}

void BookSide::topResize(Key k, Lots qty) {
    if (topCount_ == 0 || k < lastTopKey()) return;
    std::size_t j = 0;
    while (keyOf(top_[j].price) > k)
        ++j;
    top_[j].qty = qty;
}

template <typename Visit>
void BookSide::visitDownFrom(std::size_t next, Visit visit) const {
    while (next != kNone) {
        const std::size_t w = next >> 6;
        Word m = bits0_[w] & atOrBelow(next & 63);
        do {
            const std::size_t b = highBit(m);
            if (!visit((w << 6) + b)) return;
            m &= ~bit(b);
        } while (m);
        next = highestBelow(w << 6);
    }
}

void BookSide::fillTop(std::size_t n) const {
    n = std::min({n, kTopCache, windowDepth_});
    if (topCount_ >= n) return;
    visitDownFrom(topCount_ ? highestBelow(offsetOf(lastTopKey())) : bestOff_,
                  [&](std::size_t off) {
                      top_[topCount_++] = windowLevel(off);
                      return topCount_ < n;
                  });
}

std::size_t BookSide::highestBelow(std::size_t off) const {
    if (off == 0) return kNone;
    --off;
    std::size_t w = off >> 6;
    Word m = bits0_[w] & atOrBelow(off & 63);
    if (m) return (w << 6) + highBit(m);
    std::size_t w1 = w >> 6;
    m = bits1_[w1] & below(w & 63);
    if (!m) {
        const Word m2 = bits2_ & below(w1);
        if (!m2) return kNone;
        w1 = highBit(m2);
        m = bits1_[w1];
    }
    w = (w1 << 6) + highBit(m);
    return (w << 6) + highBit(bits0_[w]);
}

std::size_t BookSide::lowestOffset() const {
    // The lowest set bit at each level leads down to the lowest level.
    const std::size_t w1 = lowBit(bits2_);
    const std::size_t w = (w1 << 6) + lowBit(bits1_[w1]);
    return (w << 6) + lowBit(bits0_[w]);
}

std::size_t BookSide::walkDown(std::size_t off, std::size_t n) const {
    std::size_t w = off >> 6;
    Word m = bits0_[w] & atOrBelow(off & 63);
    for (;;) {
        const auto count = static_cast<std::size_t>(std::popcount(m));
        if (n < count) {
            for (; n > 0; --n)
                m &= ~bit(highBit(m));
            return (w << 6) + highBit(m);
        }
        n -= count;
        const std::size_t next = highestBelow(w << 6);
        assert(next != kNone);
        w = next >> 6;
        m = bits0_[w];
    }
}

template <typename F>
void BookSide::forEachWindowLevel(F&& f) const {
    for (Word m2 = bits2_; m2; m2 &= m2 - 1) {
        const std::size_t w1 = lowBit(m2);
        for (Word m1 = bits1_[w1]; m1; m1 &= m1 - 1) {
            const std::size_t w = (w1 << 6) + lowBit(m1);
            for (Word m = bits0_[w]; m; m &= m - 1)
                f((w << 6) + lowBit(m));
        }
    }
}

void BookSide::clearWindow() {
    for (Word m2 = bits2_; m2; m2 &= m2 - 1) {
        const std::size_t w1 = lowBit(m2);
        for (Word m1 = bits1_[w1]; m1; m1 &= m1 - 1) {
            const std::size_t w = (w1 << 6) + lowBit(m1);
            for (Word m = bits0_[w]; m; m &= m - 1)
                qty_[(w << 6) + lowBit(m)] = 0;
            bits0_[w] = 0;
        }
        bits1_[w1] = 0;
    }
    bits2_ = 0;
    windowDepth_ = 0;
    bestOff_ = kNone;
    topCount_ = 0;
}

// --- placing the window -----------------------------------------------------

BookSide::Key BookSide::bestKey() const {
    return windowDepth_ ? keyAt(bestOff_) : keyOf(far_.best().price);
}

BookSide::Key BookSide::loFor(Key anchor, std::size_t span) {
    // The anchor sits span / 8 ticks below the better end: room for a touch that
    // improves, 7/8 of the window for the depth behind it. Clamped so that the
    // window's keys stay inside the 64-bit range.
    constexpr Key kMin = std::numeric_limits<Key>::min();
    constexpr Key kMax = std::numeric_limits<Key>::max();
    const auto headroom = static_cast<Key>(span / 8);
    const auto width = static_cast<Key>(span - 1);
    const Key hi = anchor > kMax - headroom ? kMax : anchor + headroom;
    return hi < kMin + width ? kMin : hi - width;
}

std::size_t BookSide::spanFor(Key anchor, Key low, std::size_t minSpan) const {
    // [low, anchor] holds distance + 1 ticks; double while that is more than half.
    const std::uint64_t distance =
        static_cast<std::uint64_t>(anchor) - static_cast<std::uint64_t>(low);
    std::size_t span = std::max({span_, kMinWindowTicks, std::min(minSpan, kMaxWindowTicks)});
    while (span < kMaxWindowTicks && span / 2 <= distance)
        span *= 2;
    return span;
}

void BookSide::reshapeAround(Key anchor, Key low, std::size_t minSpan) {
    const std::size_t span = spanFor(anchor, low, minSpan);
    reshape(loFor(anchor, span), span);
}

void BookSide::placeEmpty(Key newLo, std::size_t newSpan) {
    assert(windowDepth_ == 0);
    if (qty_.size() < newSpan) {
        // Everything is zero in an empty window, so growing keeps it all zero.
        qty_.resize(newSpan, 0);
        bits0_.resize(newSpan / 64, 0);
        bits1_.resize(newSpan / 4096, 0);
    }
    lo_ = newLo;
    span_ = newSpan;
}

void BookSide::reshape(Key newLo, std::size_t newSpan) {
    scratch_.clear();
    forEachWindowLevel([this](std::size_t off) { scratch_.push_back(windowLevel(off)); });
    clearWindow();
    placeEmpty(newLo, newSpan);
    // Worst first: levels leaving the window are better than every level of the
    // far store, so each lands at its best end.
    for (const Level& l : scratch_) {
        const Key k = keyOf(l.price);
        assert(k < lo_ || inWindow(k));
        if (inWindow(k))
            placeWindow(offsetOf(k), l.qty);
        else
            far_.set(l.price, l.qty);
    }
    while (!far_.empty()) {
        const Level b = far_.best();
        const Key k = keyOf(b.price);
        assert(k < lo_ || inWindow(k));
        if (!inWindow(k)) break;
        placeWindow(offsetOf(k), b.qty);
        far_.set(b.price, 0);
    }
    changed();
}

bool BookSide::makeRoom(Key k) {
    if (empty()) {
        reshapeAround(k, k, 0);
        return true;
    }
    if (k >= lo_) {
        // Better than the window (or no window yet): it must move. Keep as much
        // of what it holds as fits.
        const Key low = windowDepth_ ? keyAt(lowestOffset()) : bestKey();
        reshapeAround(k, low, 0);
        return true;
    }
    // Worse than the window: grow while the window is small and the range from
    // the touch fits in the largest window; doubling at least each time bounds
    // these moves to a handful per side.
    if (span_ >= kMaxWindowTicks) return false;
    const Key anchor = std::max(bestKey(), k);
    if (static_cast<std::uint64_t>(anchor) - static_cast<std::uint64_t>(k) >=
        kMaxWindowTicks - kMaxWindowTicks / 8)
        return false;
    reshapeAround(anchor, k, 2 * span_);
    return inWindow(k);
}

void BookSide::maybeRecentre() {
    const std::uint64_t windowOps = windowOps_;
    windowOps_ = 0;
    farOps_ = 0;
    if (windowOps > 3 * std::uint64_t{kFarOpsCheck} || empty()) return;
    // A quarter or more of recent updates missed the window. Only a touch that
    // drifted towards the worse end is helped by moving (a better touch moves
    // the window at once); levels deeper than the window stay where they are.
    const Key anchor = bestKey();
    const Key newLo = loFor(anchor, span_);
    if (newLo >= lo_ ||
        static_cast<std::uint64_t>(lo_) - static_cast<std::uint64_t>(newLo) < span_ / 16)
        return;
    reshape(newLo, span_);
}

// --- updates ----------------------------------------------------------------

template <bool kAdd>
Lots BookSide::updateOutside(Key k, PriceTicks price, Lots value) {
    if (value > 0 && makeRoom(k)) return kAdd ? add(price, value) : set(price, value);
    // Nothing is better than the window, so a price above it holds no level (a
    // new level there has been given room above).
    if (k >= lo_ || (value <= 0 && far_.empty())) return 0;
    changed();
    const Lots result = kAdd ? far_.add(price, value) : far_.set(price, value);
    // After the update, so that a re-centre sees the side as it now is.
    if (++farOps_ == kFarOpsCheck) maybeRecentre();
    return result;
}

Lots BookSide::set(PriceTicks price, Lots qty) {
    const Key k = keyOf(price);
    if (!inWindow(k)) return updateOutside<false>(k, price, qty);
    ++windowOps_;
    const std::size_t off = offsetOf(k);
    const Lots previous = qty_[off];
    if (qty > 0) {
        if (previous == 0) {
            insertWindow(off, qty);
        } else {
            qty_[off] = qty;
            topResize(k, qty);
        }
    } else if (previous != 0) {
        eraseWindow(off);
    } else {
        return 0;
    }
    changed();
    return previous;
}

Lots BookSide::add(PriceTicks price, Lots delta) {
    const Key k = keyOf(price);
    if (!inWindow(k)) return updateOutside<true>(k, price, delta);
    ++windowOps_;
    const std::size_t off = offsetOf(k);
    const Lots previous = qty_[off];
    if (previous == 0) {
        if (delta <= 0) return 0;
        insertWindow(off, delta);
        changed();
        return delta;
    }
    const Lots updated = previous + delta;
    changed();
    if (updated > 0) {
        qty_[off] = updated;
        topResize(k, updated);
        return updated;
    }
    eraseWindow(off);
    return 0;
}

void BookSide::clear() {
    clearWindow();
    far_.clear();
    flat_.clear();
    flatValid_ = true;
    cursorValid_ = false;
}

void BookSide::assign(std::span<const Level> levels) {
    clear();
    scratch_.clear();
    Key low = std::numeric_limits<Key>::max();
    Key high = std::numeric_limits<Key>::min();
    for (const Level& l : levels) {
        if (l.qty <= 0) continue;
        scratch_.push_back(l);
        low = std::min(low, keyOf(l.price));
        high = std::max(high, keyOf(l.price));
    }
    if (scratch_.empty()) return;
    const std::size_t span = spanFor(high, low, 0);
    placeEmpty(loFor(high, span), span);
    const auto farBegin = std::partition(scratch_.begin(), scratch_.end(), [this](const Level& l) {
        return inWindow(keyOf(l.price));
    });
    for (auto it = scratch_.begin(); it != farBegin; ++it) {
        const std::size_t off = offsetOf(keyOf(it->price));
        if (qty_[off] == 0)
            placeWindow(off, it->qty);
        else
            qty_[off] = it->qty;
    }
    far_.assign(std::span<const Level>(farBegin, scratch_.end()));
    changed();
}

// --- reads ------------------------------------------------------------------

Lots BookSide::sizeAt(PriceTicks price) const {
    const Key k = keyOf(price);
    if (inWindow(k)) return qty_[offsetOf(k)];
    return k < lo_ ? far_.sizeAt(price) : 0;
}

Level BookSide::level(std::size_t i) const {
    if (i >= windowDepth_) return far_.level(i - windowDepth_);
    if (i < topCount_) return top_[i];
    std::size_t off = bestOff_;
    std::size_t rank = 0;
    if (cursorValid_ && cursorRank_ <= i) {
        off = cursorOff_;
        rank = cursorRank_;
    }
    off = walkDown(off, i - rank);
    cursorOff_ = off;
    cursorRank_ = i;
    cursorValid_ = true;
    return windowLevel(off);
}

Level BookSide::worst() const {
    if (!far_.empty()) return far_.worst();
    return windowDepth_ ? windowLevel(lowestOffset()) : emptyLevel(side_);
}

void BookSide::top(std::span<Level> out) const {
    std::size_t filled = 0;
    if (windowDepth_ > 0 && !out.empty()) {
        if (topCount_ < out.size() && topCount_ < windowDepth_) fillTop(out.size());
        for (const std::size_t n = std::min(out.size(), topCount_); filled < n; ++filled)
            out[filled] = top_[filled];
        if (filled == out.size()) return;
        // Deeper than the cache: walk on from its last level.
        if (filled < windowDepth_) {
            visitDownFrom(highestBelow(offsetOf(lastTopKey())), [&](std::size_t off) {
                out[filled++] = windowLevel(off);
                return filled < out.size();
            });
            if (filled == out.size()) return;
        }
    }
    far_.top(out.subspan(filled));
}

std::span<const Level> BookSide::worstToBest() const {
    if (!flatValid_) {
        flat_.clear();
        const std::span<const Level> far = far_.worstToBest();
        flat_.insert(flat_.end(), far.begin(), far.end());
        forEachWindowLevel([this](std::size_t off) { flat_.push_back(windowLevel(off)); });
        flatValid_ = true;
    }
    return flat_;
}

}  // namespace flowscope
