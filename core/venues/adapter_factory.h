#pragma once
/// The one place that knows which adapter class speaks which venue.

#include <memory>
#include <string>

#include "venues/venue_adapter.h"

namespace flowscope::venues {

/// `symbol` in the venue's spelling. `bybit` is Bybit spot, `bybit-linear` its USDT perpetuals;
/// `okx-swap` converts contracts to base units and throws std::invalid_argument for a swap whose
/// contract value it does not know.
std::unique_ptr<VenueAdapter> makeAdapter(VenueId venue, const std::string& symbol,
                                          const Instrument& instrument, VenueListener& listener);

}  // namespace flowscope::venues
