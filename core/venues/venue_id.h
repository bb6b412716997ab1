#pragma once
/// The venues Flowscope speaks to, spelled as ../shared/CLI.md defines them.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace flowscope::venues {

/// Perpetuals are venues of their own (their hosts, paths and sizes differ): binance-usdm,
/// bybit-linear (Bybit's USDT perpetuals), okx-swap (OKX's perpetual swaps).
enum class VenueId : std::uint8_t {
    BinanceSpot,
    BinanceUsdm,
    Kraken,
    Okx,
    Coinbase,
    Bybit,
    BybitLinear,
    OkxSwap,
};

/// "binance-spot", "binance-usdm", "kraken", "okx", "coinbase", "bybit", "bybit-linear",
/// "okx-swap".
const char* venueName(VenueId venue);
/// Parses a `--venue` value; "binance" is another name for "binance-spot". `sim` is not a network
/// venue and is not accepted here.
std::optional<VenueId> parseVenueId(std::string_view text);
/// "binance-spot, binance-usdm, kraken, okx, coinbase, bybit, bybit-linear, okx-swap" for error
/// messages.
std::string venueList();

/// Production endpoints (scheme://host[:port], no path) a user reaches without options.
std::string defaultWsUrl(VenueId venue);
std::string defaultRestUrl(VenueId venue);  ///< empty when the venue needs no REST snapshot

/// The environment-variable stem for keys: "BINANCE_SPOT" (FLOWSCOPE_BINANCE_SPOT_API_KEY).
std::string keyEnvironmentStem(VenueId venue);

}  // namespace flowscope::venues
