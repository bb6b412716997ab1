#pragma once
/// One side of an L2 book: a dense window of sizes indexed by tick around the
/// touch, with a three-level bitmap of the ticks that hold a level, and a
/// sorted-block store (LevelBlocks) for the levels worse than the window.
///
/// Why this layout: Binance and other venues keep inserting and deleting levels
/// thousands of ticks deep inside a book of 1,000+ levels. Inside the window a
/// change is an index, a store and a bit, whatever the depth; the bitmap
/// (64-tick words, a word per 64 words, one word on top) finds the next level
/// behind a deleted best in three steps, and level(i) / top(n) walk it with
/// count-leading-zeros from the best tick. The best kTopCache levels are also
/// kept in a short array, patched on each change among them, so the top-10 read
/// that follows most changes near the touch is a copy.
///
/// Invariant: every level outside the window is worse than the window's worse
/// end, so the side reads as the window's levels (best first) followed by the
/// far store's. A price better than the window moves the window (re-centres it,
/// or grows it, keeping the new price near the better end); a price worse than
/// it grows the window while it is small, else lives in the far store. When a
/// quarter of recent updates land in the far store because the touch drifted
/// the window follows the touch. The window is capped at kMaxWindowTicks (2 MiB
/// of sizes), so a book spanning a billion ticks costs that plus its levels.
///
/// Steady state never allocates: the window only grows (at most six times,
/// never shrinks) and every buffer only grows when the side is deeper than ever
/// before. Threading: owned by one thread; even const reads update a cache
/// (level(i)'s cursor, worstToBest()'s buffer).

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "book/level_blocks.h"
#include "book/types.h"

namespace flowscope {

class BookSide {
  public:
    static constexpr std::size_t kMinWindowTicks = 4096;  ///< 64 * 64: one middle-level bitmap word
    static constexpr std::size_t kMaxWindowTicks = std::size_t{1} << 18;  ///< 64^3

    explicit BookSide(Side side, std::size_t reserveLevels = 4096);

    Side side() const { return side_; }
    std::size_t depth() const { return windowDepth_ + far_.depth(); }
    bool empty() const { return depth() == 0; }

    /// Sets the size at `price` (0 deletes). `qty` must be >= 0; returns the
    /// previous size.
    Lots set(PriceTicks price, Lots qty);
    /// Adds `delta` to the size at `price`, deleting the level if the result is
    /// <= 0. Returns the new size (0 when deleted or absent).
    Lots add(PriceTicks price, Lots delta);
    void clear();
    /// Replaces the side with `levels` (any order, distinct prices, sizes > 0
    /// kept). The window is sized from the snapshot's span of prices.
    void assign(std::span<const Level> levels);

    /// The i-th best level (0 = best), or the side's empty level past the end.
    /// Walks the bitmap from the best tick, or from the level the previous call
    /// returned when nothing changed since, so reading levels 0, 1, 2, ... in
    /// turn costs O(1) each.
    Level level(std::size_t i) const;
    Level best() const { return windowDepth_ ? windowLevel(bestOff_) : far_.best(); }
    /// The worst level, or the side's empty level when the side is empty.
    Level worst() const;
    Lots sizeAt(PriceTicks price) const;

    /// Fills `out` with the best out.size() levels, padding with empty levels.
    void top(std::span<Level> out) const;

    /// Levels from worst to best. Valid until the next change to this side.
    std::span<const Level> worstToBest() const;

    /// Ticks the window covers (0 before the first level) and the levels held
    /// outside it: for tests and diagnostics.
    std::size_t windowTicks() const { return span_; }
    std::size_t farDepth() const { return far_.depth(); }

  private:
    /// Prices mapped so that better is larger on both sides: the price itself
    /// for bids, its bitwise complement for asks (monotone, no overflow, its own
    /// inverse).
    using Key = std::int64_t;
    static constexpr std::size_t kNone = ~std::size_t{0};
    static constexpr std::size_t kTopCache = 16;

    Key keyOf(PriceTicks p) const { return p ^ keyMask_; }
    PriceTicks priceOf(Key k) const { return k ^ keyMask_; }
    bool inWindow(Key k) const {
        return k >= lo_ && static_cast<std::uint64_t>(k) - static_cast<std::uint64_t>(lo_) < span_;
    }
    std::size_t offsetOf(Key k) const {
        return static_cast<std::size_t>(static_cast<std::uint64_t>(k) -
                                        static_cast<std::uint64_t>(lo_));
    }
    Key keyAt(std::size_t off) const { return lo_ + static_cast<Key>(off); }
    Level windowLevel(std::size_t off) const { return {priceOf(keyAt(off)), qty_[off]}; }
    /// The best key on the side; the side must not be empty.
    Key bestKey() const;

