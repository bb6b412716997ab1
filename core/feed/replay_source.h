#pragma once
/// A recording played back as the feed thread's MarketSource, through the same adapter and
/// FeedVenueListener as the live feed, so the terminal shows what it showed live: at 1x, Nx, or
/// as fast as the engine goes, with pause.

#include <memory>
#include <string>

#include "feed/feed_venue_listener.h"
#include "feed/market_source.h"
#include "record/recording_file.h"
#include "record/replay_driver.h"
#include "venues/venue_adapter.h"

namespace flowscope {

struct ReplaySourceConfig {
    std::string path;
    venues::VenueId venue = venues::VenueId::BinanceSpot;
    InstrumentInfo instrument;
    double speed = 1.0;  ///< <= 0: as fast as possible
};

class ReplaySource final : public MarketSource {
  public:
    /// Opens the file now, so a bad path fails where the user gave it (std::runtime_error).
    explicit ReplaySource(ReplaySourceConfig config);
    ~ReplaySource() override;

    InstrumentInfo instrument() const override { return config_.instrument; }
    void start(FeedEngine& feed, TimeNs steadyNowNs) override;
    void poll(FeedEngine& feed, TimeNs steadyNowNs) override;
    void setSpeed(double speed) override;
    void setPaused(bool paused) override;

  private:
    ReplaySourceConfig config_;
    FeedVenueListener listener_;
    std::unique_ptr<record::RecordSource> recording_;
    std::unique_ptr<venues::VenueAdapter> adapter_;
    std::unique_ptr<record::ReplayDriver> driver_;
    bool paused_ = false;
    bool reportedEnd_ = false;
};

}  // namespace flowscope
