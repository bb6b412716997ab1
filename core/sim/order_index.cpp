#include "sim/order_index.h"

#include <bit>
#include <utility>

namespace flowscope::sim {

OrderIndex::OrderIndex(std::size_t expectedOrders) {
    const std::size_t buckets =
        std::bit_ceil(expectedOrders < 8 ? std::size_t{16} : expectedOrders * 2);
    entries_.resize(buckets);
    shift_ = 64 - std::countr_zero(buckets);
}

std::size_t OrderIndex::indexOf(OrderId id) const {
    const std::size_t mask = entries_.size() - 1;
    for (std::size_t i = bucketOf(id);; i = (i + 1) & mask) {
        if (entries_[i].id == id) return i;
        if (entries_[i].id == kNoOrder) return entries_.size();
    }
}

void OrderIndex::insert(OrderId id, std::uint32_t slot) {
    if ((size_ + 1) * 2 > entries_.size()) grow();
    const std::size_t mask = entries_.size() - 1;
    std::size_t i = bucketOf(id);
    while (entries_[i].id != kNoOrder)
        i = (i + 1) & mask;
    entries_[i] = {id, slot};
    ++size_;
}

std::optional<std::uint32_t> OrderIndex::find(OrderId id) const {
    if (id == kNoOrder) return std::nullopt;
    const std::size_t i = indexOf(id);
    if (i == entries_.size()) return std::nullopt;
    return entries_[i].slot;
}

bool OrderIndex::erase(OrderId id) {
    if (id == kNoOrder) return false;
    std::size_t hole = indexOf(id);
    if (hole == entries_.size()) return false;
    // Backward shift: pull later entries of the probe run into the hole unless that would move
    // one before its home bucket, which keeps every remaining entry reachable without tombstones.
    const std::size_t mask = entries_.size() - 1;
    for (std::size_t j = (hole + 1) & mask; entries_[j].id != kNoOrder; j = (j + 1) & mask) {
        const std::size_t home = bucketOf(entries_[j].id);
        const bool homeInRange = ((j - home) & mask) >= ((j - hole) & mask);
        if (homeInRange) {
            entries_[hole] = entries_[j];
            hole = j;
        }
    }
    entries_[hole] = Entry{};
    --size_;
    return true;
}

void OrderIndex::grow() {
    std::vector<Entry> old = std::exchange(entries_, std::vector<Entry>(entries_.size() * 2));
    shift_ -= 1;
    size_ = 0;
    for (const Entry& e : old)
        if (e.id != kNoOrder) insert(e.id, e.slot);
}

}  // namespace flowscope::sim
