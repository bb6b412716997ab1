#include "venue_options.h"

#include <fstream>

#include "io/text_excerpt.h"
#include "net/tls_config.h"
#include "venues/contract_size.h"
#include "venues/known_instruments.h"

namespace flowscope::cli {

std::set<std::string> venueOptionNames() {
    return {"venue", "symbol", "ws-url", "rest-url", "ca-file", "tick", "lot"};
}

std::optional<VenueChoice> readVenueOptions(const ArgParser& parser, std::string& error,
                                            const std::string& defaultVenue,
                                            const std::string& defaultSymbol, bool wireFallback) {
    const std::string venueText = parser.value("venue").value_or(defaultVenue);
    if (venueText.empty()) {
        error = "missing --venue (one of: " + venues::venueList() + ")";
        return std::nullopt;
    }
    const auto venue = venues::parseVenueId(venueText);
    if (!venue) {
        error =
            "unknown venue " + quoteExcerpt(venueText) + " (one of: " + venues::venueList() + ")";
        return std::nullopt;
    }
    VenueChoice choice;
    choice.venue = *venue;
    choice.symbol = parser.value("symbol").value_or(defaultSymbol);
    if (choice.symbol.empty()) {
        error = "missing --symbol (in " + std::string(venues::venueName(*venue)) +
                "'s spelling, e.g. " + venues::exampleSymbol(*venue) + ")";
        return std::nullopt;
    }

    // A swap's sizes are contracts: without the contract value they cannot be base units.
    if (*venue == venues::VenueId::OkxSwap && !venues::okxContractValuePow10(choice.symbol)) {
        error = "okx-swap: no contract value known for " + quoteExcerpt(choice.symbol) +
                " (known: " + venues::okxKnownSwaps() + ")";
        return std::nullopt;
    }

    auto steps = venues::knownInstrument(*venue, choice.symbol);
    const auto tickText = parser.value("tick");
    const auto lotText = parser.value("lot");
    if (tickText || lotText) {
        if (!tickText || !lotText) {
            error = "--tick and --lot go together";
            return std::nullopt;
        }
        const auto tick = DecimalStep::parse(*tickText);
        const auto lot = DecimalStep::parse(*lotText);
        if (!tick || !lot) {
            error = "--tick/--lot must be positive decimals like 0.01, got " +
                    quoteExcerpt(*tickText) + " and " + quoteExcerpt(*lotText);
            return std::nullopt;
        }
        steps = venues::InstrumentSteps{*tick, *lot};
    }
    if (!steps) {
        // Kraken's checksum prints numbers with the pair's precision: fine wire steps would make
        // every checksum fail, so its unknown pairs need their real steps.
        if (!wireFallback || *venue == venues::VenueId::Kraken) {
            error = "unknown symbol " + quoteExcerpt(choice.symbol) + " on " +
                    venues::venueName(*venue) +
                    ": give its tick and lot sizes with --tick and --lot";
            return std::nullopt;
        }
        steps = venues::wireInstrument();
    }
    choice.instrument = Instrument(choice.symbol, steps->tick, steps->lot);

    choice.endpoints.wsUrl = parser.value("ws-url").value_or("");
    choice.endpoints.restUrl = parser.value("rest-url").value_or("");
    choice.endpoints.caFile = parser.value("ca-file").value_or("");
    if (!choice.endpoints.caFile.empty() && !std::ifstream(choice.endpoints.caFile)) {
        error = "--ca-file " + quoteExcerpt(choice.endpoints.caFile) + ": cannot read the file";
        return std::nullopt;
    }
    // A file that is not a certificate is the user's mistake, found before any connection.
    if (!choice.endpoints.caFile.empty()) {
        if (const std::string problem = net::checkCaFile(choice.endpoints.caFile);
            !problem.empty()) {
            error = "--ca-file " + quoteExcerpt(choice.endpoints.caFile) +
                    ": not a PEM certificate bundle (" + quoteExcerpt(problem, 200) + ")";
            return std::nullopt;
        }
    }
    return choice;
}

}  // namespace flowscope::cli
