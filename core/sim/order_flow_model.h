#pragma once
/// The simulator's stochastic order flow: a queue-reactive model in the spirit of Huang, Lehalle &
/// Rosenbaum (2015), "Simulating and analyzing order book data: the queue-reactive model".
///
/// The book is a continuous-time Markov chain whose event intensities depend on its own queues:
/// - limit orders arrive at the K prices from the own best outwards, at a rate decaying with depth;
/// - every resting flow order is cancelled at a constant rate, so a queue shrinks in proportion
///   to its size (orders further than K prices from the touch at a faster rate);
/// - market orders hit the touch at a rate that grows with the queue imbalance against the side
///   they consume, so a thin queue is eaten sooner: (1 + g * I), I = (q_own - q_opp)/(q_own +
///   q_opp);
/// - when the spread is wider than one tick, new orders improve it, with the side whose touch is
///   heavier doing so more often (same form), so a gap tends to close in the direction of the
///   pressure.
/// A depleted queue moves the price toward it; together these make the level-1 imbalance predict
/// the next mid move, as in real order books.
///
/// Between events the state is constant, so the next event is one exponential waiting time with the
/// total intensity, and its kind is drawn in proportion to its intensity.
///
/// Reproducible: one seed gives one stream of events on every platform (see RandomGenerator).

#include <string>
#include <vector>

#include "sim/matching_engine.h"
#include "sim/random_generator.h"

namespace flowscope::sim {

/// Intensities are per second of simulated time and per side. Sizes are geometric in lots.
/// The defaults give a BTC-USD-like book at a 0.5 tick and a 0.001 lot: about four orders (0.7 BTC)
/// per price over 20 prices a side, a one-tick spread most of the time, ~320 book events and ~16
/// trades per simulated second, and a mid move every ~0.15 s.
struct FlowModelConfig {
    PriceTicks startBidTicks = 120'000;  ///< best bid at start (60,000.0); the ask is one tick up
    int levels = 20;                     ///< K: prices per side that receive and cancel orders
    int initialOrdersPerLevel = 4;       ///< about the stationary count (limitRate / cancelRate)

    double limitRatePerSec =
        4.0;  ///< at the own best; the j-th price behind it gets rate * decay^j
    double limitRateDecay = 1.0;
    double insideSpreadRatePerSec = 40.0;  ///< orders improving a spread wider than one tick
    double insideSpreadImbalanceGain = 0.8;
    double cancelRatePerOrderPerSec = 1.0;      ///< per resting flow order within the K prices
    double deepCancelRatePerOrderPerSec = 2.0;  ///< beyond them: stale orders the price left behind
    double marketRatePerSec = 3.0;
    double marketImbalanceGain = 0.9;  ///< g, in [0, 1]

    double limitSizeMeanLots = 180.0;
    double marketSizeMeanLots = 260.0;
    double largeMarketProbability = 0.03;  ///< this share of market orders is `multiplier` x larger
    double largeMarketMultiplier = 6.0;

    /// Empty when valid, otherwise what is wrong.
    std::string validate() const;
};

/// One step of the flow, to be applied to the matching engine at `timeNs`.
struct FlowEvent {
    enum class Kind : std::uint8_t { Limit, Market, Cancel };
    Kind kind = Kind::Limit;
    Side side = Side::Bid;      ///< the order's side (a market buy is Bid)
    PriceTicks priceTicks = 0;  ///< Limit only
    Lots qty = 0;               ///< Limit and Market
    OrderId cancelId = kNoOrder;
    TimeNs timeNs = 0;

    OrderRequest request() const;  ///< the flow order of a Limit or Market event
};

class OrderFlowModel {
  public:
    /// `config` must validate (throws std::invalid_argument otherwise).
    OrderFlowModel(const FlowModelConfig& config, std::uint64_t seed);

    /// Draws the next event for the book as it stands at `nowNs`; the event happens after it.
    FlowEvent next(const MatchingEngine& book, TimeNs nowNs);
    /// Total intensity (events per simulated second) at the last call of next().
    double lastRatePerSec() const { return lastRate_; }

    Lots limitSize() { return rng_.geometric(config_.limitSizeMeanLots); }
    const FlowModelConfig& config() const { return config_; }

  private:
    struct SideState {
        PriceTicks best = 0;  ///< own best, or where it would be when the side is empty
        Lots touchQty = 0;
        std::size_t windowLevels = 0;    ///< levels within K prices of `best`
        std::uint64_t windowOrders = 0;  ///< flow orders on them
        std::uint64_t deepOrders = 0;    ///< flow orders behind them
        double imbalance = 0;            ///< (own - opposite) / (own + opposite) at the touch
    };

    void observe(const MatchingEngine& book);
    OrderId pickFlowOrder(const MatchingEngine& book, Side side, bool deep);
    Lots marketSize();

    FlowModelConfig config_;
    RandomGenerator rng_;
    std::vector<double> depthWeights_;  ///< decay^j for j < K
    double depthWeightSum_ = 0;
    SideState sides_[2];
    PriceTicks lastBid_;  ///< reference when a side is empty
    PriceTicks lastAsk_;
    PriceTicks spread_ = 1;
    double lastRate_ = 0;
};

}  // namespace flowscope::sim
