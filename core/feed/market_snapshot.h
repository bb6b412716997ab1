#pragma once
/// What the feed thread hands to the GUI: immutable values, no pointers into feed-owned state.
/// - MarketSnapshot: the newest state (book, signals, status), published at frame rate through a
///   Mailbox; the newest wins.
/// - HeatmapColumn and TradePrint: history that must not be lost, through SpscQueues.

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "alerts/alert_events.h"
#include "book/instrument.h"
#include "signals/imbalance_engine.h"
#include "signals/signal_snapshot.h"
#include "signals/trade.h"
#include "trading/trading_state.h"

namespace flowscope {

enum class FeedState : std::uint8_t { Connecting, Syncing, Live, Stale, Resyncing, Disconnected };
const char* describe(FeedState s);

struct InstrumentInfo {
    std::string venue;   ///< e.g. "SIM", "binance-spot"
    std::string symbol;  ///< venue spelling, e.g. "BTC-USD"
    DecimalStep tick;
    DecimalStep lot;

    Instrument instrument() const { return Instrument(symbol, tick, lot); }
    std::string displayName() const { return venue + ":" + symbol; }
};

struct FeedStatus {
    FeedState state = FeedState::Connecting;
    std::string reason;  ///< why the feed is in this state (empty when live)
    double messagesPerSecond = 0.0;
    /// Receive time minus venue event time, mean since the last snapshot; NaN when the source has
    /// no separate venue clock (the in-process simulator).
    double feedLatencyMs = std::numeric_limits<double>::quiet_NaN();
    std::uint64_t messages = 0;
    std::uint64_t gaps = 0;  ///< sequence gaps detected
    std::uint64_t resyncs = 0;
    std::uint64_t droppedTrades = 0;   ///< trade queue overflows
    std::uint64_t droppedColumns = 0;  ///< heatmap queue overflows
    /// A market's other sockets (Binance USD-M trades) that are not delivering, with the reason
    /// ("trades: stale (no message for 60000 ms)"); empty when all are. The book does not
    /// depend on them, so `state` stays Live.
    std::string streamProblem;
    std::uint64_t streamReconnects = 0;  ///< reconnects of those sockets
    /// The source is a recording. Its receive stamps were taken on another machine and day, so
    /// receive minus event time says nothing about this session: feedLatencyMs stays NaN.
    bool replay = false;
    /// A replay reached the end of its recording: the book is its last state and nothing more
    /// will come (`state` is Disconnected, `reason` says how many records were played).
    bool finished = false;
};

/// Session traded volume at one price, split by aggressor.
struct PriceVolume {
    PriceTicks price = 0;
    Lots buy = 0;
    Lots sell = 0;
};

struct MarketSnapshot {
    std::uint64_t serial = 0;      ///< increases with every publication
    TimeNs publishedSteadyNs = 0;  ///< steady clock at publication (feed-to-screen latency)
    TimeNs eventTimeNs = 0;        ///< venue time of the last event included
    InstrumentInfo instrument;
    FeedStatus status;
    std::vector<Level> bids;  ///< best first
    std::vector<Level> asks;  ///< best first
    Trade lastTrade;
    bool hasLastTrade = false;
    SignalSnapshot imbalance;         ///< not "signals": that word is a Qt macro in the views
    std::vector<WindowSpec> windows;  ///< what imbalance.windows[i] measures
    std::vector<std::vector<Lots>> windowLevelOfi;  ///< [window][level]: windowed OFI per level
    std::vector<PriceVolume> volumeAtPrice;         ///< sorted by price, traded prices in view
    trading::TradingState trading;  ///< the user's orders and position on this instrument
    AlertDeskState alerts;  ///< rules, semi-auto mode, waiting proposals (not "signals"/"emit")
};

/// One time bucket of the heatmaps (default 100 ms): resting liquidity by price at the bucket's
/// end, the touch and micro-price, and the multi-level OFI and sizes per depth level.
struct HeatmapColumn {
    TimeNs startNs = 0;
    TimeNs endNs = 0;
    bool gap = false;  ///< no valid book during this bucket (disconnect, resync, replay jump)
    PriceTicks basePrice = 0;    ///< low price of sizes[0]; a multiple of bucketTicks
    PriceTicks bucketTicks = 1;  ///< ticks per row of sizes (a price bucket)
    /// Resting size in lots over [basePrice + i*bucketTicks, basePrice + (i+1)*bucketTicks), an
    /// exact integer sum converted once. float: it only sets a colour, and halves an hour of
    /// history against int64.
    std::vector<float> sizes;
    Level bestBid = emptyLevel(Side::Bid);
    Level bestAsk = emptyLevel(Side::Ask);
    double microPrice = 0.0;  ///< ticks; NaN if undefined
    /// Per depth level, a level being one non-empty price bucket from the touch (index 0 = the
    /// touch's bucket; with one-tick buckets, the book's m-th level): the OFI over the bucket
    /// (see HeatmapBuilder::addLevelOfi) and the sizes at the bucket's end.
    std::vector<Lots> levelOfi;
    std::vector<Lots> levelBidQty;
    std::vector<Lots> levelAskQty;
};

/// A trade for the tape and the heatmap bubbles.
struct TradePrint {
    Trade trade;
};

}  // namespace flowscope
