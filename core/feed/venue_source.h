#pragma once
/// A live exchange as the feed thread's MarketSource: the venue adapter keeps the exact book,
/// the VenueConnection keeps it connected, and the FeedVenueListener carries the result into the
/// FeedEngine. Optionally records every raw input to a recording file as it arrives.
///
/// Threading: constructed on any thread; everything else on the feed thread, except wakeUp().

#include <memory>
#include <string>

#include "feed/feed_venue_listener.h"
#include "feed/market_source.h"
#include "net/event_loop.h"
#include "net/venue_connection.h"
#include "record/recording_file.h"
#include "venues/venue_adapter.h"

namespace flowscope {

struct VenueSourceConfig {
    venues::VenueId venue = venues::VenueId::BinanceSpot;
    InstrumentInfo instrument;  ///< symbol in the venue's spelling, tick and lot
    venues::VenueEndpoints endpoints;
    std::string recordPath;  ///< empty: no recording
    net::ReconnectPolicy reconnect;
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

  private:
    void onState(FeedState state, std::string_view reason);
    void onRaw(record::RecordKind kind, TimeNs receiveNs, std::string_view payload);

    VenueSourceConfig config_;
    net::EventLoop loop_;
    FeedVenueListener listener_;
    std::unique_ptr<venues::VenueAdapter> adapter_;
    std::unique_ptr<net::VenueConnection> connection_;
    std::unique_ptr<record::RecordingWriter> recorder_;
    FeedEngine* feed_ = nullptr;
    std::size_t problemsLogged_ = 0;
    TimeNs lastFlushNs_ = 0;
    static constexpr TimeNs kRecordFlushIntervalNs = 1'000'000'000;
};

}  // namespace flowscope
