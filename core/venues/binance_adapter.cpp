#include "venues/binance_adapter.h"

#include <limits>

#include "io/text_excerpt.h"

namespace flowscope::venues {

namespace {

constexpr std::int64_t kNsPerMs = 1'000'000;

/// Binance times are ms since the epoch; false when the value cannot be a time
/// in ns.
bool msToNs(std::uint64_t ms, TimeNs& ns) {
    if (ms > static_cast<std::uint64_t>(std::numeric_limits<TimeNs>::max() / kNsPerMs)) {
        return false;
    }
    ns = static_cast<TimeNs>(ms) * kNsPerMs;
    return true;
}

std::string lowerCase(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

std::string upperCase(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
    return out;
}

std::string gapText(const BinanceDepthIds& ids, std::uint64_t bookId) {
    std::string text =
        "depth event U=" + std::to_string(ids.first) + " u=" + std::to_string(ids.last);
    if (ids.previous >= 0) text += " pu=" + std::to_string(ids.previous);
    return text + " does not continue update id " + std::to_string(bookId);
}

}  // namespace

BinanceAdapter::BinanceAdapter(BinanceMarket market, std::string symbol, Instrument instrument,
                               VenueListener& listener)
    : VenueAdapter(std::move(symbol), std::move(instrument), listener),
      market_(market),
      streamSymbol_(lowerCase(symbol_)),
      restSymbol_(upperCase(symbol_)),
      parser_(market) {
    levels_.reserve(1024);
}

VenueId BinanceAdapter::venue() const {
    return market_ == BinanceMarket::Spot ? VenueId::BinanceSpot : VenueId::BinanceUsdm;
}

std::string BinanceAdapter::wsPath() const {
    if (market_ == BinanceMarket::UsdM)
        return "/public/stream?streams=" + streamSymbol_ + "@depth@100ms";
    return "/stream?streams=" + streamSymbol_ + "@depth@100ms/" + streamSymbol_ + "@trade";
}

std::vector<StreamSpec> BinanceAdapter::streams() const {
    if (market_ == BinanceMarket::Spot) return VenueAdapter::streams();
    // Binance's USD-M routing since 2026-03-06 (the root URLs were retired on 2026-04-23 and stay
    // silent): depth and bookTicker on /public, aggTrade, markPrice, forceOrder... on /market. A
    // stream asked on the wrong one is silent too. Trades may pause for a minute on a quiet
    // contract; a minute without one reconnects that socket only, which costs the book nothing.
    constexpr TimeNs kTradeSilenceNs = 60'000'000'000;
    return {StreamSpec{"depth", wsPath(), {}, 0},
            StreamSpec{"trades",
                       "/market/stream?streams=" + streamSymbol_ + "@aggTrade",
                       {},
                       kTradeSilenceNs}};
}

std::string BinanceAdapter::snapshotPath() const {
    // Spot: limit 1000 (weight 50), not 5000 (weight 250). The transport may ask
    // once a second in a resync loop or after a REST error; 60 x 50 stays under
    // the 6000/min IP weight limit where 60 x 250 would get the IP banned. 1000
    // levels (+-10 USD on BTCUSDT at 0.01) cover the ladder and heatmap. USD-M:
    // 1000 is the largest limit offered.
    if (market_ == BinanceMarket::Spot)
        return "/api/v3/depth?symbol=" + restSymbol_ + "&limit=1000";
    return "/fapi/v1/depth?symbol=" + restSymbol_ + "&limit=1000";
}

TimeNs BinanceAdapter::staleAfterNs() const {
    // Binance pushes a depth event only when the book changed, so a quiet symbol
    // can be silent for seconds; 30 s without any frame means the connection, not
    // the market, is dead.
    return 30'000'000'000;
}

void BinanceAdapter::onConnected(TimeNs receiveNs) {
    (void)receiveNs;
    invalidateBook("reconnected");
    buffer_.clear();
    frontStartsAttempt_ = true;
    // The snapshot is requested by the first buffered event (see the header).
    snapshotRequested_ = false;
}

void BinanceAdapter::onMessage(std::string_view frame, TimeNs receiveNs) {
    ++counters_.messages;
    const BinanceMessage& message = parser_.parseStream(frame);
    switch (message.kind) {
        case BinanceMessageKind::Depth:
        case BinanceMessageKind::Trade:
            if (message.symbol != restSymbol_) {
                ++counters_.unknownMessages;
                noteProblem("other symbol", "event for another symbol ignored", frame);
            } else if (message.kind == BinanceMessageKind::Depth) {
                onDepth(message, frame, receiveNs);
            } else {
                onTradeEvent(message, frame, receiveNs);
            }
            break;
        case BinanceMessageKind::Ignored:
            ++counters_.unknownMessages;
            break;
        case BinanceMessageKind::ServerShutdown:
            // Binance documents it for spot streams (2026-05-08): the server is about to close
            // this connection, so open a new one now rather than lose the feed when it does. The
            // new connection resyncs from a fresh snapshot as every reconnect does. USD-M does
            // not document it, and it could arrive on the trade socket while the transport only
            // reconnects the book's: noted, and the server's close is handled as any close.
            if (market_ == BinanceMarket::Spot) {
                requestReconnect(kServerShutdownReason);
            } else {
                ++counters_.unknownMessages;
                noteProblem("server shutdown", "serverShutdown on USD-M: left to the close", frame);
            }
            break;
        case BinanceMessageKind::VenueError:
            ++counters_.unknownMessages;
            noteProblem("venue error", message.problem, frame);
            break;
        case BinanceMessageKind::Malformed:
            noteParseError(message.problemField, message.problem, frame);
            // A truncated or garbled depth event still names its stream or type.
            if (frame.find("depth") != std::string_view::npos) {
                depthLost("unparseable depth event");
            }
            break;
    }
}

void BinanceAdapter::onDepth(const BinanceMessage& message, std::string_view frame,
                             TimeNs receiveNs) {
    const BinanceDepthText& depth = message.depth;
    TimeNs eventNs = 0;
    const bool usdm = market_ == BinanceMarket::UsdM;
    if (!msToNs(usdm ? depth.transactionMs : depth.eventMs, eventNs)) {
        noteParseError(usdm ? "T" : "E", "time out of range", frame);
        depthLost("unparseable depth event");
        return;
    }
    if (!convertLevels(depth, frame)) {
        depthLost("bad level in depth event");
        return;
    }
    if (syncState_ != SyncState::Live) {
        bufferEvent(depth.ids, eventNs, receiveNs, frame);
        if (snapshotHeld_) trySync();
        return;
    }
    switch (nextDepthStep(market_, depth.ids, lastUpdateId_)) {
        case DepthStep::AlreadyInBook:
            ++counters_.droppedBeforeSync;
            noteProblem("duplicate", "depth event already in the book skipped", frame);
            return;
        case DepthStep::Gap: {
            ++counters_.gaps;
            const std::string reason = gapText(depth.ids, lastUpdateId_);
            noteProblem("gap", reason, frame);
            invalidateBook(reason);
            buffer_.clear();
            frontStartsAttempt_ = true;
            bufferEvent(depth.ids, eventNs, receiveNs,
                        frame);  // it starts the next attempt
            return;
        }
        case DepthStep::Apply:
            if (!applyEvent(depth.ids, eventNs, receiveNs, levels_)) {
                invalidateBook("depth event rejected by the book");
            }
            return;
    }
}

const char* BinanceAdapter::convertLevel(const BinanceLevelText& text, Level& level) {
    // Both are converted (and their decimals recorded) before either is judged.
    const bool priceOk = parsePriceText(text.price, level.price);
    const bool qtyOk = parseSizeText(text.qty, level.qty);
    if (!priceOk || level.price <= 0) return "bad price";
    if (!qtyOk) return "bad quantity";
    return nullptr;
}

bool BinanceAdapter::convertLevels(const BinanceDepthText& depth, std::string_view frame) {
    levels_.clear();
    for (const Side side : {Side::Bid, Side::Ask}) {
        for (const BinanceLevelText& text : side == Side::Bid ? depth.bids : depth.asks) {
            Level level;
            if (const char* problem = convertLevel(text, level)) {
                noteParseError(side == Side::Bid ? "b" : "a", problem, frame);
                return false;
            }
            levels_.push_back({side, level.price, level.qty});
        }
    }
    return true;
}

void BinanceAdapter::depthLost(std::string_view reason) {
    // While syncing, a lost event shows up as a break in the buffered ids and is
    // handled there.
    if (syncState_ != SyncState::Live) return;
    ++counters_.gaps;
    invalidateBook(reason);
    buffer_.clear();
    frontStartsAttempt_ = true;
}

void BinanceAdapter::bufferEvent(const BinanceDepthIds& ids, TimeNs eventNs, TimeNs receiveNs,
                                 std::string_view frame) {
    if (buffer_.empty() && !snapshotHeld_) snapshotRequested_ = true;
    if (buffer_.push(ids, eventNs, receiveNs, levels_)) return;
    // No usable snapshot came in time: start over rather than grow without bound.
    counters_.droppedBeforeSync += buffer_.size();
    noteProblem("sync buffer overflow", "no usable snapshot; sync restarted", frame);
    invalidateBook("sync buffer overflow");
    buffer_.clear();
    frontStartsAttempt_ = true;
    snapshotRequested_ = true;
    if (!buffer_.push(ids, eventNs, receiveNs, levels_)) ++counters_.droppedBeforeSync;
}

void BinanceAdapter::trySync() {
    std::size_t dropped = 0;
    for (; dropped < buffer_.size(); ++dropped) {
        const BinanceDepthIds ids = buffer_.event(dropped).ids;  // a copy: dropFront moves events
        if (dropped == 0 && frontStartsAttempt_ && snapshotPrecedesStream(ids.first, snapshotId_)) {
            // The stream starts after the snapshot: nothing lost, fetch a newer one.
            book_.clear();
            snapshotHeld_ = false;
            snapshotRequested_ = true;
            return;
        }
        const DepthStep step = firstDepthStep(market_, ids, snapshotId_);
        if (step == DepthStep::AlreadyInBook) continue;
        counters_.droppedBeforeSync += dropped;
        buffer_.dropFront(dropped);
        if (dropped > 0) frontStartsAttempt_ = false;
        if (step == DepthStep::Apply) {
            goLive();
            return;
        }
        // Events between the snapshot and the front are missing from the buffer.
        ++counters_.gaps;
        noteProblem("gap", gapText(ids, snapshotId_), {});
        book_.clear();
        snapshotHeld_ = false;
        frontStartsAttempt_ = true;
        snapshotRequested_ = true;
        return;
    }
    // Everything buffered is in the snapshot: hold it for the next event.
    counters_.droppedBeforeSync += dropped;
    buffer_.clear();
    if (dropped > 0) frontStartsAttempt_ = false;
}

void BinanceAdapter::goLive() {
    snapshotHeld_ = false;
    syncState_ = SyncState::Live;
    lastUpdateId_ = snapshotId_;
    ++counters_.snapshots;
    listener_.onBookSnapshot(book_, snapshotEventNs_, snapshotReceiveNs_);
    for (std::size_t i = 0; i < buffer_.size(); ++i) {
        const BufferedDepthEvent& event = buffer_.event(i);
        const DepthStep step =
            i == 0 ? DepthStep::Apply : nextDepthStep(market_, event.ids, lastUpdateId_);
        if (step == DepthStep::AlreadyInBook) {
            ++counters_.droppedBeforeSync;
            continue;
        }
        if (step == DepthStep::Gap) {
            ++counters_.gaps;
            const std::string reason = gapText(event.ids, lastUpdateId_);
            noteProblem("gap", reason, {});
            invalidateBook(reason);
            buffer_.dropFront(i);  // the rest may sync with the next snapshot
            frontStartsAttempt_ = true;
            snapshotRequested_ = true;
            return;
        }
        if (!applyEvent(event.ids, event.eventNs, event.receiveNs, buffer_.levels(i))) {
            invalidateBook("depth event rejected by the book");
            buffer_.clear();
            frontStartsAttempt_ = true;
            return;
        }
    }
    buffer_.clear();
}

bool BinanceAdapter::applyEvent(const BinanceDepthIds& ids, TimeNs eventNs, TimeNs receiveNs,
                                std::span<const BinanceLevelChange> levels) {
    for (const BinanceLevelChange& level : levels) {
        // Cannot fail on converted levels (positive prices, sizes >= 0); checked
        // all the same, since a half-applied event must never pass for a good book.
        if (book_.apply(level.side, level.price, level.qty, ids.last, eventNs) != BookError::None) {
            noteProblem("book rejected level", "depth level rejected by the book", {});
            return false;
        }
        listener_.onBookLevel(level.side, level.price, level.qty, eventNs);
    }
    lastUpdateId_ = ids.last;
    ++counters_.appliedEvents;
    listener_.onBookUpdateEnd(book_, eventNs, receiveNs);
    return true;
}

void BinanceAdapter::invalidateBook(std::string_view reason) {
    if (syncState_ == SyncState::Live) {
        ++counters_.resyncs;
        listener_.onBookInvalid(reason);
    }
    syncState_ = SyncState::WaitingSnapshot;
    book_.clear();
    snapshotHeld_ = false;
    lastUpdateId_ = 0;
}

void BinanceAdapter::onTradeEvent(const BinanceMessage& message, std::string_view frame,
                                  TimeNs receiveNs) {
    const BinanceTradeText& text = message.trade;
    const std::optional<PriceTicks> price = parsePriceText(text.price);
    const std::optional<Lots> qty = parseSizeText(text.qty);
    Trade trade;
    const char* badField = nullptr;
    if (!price || *price <= 0) {
        badField = "p";
    } else if (!qty || *qty <= 0) {
        badField = "q";
    } else if (!msToNs(text.tradeMs, trade.timeNs)) {
        badField = "T";
    }
    if (badField != nullptr) {
        // A trade never touches the book: skipped, nothing to resync.
        noteParseError(badField, "bad trade value", frame);
        return;
    }
    trade.price = *price;
    trade.qty = *qty;
    // m: the buyer was the maker, so the seller crossed the spread.
    trade.aggressor = text.buyerIsMaker ? Side::Ask : Side::Bid;
    trade.sequence = text.id;
    ++counters_.trades;
    listener_.onTrade(trade, receiveNs);
}

void BinanceAdapter::onSnapshotResponse(std::string_view body, TimeNs receiveNs) {
    ++counters_.messages;
    const BinanceSnapshotText& snapshot = parser_.parseSnapshot(body);
    if (snapshot.kind == BinanceMessageKind::VenueError) {
        ++counters_.unknownMessages;
        noteProblem("snapshot error", snapshot.problem, body);
        if (syncState_ != SyncState::Live) snapshotRequested_ = true;
        return;
    }
    if (snapshot.kind != BinanceMessageKind::Depth) {
        noteParseError(snapshot.problemField, snapshot.problem, body);
        if (syncState_ != SyncState::Live) snapshotRequested_ = true;
        return;
    }
    if (syncState_ == SyncState::Live) {
        ++counters_.unknownMessages;
        noteProblem("unexpected snapshot", "snapshot while the book is live ignored", {});
        return;
    }
    if (!convertSnapshot(snapshot, body)) {
        snapshotRequested_ = true;
        return;
    }
    TimeNs eventNs = receiveNs;  // spot snapshots carry no time
    if (snapshot.timeMs != 0 && !msToNs(snapshot.timeMs, eventNs)) eventNs = receiveNs;
    const BookError error =
        book_.applySnapshot(snapshotBids_, snapshotAsks_, snapshot.lastUpdateId, eventNs);
    if (error != BookError::None) {
        noteParseError({}, describe(error), body);
        book_.clear();
        snapshotRequested_ = true;
        return;
    }
    snapshotHeld_ = true;
    snapshotId_ = snapshot.lastUpdateId;
    snapshotEventNs_ = eventNs;
    snapshotReceiveNs_ = receiveNs;
    trySync();
}

bool BinanceAdapter::convertSnapshot(const BinanceSnapshotText& snapshot, std::string_view body) {
    snapshotBids_.clear();
    snapshotAsks_.clear();
    for (const Side side : {Side::Bid, Side::Ask}) {
        std::vector<Level>& out = side == Side::Bid ? snapshotBids_ : snapshotAsks_;
        for (const BinanceLevelText& text : side == Side::Bid ? snapshot.bids : snapshot.asks) {
            Level level;
            if (const char* problem = convertLevel(text, level)) {
                noteParseError(side == Side::Bid ? "bids" : "asks", problem, body);
                return false;
            }
            out.push_back(level);
        }
    }
    return true;
}

void BinanceAdapter::noteParseError(std::string_view field, std::string_view problem,
                                    std::string_view frame) {
    ++counters_.parseErrors;
    std::string detail(problem);
    if (!field.empty()) detail += " " + quoteExcerpt(field);
    noteProblem("parse error", detail, frame);
}

}  // namespace flowscope::venues
