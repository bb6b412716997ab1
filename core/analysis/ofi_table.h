#pragma once
/// The OFI table of Cont, Kukanov & Stoikov (2014) and its multi-level form: per clock window,
/// the number of events, the mid-price change and the sum of e_n at each level.
///
/// Windows are [k*S, (k+1)*S); an event belongs to the window holding its time; only windows with
/// at least one event exist. The mid change of a window is the mid at its last event minus the mid
/// at the last event before it (for the first window, minus the initial state's mid).

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "book/types.h"

namespace flowscope {

struct OfiWindow {
    TimeNs startNs = 0;
    TimeNs endNs = 0;
    std::uint64_t events = 0;
    /// Twice the mid change, in ticks: exact even when a mid falls between two ticks.
    std::int64_t midChangeTwice = 0;
    bool midDefined = true;  ///< false if either mid had an empty side
    std::vector<Lots> ofi;   ///< per level, index 0 = level 1

    double midChange() const { return static_cast<double>(midChangeTwice) / 2.0; }
};

/// Where a sum stopped fitting in 64 bits: the event's time and the level (1-based).
struct OfiOverflow {
    TimeNs timeNs = 0;
    int level = 0;
};

class OfiTableBuilder {
  public:
    OfiTableBuilder(int levels, TimeNs intervalNs);

    /// The state before the first event (LOBSTER: book row 0).
    void setInitial(std::span<const Level> bids, std::span<const Level> asks);
    /// The book was replaced without order flow (a venue resync): the next event's e_n is
    /// measured from this state, and the jump itself is not counted.
    void rebase(std::span<const Level> bids, std::span<const Level> asks);
    /// One event: the book state after it, best first, at least `levels` entries a side.
    /// Sums are checked: if an e_n or a window's sum would not fit in 64 bits, overflow() is set
    /// and the table is void (later events are ignored); the caller refuses the input.
    void addEvent(TimeNs timeNs, std::span<const Level> bids, std::span<const Level> asks);
    /// Set by the first event whose OFI did not fit in 64 bits; windows() is then not a result.
    const std::optional<OfiOverflow>& overflow() const { return overflow_; }
    /// Closes the last window; windows() is complete afterwards.
    void finish();

    const std::vector<OfiWindow>& windows() const { return windows_; }
    int levels() const { return levels_; }

  private:
    struct Mid {
        std::int64_t twice = 0;
        bool defined = false;
    };
    static Mid midOf(std::span<const Level> bids, std::span<const Level> asks);
    void closeWindow();

    int levels_;
    TimeNs intervalNs_;
    std::vector<Level> prevBids_, prevAsks_;
    Mid previousWindowMid_;  ///< mid at the last event before the open window
    Mid lastMid_;            ///< mid at the latest event
    std::int64_t openIndex_ = INT64_MIN;
    OfiWindow open_;
    std::vector<OfiWindow> windows_;
    std::optional<OfiOverflow> overflow_;
};

}  // namespace flowscope
