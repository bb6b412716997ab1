#pragma once
/// The two clocks Flowscope reads, in nanoseconds. Steady time measures intervals (timeouts,
/// latencies, expiries) and never jumps; wall time (UTC since the epoch) is what lines up with a
/// venue's timestamps, recordings and audit logs.

#include <chrono>

#include "book/types.h"

namespace flowscope {

inline TimeNs steadyNowNs() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

inline TimeNs wallNowNs() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace flowscope
