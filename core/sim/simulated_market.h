#pragma once
/// The built-in venue `SIM`: a matching engine fed by the queue-reactive order flow, with paper
/// trading for the user's own orders and the snapshot-plus-updates interface of a real venue.
///
/// Time is simulated nanoseconds from 0, driven by the caller through advanceTo(); how fast that
/// runs against the wall clock is the caller's choice (see SimClock). Same config and seed, same
/// calls: the same events, bit for bit.
///
/// Threading: owned by one thread (the feed thread), which also receives every sink call.

#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "book/instrument.h"
#include "sim/matching_engine.h"
#include "sim/order_flow_model.h"

namespace flowscope::sim {

struct SimulatedMarketConfig {
    std::uint64_t seed = 1;
    std::string venue = "SIM";
    std::string symbol = "BTC-USD";
    DecimalStep tick{5, 1};  ///< 0.5: the model's start price 120,000 ticks is 60,000.0
    DecimalStep lot{1, 3};   ///< 0.001
    FlowModelConfig flow;

    /// Empty when valid, otherwise what is wrong.
    std::string validate() const;
};

/// Both sides best first, as a venue's REST depth snapshot. The next LevelUpdate a consumer
/// must see after it carries `sequence + 1`.
struct BookSnapshot {
    std::vector<Level> bids;
    std::vector<Level> asks;
    std::uint64_t sequence = 0;
    TimeNs timeNs = 0;
};

struct AdvanceResult {
    std::uint64_t events = 0;    ///< flow events applied by this call
    bool reachedTarget = false;  ///< false when maxEvents stopped it first
};

class SimulatedMarket {
  public:
    /// Builds the initial book (K levels a side) at time 0, before any sink is attached.
    /// `config` must validate (throws std::invalid_argument otherwise).
    explicit SimulatedMarket(const SimulatedMarketConfig& config = {});
    SimulatedMarket(const SimulatedMarket&) = delete;
    SimulatedMarket& operator=(const SimulatedMarket&) = delete;

    /// Events go to `sink` (not owned, may be null) from the next call on.
    void setSink(MarketSink* sink) { engine_.setSink(sink); }

    /// Generates and applies every flow event up to and including `simNs`; the clock then reads
    /// `simNs`. With `maxEvents` reached first, the clock stops at the last applied event.
    AdvanceResult advanceTo(TimeNs simNs,
                            std::uint64_t maxEvents = std::numeric_limits<std::uint64_t>::max());
    /// Applies exactly the next flow event and returns its time.
    TimeNs step();

    /// Paper trading at the current simulated time; the order is the user's whatever its owner.
    SubmitResult submit(OrderRequest request);
    /// Cancels or reduces one of the user's resting orders (flow orders are UnknownOrder).
    AmendResult cancel(OrderId id);
    AmendResult reduce(OrderId id, Lots newQty);

    /// The book to `depth` levels a side, stamped with the sequence of the last update.
    BookSnapshot snapshot(std::size_t depth = std::numeric_limits<std::size_t>::max()) const;

    Instrument instrument() const { return Instrument(config_.symbol, config_.tick, config_.lot); }
    const std::string& venue() const { return config_.venue; }
    const std::string& symbol() const { return config_.symbol; }
    /// "SIM:BTC-USD"
    std::string streamId() const { return config_.venue + ":" + config_.symbol; }

    TimeNs nowNs() const { return nowNs_; }
    std::uint64_t flowEvents() const { return flowEvents_; }
    const MatchingEngine& engine() const { return engine_; }
    const OrderFlowModel& model() const { return model_; }

  private:
    void apply(const FlowEvent& event);
    bool isUserOrder(OrderId id) const;

    SimulatedMarketConfig config_;
    MatchingEngine engine_;
    OrderFlowModel model_;
    /// Drawn but not yet due. A user order changes the intensities, so it discards this draw;
    /// waiting times are memoryless, so redrawing from that moment keeps the model exact.
    std::optional<FlowEvent> pending_;
    TimeNs nowNs_ = 0;
    std::uint64_t flowEvents_ = 0;
};

}  // namespace flowscope::sim
