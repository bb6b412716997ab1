#pragma once
/// The options every networked subcommand shares (../shared/CLI.md): --venue, --symbol,
/// --ws-url, --rest-url, --ca-file, plus --tick and --lot for symbols Flowscope does not know.

#include <optional>
#include <set>
#include <string>

#include "arg_parser.h"
#include "book/instrument.h"
#include "venues/venue_adapter.h"

namespace flowscope::cli {

struct VenueChoice {
    venues::VenueId venue = venues::VenueId::BinanceSpot;
    std::string symbol;
    Instrument instrument{"", {}, {}};
    venues::VenueEndpoints endpoints;
};

/// The option names to add to an ArgParser's valued set.
std::set<std::string> venueOptionNames();

/// Reads the options. `venueRequired` false lets a recording's header supply venue and symbol.
/// nullopt with `error` set on a usage error (unknown venue lists the valid ids; an unknown symbol
/// without --tick/--lot says so). When the symbol is unknown and `wireFallback` is true, the
/// fine wire steps (1e-8) are used instead of failing: fine for tools that print text back.
std::optional<VenueChoice> readVenueOptions(const ArgParser& parser, std::string& error,
                                            const std::string& defaultVenue = {},
                                            const std::string& defaultSymbol = {},
                                            bool wireFallback = false);

}  // namespace flowscope::cli
