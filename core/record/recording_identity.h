#pragma once
/// Which venue and symbol a recording holds: from its header, or for a plain capture (no header)
/// the symbol the first messages name. Replay needs both to pick the adapter and the instrument.

#include <string>

namespace flowscope::record {

struct RecordingIdentity {
    std::string venue;   ///< venue id, empty when the file does not say (plain captures)
    std::string symbol;  ///< venue spelling, empty when neither header nor messages name one
};

/// Throws std::runtime_error (naming the file) when it cannot be opened.
RecordingIdentity identifyRecording(const std::string& path);

}  // namespace flowscope::record
