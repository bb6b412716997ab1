#pragma once
/// The signals an alert rule can name, and how to read each from a SignalSnapshot. Names are the
/// rule language's (snake_case); windowed signals carry the index of one of the engine's windows.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "signals/signal_snapshot.h"
#include "signals/window_spec.h"

namespace flowscope {

enum class SignalField : std::uint8_t {
    // instantaneous
    Mid,             ///< ticks
    MicroOffset,     ///< micro-price minus mid, ticks
    QueueImbalance,  ///< level 1, in [-1, 1]
    DepthImbalance,  ///< levels 1..N, in [-1, 1]
    Spread,          ///< best ask minus best bid, ticks
    CumDelta,        ///< buy minus sell volume since start, lots
    LastOfi,         ///< level-1 e_n of the last book event, lots
    // per window
    Ofi,
    Mlofi,
    BuyVolume,
    SellVolume,
    TradeImbalance,
    OfiZ,
    MlofiZ,
    DeltaZ,
    QueueImbalanceZ,
    MicroOffsetZ,
};

/// One signal a rule reads: a field, and for windowed fields which of the engine's windows.
struct SignalRef {
    SignalField field = SignalField::Mid;
    std::size_t windowIndex = 0;  ///< index into SignalSnapshot::windows (windowed fields only)
    WindowSpec window;            ///< that window's spec, kept for printing

    bool operator==(const SignalRef& o) const {
        return field == o.field && windowIndex == o.windowIndex && window.clock == o.window.clock &&
               window.length == o.window.length;
    }
};

bool isWindowed(SignalField field);
std::string_view signalName(SignalField field);
std::optional<SignalField> findSignal(std::string_view name);
/// Every signal name, comma-separated, for error messages.
std::string knownSignalNames();

/// The value of `ref` in `s` as a double; NaN when undefined (warming z-scores, an empty side,
/// or a window the snapshot does not have).
double readSignal(const SignalSnapshot& s, const SignalRef& ref);

/// "ofi_z(10s)", "spread": how rules and firings name a signal.
std::string signalText(const SignalRef& ref);

}  // namespace flowscope
