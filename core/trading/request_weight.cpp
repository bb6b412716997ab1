#include "trading/request_weight.h"

namespace flowscope::trading {

int RequestWeight::used(std::int64_t nowMs) const {
    return minuteOf(nowMs) == minute_ ? used_ : 0;
}

bool RequestWeight::tryTake(int weight, std::int64_t nowMs) {
    if (minuteOf(nowMs) != minute_) {
        minute_ = minuteOf(nowMs);
        used_ = 0;
    }
    if (used_ + weight > limit_ - reserve_) {
        ++refused_;
        return false;
    }
    used_ += weight;
    return true;
}

void RequestWeight::onUsedWeight(int used, std::int64_t nowMs) {
    minute_ = minuteOf(nowMs);
    used_ = used;
}

}  // namespace flowscope::trading
