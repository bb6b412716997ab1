#pragma once
/// Paper trading on the simulated market: the order manager with its risk checks and audit
/// log, wired to the paper gateway, behind the OrderEntry interface the GUI uses. Brackets are
/// managed locally by a BracketManager.
///
/// The bracket manager must not send from inside a market callback (the matching engine is in
/// the middle of a match then), so fills, prints and the touch are queued as they arrive and
/// handed to it at safe points: at the end of every OrderEntry call and in service(), which
/// the owner calls after each advance of the market.
///
/// Threading: owned by the simulated source on the feed thread.

#include <map>
#include <memory>

#include "sim/simulated_market.h"
#include "trading/audit_log.h"
#include "trading/bracket_driver.h"
#include "trading/bracket_manager.h"
#include "trading/desk_state.h"
#include "trading/order_entry.h"
#include "trading/order_manager.h"
#include "trading/paper_gateway.h"

namespace flowscope::trading {

struct PaperDeskConfig {
    RiskLimits limits;
    FeeRates fees;
    std::string auditPath;  ///< empty: audit kept in memory only
    bool armed = true;      ///< paper money: armed from the start (live venues start disarmed)
};

/// Sensible limits for the simulated BTC-USD-like market, in its lots (0.001) and ticks.
RiskLimits defaultPaperLimits();

class PaperDesk final : public OrderEntry {
  public:
    PaperDesk(sim::SimulatedMarket& market, const PaperDeskConfig& config, TimeNs sessionStartNs);

    /// The market's events the desk must see (fills, queue positions, the touch, the prints).
    sim::MarketSink& sink() { return tap_; }
    /// Hands the queued fills, prints and touch to the brackets, which may send orders. Call it
    /// after each advance of the market, never from inside a market callback.
    void service();

    SubmitOutcome submit(const OrderRequest& request, const std::string& intentKey) override;
    SubmitOutcome submitBracket(const OrderRequest& entry, const BracketSpec& bracket,
                                const std::string& intentKey) override;
    CancelStatus cancel(const ClientOrderId& id) override;
    void cancelAtPrice(PriceTicks price) override;
    void cancelAll() override;
    void flatten() override;
    SubmitOutcome moveOrder(const ClientOrderId& id, PriceTicks newPriceTicks) override;
    void killSwitch(bool flattenPosition) override;
    void setArmed(bool armed) override;
    TradingState state() const override;

    const OrderManager& manager() const { return *manager_; }
    const BracketManager& brackets() const { return *brackets_; }

  private:
    /// Forwards the market's events to the gateway and notes what the brackets need.
    class MarketTap final : public sim::MarketSink {
      public:
        explicit MarketTap(PaperDesk& desk) : desk_(desk) {}
        void onLevel(const sim::LevelUpdate& update) override;
        void onTrade(const Trade& trade) override;
        void onFill(const sim::Fill& fill) override;
        void onQueuePosition(const sim::QueuePosition& position) override;

      private:
        PaperDesk& desk_;
    };

    SubmitOutcome submitUnserviced(const OrderRequest& request, const std::string& intentKey);
    SubmitOutcome moveUnserviced(const ClientOrderId& id, PriceTicks newPriceTicks);

    /// Wall (steady) time: the double-click window, the order-rate limit and the audit log are
    /// about the trader's time, which does not speed up or pause with the simulation.
    static TimeNs now();

    sim::SimulatedMarket& market_;
    Instrument instrument_;
    std::unique_ptr<AuditLog> audit_;
    std::unique_ptr<OrderManager> manager_;
    std::unique_ptr<PaperGateway> gateway_;
    std::string lastMessage_;
    RiskLimits limits_;
    RecentFills fills_;
    std::uint64_t flattenSerial_ = 0;

    MarketTap tap_{*this};
    std::unique_ptr<BracketManager> brackets_;
    std::unique_ptr<BracketDriver> bracketDriver_;
};

}  // namespace flowscope::trading
