#pragma once
/// Binance spot and USD-M futures market data: the exact L2 book from the diff-depth stream and a
/// REST snapshot, synchronised by Binance's documented procedure (binance_sequence.h), and trades.
///
/// Streams: `<symbol>@depth@100ms` and `<symbol>@trade` (spot) or `<symbol>@aggTrade` (USD-M,
/// whose documented public trade stream is the aggregate one), named in the URL of a combined
/// stream, so nothing is sent after connecting. Spot: one socket for both. USD-M: two, as Binance
/// routes them since 2026-03-06 (depth on /public, aggTrade on /market; see streams()); both feed
/// onMessage, which tells them apart by content. Bare events (a /ws/<stream> connection) are
/// accepted too, and so are members Binance adds (USD-M's "ps", "st", "nq" in 2026).
///
/// serverShutdown (spot streams, since 2026-05-08): the server is about to close the connection;
/// the adapter asks for a reconnect at once (takeReconnectRequest(), reason "server shutdown").
///
/// Sync: depth events are buffered from the connection on; the first buffered event asks for a
/// snapshot (the procedure compares the snapshot with that event's U, so a snapshot fetched
/// before any event would only risk a second fetch). The snapshot is held until a buffered event
/// continues it, then published with the buffered events that follow. A gap, an unparseable depth
/// event or a reconnect invalidates the book and starts over.
///
/// Times: depth events carry E (spot) or T (USD-M: the matching engine's time of the last update
/// in the batch, on the same clock as trade times, while E is only when the batch was pushed);
/// trades carry T (trade time). Milliseconds become nanoseconds.
///
/// Threading: one adapter belongs to one thread (the feed thread or a replay loop). Steady state
/// (Live) does not allocate.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "venues/binance_depth_buffer.h"
#include "venues/binance_messages.h"
#include "venues/binance_sequence.h"
#include "venues/venue_adapter.h"

namespace flowscope::venues {

/// The reconnect reason of Binance's serverShutdown event (takeReconnectReason()).
inline constexpr std::string_view kServerShutdownReason = "server shutdown";

class BinanceAdapter final : public VenueAdapter {
  public:
    /// `symbol` as Binance spells it ("BTCUSDT"); stream names use it in lower case.
    BinanceAdapter(BinanceMarket market, std::string symbol, Instrument instrument,
                   VenueListener& listener);

    BinanceMarket market() const { return market_; }
    /// Update id the book is at: the snapshot's lastUpdateId or the last applied event's u
    /// (0 while not Live). bookTicker's `u` is on the same scale.
    std::uint64_t lastUpdateId() const { return lastUpdateId_; }

    VenueId venue() const override;
    /// Spot: the one combined stream. USD-M: the depth stream on /public (its first socket).
    std::string wsPath() const override;
    /// USD-M since 2026-03-06: depth on /public, aggTrade on /market (two sockets).
    std::vector<StreamSpec> streams() const override;
    TimeNs connectionLifetimeNs() const override { return 24LL * 3600 * 1'000'000'000; }
    std::vector<std::string> subscribeMessages() const override { return {}; }
    std::string snapshotPath() const override;
    TimeNs staleAfterNs() const override;

    void onConnected(TimeNs receiveNs) override;
    void onMessage(std::string_view frame, TimeNs receiveNs) override;
    void onSnapshotResponse(std::string_view body, TimeNs receiveNs) override;

  private:
    void onDepth(const BinanceMessage& message, std::string_view frame, TimeNs receiveNs);
    void onTradeEvent(const BinanceMessage& message, std::string_view frame, TimeNs receiveNs);
    /// Exact ticks and lots of one level, recording the decimals seen (as parsePriceText does,
    /// without its std::optional round trips: this runs for every level); nullptr, or what is
    /// wrong ("bad price", "bad quantity").
    const char* convertLevel(const BinanceLevelText& text, Level& level);
    /// Converts the event's levels into levels_; false (counted and noted) on a bad value.
    bool convertLevels(const BinanceDepthText& depth, std::string_view frame);
    bool convertSnapshot(const BinanceSnapshotText& snapshot, std::string_view body);
    /// A depth event the book may be missing (unparseable): a gap when Live.
    void depthLost(std::string_view reason);
    void bufferEvent(const BinanceDepthIds& ids, TimeNs eventNs, TimeNs receiveNs,
                     std::string_view frame);
    /// With a held snapshot: drops what it already contains and goes Live when the next
    /// buffered event continues it.
    void trySync();
    void goLive();
    bool applyEvent(const BinanceDepthIds& ids, TimeNs eventNs, TimeNs receiveNs,
                    std::span<const BinanceLevelChange> levels);
    /// The book can no longer be trusted: tells the listener if it was live, forgets it and any
    /// held snapshot. The buffer is left to the caller.
    void invalidateBook(std::string_view reason);
    /// Counts a parse error and keeps its first sample ("wrong type for field 'U'").
    void noteParseError(std::string_view field, std::string_view problem, std::string_view frame);

    BinanceMarket market_;
    std::string streamSymbol_;  ///< "btcusdt"
    std::string restSymbol_;    ///< "BTCUSDT", also the "s" of every event
    BinanceMessageParser parser_;
    BinanceDepthBuffer buffer_;
    std::vector<BinanceLevelChange> levels_;  ///< the current event's levels, reused
    std::vector<Level> snapshotBids_;
    std::vector<Level> snapshotAsks_;
    std::uint64_t lastUpdateId_ = 0;
    /// book_ holds a snapshot not yet published: it waits for an event that continues it.
    bool snapshotHeld_ = false;
    std::uint64_t snapshotId_ = 0;
    TimeNs snapshotEventNs_ = 0;
    TimeNs snapshotReceiveNs_ = 0;
    /// The buffer's front is the first event of this sync attempt (nothing dropped before it),
    /// the one a snapshot is compared with to tell "too old, fetch again" from a gap.
    bool frontStartsAttempt_ = true;
};

}  // namespace flowscope::venues
