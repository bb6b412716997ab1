#include "book/level_blocks.h"

#include <algorithm>
#include <cstring>

namespace flowscope {
namespace {
/// Levels per block after a snapshot or a split: room for inserts before the
/// next split.
constexpr std::size_t kFillLevels = LevelBlocks::kBlockLevels * 3 / 4;

template <Side kSide>
constexpr bool worse(PriceTicks a, PriceTicks b) {
    return isBetter(kSide, b, a);
}

}  // namespace

LevelBlocks::LevelBlocks(Side side, std::size_t reserveLevels) : side_(side) {
    const std::size_t blocks = reserveLevels / (kBlockLevels / 2) + 2;
    pool_.reserve(blocks);
    free_.reserve(blocks);
    order_.reserve(blocks);
    bestOf_.reserve(blocks);
    flat_.reserve(reserveLevels);
}

void LevelBlocks::clear() {
    free_.insert(free_.end(), order_.begin(), order_.end());
    order_.clear();
    bestOf_.clear();
    depth_ = 0;
    flat_.clear();
    flatValid_ = true;
}

template <Side kSide>
LevelBlocks::Slot LevelBlocks::findOn(PriceTicks price) const {
    // The block: the first whose best price is not worse than `price`. Most
    // updates touch the best block, so it is checked first.
    const std::size_t blocks = order_.size();
    if (blocks == 0) return {0, 0};
    std::size_t k = 0;
    if (blocks == 1 || worse<kSide>(bestOf_[blocks - 2], price)) {
        k = worse<kSide>(bestOf_[blocks - 1], price) ? blocks : blocks - 1;
    } else {
        const PriceTicks* base = bestOf_.data();
        std::size_t len = blocks - 1;  // bestOf_[blocks - 2] is not worse: the answer is below it
        while (len > 1) {
            const std::size_t half = len / 2;
            base = worse<kSide>(base[half - 1], price) ? base + half : base;
            len -= half;
        }
        k = static_cast<std::size_t>(base - bestOf_.data());
    }
    if (k == blocks) return {blocks, 0};
    // Inside the block: its best level is not worse than `price`, so the answer
    // is in [0, count).
    const Block& block = pool_[order_[k]];
    const Level* base = block.levels.data();
    std::size_t len = block.count;
    while (len > 1) {
        const std::size_t half = len / 2;
        base = worse<kSide>(base[half - 1].price, price) ? base + half : base;
        len -= half;
    }
    return {k, static_cast<std::size_t>(base - block.levels.data())};
}

LevelBlocks::Slot LevelBlocks::find(PriceTicks price) const {
    return side_ == Side::Bid ? findOn<Side::Bid>(price) : findOn<Side::Ask>(price);
}

std::uint32_t LevelBlocks::newBlockAt(std::size_t k) {
    std::uint32_t id = 0;
    if (free_.empty()) {
        id = static_cast<std::uint32_t>(pool_.size());
        pool_.emplace_back();
    } else {
        id = free_.back();
        free_.pop_back();
    }
    pool_[id].count = 0;
    order_.insert(order_.begin() + static_cast<std::ptrdiff_t>(k), id);
    bestOf_.insert(bestOf_.begin() + static_cast<std::ptrdiff_t>(k), PriceTicks{0});
    return id;
}

void LevelBlocks::removeBlockAt(std::size_t k) {
    free_.push_back(order_[k]);
    order_.erase(order_.begin() + static_cast<std::ptrdiff_t>(k));
    bestOf_.erase(bestOf_.begin() + static_cast<std::ptrdiff_t>(k));
}

void LevelBlocks::split(std::size_t k) {
    const std::uint32_t id = newBlockAt(k + 1);
    Block& low = pool_[order_[k]];
    Block& high = pool_[id];
    // The best block fills from its end (new best prices): keep it mostly empty
    // after a split so the next inserts at the touch do not split again at once;
    // elsewhere split in halves.
    const std::size_t keep = k + 2 == order_.size() ? kFillLevels : low.count / 2;
    high.count = low.count - keep;
    std::memcpy(high.levels.data(), low.levels.data() + keep, high.count * sizeof(Level));
    low.count = keep;
    bestOf_[k] = low.levels[keep - 1].price;
    bestOf_[k + 1] = high.levels[high.count - 1].price;
}

void LevelBlocks::insertAt(Slot s, Level level) {
    if (order_.empty()) {
        newBlockAt(0);
        s = {0, 0};
    } else if (s.block == order_.size()) {
        s = {order_.size() - 1, blockAt(order_.size() - 1).count};  // a new best level
    }
    if (blockAt(s.block).count == kBlockLevels) {
        split(s.block);
        const std::size_t lowCount = blockAt(s.block).count;
        if (s.index > lowCount) s = {s.block + 1, s.index - lowCount};
        // s.index == lowCount appends to the lower block, which is sorted either
        // way.
    }
    Block& block = blockAt(s.block);
    std::memmove(block.levels.data() + s.index + 1, block.levels.data() + s.index,
                 (block.count - s.index) * sizeof(Level));
    block.levels[s.index] = level;
    ++block.count;
    if (s.index + 1 == block.count) bestOf_[s.block] = level.price;
    ++depth_;
    changed();
}

void LevelBlocks::eraseAt(Slot s) {
    Block& block = blockAt(s.block);
    std::memmove(block.levels.data() + s.index, block.levels.data() + s.index + 1,
                 (block.count - s.index - 1) * sizeof(Level));
    --block.count;
    --depth_;
    changed();
    if (block.count == 0) {
        removeBlockAt(s.block);
        return;
    }
    if (s.index == block.count) bestOf_[s.block] = block.levels[block.count - 1].price;
    mergeIfSparse(s.block);
}

void LevelBlocks::mergeIfSparse(std::size_t k) {
    if (blockAt(k).count > kBlockLevels / 4 || order_.size() < 2) return;
    // Fold the pair (k, k + 1), or (k - 1, k) for the best block, when the result
    // leaves room.
    const std::size_t low = k + 1 < order_.size() ? k : k - 1;
    Block& into = blockAt(low);
    const Block& from = blockAt(low + 1);
    if (into.count + from.count > kFillLevels) return;
    std::memcpy(into.levels.data() + into.count, from.levels.data(), from.count * sizeof(Level));
    into.count += from.count;
    bestOf_[low] = bestOf_[low + 1];
    removeBlockAt(low + 1);
}

void LevelBlocks::assign(std::span<const Level> levels) {
    clear();
    for (const Level& l : levels)
        if (l.qty > 0) flat_.push_back(l);
    // Worst to best: ascending prices for bids, descending for asks.
    if (side_ == Side::Bid)
        std::sort(flat_.begin(), flat_.end(),
                  [](const Level& a, const Level& b) { return a.price < b.price; });
    else
        std::sort(flat_.begin(), flat_.end(),
                  [](const Level& a, const Level& b) { return a.price > b.price; });
    for (std::size_t first = 0; first < flat_.size(); first += kFillLevels) {
        const std::size_t n = std::min(kFillLevels, flat_.size() - first);
        const std::size_t k = order_.size();
        Block& block = pool_[newBlockAt(k)];
        std::memcpy(block.levels.data(), flat_.data() + first, n * sizeof(Level));
        block.count = n;
        bestOf_[k] = block.levels[n - 1].price;
    }
    depth_ = flat_.size();
    flatValid_ = true;
}

Lots LevelBlocks::set(PriceTicks price, Lots qty) {
    const Slot s = find(price);
    if (holds(s, price)) {
        const Lots previous = qtyAt(s);
        if (qty > 0) {
            qtyAt(s) = qty;
            changed();
        } else {
            eraseAt(s);
        }
        return previous;
    }
    if (qty > 0) insertAt(s, Level{price, qty});
    return 0;
}

Lots LevelBlocks::add(PriceTicks price, Lots delta) {
    const Slot s = find(price);
    if (holds(s, price)) {
        const Lots updated = qtyAt(s) + delta;
        if (updated > 0) {
            qtyAt(s) = updated;
            changed();
            return updated;
        }
        eraseAt(s);
        return 0;
    }
    if (delta <= 0) return 0;
    insertAt(s, Level{price, delta});
    return delta;
}

Lots LevelBlocks::sizeAt(PriceTicks price) const {
    const Slot s = find(price);
    return holds(s, price) ? blockAt(s.block).levels[s.index].qty : 0;
}

Level LevelBlocks::level(std::size_t i) const {
    for (std::size_t k = order_.size(); k-- > 0;) {
        const Block& block = blockAt(k);
        if (i < block.count) return block.levels[block.count - 1 - i];
        i -= block.count;
    }
    return emptyLevel(side_);
}

Level LevelBlocks::worst() const {
    return order_.empty() ? emptyLevel(side_) : blockAt(0).levels[0];
}

void LevelBlocks::top(std::span<Level> out) const {
    std::size_t filled = 0;
    for (std::size_t k = order_.size(); k-- > 0 && filled < out.size();) {
        const Block& block = blockAt(k);
        for (std::size_t j = block.count; j-- > 0 && filled < out.size();)
            out[filled++] = block.levels[j];
    }
    std::fill(out.begin() + static_cast<std::ptrdiff_t>(filled), out.end(), emptyLevel(side_));
}

std::span<const Level> LevelBlocks::worstToBest() const {
    if (!flatValid_) {
        flat_.clear();
        for (const std::uint32_t id : order_) {
            const Block& block = pool_[id];
            flat_.insert(flat_.end(), block.levels.begin(),
                         block.levels.begin() + static_cast<std::ptrdiff_t>(block.count));
        }
        flatValid_ = true;
    }
    return flat_;
}

}  // namespace flowscope
