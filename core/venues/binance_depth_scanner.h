#pragma once
/// A single-pass reader for the exact shape in which Binance prints its diff-depth events and
/// REST depth snapshots: compact, keys in the documented order,
///   {"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":1723161255208,"s":"BTCUSDT",
///    "U":50093239189,"u":50093239202,"b":[["61737.63000000","0.00000000"]],"a":[]}}
/// or the bare event (USD-M adds "T" after "E" and "pu" after "u"), and
///   {"lastUpdateId":50093239218,"bids":[[...]],"asks":[[...]]} (USD-M: "E", "T" after the id).
///
/// Why: the simdjson reader (binance_messages.cpp) must validate each frame whole before its
/// on-demand pass (simdjson 3.0 reaches undefined behaviour on some malformed frames), so it reads
/// every byte twice. This scanner checks every byte once, as it reads it, and accepts only text
/// that simdjson reads to the same fields: no whitespace, strings of printable ASCII without
/// escapes, unsigned integers without leading zeros that fit their type, levels of exactly two
/// strings, nothing after the closing brace, U <= u. Members of the event it does not name (fields
/// Binance adds: USD-M's "ps" and "st" in 2026) are skipped when their key is none of the event's
/// own and their value a plain string, a short number, true, false or null; they are only looked
/// for where an expected key is missing, so frames without them read as fast. Anything else
/// (another key order, an escape, a space, a third level element, another message type, a truncated
/// frame) is declined, not reported: the caller then runs the simdjson reader, which stays the
/// reference and says what is wrong. So the scanner never changes what a frame means, only how fast
/// a well-formed one is read; tst_binance_capture compares the two on every frame of a recording
/// and on mutated ones.
///
/// Views in the results point into the scanned text. Pure functions, no allocation beyond the
/// level vectors' growth.

#include <string_view>
#include <vector>

#include "venues/binance_messages.h"
#include "venues/binance_sequence.h"

namespace flowscope::venues {

/// True when `frame` is a compact depth event: `message` is then exactly what the simdjson reader
/// makes of it (kind Depth, symbol, ids, times, level spans over `bids` and `asks`). False: the
/// outputs hold nothing to rely on. The level vectors are appended to; clear them before.
bool scanCompactDepthEvent(std::string_view frame, BinanceMarket market, BinanceMessage& message,
                           std::vector<BinanceLevelText>& bids,
                           std::vector<BinanceLevelText>& asks);

/// The same for a REST depth snapshot body.
bool scanCompactDepthSnapshot(std::string_view body, BinanceMarket market,
                              BinanceSnapshotText& snapshot, std::vector<BinanceLevelText>& bids,
                              std::vector<BinanceLevelText>& asks);

}  // namespace flowscope::venues
