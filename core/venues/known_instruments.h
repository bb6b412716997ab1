#pragma once
/// Tick and lot sizes of the instruments users watch most, so `--venue binance-spot --symbol
/// BTCUSDT` works without looking them up. Any other symbol needs --tick and --lot (the exact
/// conversion of venue strings to integers needs them; a wrong tick is reported by the adapter as
/// "not a multiple of the tick", never silently rounded).

#include <optional>
#include <string>
#include <string_view>

#include "book/instrument.h"
#include "venues/venue_id.h"

namespace flowscope::venues {

struct InstrumentSteps {
    DecimalStep tick;
    DecimalStep lot;
};

std::optional<InstrumentSteps> knownInstrument(VenueId venue, std::string_view symbol);

/// The venue's order step (Binance's LOT_SIZE stepSize) for a known symbol, when it is coarser
/// than the book's lot: an order size must be a multiple of it or the venue rejects the order
/// (-1013 "Filter failure: LOT_SIZE"). Nullopt when unknown or equal to the book's lot. The book
/// keeps its finer lot (knownInstrument); this is for orders only.
std::optional<DecimalStep> venueOrderStep(VenueId venue, std::string_view symbol);

/// Steps fine enough for any price and size text the venue sends (1e-8 both), for tools that
/// only need the book exact and print numbers back as text (replay, watch, record of an unknown
/// symbol). Not for display: a heatmap row per 1e-8 is useless.
InstrumentSteps wireInstrument();

/// A symbol in the venue's spelling users can try ("BTCUSDT", "BTC/USD", "BTC-USDT").
std::string exampleSymbol(VenueId venue);

}  // namespace flowscope::venues
