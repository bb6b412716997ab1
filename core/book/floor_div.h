#pragma once
/// Integer division rounded toward minus infinity (C++ truncates toward zero), for bucket
/// indices of clocks and prices that may be negative, and its ceiling counterpart.

#include <cstdint>

namespace flowscope {

constexpr std::int64_t floorDiv(std::int64_t a, std::int64_t b) {
    const std::int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

constexpr std::int64_t ceilDiv(std::int64_t a, std::int64_t b) {
    return -floorDiv(-a, b);
}

}  // namespace flowscope
