#include "venues/okx_adapter.h"

#include <array>

#include "venues/contract_size.h"
#include "venues/okx_checksum.h"

namespace flowscope::venues {

namespace {

// A JSON string literal for `text` (instrument ids come from the user's settings).
std::string jsonString(std::string_view text) {
    std::string out = "\"";
    for (const char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        if (static_cast<unsigned char>(c) >= 0x20) out += c;
    }
    return out + "\"";
}

// Non-negative decimal integer text ("1652459225464", "7849"); nullopt otherwise or on overflow.
std::optional<std::int64_t> parseCount(std::string_view text) {
    if (text.empty() || text.size() > 18) return std::nullopt;
    std::int64_t value = 0;
    for (const char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + (c - '0');
    }
    return value;
}

std::optional<TimeNs> millisToNs(std::string_view text) {
    const auto ms = parseCount(text);
    if (!ms || *ms > INT64_MAX / 1'000'000) return std::nullopt;
    return *ms * 1'000'000;
}

}  // namespace

OkxAdapter::OkxAdapter(std::string symbol, Instrument instrument, VenueListener& listener,
                       std::optional<int> contractValuePow10)
    : VenueAdapter(std::move(symbol), std::move(instrument), listener),
      contractPow10_(contractValuePow10) {
    scaledSize_.reserve(64);
    // The books channel sends 400 levels a side: no allocation for the first snapshot's growth.
    constexpr std::size_t kSnapshotLevels = 400;
    pending_.reserve(2 * kSnapshotLevels);
    snapshotBids_.reserve(kSnapshotLevels);
    snapshotAsks_.reserve(kSnapshotLevels);
}

std::string OkxAdapter::booksRequest(std::string_view op) const {
    return "{\"op\":\"" + std::string(op) +
           "\",\"args\":[{\"channel\":\"books\",\"instId\":" + jsonString(symbol_) + "}]}";
}

std::vector<std::string> OkxAdapter::subscribeMessages() const {
    const std::string instId = jsonString(symbol_);
    return {"{\"op\":\"subscribe\",\"args\":[{\"channel\":\"books\",\"instId\":" + instId +
            "},{\"channel\":\"trades\",\"instId\":" + instId + "}]}"};
}

void OkxAdapter::onConnected(TimeNs receiveNs) {
    (void)receiveNs;
    resync_.newSocket();  // the transport subscribes again on the new socket
    invalidateBook("reconnected");
    textBook_.clear();
    lastSeqId_.reset();
}

void OkxAdapter::onMessage(std::string_view frame, TimeNs receiveNs) {
    ++counters_.messages;
    if (resync_.expired(receiveNs)) {
        reconnectRequested_ = true;
        noteProblem("resync timeout", "no book snapshot after resubscribing; reconnecting", {});
    }
    maybeResubscribe(receiveNs);
    const OkxMessage& message = parser_.parse(frame);
    switch (message.kind) {
        case OkxMessageKind::Book:
            if (message.instId != symbol_) {
                ++counters_.unknownMessages;
                return;
            }
            for (std::size_t i = 0; i < message.bookCount; ++i)
                handleBook(parser_.book(i), message.snapshot, frame, receiveNs);
            return;
        case OkxMessageKind::Trade:
            for (std::size_t i = 0; i < message.tradeCount; ++i)
                handleTrade(parser_.trade(i), frame, receiveNs);
            return;
        case OkxMessageKind::Event:
            handleEvent(message, frame);
            return;
        case OkxMessageKind::Pong:
            return;
        case OkxMessageKind::Unknown:
            ++counters_.unknownMessages;
            return;
        case OkxMessageKind::Malformed:
            ++counters_.parseErrors;
            noteProblem("parse error", message.problem, frame);
            // Unless it was visibly another channel or instrument, it may have been one of our
            // book updates: a book that missed one is not exact.
            if (syncState_ == SyncState::Live &&
                (message.channel.empty() || message.channel == "books") &&
                (message.instId.empty() || message.instId == symbol_))
                resync("malformed message", receiveNs);
            return;
    }
}

void OkxAdapter::handleEvent(const OkxMessage& message, std::string_view frame) {
    if (message.event == "error") {
        noteProblem("venue error", message.msg.empty() ? message.code : message.msg, frame);
        // A rejected resubscription leaves the book without a snapshot: start over.
        if (resync_.abandon()) reconnectRequested_ = true;
    } else if (message.event == "notice") {
        noteProblem("venue notice", message.msg, frame);
        // 64008: the server will close this socket for an upgrade; move before it does.
        if (message.code == "64008") reconnectRequested_ = true;
    }
    // subscribe / unsubscribe acks, channel-conn-count, ...: nothing to do.
}

bool OkxAdapter::convertLevels(const OkxBookData& data, std::string_view& problem) {
    pending_.clear();
    for (const Side side : {Side::Bid, Side::Ask}) {
        for (const TextLevel& text : side == Side::Bid ? data.bids : data.asks) {
            const auto price = parsePriceText(text.price);
            if (!price || *price <= 0) {
                problem = "book px is not a positive multiple of the tick";
                return false;
            }
            const auto qty = parseVenueSize(text.size);
            if (!qty) {
                problem = "book sz is negative or not a multiple of the lot";
                return false;
            }
            if (text.price.size() > InlineText::kMaxChars ||
                text.size.size() > InlineText::kMaxChars) {
                problem = "book px/sz text longer than 31 characters";
                return false;
            }
            pending_.push_back(PendingLevel{side, Level{*price, *qty}, text});
        }
    }
    return true;
}

void OkxAdapter::handleBook(const OkxBookData& data, bool snapshot, std::string_view frame,
                            TimeNs receiveNs) {
    if (!snapshot && syncState_ != SyncState::Live) {
        ++counters_.droppedBeforeSync;
        return;
    }
    const auto eventNs = millisToNs(data.ts);
    std::string_view problem;
    if (!eventNs) problem = "book 'ts' is not a count of milliseconds";
    if (!eventNs || !convertLevels(data, problem)) {
        ++counters_.parseErrors;
        noteProblem("bad value", problem, frame);
        resync("bad value in book message", receiveNs);
        return;
    }
    if (snapshot)
        applySnapshot(data, *eventNs, frame, receiveNs);
    else
        applyUpdate(data, *eventNs, frame, receiveNs);
}

void OkxAdapter::applySnapshot(const OkxBookData& data, TimeNs eventNs, std::string_view frame,
                               TimeNs receiveNs) {
    snapshotBids_.clear();
    snapshotAsks_.clear();
    for (const PendingLevel& p : pending_)
        (p.side == Side::Bid ? snapshotBids_ : snapshotAsks_).push_back(p.level);
    const std::uint64_t sequence =
        data.seqId ? static_cast<std::uint64_t>(*data.seqId) : ++localSequence_;
    if (book_.applySnapshot(snapshotBids_, snapshotAsks_, sequence, eventNs) != BookError::None) {
        ++counters_.parseErrors;
        noteProblem("bad value", "snapshot lists a price twice", frame);
        resync("bad book snapshot", receiveNs);
        return;
    }
    textBook_.clear();
    // OKX lists levels best first; inserting worst first appends at the touch end every time.
    for (auto it = pending_.rbegin(); it != pending_.rend(); ++it)
        (void)textBook_.set(it->side, it->level.price, it->text.price, it->text.size,
                            it->level.qty == 0);
    lastSeqId_ = data.seqId;
    if (!verifyChecksum(data, frame, receiveNs)) return;
    ++counters_.snapshots;
    syncState_ = SyncState::Live;
    resync_.snapshotArrived(receiveNs);
    listener_.onBookSnapshot(book_, eventNs, receiveNs);
}

void OkxAdapter::applyUpdate(const OkxBookData& data, TimeNs eventNs, std::string_view frame,
                             TimeNs receiveNs) {
    if (data.seqId && data.prevSeqId && lastSeqId_ && *data.prevSeqId != *lastSeqId_) {
        ++counters_.gaps;
        noteProblem("gap",
                    "prevSeqId " + std::to_string(*data.prevSeqId) + " after seqId " +
                        std::to_string(*lastSeqId_),
                    frame);
        resync("sequence gap", receiveNs);
        return;
    }
    // prevSeqId chains: seqId == prevSeqId (keep-alive) and seqId < prevSeqId (reset after
    // maintenance) are both documented as legal; the chain continues from seqId.
    if (data.seqId) lastSeqId_ = data.seqId;
    const std::uint64_t sequence =
        data.seqId ? static_cast<std::uint64_t>(*data.seqId) : ++localSequence_;
    for (const PendingLevel& p : pending_) {
        (void)book_.apply(p.side, p.level.price, p.level.qty, sequence, eventNs);
        (void)textBook_.set(p.side, p.level.price, p.text.price, p.text.size, p.level.qty == 0);
        listener_.onBookLevel(p.side, p.level.price, p.level.qty, eventNs);
    }
    if (!verifyChecksum(data, frame, receiveNs)) return;
    ++counters_.appliedEvents;
    listener_.onBookUpdateEnd(book_, eventNs, receiveNs);
}

bool OkxAdapter::verifyChecksum(const OkxBookData& data, std::string_view frame, TimeNs receiveNs) {
    if (!data.checksum || *data.checksum == 0) {
        ++checksumsAbsent_;
        return true;
    }
    std::array<TextLevel, kOkxChecksumDepth> bids{};
    std::array<TextLevel, kOkxChecksumDepth> asks{};
    const std::size_t bidCount = textBook_.top(Side::Bid, bids);
    const std::size_t askCount = textBook_.top(Side::Ask, asks);
    const std::int32_t computed =
        okxChecksum(std::span(bids).first(bidCount), std::span(asks).first(askCount));
    if (computed == *data.checksum) {
        ++checksumsVerified_;
        return true;
    }
    ++counters_.checksumFailures;
    noteProblem("checksum mismatch",
                "venue " + std::to_string(*data.checksum) + ", book " + std::to_string(computed),
                frame);
    resync("checksum mismatch", receiveNs);
    return false;
}

void OkxAdapter::resync(std::string_view reason, TimeNs receiveNs) {
    ++counters_.resyncs;
    syncState_ = SyncState::WaitingSnapshot;
    book_.clear();
    textBook_.clear();
    lastSeqId_.reset();
    const TimeNs waitNs = resync_.request(receiveNs);
    listener_.onBookInvalid(describeResync(reason, waitNs, resync_.inARow()));
    // Unsubscribing and subscribing again makes OKX send a fresh snapshot on this socket.
    maybeResubscribe(receiveNs);
}

void OkxAdapter::maybeResubscribe(TimeNs receiveNs) {
    if (!resync_.due(receiveNs)) return;
    outgoing_.push_back(booksRequest("unsubscribe"));
    outgoing_.push_back(booksRequest("subscribe"));
}

std::optional<Lots> OkxAdapter::parseVenueSize(std::string_view text) {
    if (!contractPow10_) return parseSizeText(text);
    if (!scaleDecimalText(text, *contractPow10_, scaledSize_)) return std::nullopt;
    return parseSizeText(scaledSize_);
}

void OkxAdapter::handleTrade(const OkxTradeData& data, std::string_view frame, TimeNs receiveNs) {
    if (data.instId != symbol_) {
        ++counters_.unknownMessages;
        return;
    }
    const auto price = parsePriceText(data.px);
    const auto qty = parseVenueSize(data.sz);
    const auto timeNs = millisToNs(data.ts);
    const auto tradeId = parseCount(data.tradeId);
    const bool buy = data.side == "buy";
    if (!price || *price <= 0 || !qty || *qty <= 0 || !timeNs || !tradeId ||
        (!buy && data.side != "sell")) {
        // A bad print is dropped: trades never touch the book.
        ++counters_.parseErrors;
        noteProblem("bad trade", "px, sz, side, ts or tradeId out of range", frame);
        return;
    }
    ++counters_.trades;
    // "side" is the taker's: a buy lifted the ask.
    listener_.onTrade(Trade{*price, *qty, buy ? Side::Bid : Side::Ask, *timeNs,
                            static_cast<std::uint64_t>(*tradeId)},
                      receiveNs);
}

}  // namespace flowscope::venues
