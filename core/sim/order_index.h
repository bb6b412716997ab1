#pragma once
/// Order id -> pool slot, as an open-addressing hash table with linear probing.
///
/// Why not std::unordered_map: it allocates a node per insert, i.e. per simulated limit order.
/// This table allocates only when it holds more orders than ever before, and deletes by backward
/// shift, so there are no tombstones to clean up however many orders come and go.

#include <cstdint>
#include <optional>
#include <vector>

#include "sim/sim_types.h"

namespace flowscope::sim {

class OrderIndex {
  public:
    explicit OrderIndex(std::size_t expectedOrders = 1 << 16);

    /// `id` must not be kNoOrder nor already present.
    void insert(OrderId id, std::uint32_t slot);
    std::optional<std::uint32_t> find(OrderId id) const;
    /// Returns false when the id is absent.
    bool erase(OrderId id);
    std::size_t size() const { return size_; }

  private:
    struct Entry {
        OrderId id = kNoOrder;  ///< kNoOrder marks an empty bucket
        std::uint32_t slot = 0;
    };

    std::size_t bucketOf(OrderId id) const {
        // Fibonacci hashing spreads the consecutive ids the engine assigns over the table.
        return static_cast<std::size_t>((id * 0x9E3779B97F4A7C15ull) >> shift_);
    }
    std::size_t indexOf(OrderId id) const;  ///< bucket holding id, or entries_.size()
    void grow();

    std::vector<Entry> entries_;  ///< power-of-two size, at most half full
    std::size_t size_ = 0;
    int shift_ = 64;
};

}  // namespace flowscope::sim
