#include "replay_input.h"

#include "record/recording_identity.h"

namespace flowscope::cli {

std::optional<ReplayInput> openReplayInput(const std::string& path, const ArgParser& parser,
                                           std::string& error) {
    ReplayInput input;
    record::RecordingIdentity identity;
    try {
        identity = record::identifyRecording(path);
        input.recording = record::openRecording(path);
    } catch (const std::exception& e) {
        error = e.what();
        return std::nullopt;
    }
    if (identity.venue.empty() && !parser.value("venue")) {
        error = path +
                " is a plain capture without a venue: give --venue (binance-spot or "
                "binance-usdm for Binance captures)";
        return std::nullopt;
    }
    if (identity.symbol.empty() && !parser.value("symbol")) {
        error = path + ": the recording names no symbol: give --symbol";
        return std::nullopt;
    }
    auto choice = readVenueOptions(parser, error, identity.venue, identity.symbol, true);
    if (!choice) return std::nullopt;
    input.choice = std::move(*choice);
    return input;
}

}  // namespace flowscope::cli
