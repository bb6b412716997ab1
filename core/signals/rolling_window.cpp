#include "signals/rolling_window.h"

#include <algorithm>
#include <stdexcept>

namespace flowscope {
namespace {
std::int64_t floorDiv(std::int64_t a, std::int64_t b) {
    const std::int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}
}  // namespace

RollingWindow::RollingWindow(std::int64_t length, std::int64_t buckets, std::size_t width)
    : bucketWidth_(buckets > 0 ? length / buckets : 0),
      buckets_(buckets),
      width_(width),
      ring_(static_cast<std::size_t>(buckets > 0 ? buckets : 0) * width, 0),
      totals_(width, 0) {
    if (length <= 0 || buckets <= 0 || length % buckets != 0 || width == 0)
        throw std::invalid_argument("RollingWindow: length must be a positive multiple of buckets");
}

void RollingWindow::advanceTo(std::int64_t clock) {
    const std::int64_t bucket = floorDiv(clock, bucketWidth_);
    if (current_ == INT64_MIN) {
        current_ = bucket;
        return;
    }
    if (bucket <= current_) return;
    // Expire the sub-buckets that fall out; a jump of a whole window or more clears all of them.
    const std::int64_t steps = std::min(bucket - current_, buckets_);
    for (std::int64_t b = bucket - steps + 1; b <= bucket; ++b) {
        std::int64_t* s = slot(b);
        for (std::size_t c = 0; c < width_; ++c) {
            totals_[c] -= s[c];
            s[c] = 0;
        }
    }
    current_ = bucket;
}

void RollingWindow::add(std::int64_t clock, std::span<const std::int64_t> row) {
    advanceTo(clock);
    std::int64_t* s = slot(current_);
    const std::size_t n = std::min(row.size(), width_);
    for (std::size_t c = 0; c < n; ++c) {
        s[c] += row[c];
        totals_[c] += row[c];
    }
}

void RollingWindow::addAt(std::int64_t clock, std::size_t column, std::int64_t value) {
    advanceTo(clock);
    slot(current_)[column] += value;
    totals_[column] += value;
}

}  // namespace flowscope
