#include "signals/window_set.h"

#include <algorithm>

#include "book/floor_div.h"

#include "signals/book_measures.h"
#include "signals/imbalance_engine.h"

namespace flowscope {
namespace {

std::size_t nextPowerOfTwo(std::size_t n) {
    std::size_t p = 1;
    while (p < n)
        p <<= 1;
    return p;
}

// The row loops of one book event, with restrict parameters (which GCC honours on parameters,
// not on local pointers) so that they vectorize. Returns the sum of the row.
Lots addToPending(std::size_t n, const Lots* __restrict in, Lots* __restrict pending) {
    Lots sum = 0;
    for (std::size_t m = 0; m < n; ++m) {
        pending[m] += in[m];
        sum += in[m];
    }
    return sum;
}

// C_n = C_(n-1) + row for the first n columns.
template <typename Row>
void addCumulative(std::size_t n, const Row* __restrict in, const std::uint64_t* __restrict before,
                   std::uint64_t* __restrict row) {
    for (std::size_t m = 0; m < n; ++m)
        row[m] = before[m] + static_cast<std::uint64_t>(in[m]);
}

}  // namespace

WindowSet::WindowSet(const EngineConfig& config)
    : specs_(config.windows),
      levels_(static_cast<std::size_t>(config.ofiLevels)),
      width_(levels_ + 2),
      pending_(width_, 0),
      zeros_(width_, 0) {
    std::int64_t longestEvents = 0;
    windows_.reserve(specs_.size());
    for (std::size_t i = 0; i < specs_.size(); ++i) {
        const WindowSpec& spec = specs_[i];
        const bool isTime = spec.clock == WindowSpec::Clock::Time;
        // Event windows keep exact totals; their RollingWindow is a minimal unused placeholder.
        windows_.push_back(Window{isTime, spec.length, i,
                                  isTime
                                      ? RollingWindow(spec.length, config.bucketsFor(spec), width_)
                                      : RollingWindow(1, 1, 1),
                                  std::vector<Lots>(isTime ? 0 : width_, 0), INT64_MIN, 0, 0, 0, 0,
                                  false, WindowBaselines(config.zscoreLookback)});
        if (!isTime) longestEvents = std::max(longestEvents, spec.length);
    }
    if (longestEvents > 0) {
        hasEventWindows_ = true;
        const std::size_t rows = nextPowerOfTwo(static_cast<std::size_t>(longestEvents) + 1);
        ring_.assign(rows * width_, 0);
        ringMask_ = rows - 1;
    }
}

const WindowSpec& WindowSet::spec(std::size_t w) const {
    return specs_[windows_[w].specIndex];
}

void WindowSet::anchor(Window& w, std::int64_t clock) {
    const std::int64_t start = floorDiv(clock, w.length) * w.length;
    w.alignedEnd = start + w.length;
    w.alignedStartIndex = start;
    w.alignedOfi = w.alignedMlofi = w.alignedDelta = 0;
    w.partial = clock != start;
}

void WindowSet::roll(Window& w, std::int64_t clock, const Level& bid, const Level& ask) {
    if (w.alignedEnd == INT64_MIN) {
        anchor(w, clock);
        return;
    }
    if (clock < w.alignedEnd) return;
    if (w.partial) {
        // The window that began mid-way is done and is not a sample of "normal". The window
        // holding `clock` began at its boundary, after the partial one: it is whole.
        anchor(w, clock);
        w.partial = false;
        return;
    }
    const std::int64_t aligned = floorDiv(clock, w.length);
    const std::int64_t completedIndex = w.alignedEnd / w.length - 1;
    const std::size_t lookback = w.baselines.ofi.capacity();
    const auto empties = static_cast<std::size_t>(
        std::min<std::int64_t>(aligned - completedIndex - 1, static_cast<std::int64_t>(lookback)));
    if (!w.isTime) {
        // Sums over events [alignedStartIndex, clock) from the cumulative rows.
        const std::uint64_t* end = cumulativeAt(clock - 1);
        const std::uint64_t* start = cumulativeAt(w.alignedStartIndex - 1);
        const auto diff = [&](std::size_t c) { return static_cast<Lots>(end[c] - start[c]); };
        w.alignedOfi = diff(0);
        w.alignedMlofi = 0;
        for (std::size_t m = 0; m < levels_; ++m)
            w.alignedMlofi += diff(m);
        w.alignedDelta = diff(levels_) - diff(levels_ + 1);
        w.alignedStartIndex = aligned * w.length;
    }
    WindowBaselines& b = w.baselines;
    b.ofi.push(static_cast<double>(w.alignedOfi));
    b.ofi.pushZeros(empties);
    b.mlofi.push(static_cast<double>(w.alignedMlofi));
    b.mlofi.pushZeros(empties);
    b.delta.push(static_cast<double>(w.alignedDelta));
    b.delta.pushZeros(empties);
    // Level signals are sampled at each window's end; through empty windows the book stood still.
    const double qi = queueImbalance(bid, ask);
    const double micro = microPrice(bid, ask) - midPrice(bid, ask);
    for (std::size_t i = 0; i <= empties; ++i) {
        b.queue.push(qi);
        b.micro.push(micro);
    }
    w.alignedOfi = w.alignedMlofi = w.alignedDelta = 0;
    w.alignedEnd = (aligned + 1) * w.length;
}

void WindowSet::flushPending() {
    if (!hasPending_) return;
    for (Window& w : windows_) {
        if (!w.isTime) continue;
        w.rolling.add(pendingNs_, pending_);
        w.alignedOfi += pendingOfi_;
        w.alignedMlofi += pendingMlofi_;
        w.alignedDelta += pendingDelta_;
    }
    std::fill(pending_.begin(), pending_.end(), 0);
    pendingOfi_ = pendingMlofi_ = pendingDelta_ = 0;
    hasPending_ = false;
}

void WindowSet::rollTimeWindows(TimeNs timeNs, const Level& bid, const Level& ask) {
    // A sub-bucket boundary of some time window passed: fold the pending events in, then close
    // aligned windows (every aligned end is a sub-bucket boundary).
    flushPending();
    nextFlushNs_ = INT64_MAX;
    for (Window& w : windows_) {
        if (!w.isTime) continue;
        roll(w, timeNs, bid, ask);
        w.rolling.advanceTo(timeNs);
        // The window's newest sub-bucket now holds timeNs (clocks never decrease here).
        nextFlushNs_ = std::min(nextFlushNs_, w.rolling.nextStart());
    }
}

void WindowSet::advanceTo(TimeNs timeNs, const Level& bid, const Level& ask) {
    if (timeNs < timeNs_) return;
    timeNs_ = timeNs;
    if (!suspended_ && timeNs >= nextFlushNs_) rollTimeWindows(timeNs, bid, ask);
}

void WindowSet::rollForEvent(TimeNs timeNs, std::int64_t eventIndex, const Level& bid,
                             const Level& ask) {
    if (suspended_) {
        suspended_ = false;
        flushPending();
        for (Window& w : windows_)
            anchor(w, w.isTime ? timeNs : eventIndex);
    }
    if (timeNs >= nextFlushNs_) rollTimeWindows(timeNs, bid, ask);
    nextEventRoll_ = INT64_MAX;
    for (Window& w : windows_) {
        if (w.isTime) continue;
        if (eventIndex >= w.alignedEnd) roll(w, eventIndex, bid, ask);
        nextEventRoll_ = std::min(nextEventRoll_, w.alignedEnd);
    }
}

const std::uint64_t* WindowSet::cumulativeAt(std::int64_t index) const {
    if (index < 0) return zeros_.data();
    return &ring_[(static_cast<std::size_t>(index) & ringMask_) * width_];
}

void WindowSet::addBook(std::span<const Lots> levelOfi) {
    const std::size_t n = levels_;
    const Lots* in = levelOfi.data();
    pendingOfi_ += in[0];
    pendingMlofi_ += addToPending(n, in, pending_.data());
    hasPending_ = true;
    pendingNs_ = timeNs_;
    if (!hasEventWindows_) return;
    // C_n = C_(n-1) + row, written straight into the ring (no row copied in afterwards).
    const std::uint64_t* before = cumulativeAt(eventIndex_ - 1);
    std::uint64_t* row = cumulativeRow(eventIndex_);
    addCumulative(n, in, before, row);
    row[n] = before[n];
    row[n + 1] = before[n + 1];
}

void WindowSet::addEmptyBook() {
    hasPending_ = true;
    pendingNs_ = timeNs_;
    if (hasEventWindows_) (void)carryCumulative();
}

std::uint64_t* WindowSet::carryCumulative() {
    // C_n = C_(n-1): added to a row of zeros rather than copied, which the compiler would turn
    // into a call to memmove.
    std::uint64_t* row = cumulativeRow(eventIndex_);
    addCumulative(width_, zeros_.data(), cumulativeAt(eventIndex_ - 1), row);
    return row;
}

void WindowSet::addTrade(bool buyerInitiated, Lots qty) {
    const std::size_t column = buyerInitiated ? levels_ : levels_ + 1;
    pending_[column] += qty;
    pendingDelta_ += buyerInitiated ? qty : -qty;
    hasPending_ = true;
    pendingNs_ = timeNs_;
    // C_n = C_(n-1) with the trade's column added.
    if (hasEventWindows_) carryCumulative()[column] += static_cast<std::uint64_t>(qty);
}

std::span<const Lots> WindowSet::totals(std::size_t w) {
    Window& window = windows_[w];
    if (!window.isTime) {
        // Before the first event the ring row of index 0 is still all zeros.
        const std::uint64_t* end = cumulativeAt(eventIndex_);
        const std::uint64_t* start = cumulativeAt(eventIndex_ - window.length);
        for (std::size_t c = 0; c < width_; ++c)
            window.totals[c] = static_cast<Lots>(end[c] - start[c]);
        return window.totals;
    }
    flushPending();
    window.rolling.advanceTo(timeNs_);
    return window.rolling.totals();
}

}  // namespace flowscope
