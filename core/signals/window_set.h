#pragma once
/// The imbalance engine's rolling windows and their z-score baselines, built for the feed's hot
/// path. Each window sums a row per event: OFI per level (e_1..e_M), buy volume, sell volume.
///
/// - Time windows (sub-bucketed RollingWindows): events accumulate in one pending row shared by
///   all time windows and are folded in only when a sub-bucket boundary passes or totals are read,
///   so a burst of events costs one row-add each, not one per window.
/// - Event windows (exact, last L events): a running cumulative row C_n is kept and written into a
///   ring shared by all event windows; a window's sum is C_n - C_(n-L), computed when it is read.
///   Each event costs one row-add and one row-store however many event windows there are. The
///   cumulative sums are unsigned so that they wrap instead of overflowing; their differences
///   are exact as long as a window's sum fits in 64 bits.
/// - Baselines: at each aligned window end (k*L), the window's OFI, multi-level OFI and delta
///   sums, and the queue imbalance and micro-price offset of the book as it stood, become samples.
///
/// Threading: owned by the engine's thread; allocates only in the constructor.

#include <span>
#include <vector>

#include "book/types.h"
#include "signals/rolling_window.h"
#include "signals/window_spec.h"
#include "signals/zscore_baseline.h"

namespace flowscope {

struct EngineConfig;

struct WindowBaselines {
    explicit WindowBaselines(std::size_t k) : ofi(k), mlofi(k), delta(k), queue(k), micro(k) {}
    ZScoreBaseline ofi, mlofi, delta, queue, micro;
};

class WindowSet {
  public:
    explicit WindowSet(const EngineConfig& config);

    /// Opens an event at `timeNs` (never decreasing) with 0-based index `eventIndex`; `bid`/`ask`
    /// is the touch before the event, sampled by baselines whose aligned window ends here.
    void beginEvent(TimeNs timeNs, std::int64_t eventIndex, const Level& bid, const Level& ask) {
        timeNs_ = timeNs;
        eventIndex_ = eventIndex;
        // Most events cross no sub-bucket boundary and end no event window: three compares.
        if (suspended_ || timeNs >= nextFlushNs_ || eventIndex >= nextEventRoll_)
            rollForEvent(timeNs, eventIndex, bid, ask);
    }
    /// Rolls the time windows to `timeNs` without an event (quiet markets decay).
    void advanceTo(TimeNs timeNs, const Level& bid, const Level& ask);
    /// The feed was blind (gap, resync): the next event re-anchors every baseline, so the blind
    /// stretch is neither sampled as zeros nor as a partial window.
    void suspendBaselines() { suspended_ = true; }
    /// Closes the open event as a book change with contributions `levelOfi` (size M).
    void addBook(std::span<const Lots> levelOfi);
    /// Same as addBook with every contribution zero (a change behind every tracked level).
    void addEmptyBook();
    /// Closes the open event as a trade.
    void addTrade(bool buyerInitiated, Lots qty);

    std::size_t size() const { return windows_.size(); }
    const WindowSpec& spec(std::size_t w) const;
    /// Sums of window w: e_1..e_M, buy volume, sell volume (folds pending events in first).
    std::span<const Lots> totals(std::size_t w);
    const WindowBaselines& baselines(std::size_t w) const { return windows_[w].baselines; }

  private:
    struct Window;
    void flushPending();
    void roll(Window& w, std::int64_t clock, const Level& bid, const Level& ask);
    void anchor(Window& w, std::int64_t clock);
    void rollTimeWindows(TimeNs timeNs, const Level& bid, const Level& ask);
    void rollForEvent(TimeNs timeNs, std::int64_t eventIndex, const Level& bid, const Level& ask);
    const std::uint64_t* cumulativeAt(std::int64_t index) const;
    std::uint64_t* cumulativeRow(std::int64_t index) {
        return &ring_[(static_cast<std::size_t>(index) & ringMask_) * width_];
    }
    /// Writes the current event's cumulative row as the previous one carried over; returns it.
    std::uint64_t* carryCumulative();

    struct Window {
        bool isTime;
        std::int64_t length;
        std::size_t specIndex;
        RollingWindow rolling;                ///< time windows only
        std::vector<Lots> totals;             ///< event windows: scratch for totals()
        std::int64_t alignedEnd = INT64_MIN;  ///< first clock past the current aligned window
        Lots alignedOfi = 0, alignedMlofi = 0, alignedDelta = 0;  ///< time windows
        std::int64_t alignedStartIndex = 0;  ///< event windows: first event of the aligned window
        bool partial = false;  ///< the aligned window began mid-way: not a sample of "normal"
        WindowBaselines baselines;
    };

    std::vector<WindowSpec> specs_;
    std::size_t levels_;  ///< M
    std::size_t width_;   ///< M + 2
    std::vector<Window> windows_;
    // the open event
    TimeNs timeNs_ = 0;
    std::int64_t eventIndex_ = 0;
    // pending row of the time windows
    std::vector<Lots> pending_;
    Lots pendingOfi_ = 0, pendingMlofi_ = 0, pendingDelta_ = 0;
    bool hasPending_ = false;
    TimeNs pendingNs_ = 0;
    TimeNs nextFlushNs_ = INT64_MIN;  ///< first time past the newest sub-bucket of any window
    std::int64_t nextEventRoll_ = INT64_MIN;  ///< first event index past any event window's end
    bool suspended_ = false;
    // Cumulative rows C_n of the last events for the event windows (power-of-two ring). Each
    // event writes its row as C_(n-1) plus its own row, so C through the open event is the ring
    // row of eventIndex_ (zero before the first event) and no separate row is copied in.
    bool hasEventWindows_ = false;
    std::vector<std::uint64_t> ring_;
    std::size_t ringMask_ = 0;
    std::vector<std::uint64_t> zeros_;  ///< C_(-1), and the row of an empty book event
};

}  // namespace flowscope
