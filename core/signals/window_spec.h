#pragma once

#include <cstdint>
#include <string>

namespace flowscope {

/// A rolling window in clock time or in event time.
struct WindowSpec {
    enum class Clock : std::uint8_t { Time, Events };
    Clock clock = Clock::Time;
    std::int64_t length = 0;  ///< nanoseconds (Time) or events (Events)

    static WindowSpec seconds(std::int64_t s) { return {Clock::Time, s * 1'000'000'000}; }
    static WindowSpec events(std::int64_t n) { return {Clock::Events, n}; }
    /// "1s", "10s", "250ms", "100ev": used for CSV column names.
    std::string label() const;
};

}  // namespace flowscope
