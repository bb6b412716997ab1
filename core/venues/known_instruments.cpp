#include "venues/known_instruments.h"

#include <array>

namespace flowscope::venues {

namespace {

struct KnownRow {
    VenueId venue;
    const char* symbol;
    const char* tick;
    const char* lot;
};

// Ticks from the venues' instrument listings (exchangeInfo, instruments, products), late 2026.
// Lots are the finest size the venue prints, not its order step: Binance books still hold
// resting sizes finer than today's step (e.g. 244.566304 BTC at 80000 on BTCUSDT), and the book
// must take them exactly.
constexpr std::array<KnownRow, 23> kKnown{{
    {VenueId::BinanceSpot, "BTCUSDT", "0.01", "0.00000001"},
    {VenueId::BinanceSpot, "ETHUSDT", "0.01", "0.00000001"},
    {VenueId::BinanceSpot, "SOLUSDT", "0.01", "0.00000001"},
    {VenueId::BinanceUsdm, "BTCUSDT", "0.1", "0.001"},
    {VenueId::BinanceUsdm, "ETHUSDT", "0.01", "0.001"},
    {VenueId::Kraken, "BTC/USD", "0.1", "0.00000001"},
    {VenueId::Kraken, "ETH/USD", "0.01", "0.00000001"},
    {VenueId::Kraken, "BTC/EUR", "0.1", "0.00000001"},
    {VenueId::Okx, "BTC-USDT", "0.1", "0.00000001"},
    {VenueId::Okx, "ETH-USDT", "0.01", "0.000001"},
    {VenueId::Okx, "BTC-USDT-SWAP", "0.1", "0.01"},
    {VenueId::Coinbase, "BTC-USD", "0.01", "0.00000001"},
    {VenueId::Coinbase, "ETH-USD", "0.01", "0.00000001"},
    {VenueId::Coinbase, "SOL-USD", "0.01", "0.00000001"},
    {VenueId::Bybit, "BTCUSDT", "0.01", "0.000001"},
    {VenueId::Bybit, "ETHUSDT", "0.01", "0.00001"},
    {VenueId::Bybit, "SOLUSDT", "0.01", "0.001"},
    {VenueId::BinanceSpot, "BNBUSDT", "0.01", "0.00000001"},
    // Bybit linear (USDT perpetuals): sizes in the base coin, qtyStep as the lot.
    {VenueId::BybitLinear, "BTCUSDT", "0.1", "0.001"},
    {VenueId::BybitLinear, "ETHUSDT", "0.01", "0.01"},
    // OKX swaps: the lot in base units, lotSz (0.01 contract) times ctVal (contract_size.cpp).
    {VenueId::OkxSwap, "BTC-USDT-SWAP", "0.1", "0.0001"},
    {VenueId::OkxSwap, "ETH-USDT-SWAP", "0.01", "0.001"},
    {VenueId::OkxSwap, "SOL-USDT-SWAP", "0.01", "0.01"},
}};

struct OrderStepRow {
    VenueId venue;
    const char* symbol;
    const char* step;
};

// LOT_SIZE stepSize from Binance's exchangeInfo (spot /api/v3/exchangeInfo, USD-M
// /fapi/v1/exchangeInfo), late 2026. USD-M's book lot already is its step.
constexpr std::array<OrderStepRow, 4> kOrderSteps{{
    {VenueId::BinanceSpot, "BTCUSDT", "0.00001"},
    {VenueId::BinanceSpot, "ETHUSDT", "0.0001"},
    {VenueId::BinanceSpot, "SOLUSDT", "0.001"},
    {VenueId::BinanceSpot, "BNBUSDT", "0.001"},
}};

}  // namespace

std::optional<DecimalStep> venueOrderStep(VenueId venue, std::string_view symbol) {
    for (const OrderStepRow& row : kOrderSteps) {
        if (row.venue == venue && symbol == row.symbol) return DecimalStep::parse(row.step);
    }
    return std::nullopt;
}

std::optional<InstrumentSteps> knownInstrument(VenueId venue, std::string_view symbol) {
    for (const KnownRow& row : kKnown) {
        if (row.venue == venue && symbol == row.symbol) {
            return InstrumentSteps{*DecimalStep::parse(row.tick), *DecimalStep::parse(row.lot)};
        }
    }
    return std::nullopt;
}

InstrumentSteps wireInstrument() {
    return {*DecimalStep::parse("0.00000001"), *DecimalStep::parse("0.00000001")};
}

std::string exampleSymbol(VenueId venue) {
    switch (venue) {
        case VenueId::BinanceSpot:
        case VenueId::BinanceUsdm:
        case VenueId::Bybit:
        case VenueId::BybitLinear:
            return "BTCUSDT";
        case VenueId::Kraken:
            return "BTC/USD";
        case VenueId::Okx:
            return "BTC-USDT";
        case VenueId::OkxSwap:
            return "BTC-USDT-SWAP";
        case VenueId::Coinbase:
            return "BTC-USD";
    }
    return "BTCUSDT";
}

}  // namespace flowscope::venues
