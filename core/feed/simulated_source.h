#pragma once
/// The built-in simulated market as a MarketSource: the feed thread polls it like any venue, it
/// syncs from a snapshot, then streams sequenced level updates and trades. Simulated time runs at
/// an adjustable speed against the wall clock and is shown as wall-clock time from the start.
///
/// Threading: feed thread only (MarketSource contract).

#include <memory>

#include "feed/market_source.h"
#include "sim/market_sink.h"
#include "sim/sim_clock.h"
#include "sim/simulated_market.h"
#include "trading/paper_desk.h"

namespace flowscope::sim {

class SimulatedSource final : public MarketSource, private MarketSink {
  public:
    /// `epochNs`: the displayed time of simulated time 0 (e.g. the system clock at start).
    SimulatedSource(const SimulatedMarketConfig& config, double speed, TimeNs epochNs,
                    const trading::PaperDeskConfig& paper = {
                        trading::defaultPaperLimits(), {}, {}, true});

    InstrumentInfo instrument() const override;
    void start(FeedEngine& feed, TimeNs steadyNowNs) override;
    void poll(FeedEngine& feed, TimeNs steadyNowNs) override;
    void setSpeed(double speed) override;
    void setPaused(bool paused) override;
    trading::OrderEntry* orderEntry() override { return &desk_; }

    /// Upper bound of flow events generated per poll, so a very high speed cannot starve the
    /// publication of snapshots; the simulation then runs behind the requested speed.
    static constexpr std::uint64_t kMaxEventsPerPoll = 200'000;

    SimulatedMarket& market() { return *market_; }

  private:
    void onLevel(const LevelUpdate& update) override;
    void onTrade(const Trade& trade) override;
    void onFill(const Fill& fill) override;
    void onQueuePosition(const QueuePosition& position) override;
    void resync();

    std::unique_ptr<SimulatedMarket> market_;
    trading::PaperDesk desk_;  ///< paper trading against market_, which must outlive it
    SimClock clock_;
    double speed_;
    bool paused_ = false;
    TimeNs epochNs_;
    TimeNs lastSteadyNs_ = 0;
    FeedEngine* feed_ = nullptr;  ///< the feed thread's engine, from start() on
    bool needResync_ = false;
};

}  // namespace flowscope::sim
