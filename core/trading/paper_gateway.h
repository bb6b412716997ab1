#pragma once
/// Paper trading on the built-in simulated venue: the OrderManager's orders rest in and match
/// against the simulator's book with price-time priority (partial fills, queue positions).
///
/// Who feeds it: the simulator calls one MarketSink. In a test the gateway can be that sink
/// (market.setSink(&gateway)). In the app SimulatedSource is the market's sink; it must forward
/// onFill(), onQueuePosition() and onLevel() to the gateway on the same thread. Taker fills are
/// taken from the SubmitResult (they happen inside submit()), so only resting (maker) fills have
/// to arrive through the sink; forwarded taker fills are ignored, never counted twice.
///
/// Threading: the thread that drives the SimulatedMarket (the feed thread) owns the gateway and
/// its OrderManager.

#include <functional>
#include <optional>
#include <unordered_map>

#include "sim/market_sink.h"
#include "sim/simulated_market.h"
#include "trading/order_manager.h"

namespace flowscope::trading {

class PaperGateway final : public VenueGateway, public sim::MarketSink {
  public:
    using Clock = std::function<TimeNs()>;

    /// Connects itself to `manager` (setGateway) and copies the market's touch into it.
    /// `clock` stamps the venue's answers; by default the market's simulated time.
    PaperGateway(sim::SimulatedMarket& market, OrderManager& manager, Clock clock = {});
    ~PaperGateway() override;
    PaperGateway(const PaperGateway&) = delete;
    PaperGateway& operator=(const PaperGateway&) = delete;

    void sendNew(const Order& order) override;
    void sendCancel(const Order& order) override;

    /// Resting fills of the user's orders (maker); taker fills are ignored here (see above).
    void onFill(const sim::Fill& fill) override;
    void onQueuePosition(const sim::QueuePosition& position) override;
    /// Keeps the manager's touch current for the risk check and the mark.
    void onLevel(const sim::LevelUpdate& update) override;

    /// Copies the simulator's best bid and ask into the manager.
    void syncMarket();
    /// Latest queue position of a resting order, if the venue reported one.
    std::optional<sim::QueuePosition> queuePosition(const ClientOrderId& id) const;
    /// Maker fills for venue ids this gateway does not know (not its orders).
    std::uint64_t unknownFills() const { return unknownFills_; }

  private:
    TimeNs now() const { return clock_ ? clock_() : market_.nowNs(); }
    void forget(sim::OrderId venueId);

    sim::SimulatedMarket& market_;
    OrderManager& manager_;
    Clock clock_;
    std::unordered_map<sim::OrderId, ClientOrderId> byVenueId_;
    std::unordered_map<ClientOrderId, sim::QueuePosition> queue_;
    /// The venue reports a new order's queue position inside submit(), before its id is known.
    bool submitting_ = false;
    std::optional<sim::QueuePosition> unclaimedQueue_;
    std::uint64_t unknownFills_ = 0;
};

}  // namespace flowscope::trading
