#pragma once
/// Bybit v5 public market data (spot or USDT linear perpetuals): the orderbook.{depth} book and
/// publicTrade, on wss://stream.bybit.com/v5/public/{spot,linear}.
///
/// Synchronisation, as Bybit documents it (v5 WebSocket "Orderbook"): the first push after a
/// subscribe is a snapshot; deltas follow, each carrying an update id `u` one above the previous
/// one; a snapshot at any time (also the `u` = 1 snapshot Bybit sends after a service restart)
/// replaces the book. A delta whose `u` skips is a lost message: the book is declared invalid and
/// the order book topic is unsubscribed and subscribed again on the same connection, which makes
/// Bybit send a fresh snapshot without disturbing the trade stream. If that resubscription is
/// refused, the adapter asks for a reconnect instead.
///
/// Depth: Bybit's book is its top `depth` levels a side. Its docs do not promise a delete for a
/// level pushed below that depth, so after every message the adapter drops (and reports to the
/// listener as deleted) whatever lies beyond `depth` on each side: the book is always exactly
/// Bybit's view, whether or not the venue sent those deletes.
///
/// Threading: one thread (see VenueAdapter).

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "venues/bybit_frame.h"
#include "venues/venue_adapter.h"

namespace flowscope::venues {

enum class BybitCategory : std::uint8_t { Spot, Linear };

class BybitAdapter final : public VenueAdapter {
  public:
    /// `symbol` in Bybit's spelling ("BTCUSDT"); `depth` one of Bybit's orderbook depths (1, 50,
    /// 200, 1000). Throws std::invalid_argument for a depth below 1.
    BybitAdapter(BybitCategory category, std::string symbol, Instrument instrument,
                 VenueListener& listener, int depth = 50);

    VenueId venue() const override {
        return category_ == BybitCategory::Linear ? VenueId::BybitLinear : VenueId::Bybit;
    }
    BybitCategory category() const { return category_; }
    int depth() const { return depth_; }

    /// "/v5/public/spot" or "/v5/public/linear".
    std::string wsPath() const override;
    /// {"op":"subscribe","args":["orderbook.50.BTCUSDT","publicTrade.BTCUSDT"]}
    std::vector<std::string> subscribeMessages() const override;
    /// {"op":"ping"}: Bybit drops public connections that send nothing for a while and
    /// recommends a ping every 20 s.
    std::string heartbeatMessage() const override;
    /// A quiet symbol may push nothing for a while; the pong to our 20 s ping always arrives, so
    /// silence longer than a ping interval plus slack means the connection is gone.
    TimeNs staleAfterNs() const override { return 30'000'000'000; }

    void onConnected(TimeNs receiveNs) override;
    void onMessage(std::string_view frame, TimeNs receiveNs) override;

    /// Update id `u` of the last applied snapshot or delta (0 before the first).
    std::uint64_t lastUpdateId() const { return lastUpdateId_; }

  private:
    void handleOrderBook(std::string_view text, TimeNs receiveNs);
    void handleTrades(std::string_view text, TimeNs receiveNs);
    void handleOpReply(std::string_view text);
    /// Converts frame_.levels into converted_; false (problem noted) on a bad price or size.
    bool convertLevels(std::string_view text);
    void applySnapshot(TimeNs eventNs, TimeNs receiveNs, std::string_view text);
    void applyDelta(TimeNs eventNs, TimeNs receiveNs, std::string_view text);
    /// Deletes levels beyond depth_ on both sides, telling the listener when `notify`.
    void truncateToDepth(TimeNs eventNs, bool notify);
    /// The book cannot be trusted: tell the listener (once) and ask for a fresh snapshot.
    void resync(std::string_view reason);
    /// Sends the unsubscribe + subscribe pair a resync asked for, at most once per
    /// kResubscribeSpacingNs: a snapshot that fails every time (a wrong tick size) must not make
    /// us hammer the venue. The next frame after the spacing (a pong at the latest) sends it.
    void maybeResubscribe(TimeNs receiveNs);
    void noteParseError(std::string_view what, const bybit::FieldError& error,
                        std::string_view text);

    BybitCategory category_;
    int depth_;
    std::string orderBookTopic_;
    std::string tradeTopic_;
    bybit::FrameParser parser_;
    bybit::Frame frame_;
    struct Change {
        Side side;
        PriceTicks price;
        Lots qty;
    };
    std::vector<Change> converted_;
    std::vector<Level> snapshotBids_;
    std::vector<Level> snapshotAsks_;
    std::uint64_t lastUpdateId_ = 0;
    bool resubscribeWanted_ = false;   ///< a resync needs a fresh snapshot, frames not sent yet
    bool resubscribePending_ = false;  ///< unsubscribe + subscribe sent, snapshot not yet seen
    /// Receive time from which another resubscribe may go.
    TimeNs nextResubscribeNs_ = std::numeric_limits<TimeNs>::min();
};

}  // namespace flowscope::venues
