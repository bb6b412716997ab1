#pragma once
/// A venue connection run from the command line: adapter + VenueConnection on an event loop for a
/// fixed duration or until Ctrl-C, with every state change and venue problem on stderr.

#include <functional>
#include <iosfwd>
#include <string>

#include "feed/venue_connection.h"
#include "venue_options.h"

namespace flowscope::cli {

struct LiveSessionResult {
    FeedState state = FeedState::Disconnected;
    bool synced = false;  ///< the adapter's book was live when the session ended
    std::string reason;
    double seconds = 0;
    bool interrupted = false;  ///< ended by SIGINT/SIGTERM
    std::string startError;    ///< a bad endpoint: nothing ran
};

/// Runs until `durationNs` passes (<= 0: until interrupted), or until `stopNow` says so (a
/// recorder whose file cannot be written). `onRaw` receives every input; `everySecond` runs
/// about once a second (a recorder's flush).
LiveSessionResult runLiveSession(
    const VenueChoice& choice, venues::VenueAdapter& adapter, TimeNs durationNs, std::ostream& err,
    const std::string& command,
    std::function<void(record::RecordKind, TimeNs, std::string_view)> onRaw = {},
    std::function<void()> everySecond = {}, std::function<bool()> stopNow = {});

}  // namespace flowscope::cli
