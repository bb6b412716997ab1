#include "signals/rolling_window.h"

#include <algorithm>

#include <stdexcept>
#include "book/floor_div.h"

namespace flowscope {
namespace {

// Row loops with restrict parameters (ring rows and totals never overlap) so that they vectorize.
void retireRow(std::size_t n, std::int64_t* __restrict row, std::int64_t* __restrict totals) {
    for (std::size_t c = 0; c < n; ++c) {
        totals[c] -= row[c];
        row[c] = 0;
    }
}

void addRow(std::size_t n, const std::int64_t* __restrict in, std::int64_t* __restrict row,
            std::int64_t* __restrict totals) {
    for (std::size_t c = 0; c < n; ++c) {
        row[c] += in[c];
        totals[c] += in[c];
    }
}

}  // namespace

RollingWindow::RollingWindow(std::int64_t length, std::int64_t buckets, std::size_t width)
    : bucketWidth_(buckets > 0 ? length / buckets : 0),
      buckets_(buckets),
      width_(width),
      ring_(static_cast<std::size_t>(buckets > 0 ? buckets : 0) * width, 0),
      totals_(width, 0),
      used_(static_cast<std::size_t>(buckets > 0 ? buckets : 0), 0) {
    if (length <= 0 || buckets <= 0 || length % buckets != 0 || width == 0)
        throw std::invalid_argument("RollingWindow: length must be a positive multiple of buckets");
}

void RollingWindow::advanceTo(std::int64_t clock) {
    if (clock < nextStart_) return;  // still in the newest sub-bucket: the common case
    if (current_ == INT64_MIN) {
        current_ = floorDiv(clock, bucketWidth_);
        currentSlot_ = static_cast<std::size_t>(((current_ % buckets_) + buckets_) % buckets_);
        nextStart_ = (current_ + 1) * bucketWidth_;
        return;
    }
    // A clock a few sub-buckets ahead (a quiet spell) is found by stepping, not by dividing.
    std::int64_t bucket = current_ + 1;
    std::int64_t end = nextStart_ + bucketWidth_;
    for (int i = 0; i < 4 && clock >= end; ++i) {
        ++bucket;
        end += bucketWidth_;
    }
    if (clock >= end) bucket = floorDiv(clock, bucketWidth_);
    const std::int64_t steps = std::min(bucket - current_, buckets_);
    const auto n = static_cast<std::size_t>(buckets_);
    std::size_t s = currentSlot_;
    for (std::int64_t i = 0; i < steps; ++i) {
        s = s + 1 == n ? 0 : s + 1;
        if (!used_[s]) continue;
        retireRow(width_, &ring_[s * width_], totals_.data());
        used_[s] = 0;
    }
    current_ = bucket;
    currentSlot_ = steps == buckets_
                       ? static_cast<std::size_t>(((bucket % buckets_) + buckets_) % buckets_)
                       : s;
    nextStart_ = (bucket + 1) * bucketWidth_;
}

void RollingWindow::add(std::int64_t clock, std::span<const std::int64_t> row) {
    advanceTo(clock);
    addRow(std::min(row.size(), width_), row.data(), &ring_[currentSlot_ * width_], totals_.data());
    used_[currentSlot_] = 1;
}

void RollingWindow::addAt(std::int64_t clock, std::size_t column, std::int64_t value) {
    advanceTo(clock);
    ring_[currentSlot_ * width_ + column] += value;
    totals_[column] += value;
    used_[currentSlot_] = 1;
}

}  // namespace flowscope
