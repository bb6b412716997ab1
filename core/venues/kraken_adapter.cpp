#include "venues/kraken_adapter.h"

#include <array>

#include "venues/kraken_checksum.h"
#include "venues/kraken_timestamp.h"

namespace flowscope::venues {

namespace {

constexpr std::array<int, 5> kBookDepths{10, 25, 100, 500, 1000};

int subscribableDepth(int requested) {
    for (const int depth : kBookDepths)
        if (requested <= depth) return depth;
    return kBookDepths.back();
}

// A JSON string literal for `text` (symbols come from the user's settings).
std::string jsonString(std::string_view text) {
    std::string out = "\"";
    for (const char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        if (static_cast<unsigned char>(c) >= 0x20) out += c;
    }
    return out + "\"";
}

}  // namespace

KrakenAdapter::KrakenAdapter(std::string symbol, Instrument instrument, VenueListener& listener,
                             int depth)
    : VenueAdapter(std::move(symbol), std::move(instrument), listener),
      depth_(subscribableDepth(depth)) {
    bids_.reserve(static_cast<std::size_t>(depth_));
    asks_.reserve(static_cast<std::size_t>(depth_));
}

std::string KrakenAdapter::bookRequest(std::string_view method) const {
    std::string request = "{\"method\":\"" + std::string(method) +
                          "\",\"params\":{\"channel\":\"book\",\"symbol\":[" + jsonString(symbol_) +
                          "],\"depth\":" + std::to_string(depth_);
    return request + (method == "subscribe" ? ",\"snapshot\":true}}" : "}}");
}

std::vector<std::string> KrakenAdapter::subscribeMessages() const {
    // Trades without the 50-trade history snapshot: the tape starts when the feed does.
    return {bookRequest("subscribe"),
            "{\"method\":\"subscribe\",\"params\":{\"channel\":\"trade\",\"symbol\":[" +
                jsonString(symbol_) + "],\"snapshot\":false}}"};
}

void KrakenAdapter::onConnected(TimeNs receiveNs) {
    (void)receiveNs;
    resync_.newSocket();  // the transport subscribes again on the new socket
    invalidateBook("reconnected");
}

void KrakenAdapter::onMessage(std::string_view frame, TimeNs receiveNs) {
    ++counters_.messages;
    if (resync_.expired(receiveNs)) {
        reconnectRequested_ = true;
        noteProblem("resync timeout", "no book snapshot after resubscribing; reconnecting", {});
    }
    maybeResubscribe(receiveNs);
    const KrakenMessage& message = parser_.parse(frame);
    switch (message.kind) {
        case KrakenMessageKind::Book:
            for (std::size_t i = 0; i < message.bookCount; ++i)
                handleBook(parser_.book(i), message.snapshot, frame, receiveNs);
            return;
        case KrakenMessageKind::Trade:
            // A trade snapshot is history from before we connected, not prints to show now.
            if (message.snapshot) return;
            for (std::size_t i = 0; i < message.tradeCount; ++i)
                handleTrade(parser_.trade(i), frame, receiveNs);
            return;
        case KrakenMessageKind::Heartbeat:
        case KrakenMessageKind::Status:
            return;
        case KrakenMessageKind::MethodResponse:
            handleMethodResponse(message, frame);
            return;
        case KrakenMessageKind::Unknown:
            ++counters_.unknownMessages;
            return;
        case KrakenMessageKind::Malformed:
            ++counters_.parseErrors;
            noteProblem("parse error", message.problem, frame);
            // It may have been one of our book updates: a book that missed one is not exact.
            if (syncState_ == SyncState::Live) resync("malformed message", receiveNs);
            return;
    }
}

void KrakenAdapter::handleMethodResponse(const KrakenMessage& message, std::string_view frame) {
    if (message.success) return;  // subscribe/unsubscribe acks, pong
    noteProblem("venue error", message.error.empty() ? message.method : message.error, frame);
    // A failed resubscription leaves the book without a snapshot: start over on a new socket.
    if (resync_.abandon()) reconnectRequested_ = true;
}

bool KrakenAdapter::convertLevels(std::span<const TextLevel> text, std::vector<Level>& out,
                                  std::string_view& problem) {
    out.clear();
    for (const TextLevel& level : text) {
        const auto price = parsePriceText(level.price);
        if (!price || *price <= 0) {
            problem = "book price is not a positive multiple of the tick";
            return false;
        }
        const auto qty = parseSizeText(level.size);
        if (!qty) {
            problem = "book qty is negative or not a multiple of the lot";
            return false;
        }
        out.push_back(Level{*price, *qty});
    }
    return true;
}

void KrakenAdapter::handleBook(const KrakenBookData& data, bool snapshot, std::string_view frame,
                               TimeNs receiveNs) {
    if (data.symbol != symbol_) {
        ++counters_.unknownMessages;
        return;
    }
    if (!snapshot && syncState_ != SyncState::Live) {
        ++counters_.droppedBeforeSync;
        return;
    }
    TimeNs eventNs = receiveNs;
    if (!data.timestamp.empty()) {
        const auto parsed = parseKrakenTimestamp(data.timestamp);
        if (!parsed) {
            ++counters_.parseErrors;
            noteProblem("parse error", "book 'timestamp' is not RFC 3339", frame);
            resync("malformed book message", receiveNs);
            return;
        }
        eventNs = *parsed;
    }
    std::string_view problem;
    if (!convertLevels(data.bids, bids_, problem) || !convertLevels(data.asks, asks_, problem)) {
        ++counters_.parseErrors;
        noteProblem("bad value", problem, frame);
        resync("bad value in book message", receiveNs);
        return;
    }
    if (snapshot)
        applySnapshot(data, eventNs, frame, receiveNs);
    else
        applyUpdate(data, eventNs, frame, receiveNs);
}

void KrakenAdapter::applySnapshot(const KrakenBookData& data, TimeNs eventNs,
                                  std::string_view frame, TimeNs receiveNs) {
    if (book_.applySnapshot(bids_, asks_, ++sequence_, eventNs) != BookError::None) {
        ++counters_.parseErrors;
        noteProblem("bad value", "snapshot lists a price twice", frame);
        resync("bad book snapshot", receiveNs);
        return;
    }
    truncateToDepth(false, eventNs);
    if (data.checksum && !verifyChecksum(*data.checksum, frame, receiveNs)) return;
    ++counters_.snapshots;
    syncState_ = SyncState::Live;
    resync_.snapshotArrived(receiveNs);
    listener_.onBookSnapshot(book_, eventNs, receiveNs);
}

void KrakenAdapter::applyUpdate(const KrakenBookData& data, TimeNs eventNs, std::string_view frame,
                                TimeNs receiveNs) {
    if (!data.checksum) {
        ++counters_.parseErrors;
        noteProblem("parse error", "book update without 'checksum'", frame);
        resync("malformed book message", receiveNs);
        return;
    }
    const std::uint64_t sequence = ++sequence_;
    // Levels in message order: a price may appear twice in one message, the later one wins.
    for (const Level& l : bids_) {
        (void)book_.apply(Side::Bid, l.price, l.qty, sequence, eventNs);
        listener_.onBookLevel(Side::Bid, l.price, l.qty, eventNs);
    }
    for (const Level& l : asks_) {
        (void)book_.apply(Side::Ask, l.price, l.qty, sequence, eventNs);
        listener_.onBookLevel(Side::Ask, l.price, l.qty, eventNs);
    }
    truncateToDepth(true, eventNs);
    if (!verifyChecksum(*data.checksum, frame, receiveNs)) return;
    ++counters_.appliedEvents;
    listener_.onBookUpdateEnd(book_, eventNs, receiveNs);
}

void KrakenAdapter::truncateToDepth(bool notify, TimeNs eventNs) {
    const auto limit = static_cast<std::size_t>(depth_);
    for (const Side side : {Side::Bid, Side::Ask}) {
        while (book_.side(side).depth() > limit) {
            const PriceTicks worst = book_.side(side).worst().price;
            (void)book_.apply(side, worst, 0, book_.sequence(), eventNs);
            if (notify) listener_.onBookLevel(side, worst, 0, eventNs);
        }
    }
}

bool KrakenAdapter::verifyChecksum(std::uint32_t expected, std::string_view frame,
                                   TimeNs receiveNs) {
    const std::uint32_t computed = krakenBookChecksum(book_, instrument_);
    if (computed == expected) {
        ++checksumsVerified_;
        return true;
    }
    ++counters_.checksumFailures;
    noteProblem("checksum mismatch",
                "venue " + std::to_string(expected) + ", book " + std::to_string(computed) +
                    " (the instrument's tick/lot decimals must be the pair's precision)",
                frame);
    resync("checksum mismatch", receiveNs);
    return false;
}

void KrakenAdapter::resync(std::string_view reason, TimeNs receiveNs) {
    ++counters_.resyncs;
    syncState_ = SyncState::WaitingSnapshot;
    book_.clear();
    const TimeNs waitNs = resync_.request(receiveNs);
    listener_.onBookInvalid(describeResync(reason, waitNs, resync_.inARow()));
    // Unsubscribing and subscribing again makes Kraken send a fresh snapshot on this socket.
    maybeResubscribe(receiveNs);
}

void KrakenAdapter::maybeResubscribe(TimeNs receiveNs) {
    if (!resync_.due(receiveNs)) return;
    outgoing_.push_back(bookRequest("unsubscribe"));
    outgoing_.push_back(bookRequest("subscribe"));
}

void KrakenAdapter::handleTrade(const KrakenTradeData& data, std::string_view frame,
                                TimeNs receiveNs) {
    if (data.symbol != symbol_) {
        ++counters_.unknownMessages;
        return;
    }
    const auto price = parsePriceText(data.price);
    const auto qty = parseSizeText(data.qty);
    const auto timeNs = parseKrakenTimestamp(data.timestamp);
    const bool buy = data.side == "buy";
    if (!price || *price <= 0 || !qty || *qty <= 0 || !timeNs || (!buy && data.side != "sell")) {
        // A bad print is dropped: trades never touch the book.
        ++counters_.parseErrors;
        noteProblem("bad trade", "price, qty, side or timestamp out of range", frame);
        return;
    }
    ++counters_.trades;
    // "side" is the taker's: a buy lifted the ask.
    listener_.onTrade(Trade{*price, *qty, buy ? Side::Bid : Side::Ask, *timeNs, data.tradeId},
                      receiveNs);
}

}  // namespace flowscope::venues
