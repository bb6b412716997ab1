#pragma once
/// Order-flow imbalance contributions e_n (Cont, Kukanov & Stoikov 2014) at one level, and the
/// multi-level form (Xu, Gould & Howison) that applies the same formula to the m-th best levels.

#include <cstddef>
#include <span>

#include "book/types.h"

namespace flowscope {

/// A mask of all ones when `condition` holds, else 0: the terms below are branch-free, since
/// which levels moved is data and mispredicted branches cost more than the masks.
constexpr Lots maskIf(bool condition) {
    return -static_cast<Lots>(condition);
}

/// The bid side's terms of e_n: 1{Pb_n >= Pb_n-1} qb_n - 1{Pb_n <= Pb_n-1} qb_n-1. (A side that
/// did not change contributes -q + q = 0, so an update of one side needs only its own terms.)
constexpr Lots bidOfiTerm(Level prev, Level cur) {
    return (maskIf(cur.price >= prev.price) & cur.qty) -
           (maskIf(cur.price <= prev.price) & prev.qty);
}

/// The ask side's terms of e_n: 1{Pa_n >= Pa_n-1} qa_n-1 - 1{Pa_n <= Pa_n-1} qa_n.
constexpr Lots askOfiTerm(Level prev, Level cur) {
    return (maskIf(cur.price >= prev.price) & prev.qty) -
           (maskIf(cur.price <= prev.price) & cur.qty);
}

/// e_n = 1{Pb_n >= Pb_n-1} qb_n - 1{Pb_n <= Pb_n-1} qb_n-1 - 1{Pa_n <= Pa_n-1} qa_n
///       + 1{Pa_n >= Pa_n-1} qa_n-1.
/// Empty levels carry the side's sentinel price (minus/plus infinity) and size 0, which makes a
/// level that appears or disappears count as all of its size arriving or leaving.
constexpr Lots ofiContribution(Level prevBid, Level bid, Level prevAsk, Level ask) {
    return bidOfiTerm(prevBid, bid) + askOfiTerm(prevAsk, ask);
}

/// Writes e_n for levels 1..out.size() (out[0] is the touch). All spans hold the levels best
/// first, padded with empty levels, and are at least out.size() long.
inline void multiLevelOfi(std::span<const Level> prevBids, std::span<const Level> prevAsks,
                          std::span<const Level> bids, std::span<const Level> asks,
                          std::span<Lots> out) {
    for (std::size_t m = 0; m < out.size(); ++m)
        out[m] = ofiContribution(prevBids[m], bids[m], prevAsks[m], asks[m]);
}

}  // namespace flowscope
