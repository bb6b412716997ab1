#pragma once
/// Rolling sums of a fixed-width row of integers over the last `length` units of a clock that is
/// either time (ns) or an event counter.
///
/// The window is held as `buckets` sub-buckets of length/buckets units each; its total covers the
/// current sub-bucket and the buckets-1 before it. Memory is fixed (buckets x width integers) and
/// each event costs O(width), whatever the event rate: a 60 s window at 200,000 events/s would need
/// 12 million rows if kept event by event. With buckets == length (event windows) it is exact:
/// the last `length` events.

#include <cstdint>
#include <span>
#include <vector>

namespace flowscope {

class RollingWindow {
  public:
    /// `length` must be a positive multiple of `buckets`.
    RollingWindow(std::int64_t length, std::int64_t buckets, std::size_t width);

    /// Adds one row at `clock`. Clocks must not decrease; an earlier clock is counted in the
    /// current sub-bucket (venues occasionally stamp out of order by a few microseconds). `row`
    /// must not overlap this window's own storage (totals()).
    void add(std::int64_t clock, std::span<const std::int64_t> row);
    /// Adds to one column only (trades touch two columns of a wide row).
    void addAt(std::int64_t clock, std::size_t column, std::int64_t value);
    /// Rolls the window forward to `clock` without adding anything (quiet markets decay too).
    void advanceTo(std::int64_t clock);

    std::span<const std::int64_t> totals() const { return totals_; }
    std::int64_t total(std::size_t column) const { return totals_[column]; }
    std::int64_t length() const { return bucketWidth_ * buckets_; }
    std::int64_t bucketWidth() const { return bucketWidth_; }
    /// First clock past the newest sub-bucket (INT64_MIN before the first clock).
    std::int64_t nextStart() const { return nextStart_; }
    std::size_t width() const { return width_; }

  private:
    std::int64_t bucketWidth_;
    std::int64_t buckets_;
    std::size_t width_;
    std::int64_t current_ = INT64_MIN;    ///< index of the newest sub-bucket
    std::int64_t nextStart_ = INT64_MIN;  ///< first clock past the newest sub-bucket
    std::size_t currentSlot_ = 0;
    std::vector<std::int64_t> ring_;
    std::vector<std::int64_t> totals_;
    std::vector<unsigned char> used_;  ///< per sub-bucket: anything added since it was cleared
};

}  // namespace flowscope
