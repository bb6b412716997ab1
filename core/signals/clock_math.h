#pragma once

#include <cstdint>

namespace flowscope {

/// Floor division: the bucket index of a clock value, also for negative clocks (C++ truncates).
constexpr std::int64_t floorDiv(std::int64_t a, std::int64_t b) {
    const std::int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

}  // namespace flowscope
