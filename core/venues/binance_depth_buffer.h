#pragma once
/// Diff-depth events held while a Binance book waits for its REST snapshot, already converted to
/// ticks and lots (each event is parsed and validated once, on arrival). Bounded: a snapshot that
/// never comes must not grow memory without limit.
///
/// Threading: owned by one adapter.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "book/types.h"
#include "venues/binance_sequence.h"

namespace flowscope::venues {

/// One price level of a depth event: the absolute quantity now at `price` (0 removes it).
struct BinanceLevelChange {
    Side side = Side::Bid;
    PriceTicks price = 0;
    Lots qty = 0;
};

struct BufferedDepthEvent {
    BinanceDepthIds ids;
    TimeNs eventNs = 0;
    TimeNs receiveNs = 0;
    std::size_t levelBegin = 0;
    std::size_t levelEnd = 0;
};

class BinanceDepthBuffer {
  public:
    /// 4096 events is over six minutes of a 100 ms stream; 1M levels is about 24 MB.
    static constexpr std::size_t kMaxEvents = 4096;
    static constexpr std::size_t kMaxLevels = 1'000'000;

    /// False (and nothing stored) when the event would exceed either bound.
    bool push(const BinanceDepthIds& ids, TimeNs eventNs, TimeNs receiveNs,
              std::span<const BinanceLevelChange> levels);
    /// Forgets the `count` oldest events.
    void dropFront(std::size_t count);
    void clear();

    bool empty() const { return events_.empty(); }
    std::size_t size() const { return events_.size(); }
    const BufferedDepthEvent& event(std::size_t i) const { return events_[i]; }
    std::span<const BinanceLevelChange> levels(std::size_t i) const;

  private:
    std::vector<BufferedDepthEvent> events_;
    std::vector<BinanceLevelChange> levels_;
};

}  // namespace flowscope::venues
