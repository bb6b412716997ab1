#include "faults.h"

namespace flowscope::exchange {

namespace {
constexpr const char* kNames[kFaultKinds] = {
    "drop",           "skip",        "duplicate",  "reorder",    "corrupt-checksum",
    "malformed",      "stall",       "huge",       "refuse-tls", "rest-error",
    "stale-snapshot", "rest-hangup", "rest-close", "close-idle",
};
}  // namespace

const char* faultName(FaultKind kind) {
    return kNames[static_cast<std::size_t>(kind)];
}

std::optional<FaultKind> parseFaultName(std::string_view name) {
    for (std::size_t i = 0; i < kFaultKinds; ++i)
        if (name == kNames[i]) return static_cast<FaultKind>(i);
    return std::nullopt;
}

std::uint64_t Faults::injectedTotal() const {
    std::uint64_t total = 0;
    for (std::uint64_t n : injected_)
        total += n;
    return total;
}

}  // namespace flowscope::exchange
