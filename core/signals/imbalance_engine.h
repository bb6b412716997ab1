#pragma once
/// The imbalance engine: per event OFI (level 1 and multi-level), queue and depth imbalance,
/// micro-price, trade flow and cumulative delta, each over rolling windows in clock time and event
/// time, with z-scores against the signal's recent history.
///
/// Threading: a plain object owned by the thread that owns the book (the feed thread). It
/// allocates only in its constructor; snapshot() returns a value to hand to other threads.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "book/order_book.h"
#include "signals/signal_snapshot.h"
#include "signals/trade.h"
#include "signals/window_set.h"
#include "signals/window_spec.h"

namespace flowscope {

struct EngineConfig {
    static constexpr int kMaxLevels = 64;

    int ofiLevels = 10;    ///< M of the multi-level OFI
    int depthLevels = 10;  ///< N of the depth imbalance
    std::vector<WindowSpec> windows = {WindowSpec::seconds(1), WindowSpec::seconds(10),
                                       WindowSpec::seconds(60), WindowSpec::events(100),
                                       WindowSpec::events(1000)};
    std::size_t zscoreLookback = 60;      ///< K windows of history behind each z-score
    std::int64_t bucketsPerWindow = 100;  ///< time resolution of clock windows (length / 100)

    /// Empty when valid, otherwise what is wrong (for a clear error at start-up).
    std::string validate() const;
    /// Sub-buckets of a window: one per event for event windows, bucketsPerWindow for time.
    std::int64_t bucketsFor(const WindowSpec& spec) const;
};

class ImbalanceEngine {
  public:
    /// Throws std::invalid_argument if config.validate() is not empty.
    explicit ImbalanceEngine(EngineConfig config = {});

    /// Call after every book change. The first call after construction or reset() only records
    /// the state: a snapshot that replaces the book is not order flow.
    void onBook(const OrderBook& book, TimeNs timeNs);
    /// Same as onBook when exactly one level (side, price) changed since the last call; skips the
    /// depth scan when the change is deeper than every level the engine tracks.
    void onBookUpdate(const OrderBook& book, Side side, PriceTicks price, TimeNs timeNs);
    /// Same as onBook for a source that gives the top levels directly (best first; missing
    /// levels are padded as empty), such as LOBSTER's book file.
    void onDepth(std::span<const Level> bids, std::span<const Level> asks, TimeNs timeNs);
    void onTrade(const Trade& trade);
    /// Forget the previous book (after a gap or resync); windows and history are kept, but the
    /// time the feed was blind is not sampled into the z-score baselines as a quiet market.
    void resetBook() {
        hasPrevious_ = false;
        windows_.suspendBaselines();
    }
    /// Moves the clock without an event, so windowed signals decay in a quiet market.
    void advanceTo(TimeNs timeNs);

    /// The engine's state as a value (folds pending events into the windows first).
    SignalSnapshot snapshot();
    const EngineConfig& config() const { return config_; }
    /// e_n per level (index 0 = touch) of the last book event.
    std::span<const Lots> lastLevelOfi() const { return lastOfi_; }
    /// Windowed OFI per level for window w.
    std::span<const Lots> windowLevelOfi(std::size_t w) {
        return windows_.totals(w).first(static_cast<std::size_t>(config_.ofiLevels));
    }
    std::uint64_t events() const { return events_; }

  private:
    void beginEvent(TimeNs timeNs);
    /// Records the book event whose state is in cur (both sides) and closes it.
    void recordBothSides();

    EngineConfig config_;
    std::size_t tracked_;  ///< levels read from the book: max(M, N)
    std::vector<Level> prevBids_, prevAsks_, curBids_, curAsks_;
    std::vector<Lots> lastOfi_;
    WindowSet windows_;
    bool hasPrevious_ = false;
    std::uint64_t events_ = 0;
    TimeNs timeNs_ = 0;
    Lots buyVolume_ = 0, sellVolume_ = 0;
};

}  // namespace flowscope
