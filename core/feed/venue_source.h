#pragma once
/// A live exchange as the feed thread's MarketSource: the venue adapter keeps the exact book,
/// the VenueConnection keeps it connected, and the FeedVenueListener carries the result into the
/// FeedEngine. Optionally records every raw input to a recording file as it arrives.
///
/// Threading: constructed on any thread; everything else on the feed thread, except wakeUp().

#include <memory>
#include <optional>
#include <string>

#include "feed/feed_venue_listener.h"
#include "feed/market_source.h"
#include "feed/venue_connection.h"
#include "net/event_loop.h"
#include "record/recording_file.h"
#include "trading/binance_order_entry.h"
#include "venues/venue_adapter.h"

namespace flowscope {

/// What live order entry needs beyond the feed's endpoints (REST url and CA are shared).
struct VenueTradingConfig {
    trading::ApiCredentials credentials;
    trading::RiskLimits limits;
    std::string auditPath;  ///< empty: audit kept in memory only
};

struct VenueSourceConfig {
    venues::VenueId venue = venues::VenueId::BinanceSpot;
    InstrumentInfo instrument;  ///< symbol in the venue's spelling, tick and lot
    venues::VenueEndpoints endpoints;
    std::string recordPath;  ///< empty: no recording
    net::ReconnectPolicy reconnect;
    /// Set (binance-spot only): live order entry with these keys and limits. Unset: no orders.
    std::optional<VenueTradingConfig> trading;
};

class VenueSource final : public MarketSource {
  public:
    explicit VenueSource(VenueSourceConfig config);
    ~VenueSource() override;

    InstrumentInfo instrument() const override { return config_.instrument; }
    void start(FeedEngine& feed, TimeNs steadyNowNs) override;
    void poll(FeedEngine& feed, TimeNs steadyNowNs) override;
    void stop(FeedEngine& feed) override;
    bool waitForInput(TimeNs maxNs) override;
    void wakeUp() override;
    /// The live order entry, or null without credentials or on a venue not traded here.
    trading::OrderEntry* orderEntry() override { return orderEntry_.get(); }

  private:
    void onState(FeedState state, std::string_view reason);
    void onStreamState(std::string_view stream, FeedState state, std::string_view reason);
    void onRaw(record::RecordKind kind, TimeNs receiveNs, std::string_view payload);

    VenueSourceConfig config_;
    net::EventLoop loop_;
    FeedVenueListener listener_;
    std::unique_ptr<venues::VenueAdapter> adapter_;
    std::unique_ptr<net::VenueConnection> connection_;
    std::unique_ptr<record::RecordingWriter> recorder_;
    std::unique_ptr<trading::BinanceOrderEntry> orderEntry_;
    /// The feed went down since the last reconciliation: reconcile when it syncs again.
    bool reconcileOnSync_ = false;
    FeedState feedState_ = FeedState::Connecting;
    FeedEngine* feed_ = nullptr;
    std::size_t problemsLogged_ = 0;
    std::uint64_t streamReconnects_ = 0;
    TimeNs lastFlushNs_ = 0;
    static constexpr TimeNs kRecordFlushIntervalNs = 1'000'000'000;
};

}  // namespace flowscope
