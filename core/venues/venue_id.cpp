#include "venues/venue_id.h"

#include <array>

namespace flowscope::venues {

namespace {

struct VenueRow {
    VenueId id;
    const char* name;
    const char* wsUrl;
    const char* restUrl;
};

// Public market-data hosts. The paths (streams, depth endpoints) belong to each adapter.
constexpr std::array<VenueRow, 8> kVenues{{
    {VenueId::BinanceSpot, "binance-spot", "wss://stream.binance.com:9443",
     "https://api.binance.com"},
    {VenueId::BinanceUsdm, "binance-usdm", "wss://fstream.binance.com", "https://fapi.binance.com"},
    {VenueId::Kraken, "kraken", "wss://ws.kraken.com", ""},
    {VenueId::Okx, "okx", "wss://ws.okx.com:8443", ""},
    {VenueId::Coinbase, "coinbase", "wss://advanced-trade-ws.coinbase.com", ""},
    {VenueId::Bybit, "bybit", "wss://stream.bybit.com", ""},
    {VenueId::BybitLinear, "bybit-linear", "wss://stream.bybit.com", ""},
    {VenueId::OkxSwap, "okx-swap", "wss://ws.okx.com:8443", ""},
}};

const VenueRow& row(VenueId venue) {
    return kVenues[static_cast<std::size_t>(venue)];
}

}  // namespace

const char* venueName(VenueId venue) {
    return row(venue).name;
}

std::optional<VenueId> parseVenueId(std::string_view text) {
    if (text == "binance") return VenueId::BinanceSpot;
    for (const VenueRow& r : kVenues) {
        if (text == r.name) return r.id;
    }
    return std::nullopt;
}

std::string venueList() {
    std::string list;
    for (const VenueRow& r : kVenues) {
        if (!list.empty()) list += ", ";
        list += r.name;
    }
    return list;
}

std::string defaultWsUrl(VenueId venue) {
    return row(venue).wsUrl;
}

std::string defaultRestUrl(VenueId venue) {
    return row(venue).restUrl;
}

std::string keyEnvironmentStem(VenueId venue) {
    std::string stem;
    for (const char c : std::string_view(row(venue).name)) {
        stem += c == '-' ? '_' : static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
    }
    return stem;
}

}  // namespace flowscope::venues
