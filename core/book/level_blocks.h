#pragma once
/// Levels of one book side sorted from the worst price to the best, held in
/// small sorted blocks (at most kBlockLevels levels each) whose order is kept in
/// a short index. BookSide keeps here the levels that fall outside its dense
/// window (far from the touch, or a book whose prices span more ticks than the
/// window may hold), so the cost of a level never depends on its distance from
/// the touch.
///
/// Why blocks: in one contiguous sorted array every insert or delete deep in a
/// large book moves hundreds of levels; here it moves at most one block's worth
/// (1 KiB) and the search is a binary search over the blocks' best prices plus
/// one inside a block. The best levels sit at the end of the last block, so
/// level(i) and top() for small i read one or two blocks.
///
/// worstToBest() hands out one contiguous span, flattened on demand into a
/// reused buffer. Steady state never allocates: blocks are recycled through a
/// free list and every buffer only grows when the store is deeper than ever
/// before.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "book/types.h"

namespace flowscope {

class LevelBlocks {
  public:
    static constexpr std::size_t kBlockLevels = 64;

    explicit LevelBlocks(Side side, std::size_t reserveLevels = 4096);

    std::size_t depth() const { return depth_; }
    bool empty() const { return depth_ == 0; }

    /// Sets the size at `price` (0 deletes). `qty` must be >= 0; returns the
    /// previous size.
    Lots set(PriceTicks price, Lots qty);
    /// Adds `delta` to the size at `price`, deleting the level if the result is
    /// <= 0. Returns the new size (0 when deleted or absent).
    Lots add(PriceTicks price, Lots delta);
    void clear();
    /// Replaces the side with `levels` (any order, distinct prices, sizes > 0
    /// kept): one sort instead of one insert per level, since venues send
    /// snapshots best level first.
    void assign(std::span<const Level> levels);

    /// The i-th best level (0 = best), or the side's empty level past the end.
    /// Walks the blocks from the best one: constant time near the touch, O(depth
    /// / kBlockLevels) deep down.
    Level level(std::size_t i) const;
    Level best() const { return level(0); }
    /// The worst level, or the side's empty level when the side is empty.
    Level worst() const;
    Lots sizeAt(PriceTicks price) const;

    /// Fills `out` with the best out.size() levels, padding with empty levels.
    void top(std::span<Level> out) const;

    /// Levels from worst to best. Valid until the next change to this side.
    std::span<const Level> worstToBest() const;

  private:
    struct Block {
        std::size_t count = 0;
        std::array<Level, kBlockLevels> levels{};  ///< [0, count), worst to best
    };
    /// Where a price is or would go: the block's position in order_ and the index
    /// in that block.
    struct Slot {
        std::size_t block = 0;
        std::size_t index = 0;
    };

    /// The first level whose price is not worse than `price`; block ==
    /// order_.size() when every level is worse (the price would be the new best).
    Slot find(PriceTicks price) const;
    template <Side kSide>
    Slot findOn(PriceTicks price) const;
    bool holds(Slot s, PriceTicks price) const {
        return s.block < order_.size() && blockAt(s.block).levels[s.index].price == price;
    }
    Lots& qtyAt(Slot s) { return pool_[order_[s.block]].levels[s.index].qty; }
    void insertAt(Slot s, Level level);
    void eraseAt(Slot s);
    /// Splits the full block at order position `k` into two halves.
    void split(std::size_t k);
    /// Folds a nearly empty block at order position `k` into a neighbour, so that
    /// the block count stays near depth / kBlockLevels whatever the pattern of
    /// deletes.
    void mergeIfSparse(std::size_t k);
    /// A fresh block id placed at order position `k`.
    std::uint32_t newBlockAt(std::size_t k);
    void removeBlockAt(std::size_t k);
    Block& blockAt(std::size_t k) { return pool_[order_[k]]; }
    const Block& blockAt(std::size_t k) const { return pool_[order_[k]]; }
    void changed() { flatValid_ = false; }

    Side side_;
    std::vector<Block> pool_;           ///< every block ever used; ids index it
    std::vector<std::uint32_t> free_;   ///< ids of unused blocks in pool_
    std::vector<std::uint32_t> order_;  ///< block ids in use, worst block to best
    std::vector<PriceTicks> bestOf_;    ///< bestOf_[k]: best price of block order_[k]
    std::size_t depth_ = 0;
    mutable std::vector<Level> flat_;  ///< worstToBest() when flatValid_
    mutable bool flatValid_ = true;
};

}  // namespace flowscope
