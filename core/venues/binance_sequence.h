#pragma once
/// Binance's diff-depth sequencing rules, as pure functions of update ids, for both markets.
///
/// Sources ("How to manage a local order book correctly"):
/// - Spot (binance-spot-api-docs, web-socket-streams.md, current wording): discard events with
///   u <= the book's update id; an event with U > (book update id + 1) means something went
///   wrong (restart from the snapshot); otherwise apply it and set the book's update id to u.
///   Before the first event: if the snapshot's lastUpdateId < U of the first event received,
///   fetch another snapshot.
/// - USD-M futures (developers.binance.com, derivatives/usds-margined-futures): drop events with
///   u < lastUpdateId; the first processed event has U <= lastUpdateId AND u >= lastUpdateId;
///   afterwards each event's pu equals the previous event's u, otherwise restart from the
///   snapshot.
///
/// One addition to the USD-M text, applied to both markets: an event whose u is not beyond the
/// book's update id (an exact duplicate, e.g. replayed by a proxy) carries nothing new, because
/// quantities are absolute and the book already reflects a later state, so it is skipped rather
/// than answered with a resync.

#include <cstdint>

namespace flowscope::venues {

enum class BinanceMarket : std::uint8_t { Spot, UsdM };

/// The update ids of one diff-depth event.
struct BinanceDepthIds {
    std::uint64_t first = 0;     ///< U
    std::uint64_t last = 0;      ///< u
    std::int64_t previous = -1;  ///< pu (USD-M only; -1 when absent)
};

enum class DepthStep : std::uint8_t {
    Apply,          ///< the event continues the book
    AlreadyInBook,  ///< every update in it is already reflected: skip
    Gap,            ///< updates between the book and this event are missing
};

/// The first event applied on top of a snapshot whose update id is `snapshotId`.
constexpr DepthStep firstDepthStep(BinanceMarket market, const BinanceDepthIds& ids,
                                   std::uint64_t snapshotId) {
    if (market == BinanceMarket::Spot) {
        if (ids.last <= snapshotId) return DepthStep::AlreadyInBook;
        return ids.first <= snapshotId + 1 ? DepthStep::Apply : DepthStep::Gap;
    }
    if (ids.last < snapshotId) return DepthStep::AlreadyInBook;
    return ids.first <= snapshotId ? DepthStep::Apply : DepthStep::Gap;
}

/// True when the snapshot is older than the first event buffered in a sync attempt, so another
/// snapshot must be fetched: nothing was lost, the stream simply starts after it. Spot's step 4
/// ("lastUpdateId < U of the first event") is followed literally although it is one id stricter
/// than the straddle rule; for USD-M it is exactly the case where the first-event rule
/// (U <= lastUpdateId) fails on the first buffered event.
constexpr bool snapshotPrecedesStream(std::uint64_t firstBufferedU, std::uint64_t snapshotId) {
    return snapshotId < firstBufferedU;
}

/// Every event after the first, against the book's update id (the last applied u).
constexpr DepthStep nextDepthStep(BinanceMarket market, const BinanceDepthIds& ids,
                                  std::uint64_t bookId) {
    if (ids.last <= bookId) return DepthStep::AlreadyInBook;
    if (market == BinanceMarket::Spot) {
        return ids.first <= bookId + 1 ? DepthStep::Apply : DepthStep::Gap;
    }
    return ids.previous == static_cast<std::int64_t>(bookId) ? DepthStep::Apply : DepthStep::Gap;
}

}  // namespace flowscope::venues
