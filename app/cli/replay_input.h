#pragma once
/// Opens a recording for replay and settles which venue and symbol it is: --venue/--symbol win,
/// else what the recording says (record::identifyRecording).

#include <memory>
#include <optional>
#include <string>

#include "arg_parser.h"
#include "record/recording_file.h"
#include "venue_options.h"

namespace flowscope::cli {

struct ReplayInput {
    std::unique_ptr<record::RecordSource> recording;
    VenueChoice choice;
};

/// nullopt with `error` on an unreadable file or a missing venue (both bad input: exit 2).
std::optional<ReplayInput> openReplayInput(const std::string& path, const ArgParser& parser,
                                           std::string& error);

}  // namespace flowscope::cli
