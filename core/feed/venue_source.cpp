#include "feed/venue_source.h"

#include <cstdio>

#include "book/clock.h"
#include "venues/adapter_factory.h"

namespace flowscope {

VenueSource::VenueSource(VenueSourceConfig config) : config_(std::move(config)) {
    adapter_ = venues::makeAdapter(config_.venue, config_.instrument.symbol,
                                   config_.instrument.instrument(), listener_);
    connection_ = std::make_unique<net::VenueConnection>(
        loop_, *adapter_, config_.endpoints,
        net::VenueConnection::Callbacks{
            [this](FeedState state, std::string_view reason) { onState(state, reason); },
            [this](record::RecordKind kind, TimeNs receiveNs, std::string_view payload) {
                onRaw(kind, receiveNs, payload);
            },
            [this](std::string_view stream, FeedState state, std::string_view reason) {
                onStreamState(stream, state, reason);
            }},
        config_.reconnect);
    if (config_.trading && config_.venue == venues::VenueId::BinanceSpot) {
        trading::BinanceOrderEntryConfig entry;
        if (!config_.endpoints.restUrl.empty()) entry.gateway.restUrl = config_.endpoints.restUrl;
        entry.gateway.tls.caFile = config_.endpoints.caFile;
        entry.credentials = config_.trading->credentials;
        entry.limits = config_.trading->limits;
        entry.auditPath = config_.trading->auditPath;
        // The loop is not running yet: the entry's first requests wait for the feed thread.
        orderEntry_ = std::make_unique<trading::BinanceOrderEntry>(
            loop_, config_.instrument.instrument(), std::move(entry), wallNowNs());
        // A stop fires on the trade that prints through it, before the next depth batch.
        listener_.setTradeTap(
            [entry = orderEntry_.get()](const Trade& t) { entry->onPrint(t.price); });
    }
}

VenueSource::~VenueSource() {
    // The feed engine may be gone already (its owner destroys it first, or a test returned
    // early): the connection's last state change must not reach it.
    feed_ = nullptr;
    listener_.attach(nullptr);
    listener_.setTradeTap({});
    orderEntry_.reset();  // its callbacks run on the loop
    connection_.reset();  // before the loop and the adapter it refers to
}

void VenueSource::start(FeedEngine& feed, TimeNs /*steadyNowNs*/) {
    feed_ = &feed;
    listener_.attach(&feed);
    if (!config_.recordPath.empty()) {
        record::RecordingHeader header;
        header.venue = venues::venueName(config_.venue);
        header.symbol = config_.instrument.symbol;
        header.createdNs = wallNowNs();
        header.software = "flowscope 0.1.0";
        try {
            recorder_ = std::make_unique<record::RecordingWriter>(config_.recordPath, header);
        } catch (const std::exception& e) {
            feed.onState(FeedState::Disconnected, std::string("cannot record: ") + e.what());
            return;
        }
    }
    if (const std::string error = connection_->start(); !error.empty()) {
        feed.onState(FeedState::Disconnected, error);
    }
}

void VenueSource::poll(FeedEngine& feed, TimeNs steadyNowNs) {
    loop_.poll();
    if (orderEntry_) {
        // Only a live book prices orders: a stale or resyncing one blocks with "no market price".
        const OrderBook& book = adapter_->book();
        const bool live = feedState_ == FeedState::Live;
        const Level bid = book.bestBid();
        const Level ask = book.bestAsk();
        orderEntry_->onMarket(live && bid.qty > 0 ? std::optional(bid.price) : std::nullopt,
                              live && ask.qty > 0 ? std::optional(ask.price) : std::nullopt);
    }
    // The writer closes blocks on appends; a quiet feed's last block is flushed here, so a crash
    // loses at most about a second of it.
    if (recorder_ && steadyNowNs - lastFlushNs_ >= kRecordFlushIntervalNs) {
        lastFlushNs_ = steadyNowNs;
        try {
            recorder_->flush();
        } catch (const std::exception& e) {
            recorder_.reset();
            feed.onState(feed.state(), std::string("recording stopped: ") + e.what());
        }
    }
    listener_.syncCounters(adapter_->counters());
    // Each kind of venue problem is reported once, with a sample, on the feed's error stream.
    const auto& problems = adapter_->problemSamples();
    for (; problemsLogged_ < problems.size(); ++problemsLogged_) {
        std::fprintf(stderr, "flowscope feed: %s\n", problems[problemsLogged_].c_str());
    }
    (void)feed;
}

void VenueSource::stop(FeedEngine& feed) {
    connection_->stop();
    loop_.poll();
    if (recorder_) {
        try {
            recorder_->close();
        } catch (const std::exception& e) {
            feed.onState(FeedState::Disconnected, std::string("recording: ") + e.what());
        }
    }
}

bool VenueSource::waitForInput(TimeNs maxNs) {
    loop_.runFor(maxNs);
    return true;
}

void VenueSource::wakeUp() {
    loop_.wake();
}

void VenueSource::onState(FeedState state, std::string_view reason) {
    feedState_ = state;
    if (orderEntry_) {
        // Orders may have filled or been cancelled while the connection was down: the venue's
        // open orders are fetched again once it is back, before any new order leaves.
        if (state == FeedState::Disconnected) reconcileOnSync_ = true;
        if (state == FeedState::Syncing && reconcileOnSync_) {
            reconcileOnSync_ = false;
            orderEntry_->reconcile();
        }
    }
    if (!feed_) return;
    // Live is the engine's own verdict (it turns Live on the adapter's snapshot); the connection's
    // other states tell the user why the book is not live.
    if (state != FeedState::Live) feed_->onState(state, std::string(reason));
}

void VenueSource::onStreamState(std::string_view stream, FeedState state, std::string_view reason) {
    // Trades and the like: the book stays live without them, so this is a note beside the
    // market's state (and a line in the log), not a state of its own.
    std::string text(stream);
    text += ": ";
    text += describe(state);
    if (!reason.empty()) {
        text += " (";
        text.append(reason);
        text += ')';
    }
    // Stale is followed by Disconnected ("...; reconnecting in N ms"): one reconnect, two lines.
    if ((state == FeedState::Stale || state == FeedState::Disconnected) && reason != "stopped") {
        std::fprintf(stderr, "flowscope feed: %s\n", text.c_str());
    }
    if (state == FeedState::Disconnected && reason != "stopped") ++streamReconnects_;
    if (feed_) {
        // Until it delivers, a socket is not known to work ("syncing: open, waiting for data").
        feed_->noteStreamProblem(state == FeedState::Live ? std::string() : text,
                                 streamReconnects_);
    }
}

void VenueSource::onRaw(record::RecordKind kind, TimeNs receiveNs, std::string_view payload) {
    if (!recorder_) return;
    try {
        recorder_->append(kind, receiveNs, payload);
    } catch (const std::exception& e) {
        // Disk full or gone: keep the live feed, stop recording, and say so.
        recorder_.reset();
        if (feed_) {
            feed_->onState(feed_->state(), std::string("recording stopped: ") + e.what());
        }
    }
}

}  // namespace flowscope
