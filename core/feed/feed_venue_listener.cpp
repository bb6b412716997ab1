#include "feed/feed_venue_listener.h"

namespace flowscope {

void FeedVenueListener::onBookSnapshot(const OrderBook& book, TimeNs eventNs, TimeNs receiveNs) {
    if (!engine_) return;
    // The adapter's book is already validated; the engine keeps its own copy for the signals.
    (void)engine_->onSnapshot(book.bids().worstToBest(), book.asks().worstToBest(), book.sequence(),
                              eventNs);
    if (eventNs > 0) engine_->noteLatency(receiveNs - eventNs);
}

void FeedVenueListener::onBookLevel(Side side, PriceTicks price, Lots qty, TimeNs eventNs) {
    if (!engine_) return;
    // NotSynced can only mean the engine refused the snapshot, which already reported it.
    (void)engine_->onLevel(side, price, qty, 0, eventNs);
}

void FeedVenueListener::onBookUpdateEnd(const OrderBook& /*book*/, TimeNs eventNs,
                                        TimeNs receiveNs) {
    if (!engine_) return;
    if (eventNs > 0) engine_->noteLatency(receiveNs - eventNs);
    // The message is complete: alert rules see the book it leaves, never half of it.
    engine_->endUpdate();
}

void FeedVenueListener::onTrade(const Trade& trade, TimeNs receiveNs) {
    if (tradeTap_) tradeTap_(trade);
    if (!engine_) return;
    engine_->onTrade(trade);
    if (trade.timeNs > 0) engine_->noteLatency(receiveNs - trade.timeNs);
}

void FeedVenueListener::onBookInvalid(std::string_view reason) {
    if (engine_) engine_->onState(FeedState::Resyncing, std::string(reason));
}

void FeedVenueListener::syncCounters(const venues::AdapterCounters& counters) {
    if (engine_) engine_->noteSourceCounters(counters.gaps, counters.resyncs);
}

}  // namespace flowscope
