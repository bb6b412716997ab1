#pragma once
// Faults the control channel arms for the next matching event, and what was injected so far.
// Immediate faults (drop, malformed, huge, stall) are carried out by the Exchange at once; the
// ones here wait for their event (the next depth event, REST request, TLS handshake...).

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace flowscope::exchange {

enum class FaultKind : std::uint8_t {
    Drop,
    Skip,
    Duplicate,
    Reorder,
    CorruptChecksum,
    Malformed,
    Stall,
    Huge,
    RefuseTls,
    RestError,
    StaleSnapshot,
    RestHangup,
    RestClose,
    CloseIdle,
};
constexpr std::size_t kFaultKinds = 14;

/// "drop", "skip", ..., "corrupt-checksum", "refuse-tls", "rest-error", "stale-snapshot",
/// "rest-hangup", "rest-close", "close-idle".
const char* faultName(FaultKind kind);
std::optional<FaultKind> parseFaultName(std::string_view name);

class Faults {
  public:
    /// Arms `count` occurrences of a deferred fault (skip, duplicate, reorder, corrupt-checksum,
    /// refuse-tls, rest-error, stale-snapshot, rest-hangup, rest-close).
    void arm(FaultKind kind, std::uint32_t count = 1) { armed_[index(kind)] += count; }
    bool armed(FaultKind kind) const { return armed_[index(kind)] > 0; }
    /// Consumes one armed occurrence and counts it as injected; false when none is armed.
    bool take(FaultKind kind) {
        if (armed_[index(kind)] == 0) return false;
        --armed_[index(kind)];
        ++injected_[index(kind)];
        return true;
    }
    /// Counts an immediate fault.
    void injected(FaultKind kind) { ++injected_[index(kind)]; }

    std::uint64_t injectedCount(FaultKind kind) const { return injected_[index(kind)]; }
    std::uint64_t injectedTotal() const;
    std::uint32_t armedCount(FaultKind kind) const { return armed_[index(kind)]; }

    /// HTTP status of the next `rest-error` (500 unless given).
    std::uint32_t restErrorStatus = 500;

  private:
    static std::size_t index(FaultKind kind) { return static_cast<std::size_t>(kind); }
    std::array<std::uint32_t, kFaultKinds> armed_{};
    std::array<std::uint64_t, kFaultKinds> injected_{};
};

}  // namespace flowscope::exchange
