#pragma once
/// The reference the decimal conversions are tested against: obviously right and slow (128-bit,
/// digit by digit, every rule spelled out), sharing no code with core/book/instrument.cpp.

#include <cstdint>
#include <optional>
#include <string_view>

#include "book/instrument.h"

namespace flowscope::testing {

/// `text` as value * 10^decimals, or nullopt: malformed, a non-zero digit past `decimals`, or
/// outside int64.
inline std::optional<std::int64_t> referenceScaled(std::string_view t, int decimals) {
    std::size_t i = 0;
    bool negative = false;
    if (!t.empty() && (t[0] == '-' || t[0] == '+')) negative = t[i++] == '-';
    __int128 v = 0;
    int digits = 0, frac = 0;
    bool dot = false;
    for (; i < t.size(); ++i) {
        if (t[i] == '.') {
            if (dot) return std::nullopt;
            dot = true;
            continue;
        }
        if (t[i] < '0' || t[i] > '9') return std::nullopt;
        ++digits;
        if (dot && frac == decimals) {
            if (t[i] != '0') return std::nullopt;
            continue;
        }
        frac += dot;
        v = v * 10 + (t[i] - '0');
        if (v > INT64_MAX) return std::nullopt;
    }
    if (digits == 0) return std::nullopt;
    for (int k = frac; k < decimals; ++k)
        v *= 10;
    if (v > INT64_MAX) return std::nullopt;
    return static_cast<std::int64_t>(negative ? -v : v);
}

/// `text` in whole steps of `step`, or nullopt (also when it falls between two steps).
inline std::optional<std::int64_t> referenceSteps(std::string_view text, DecimalStep step) {
    const std::optional<std::int64_t> scaled = referenceScaled(text, step.decimals);
    if (!scaled || *scaled % step.mantissa != 0) return std::nullopt;
    return *scaled / step.mantissa;
}

}  // namespace flowscope::testing