    /// A new level in the window; placeWindow() leaves the cached best levels
    /// alone, for assign() and reshape(), which start with an empty cache.
    void insertWindow(std::size_t off, Lots qty);
    void placeWindow(std::size_t off, Lots qty);
    void eraseWindow(std::size_t off);
    /// Keeps the cached best levels in step with a change at key `k`.
    void topInsert(Key k, Lots qty);
    void topErase(Key k);
    void topResize(Key k, Lots qty);
    /// Extends the cached best levels to `n` (at most kTopCache), or to the
    /// whole window when it holds fewer.
    void fillTop(std::size_t n) const;
    Key lastTopKey() const { return keyOf(top_[topCount_ - 1].price); }
    /// The highest offset holding a level strictly below `off` (<= span_), or
    /// kNone.
    std::size_t highestBelow(std::size_t off) const;
    /// The lowest offset holding a level; the window must hold one.
    std::size_t lowestOffset() const;
    /// The offset `n` levels behind the level at `off` (there are that many).
    std::size_t walkDown(std::size_t off, std::size_t n) const;
    /// Calls visit(offset) for the levels at or below `from` (an offset holding one, or kNone),
    /// best first, while it returns true.
    template <typename Visit>
    void visitDownFrom(std::size_t from, Visit visit) const;
    /// Calls f(offset) for every level of the window, worst first.
    template <typename F>
    void forEachWindowLevel(F&& f) const;
    /// Empties the window (sparse: only the words that hold levels).
    void clearWindow();

    /// Set or add outside the window: moves or grows the window when the price
    /// may live there, else updates the far store.
    template <bool kAdd>
    Lots updateOutside(Key k, PriceTicks price, Lots value);
    /// Moves or grows the window so that `k` (a new level) fits in it, when the
    /// rules above allow; true when it then does.
    bool makeRoom(Key k);
    /// Places a window of at least `minSpan` ticks (doubled while the range
    /// [low, anchor] takes more than half of it, up to the cap) with `anchor`
    /// span / 8 ticks below its better end. `anchor` must be at least the side's
    /// best key.
    void reshapeAround(Key anchor, Key low, std::size_t minSpan);
    std::size_t spanFor(Key anchor, Key low, std::size_t minSpan) const;
    static Key loFor(Key anchor, std::size_t span);
    /// Moves and sizes an empty window.
    void placeEmpty(Key newLo, std::size_t newSpan);
    /// Re-lays the window to [newLo, newLo + newSpan), moving levels between the
    /// window and the far store.
    void reshape(Key newLo, std::size_t newSpan);
    /// Called every kFarOpsCheck updates of the far store: follows a touch that
    /// drifted towards the window's worse end.
    void maybeRecentre();
    void changed() {
        flatValid_ = false;
        cursorValid_ = false;
    }

    Side side_;
    Key keyMask_;                       ///< 0 for bids, all ones for asks: key = price ^ mask
    Key lo_ = 0;                        ///< key at offset 0 of the window
    std::size_t span_ = 0;              ///< ticks in the window: 0 or a power of two in [min, max]
    std::vector<Lots> qty_;             ///< size per offset, 0 where no level; >= span_ entries
    std::vector<std::uint64_t> bits0_;  ///< bit per offset
    std::vector<std::uint64_t> bits1_;  ///< bit per non-zero word of bits0_
    std::uint64_t bits2_ = 0;           ///< bit per non-zero word of bits1_
    std::size_t windowDepth_ = 0;
    std::size_t bestOff_ = kNone;
    LevelBlocks far_;  ///< levels worse than the window's worse end

    std::uint64_t windowOps_ = 0;  ///< updates inside the window since the last check
    std::uint32_t farOps_ = 0;     ///< updates of the far store since the last check

    /// The window's best topCount_ levels, best first (a prefix of them: a
    /// delete among them shrinks it, top() extends it again), so that the
    /// top-10 reads after each change near the touch copy one short array.
    mutable std::array<Level, kTopCache> top_{};
    mutable std::size_t topCount_ = 0;
    mutable std::size_t cursorRank_ = 0;  ///< level(cursorRank_) is at cursorOff_
    mutable std::size_t cursorOff_ = 0;
    mutable bool cursorValid_ = false;
    mutable std::vector<Level> flat_;  ///< worstToBest() when flatValid_
    mutable bool flatValid_ = true;
    std::vector<Level> scratch_;  ///< levels in transit during assign() and reshape()
};

}  // namespace flowscope
