#pragma once
/// The feed thread's model of one instrument: it takes normalized venue events (snapshot, level
/// update, trade, connection state), keeps the L2 book and the imbalance engine, cuts heatmap
/// columns, counts what happened, and produces the values the GUI reads.
///
/// Threading: every method except the queues' consumer side is called on the feed thread only.
/// The GUI reads snapshots through a Mailbox and drains columns() and trades() with pop().

#include <map>
#include <memory>
#include <span>

#include "book/order_book.h"
#include "feed/heatmap_builder.h"
#include "feed/market_snapshot.h"
#include "feed/spsc_queue.h"
#include "signals/imbalance_engine.h"

namespace flowscope {

struct FeedEngineConfig {
    EngineConfig imbalance;
    HeatmapConfig heatmap;
    int snapshotDepth = 200;  ///< levels a side in each MarketSnapshot
    std::size_t tradeQueueCapacity = 1 << 16;
    std::size_t columnQueueCapacity = 1 << 12;
};

/// What a level update did to the sequence. A gap means the book can no longer be trusted: the
/// source must resync (fetch a snapshot); until then updates are not applied.
enum class [[nodiscard]] SequenceCheck : std::uint8_t{
    Applied,
    Gap,        ///< not applied; the book is invalid until the next snapshot
    Duplicate,  ///< at or before the last applied sequence (e.g. already in the snapshot)
    NotSynced,  ///< no valid snapshot yet: ignored
    Rejected,   ///< invalid values (negative size): not applied; the book needs a resync
};

/// True when the source must fetch a new snapshot before the book can be trusted again.
constexpr bool needsResync(SequenceCheck c) {
    return c == SequenceCheck::Gap || c == SequenceCheck::Rejected;
}

class FeedEngine;

/// Told after every complete event the engine applied, so per-event consumers (the alert desk:
/// `for D` holds need every event, not one look per poll) run on a consistent book.
/// Called on the feed thread; the observer may submit orders, whose market events re-enter the
/// engine (the paper desk delivers them synchronously): observers must tolerate that.
class FeedEventObserver {
  public:
    virtual ~FeedEventObserver() = default;
    /// The book and signals after one applied event (snapshot, sequenced level update, trade,
    /// or the end of an unsequenced multi-level update).
    virtual void onFeedEvent(FeedEngine& feed) = 0;
    /// The book stopped being trustworthy (gap, rejected update, resync, disconnect).
    virtual void onFeedInterrupted() = 0;
};

class FeedEngine {
  public:
    FeedEngine(InstrumentInfo instrument, FeedEngineConfig config = {});

    /// Replaces the book (initial sync or resync); the jump is not counted as order flow.
    /// `sequence` is the last update the snapshot includes.
    BookError onSnapshot(std::span<const Level> bids, std::span<const Level> asks,
                         std::uint64_t sequence, TimeNs eventNs);
    /// A new total size at one price. `sequence` must be the previous one + 1 (0: unchecked).
    SequenceCheck onLevel(Side side, PriceTicks price, Lots qty, std::uint64_t sequence,
                          TimeNs eventNs);
    void onTrade(const Trade& trade);
    void onState(FeedState state, std::string reason = {});
    /// The source is a recording: no feed latency is measured (see FeedStatus::replay).
    void markReplay() { status_.replay = true; }
    /// A replay played its whole recording: Disconnected with `reason`, and FeedStatus::finished.
    void onReplayFinished(std::string reason);
    /// Moves time forward without an event, so quiet markets still produce heatmap columns.
    void onClock(TimeNs eventNs);
    /// Receive time minus event time of one message, for the status bar's latency.
    void noteLatency(TimeNs latencyNs);
    /// Gap and resync counts of a source that checks sequences itself (venue adapters).
    void noteSourceCounters(std::uint64_t gaps, std::uint64_t resyncs) {
        status_.gaps = gaps;
        status_.resyncs = resyncs;
    }
    /// A socket the book does not depend on (see FeedStatus::streamProblem).
    void noteStreamProblem(std::string problem, std::uint64_t reconnects) {
        status_.streamProblem = std::move(problem);
        status_.streamReconnects = reconnects;
    }

    /// One observer (or null); it must outlive the engine's use of it.
    void setObserver(FeedEventObserver* observer) { observer_ = observer; }
    /// Ends an unsequenced multi-level update (a venue message's levels, given with sequence 0):
    /// the observer sees it now. Sequenced updates and trades are complete events by themselves;
    /// the feed thread also calls this after every poll, so no update stays unannounced.
    void endUpdate();

    /// Builds the value the GUI paints; `steadyNowNs` stamps it for latency measurement.
    std::shared_ptr<MarketSnapshot> makeSnapshot(TimeNs steadyNowNs);

    SpscQueue<HeatmapColumn>& columns() { return columns_; }
    SpscQueue<TradePrint>& trades() { return trades_; }
    const OrderBook& book() const { return book_; }
    const ImbalanceEngine& imbalanceEngine() const { return engine_; }
    /// The imbalance engine's signals now, without building a whole MarketSnapshot (rules are
    /// evaluated after every event). Not "signals": that word is a Qt macro.
    SignalSnapshot imbalanceSignals() { return engine_.snapshot(); }
    FeedState state() const { return status_.state; }
    const FeedStatus& status() const { return status_; }

  private:
    bool bookValid() const { return synced_ && status_.state == FeedState::Live; }
    void advanceTime(TimeNs eventNs);
    void notifyEvent();
    void notifyInterrupted();

    InstrumentInfo instrument_;
    FeedEngineConfig config_;
    OrderBook book_;
    ImbalanceEngine engine_;
    SpscQueue<HeatmapColumn> columns_;
    SpscQueue<TradePrint> trades_;
    HeatmapBuilder heatmap_;
    FeedStatus status_;
    bool synced_ = false;
    bool everSynced_ = false;
    std::uint64_t lastSequence_ = 0;
    TimeNs lastEventNs_ = 0;
    Trade lastTrade_;
    bool hasLastTrade_ = false;
    std::map<PriceTicks, PriceVolume> volumeAtPrice_;
    std::uint64_t serial_ = 0;
    FeedEventObserver* observer_ = nullptr;
    bool updatePending_ = false;  ///< unsequenced levels applied, not yet announced
    // message-rate and latency accounting over the last publication interval
    std::uint64_t messagesAtLastRate_ = 0;
    TimeNs lastRateSteadyNs_ = 0;
    TimeNs latencySumNs_ = 0;
    std::uint64_t latencyCount_ = 0;
};

}  // namespace flowscope
