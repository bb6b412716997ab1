#pragma once
/// Binance's request-weight budget (6000 per minute on spot): the gateway refuses to send a
/// request that would take the minute's weight within `reserve` of the limit, so a burst of
/// orders cannot get the IP banned (HTTP 429, then 418). The count is kept locally from each
/// endpoint's documented weight and replaced by the venue's own X-MBX-USED-WEIGHT-1M when an
/// answer carries it, which also covers other programs using the same IP.
///
/// Threading: owned by the gateway's thread.

#include <cstdint>

#include "book/types.h"

namespace flowscope::trading {

class RequestWeight {
  public:
    RequestWeight(int limitPerMinute, int reserve) : limit_(limitPerMinute), reserve_(reserve) {}

    /// True (and the weight counted) when a request of `weight` may go at `nowMs` (venue time).
    bool tryTake(int weight, std::int64_t nowMs);
    /// The venue's X-MBX-USED-WEIGHT-1M value as of `nowMs`.
    void onUsedWeight(int used, std::int64_t nowMs);

    int used(std::int64_t nowMs) const;
    int limit() const { return limit_; }
    std::uint64_t refused() const { return refused_; }

  private:
    /// Binance counts per calendar minute.
    static std::int64_t minuteOf(std::int64_t ms) { return ms / 60'000; }

    int limit_;
    int reserve_;
    int used_ = 0;
    std::int64_t minute_ = -1;
    std::uint64_t refused_ = 0;
};

}  // namespace flowscope::trading
