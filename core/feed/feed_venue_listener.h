#pragma once
/// Carries a venue adapter's normalized output into a FeedEngine: the adapter has already checked
/// the venue's sequence and checksums, so updates enter the engine unchecked (sequence 0), and an
/// invalid book becomes the engine's Resyncing state until the adapter's next snapshot.
///
/// Shared by the live VenueSource and the ReplaySource, so a replay drives the engine exactly as
/// the live feed did.

#include <functional>

#include "feed/feed_engine.h"
#include "venues/venue_adapter.h"

namespace flowscope {

class FeedVenueListener final : public venues::VenueListener {
  public:
    void attach(FeedEngine* engine) { engine_ = engine; }
    /// Also told of every trade, from inside the venue's message (live order entry's brackets).
    void setTradeTap(std::function<void(const Trade&)> tap) { tradeTap_ = std::move(tap); }

    void onBookSnapshot(const OrderBook& book, TimeNs eventNs, TimeNs receiveNs) override;
    void onBookLevel(Side side, PriceTicks price, Lots qty, TimeNs eventNs) override;
    void onBookUpdateEnd(const OrderBook& book, TimeNs eventNs, TimeNs receiveNs) override;
    void onTrade(const Trade& trade, TimeNs receiveNs) override;
    void onBookInvalid(std::string_view reason) override;

    /// Copies the adapter's gap and resync counts into the engine's status.
    void syncCounters(const venues::AdapterCounters& counters);

  private:
    FeedEngine* engine_ = nullptr;
    std::function<void(const Trade&)> tradeTap_;
};

}  // namespace flowscope
