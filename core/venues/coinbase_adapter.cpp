#include "venues/coinbase_adapter.h"

#include <string>

#include "io/text_excerpt.h"
#include "venues/coinbase_time.h"

namespace flowscope::venues {

namespace {

/// Which party market_trades' "side" names. Coinbase's Advanced Trade reference lists only the
/// values (BUY, SELL). Its Exchange feed, which the same matching engine serves, documents the
/// match "side" as the maker order's side, and NautilusTrader's Coinbase adapter reads Advanced
/// Trade market trades the same way ("Coinbase reports the maker side on public market trades,
/// so the aggressor is the opposite side"). Kept in one place so that a check against the live
/// book (trades at the ask are buys) can flip it if Coinbase ever says otherwise.
constexpr bool kTradeSideIsMakerSide = true;

}  // namespace

std::string coinbaseMarketDataProduct(std::string_view productId) {
    // Coinbase's WebSocket channels docs: subscribing to "-USDC" products is only available on
    // the user channel; the market data channels return the data of the matching "-USD"
    // product, except USDT-USDC and EURC-USDC, which are books of their own.
    constexpr std::string_view kUsdc = "-USDC";
    if (productId == "USDT-USDC" || productId == "EURC-USDC" || productId.size() <= kUsdc.size() ||
        productId.substr(productId.size() - kUsdc.size()) != kUsdc)
        return std::string(productId);
    return std::string(productId.substr(0, productId.size() - kUsdc.size())) + "-USD";
}

CoinbaseAdapter::CoinbaseAdapter(std::string symbol, Instrument instrument, VenueListener& listener)
    : VenueAdapter(std::move(symbol), std::move(instrument), listener),
      product_(coinbaseMarketDataProduct(symbol_)) {
    if (product_ != symbol_)
        noteProblem("product mapped",
                    "Coinbase publishes " + symbol_ + "'s market data as " + product_ +
                        ": the book and trades shown are " + product_ + "'s",
                    {});
    // Snapshots of busy products hold thousands of levels; the buffers grow to the first one and
    // keep that capacity, so updates and later resyncs do not allocate.
    frame_.levels.reserve(8192);
    converted_.reserve(8192);
    snapshotBids_.reserve(4096);
    snapshotAsks_.reserve(4096);
    frame_.trades.reserve(256);
}

std::vector<std::string> CoinbaseAdapter::subscribeMessages() const {
    return {coinbase::subscriptionFrame("heartbeats", product_),
            coinbase::subscriptionFrame("level2", product_),
            coinbase::subscriptionFrame("market_trades", product_)};
}

void CoinbaseAdapter::onConnected(TimeNs receiveNs) {
    (void)receiveNs;
    invalidateBook("reconnected");
    haveSequence_ = false;  // sequence_num starts over on every connection
    lastSequence_ = 0;
    reconnectPending_ = false;
}

void CoinbaseAdapter::onMessage(std::string_view text, TimeNs receiveNs) {
    ++counters_.messages;
    if (reconnectPending_) return;  // the rest of an abandoned connection
    const coinbase::FieldError error = parser_.parse(text, frame_);
    switch (frame_.kind) {
        case coinbase::FrameKind::Malformed:
            // The next message's sequence_num tells whether this one mattered.
            noteParseError("frame", error, text);
            return;
        case coinbase::FrameKind::Error:
            noteProblem(
                "venue error",
                frame_.errorMessage.empty() ? "error without a message" : frame_.errorMessage,
                text);
            return;
        case coinbase::FrameKind::Unknown:
            ++counters_.unknownMessages;
            noteProblem("unknown message", "neither \"channel\" nor an error", text);
            return;
        case coinbase::FrameKind::Channel:
            break;
    }
    const bool isBook = frame_.channel == coinbase::Channel::L2Data;
    if (!frame_.hasSequence) {
        noteParseError("envelope", error, text);
        if (isBook) requestReconnect("malformed level2 message");
        return;
    }
    if (haveSequence_) {
        if (frame_.sequence <= lastSequence_) {
            if (isBook) ++counters_.droppedBeforeSync;
            noteProblem("duplicate", "sequence_num not above the previous message's", text);
            return;
        }
        if (frame_.sequence != lastSequence_ + 1) {
            ++counters_.gaps;
            noteProblem("gap", "sequence_num skips", text);
            lastSequence_ = frame_.sequence;
            requestReconnect("sequence gap");
            return;
        }
    }
    haveSequence_ = true;
    lastSequence_ = frame_.sequence;

    if (error) {
        noteParseError(isBook ? "level2" : "message", error, text);
        if (isBook) requestReconnect("malformed level2 message");
        return;  // a bad trade message is skipped: trades never touch the book
    }
    switch (frame_.channel) {
        case coinbase::Channel::L2Data:
            handleBook(text, receiveNs);
            break;
        case coinbase::Channel::MarketTrades:
            handleTrades(text, receiveNs);
            break;
        case coinbase::Channel::Heartbeats:
        case coinbase::Channel::Subscriptions:
            break;  // their work is done by the sequence check above
        case coinbase::Channel::Other:
            ++counters_.unknownMessages;
            noteProblem("unknown message", "a channel we did not subscribe to", text);
            break;
    }
}

bool CoinbaseAdapter::convertLevels(std::string_view text) {
    converted_.clear();
    for (std::size_t e = 0; e < frame_.bookEvents.size(); ++e) {
        const coinbase::BookEvent& event = frame_.bookEvents[e];
        if (event.productId != product_) continue;
        if (event.type != "snapshot" && event.type != "update") {
            ++counters_.parseErrors;
            noteProblem("parse error", "level2 event type is neither snapshot nor update", text);
            return false;
        }
        for (std::size_t i = event.firstLevel; i < event.endLevel; ++i) {
            const coinbase::RawLevel& raw = frame_.levels[i];
            Side side = Side::Bid;
            if (raw.side == "bid") {
                side = Side::Bid;
            } else if (raw.side == "offer") {
                side = Side::Ask;
            } else {
                ++counters_.parseErrors;
                noteProblem("parse error", "level2 side is neither bid nor offer", text);
                return false;
            }
            const auto price = parsePriceText(raw.price);
            if (!price || *price <= 0) {
                ++counters_.parseErrors;
                noteProblem(
                    "parse error",
                    "price " + quoteExcerpt(raw.price) + " is not a positive whole number of ticks",
                    text);
                return false;
            }
            const auto qty = parseSizeText(raw.qty);
            if (!qty) {
                ++counters_.parseErrors;
                noteProblem(
                    "parse error",
                    "size " + quoteExcerpt(raw.qty) + " is not a non-negative whole number of lots",
                    text);
                return false;
            }
            converted_.push_back({e, side, *price, *qty});
        }
    }
    return true;
}

void CoinbaseAdapter::handleBook(std::string_view text, TimeNs receiveNs) {
    const auto eventNs = parseRfc3339Ns(frame_.timestamp);
    if (!eventNs) {
        ++counters_.parseErrors;
        noteProblem("parse error", "timestamp is not RFC 3339", text);
        requestReconnect("malformed level2 message");
        return;
    }
    bool ours = false;
    for (const coinbase::BookEvent& event : frame_.bookEvents) {
        ours = ours || event.productId == product_;
    }
    if (!ours) {
        ++counters_.unknownMessages;
        noteProblem("unknown message", "level2 for a product we did not subscribe to", text);
        return;
    }
    if (!convertLevels(text)) {
        requestReconnect("malformed level2 message");
        return;
    }

    // Per-level event_time is not used: snapshots stamp every level 1970-01-01 and Coinbase does
    // not keep it monotonic; the message timestamp is.
    bool appliedUpdate = false;
    std::size_t next = 0;
    for (std::size_t e = 0; e < frame_.bookEvents.size(); ++e) {
        const coinbase::BookEvent& event = frame_.bookEvents[e];
        if (event.productId != product_) continue;
        if (event.type == "snapshot") {
            snapshotBids_.clear();
            snapshotAsks_.clear();
            for (; next < converted_.size() && converted_[next].event == e; ++next) {
                const Change& c = converted_[next];
                (c.side == Side::Bid ? snapshotBids_ : snapshotAsks_).push_back({c.price, c.qty});
            }
            const BookError bookError =
                book_.applySnapshot(snapshotBids_, snapshotAsks_, frame_.sequence, *eventNs);
            if (bookError != BookError::None) {
                ++counters_.parseErrors;
                noteProblem("parse error", describe(bookError), text);
                requestReconnect("bad level2 snapshot");
                return;
            }
            syncState_ = SyncState::Live;
            ++counters_.snapshots;
            listener_.onBookSnapshot(book_, *eventNs, receiveNs);
            continue;
        }
        if (syncState_ != SyncState::Live) {
            // On one connection the snapshot comes first; an update without one means it was lost.
            ++counters_.droppedBeforeSync;
            noteProblem("gap", "level2 update before any snapshot", text);
            requestReconnect("level2 update before the snapshot");
            return;
        }
        for (; next < converted_.size() && converted_[next].event == e; ++next) {
            const Change& c = converted_[next];
            if (c.qty == 0 && book_.sizeAt(c.side, c.price) == 0) continue;  // nothing to delete
            const BookError bookError =
                book_.apply(c.side, c.price, c.qty, frame_.sequence, *eventNs);
            if (bookError != BookError::None) {
                ++counters_.parseErrors;
                noteProblem("parse error", describe(bookError), text);
                requestReconnect("bad level2 update");
                return;
            }
            listener_.onBookLevel(c.side, c.price, c.qty, *eventNs);
        }
        appliedUpdate = true;
    }
    if (!appliedUpdate) return;  // a snapshot alone ends with onBookSnapshot
    ++counters_.appliedEvents;
    listener_.onBookUpdateEnd(book_, *eventNs, receiveNs);
}

void CoinbaseAdapter::handleTrades(std::string_view text, TimeNs receiveNs) {
    for (const coinbase::TradeEvent& event : frame_.tradeEvents) {
        if (event.type == "snapshot") continue;  // history from before this connection
        if (event.type != "update") {
            ++counters_.parseErrors;
            noteProblem("parse error", "market_trades event type is neither snapshot nor update",
                        text);
            continue;
        }
        for (std::size_t i = event.firstTrade; i < event.endTrade; ++i) {
            const coinbase::RawTrade& raw = frame_.trades[i];
            if (raw.error) {
                noteParseError("trade", raw.error, text);
                continue;
            }
            if (raw.productId != product_) {
                ++counters_.unknownMessages;
                noteProblem("unknown message", "a trade of a product we did not subscribe to",
                            text);
                continue;
            }
            Side named = Side::Bid;
            if (raw.side == "BUY") {
                named = Side::Bid;
            } else if (raw.side == "SELL") {
                named = Side::Ask;
            } else {
                ++counters_.parseErrors;
                noteProblem("parse error", "trade side is neither BUY nor SELL", text);
                continue;
            }
            const Side aggressor = kTradeSideIsMakerSide ? opposite(named) : named;
            emitTrade(raw.price, raw.size, aggressor, parseRfc3339Ns(raw.time), raw.tradeId,
                      receiveNs, text);
        }
    }
}

void CoinbaseAdapter::requestReconnect(std::string_view reason) {
    invalidateBook(reason);
    reconnectRequested_ = true;
    reconnectPending_ = true;
}

void CoinbaseAdapter::noteParseError(std::string_view what, const coinbase::FieldError& error,
                                     std::string_view text) {
    ++counters_.parseErrors;
    noteProblem("parse error", std::string(what) + ": " + coinbase::describe(error), text);
}

}  // namespace flowscope::venues
