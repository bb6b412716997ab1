#pragma once
// Pulling/stacking for the ladder: the net change of resting size at each price over the last
// N seconds, from the snapshots the GUI receives (the feed does not need to track it).
//
// GUI thread only. The history holds about one sample a second, so its memory is bounded by
// N + 2 samples of the snapshot's depth whatever the message rate.

#include <cstdint>
#include <deque>
#include <vector>

#include "feed/market_snapshot.h"

namespace flowscope {

class PullingStacking {
  public:
    static constexpr TimeNs kSampleIntervalNs = 1'000'000'000;
    static constexpr TimeNs kDefaultWindowNs = 5'000'000'000;

    void setWindowNs(TimeNs windowNs);
    TimeNs windowNs() const { return windowNs_; }

    /// Records the snapshot's book and recomputes changes() against the sample about windowNs
    /// older. Time that goes backwards (replay restart) or a new instrument clears the history.
    void add(const MarketSnapshot& snapshot);
    void clear();

    /// Non-zero net changes (size now minus size then), sorted by price; qty is signed:
    /// positive = stacking, negative = pulling. Empty until the history spans the window.
    const std::vector<Level>& changes() const { return changes_; }

  private:
    /// Resting size by price, ascending, both sides merged (a valid book never has both sides
    /// at one price). `low`/`high` bound the prices the snapshot actually covered: beyond its
    /// deepest levels a price is unknown, not empty, so it must not read as pulled.
    struct Sample {
        TimeNs timeNs = 0;
        PriceTicks low = 0;
        PriceTicks high = -1;
        std::vector<Level> sizes;
    };

    static Sample sampleOf(const MarketSnapshot& snapshot, TimeNs timeNs);
    static TimeNs timeOf(const MarketSnapshot& snapshot);
    void recompute(const Sample& now);

    TimeNs windowNs_ = kDefaultWindowNs;
    std::deque<Sample> history_;
    std::string symbol_;
    std::vector<Level> changes_;
};

}  // namespace flowscope
