#pragma once
/// Instantaneous measures of the touch and the depth. Results are doubles because they are
/// ratios or half-ticks; NaN means "undefined" (a side is empty, or no size at all).

#include <cmath>
#include <limits>
#include <span>

#include "book/types.h"

namespace flowscope {

constexpr double kUndefined = std::numeric_limits<double>::quiet_NaN();

inline bool bothSides(const Level& bid, const Level& ask) {
    return !isEmptyLevel(bid) && !isEmptyLevel(ask);
}

/// (Pa + Pb) / 2 in ticks.
inline double midPrice(const Level& bid, const Level& ask) {
    if (!bothSides(bid, ask)) return kUndefined;
    return (static_cast<double>(bid.price) + static_cast<double>(ask.price)) / 2.0;
}

/// Size-weighted mid (Pa qb + Pb qa) / (qb + qa) in ticks: leans toward the side whose queue is
/// thinner, i.e. where the price is more likely to go next.
inline double microPrice(const Level& bid, const Level& ask) {
    if (!bothSides(bid, ask)) return kUndefined;
    // In doubles: two sizes near 2^63 would wrap an integer sum.
    const double qb = static_cast<double>(bid.qty);
    const double qa = static_cast<double>(ask.qty);
    if (qb + qa <= 0) return kUndefined;
    return (static_cast<double>(ask.price) * qb + static_cast<double>(bid.price) * qa) / (qb + qa);
}

/// (b - a) / (b + a) in [-1, 1]; NaN when b + a <= 0. Taken in doubles, which cannot overflow
/// (an integer b + a wraps for sizes near 2^63) and are exact while b and a are below 2^53.
inline double imbalanceRatio(double bidQty, double askQty) {
    const double total = bidQty + askQty;
    if (!(total > 0)) return kUndefined;
    return (bidQty - askQty) / total;
}
inline double imbalanceRatio(Lots bidQty, Lots askQty) {
    return imbalanceRatio(static_cast<double>(bidQty), static_cast<double>(askQty));
}

/// Queue imbalance at the touch.
inline double queueImbalance(const Level& bid, const Level& ask) {
    return imbalanceRatio(bid.qty, ask.qty);
}

/// Imbalance of the total resting size over the best `bids.size()` levels of each side.
inline double depthImbalance(std::span<const Level> bids, std::span<const Level> asks) {
    // Summed in doubles: the sizes of a few levels near 2^63 would wrap a 64-bit sum.
    double b = 0, a = 0;
    for (const Level& l : bids)
        b += static_cast<double>(l.qty);
    for (const Level& l : asks)
        a += static_cast<double>(l.qty);
    return imbalanceRatio(b, a);
}

}  // namespace flowscope
