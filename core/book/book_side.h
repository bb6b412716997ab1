#pragma once
/// One side of an L2 book: price levels kept contiguous, sorted from the worst price to the best,
/// so the best level is the last element.
///
/// Why this layout: almost every update lands within a few levels of the touch, so the position is
/// found by a short scan from the back and an insert or delete moves only the handful of levels
/// between it and the touch. Best level and top-N are a contiguous tail (no pointer chasing, no
/// search), which the multi-level OFI reads on every event. Prices far from the touch cost a
/// galloping search and nothing else.
///
/// The levels sit in the middle of a buffer with free room at both ends, and an insert or delete
/// moves whichever part is shorter: the levels toward the touch or those toward the far end. So
/// the deep levels that venues such as Binance update all the time (a 1,000-level book) move only
/// the few levels behind them instead of the whole side. The buffer is re-centred when one end
/// runs out of room and only grows when a book is deeper than ever before, so steady state never
/// allocates.

#include <cstddef>
#include <span>
#include <vector>

#include "book/types.h"

namespace flowscope {

class BookSide {
  public:
    explicit BookSide(Side side, std::size_t reserveLevels = 4096);

    Side side() const { return side_; }
    std::size_t depth() const { return end_ - begin_; }
    bool empty() const { return end_ == begin_; }

    /// Sets the size at `price` (0 deletes). `qty` must be >= 0; returns the previous size.
    Lots set(PriceTicks price, Lots qty);
    /// Adds `delta` to the size at `price`, deleting the level if the result is <= 0.
    /// Returns the new size (0 when deleted or absent).
    Lots add(PriceTicks price, Lots delta);
    void clear() { begin_ = end_ = buffer_.size() / 2; }
    /// Replaces the side with `levels` (any order, distinct prices, sizes > 0 kept): one sort
    /// instead of one insert per level, since venues send snapshots best level first.
    void assign(std::span<const Level> levels);

    /// The i-th best level (0 = best), or the side's empty level past the end.
    Level level(std::size_t i) const {
        return i < depth() ? buffer_[end_ - 1 - i] : emptyLevel(side_);
    }
    Level best() const { return level(0); }
    Lots sizeAt(PriceTicks price) const;

    /// Fills `out` with the best out.size() levels, padding with empty levels.
    void top(std::span<Level> out) const;

    /// Levels from worst to best (the storage order).
    std::span<const Level> worstToBest() const { return {buffer_.data() + begin_, depth()}; }

  private:
    /// Index (from the worst level) of the first level whose price is not worse than `price`.
    std::size_t positionOf(PriceTicks price) const;
    void insertAt(std::size_t i, Level level);
    void eraseAt(std::size_t i);
    /// Moves the levels to the middle of a buffer with room for at least `levels` levels and
    /// slack at both ends, growing it only when it is too small.
    void recentre(std::size_t levels);
    Level& at(std::size_t i) { return buffer_[begin_ + i]; }
    const Level& at(std::size_t i) const { return buffer_[begin_ + i]; }

    Side side_;
    std::vector<Level> buffer_;  ///< levels live in [begin_, end_)
    std::size_t begin_ = 0;
    std::size_t end_ = 0;
};

}  // namespace flowscope
