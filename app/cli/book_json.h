#pragma once
/// The JSON object replay and watch print when they end: the top-N book with prices and sizes as
/// decimal strings formatted as the venue sent them, and the adapter's counters.

#include <optional>
#include <ostream>
#include <string>

#include "venues/venue_adapter.h"

namespace flowscope::cli {

struct BookReportExtras {
    std::string state;    ///< "live", "syncing", ... (watch); empty: omitted
    std::string reason;   ///< why it is not live; empty: omitted
    double seconds = -1;  ///< duration of the run; < 0: omitted
    /// Whether the book was live at the end of the run (a live session's adapter is already
    /// disconnected when the report is written); empty: the adapter's own state.
    std::optional<bool> synced;
};

void writeBookReport(std::ostream& os, const venues::VenueAdapter& adapter, int depth,
                     const BookReportExtras& extras = {});

/// `value` * 10^-valueDecimals printed with `decimals` decimals; extra value digits are kept
/// when they are not zero (nothing is ever rounded away).
std::string formatScaled(std::int64_t value, int valueDecimals, int decimals);

}  // namespace flowscope::cli
