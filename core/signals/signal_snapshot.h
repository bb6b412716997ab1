#pragma once
/// A copyable value of everything the imbalance engine knows at one instant: what the GUI, the
/// CLI and alert rules read. Fixed size, no pointers, so it can be handed across threads as is.

#include <array>
#include <cstdint>

#include "book/types.h"
#include "signals/book_measures.h"

namespace flowscope {

struct WindowSignals {
    Lots ofi = 0;                        ///< sum of level-1 e_n in the window
    Lots mlofi = 0;                      ///< sum over levels 1..M of the windowed multi-level OFI
    Lots buyVolume = 0;                  ///< buyer-initiated volume
    Lots sellVolume = 0;                 ///< seller-initiated volume
    double tradeImbalance = kUndefined;  ///< (buy - sell) / (buy + sell)
    // z-scores against the last K non-overlapping windows of the same length
    double ofiZ = kUndefined;
    double mlofiZ = kUndefined;
    double deltaZ = kUndefined;           ///< of buy - sell volume
    double queueImbalanceZ = kUndefined;  ///< of the level-1 queue imbalance
    double microOffsetZ = kUndefined;     ///< of micro-price minus mid
};

struct SignalSnapshot {
    static constexpr std::size_t kMaxWindows = 8;

    std::uint64_t events = 0;  ///< book changes and trades seen since start
    TimeNs timeNs = 0;         ///< time of the last event
    Level bestBid = emptyLevel(Side::Bid);
    Level bestAsk = emptyLevel(Side::Ask);
    double mid = kUndefined;          ///< ticks
    double microPrice = kUndefined;   ///< ticks
    double microOffset = kUndefined;  ///< micro-price minus mid, ticks
    double queueImbalance = kUndefined;
    double depthImbalance = kUndefined;
    Lots lastOfi = 0;          ///< e_n at level 1 of the last book event
    Lots cumulativeDelta = 0;  ///< buy minus sell volume since start
    Lots buyVolume = 0;
    Lots sellVolume = 0;
    std::size_t windowCount = 0;
    std::array<WindowSignals, kMaxWindows> windows{};
};

}  // namespace flowscope
