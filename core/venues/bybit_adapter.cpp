#include "venues/bybit_adapter.h"

#include <initializer_list>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>

#include "io/text_excerpt.h"

namespace flowscope::venues {

namespace {

constexpr TimeNs kNsPerMs = 1'000'000;
constexpr TimeNs kResubscribeSpacingNs = 1'000'000'000;

std::optional<TimeNs> msToNs(std::int64_t ms) {
    if (ms < 0 || ms > std::numeric_limits<TimeNs>::max() / kNsPerMs) return std::nullopt;
    return ms * kNsPerMs;
}

std::string subscriptionFrame(std::string_view op, std::initializer_list<std::string_view> args) {
    std::string frame = "{\"op\":\"";
    frame += op;
    frame += "\",\"args\":[";
    bool first = true;
    for (const std::string_view arg : args) {
        if (!first) frame += ',';
        first = false;
        frame += '"';
        frame += arg;
        frame += '"';
    }
    frame += "]}";
    return frame;
}

}  // namespace

BybitAdapter::BybitAdapter(BybitCategory category, std::string symbol, Instrument instrument,
                           VenueListener& listener, int depth)
    : VenueAdapter(std::move(symbol), std::move(instrument), listener),
      category_(category),
      depth_(depth) {
    if (depth_ < 1) throw std::invalid_argument("Bybit order book depth must be at least 1");
    orderBookTopic_ = "orderbook." + std::to_string(depth_) + "." + symbol_;
    tradeTopic_ = "publicTrade." + symbol_;
    const auto perSide = static_cast<std::size_t>(depth_);
    frame_.levels.reserve(2 * perSide);
    converted_.reserve(2 * perSide);
    snapshotBids_.reserve(perSide);
    snapshotAsks_.reserve(perSide);
    frame_.trades.reserve(64);
}

std::string BybitAdapter::wsPath() const {
    return category_ == BybitCategory::Spot ? "/v5/public/spot" : "/v5/public/linear";
}

std::vector<std::string> BybitAdapter::subscribeMessages() const {
    return {subscriptionFrame("subscribe", {orderBookTopic_, tradeTopic_})};
}

std::string BybitAdapter::heartbeatMessage() const {
    return R"({"op":"ping"})";
}

void BybitAdapter::onConnected(TimeNs receiveNs) {
    (void)receiveNs;
    invalidateBook("reconnected");
    lastUpdateId_ = 0;
    // The subscribeMessages() of the new connection bring a snapshot of their own.
    resubscribeWanted_ = false;
    resubscribePending_ = false;
    nextResubscribeNs_ = std::numeric_limits<TimeNs>::min();
}

void BybitAdapter::onMessage(std::string_view text, TimeNs receiveNs) {
    ++counters_.messages;
    const bybit::FieldError error = parser_.parse(text, orderBookTopic_, tradeTopic_, frame_);
    switch (frame_.kind) {
        case bybit::FrameKind::Malformed:
            noteParseError("frame", error, text);
            break;
        case bybit::FrameKind::Unknown:
            ++counters_.unknownMessages;
            noteProblem("unknown message", "neither \"topic\" nor \"op\"", text);
            break;
        case bybit::FrameKind::OpReply:
            if (error) {
                noteParseError("reply", error, text);
            } else {
                handleOpReply(text);
            }
            break;
        case bybit::FrameKind::Topic:
            if (frame_.topic == orderBookTopic_) {
                if (error) {
                    // Whatever it was (a delta or the snapshot we wait for), the book may now
                    // lack it.
                    noteParseError("order book", error, text);
                    resync("malformed order book message");
                } else {
                    handleOrderBook(text, receiveNs);
                }
            } else if (frame_.topic == tradeTopic_) {
                if (error) {
                    noteParseError("trades", error, text);  // trades never touch the book
                } else {
                    handleTrades(text, receiveNs);
                }
            } else {
                ++counters_.unknownMessages;
                noteProblem("unknown message", "a topic we did not subscribe to", text);
            }
            break;
    }
    maybeResubscribe(receiveNs);
}

void BybitAdapter::handleOpReply(std::string_view text) {
    const std::string_view op = frame_.op;
    if (!frame_.success) {
        noteProblem("venue error", frame_.retMsg.empty() ? "request refused" : frame_.retMsg, text);
        // Our resubscribe was refused: no snapshot will come on this connection. A failure of the
        // first subscribe (an unknown symbol) is left to the log: reconnecting would not help.
        if (op == "subscribe" && resubscribePending_) {
            resubscribePending_ = false;
            resubscribeWanted_ = false;
            reconnectRequested_ = true;
        }
        return;
    }
    if (op == "subscribe" || op == "unsubscribe" || op == "ping" || op == "pong") return;
    ++counters_.unknownMessages;
    noteProblem("unknown message", "reply to an operation we never send", text);
}

void BybitAdapter::handleOrderBook(std::string_view text, TimeNs receiveNs) {
    const auto eventNs = msToNs(frame_.eventMs);
    if (!eventNs) {
        ++counters_.parseErrors;
        noteProblem("parse error", "order book time out of range", text);
        resync("bad order book time");
        return;
    }
    if (frame_.type == "snapshot") {
        if (!convertLevels(text)) {
            resync("bad order book snapshot");
            return;
        }
        applySnapshot(*eventNs, receiveNs, text);
        return;
    }
    if (frame_.type != "delta") {
        ++counters_.parseErrors;
        noteProblem("parse error", "order book type is neither snapshot nor delta", text);
        resync("unknown order book message type");
        return;
    }
    if (syncState_ != SyncState::Live) {
        ++counters_.droppedBeforeSync;
        return;
    }
    const std::uint64_t u = frame_.updateId;
    if (u <= lastUpdateId_) {
        ++counters_.droppedBeforeSync;
        noteProblem("stale update", "delta update id not above the last applied one", text);
        return;
    }
    if (u != lastUpdateId_ + 1) {
        ++counters_.gaps;
        noteProblem("gap", "delta update id skips", text);
        resync("update id gap");
        return;
    }
    if (!convertLevels(text)) {
        resync("bad order book delta");
        return;
    }
    applyDelta(*eventNs, receiveNs, text);
}

bool BybitAdapter::convertLevels(std::string_view text) {
    converted_.clear();
    for (const bybit::RawLevel& raw : frame_.levels) {
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
        converted_.push_back({raw.side, *price, *qty});
    }
    return true;
}

void BybitAdapter::applySnapshot(TimeNs eventNs, TimeNs receiveNs, std::string_view text) {
    snapshotBids_.clear();
    snapshotAsks_.clear();
    for (const Change& c : converted_) {
        (c.side == Side::Bid ? snapshotBids_ : snapshotAsks_).push_back({c.price, c.qty});
    }
    const BookError error =
        book_.applySnapshot(snapshotBids_, snapshotAsks_, frame_.updateId, eventNs);
    if (error != BookError::None) {
        ++counters_.parseErrors;
        noteProblem("parse error", describe(error), text);
        resync("bad order book snapshot");
        return;
    }
    syncState_ = SyncState::Live;
    resubscribeWanted_ = false;
    resubscribePending_ = false;
    lastUpdateId_ = frame_.updateId;
    ++counters_.snapshots;
    // A snapshot holds at most `depth` levels a side; should one hold more, the listener gets
    // the book already cut to Bybit's depth.
    truncateToDepth(eventNs, false);
    listener_.onBookSnapshot(book_, eventNs, receiveNs);
}

void BybitAdapter::applyDelta(TimeNs eventNs, TimeNs receiveNs, std::string_view text) {
    const std::uint64_t u = frame_.updateId;
    for (const Change& c : converted_) {
        // A delete of a level we do not hold (it was beyond our depth) changes nothing.
        if (c.qty == 0 && book_.sizeAt(c.side, c.price) == 0) continue;
        const BookError error = book_.apply(c.side, c.price, c.qty, u, eventNs);
        if (error != BookError::None) {
            ++counters_.parseErrors;
            noteProblem("parse error", describe(error), text);
            resync("bad order book delta");
            return;
        }
        listener_.onBookLevel(c.side, c.price, c.qty, eventNs);
    }
    lastUpdateId_ = u;
    truncateToDepth(eventNs, true);
    ++counters_.appliedEvents;
    listener_.onBookUpdateEnd(book_, eventNs, receiveNs);
}

void BybitAdapter::truncateToDepth(TimeNs eventNs, bool notify) {
    const auto depth = static_cast<std::size_t>(depth_);
    for (const Side side : {Side::Bid, Side::Ask}) {
        const BookSide& bookSide = book_.side(side);
        while (bookSide.depth() > depth) {
            const PriceTicks worst = bookSide.worst().price;
            (void)book_.apply(side, worst, 0, lastUpdateId_, eventNs);
            if (notify) listener_.onBookLevel(side, worst, 0, eventNs);
        }
    }
}

void BybitAdapter::handleTrades(std::string_view text, TimeNs receiveNs) {
    for (const bybit::RawTrade& raw : frame_.trades) {
        if (raw.error) {
            noteParseError("trade", raw.error, text);
            continue;
        }
        Side aggressor = Side::Bid;
        if (raw.takerSide == "Buy") {
            aggressor = Side::Bid;  // S is the taker's side: a buyer lifted the ask
        } else if (raw.takerSide == "Sell") {
            aggressor = Side::Ask;
        } else {
            ++counters_.parseErrors;
            noteProblem("parse error", "trade side is neither Buy nor Sell", text);
            continue;
        }
        // Spot ids are decimal; linear ones are UUIDs, which carry no order (sequence 0).
        emitTrade(raw.price, raw.qty, aggressor, msToNs(raw.timeMs), raw.id, receiveNs, text);
    }
}

void BybitAdapter::resync(std::string_view reason) {
    invalidateBook(reason);
    resubscribeWanted_ = true;
}

void BybitAdapter::maybeResubscribe(TimeNs receiveNs) {
    if (!resubscribeWanted_ || reconnectRequested_ || receiveNs < nextResubscribeNs_) return;
    // Bybit answers a subscribe with a snapshot; unsubscribing first makes the subscribe legal on
    // a connection that already holds the topic.
    outgoing_.push_back(subscriptionFrame("unsubscribe", {orderBookTopic_}));
    outgoing_.push_back(subscriptionFrame("subscribe", {orderBookTopic_}));
    resubscribeWanted_ = false;
    resubscribePending_ = true;
    nextResubscribeNs_ = receiveNs + kResubscribeSpacingNs;
}

void BybitAdapter::noteParseError(std::string_view what, const bybit::FieldError& error,
                                  std::string_view text) {
    ++counters_.parseErrors;
    noteProblem("parse error", std::string(what) + ": " + bybit::describe(error), text);
}

}  // namespace flowscope::venues
