#pragma once
/// A venue adapter turns one venue's raw market-data messages into the exact L2 book and
/// normalized trades, and owns that venue's synchronisation rules (snapshot + diffs, sequence
/// numbers, checksums). It does no I/O: the transport feeds it frames and REST bodies, and asks it
/// what to send, what to fetch and when to reconnect.
///
/// The book is never silently wrong: every malformed or inconsistent input is counted, its first
/// sample kept for the log, and either skipped (when it cannot have touched the book: an unknown
/// channel, a heartbeat) or answered with a resync (the book is declared invalid to the listener
/// and rebuilt from a fresh snapshot).
///
/// Threading: one adapter belongs to one thread (the feed thread, or a replay loop).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "book/instrument.h"
#include "book/order_book.h"
#include "signals/trade.h"
#include "venues/venue_id.h"

namespace flowscope::venues {

/// Where an adapter's normalized output goes, synchronously, as each message is handled.
class VenueListener {
  public:
    virtual ~VenueListener() = default;
    /// The book was replaced by a snapshot (first sync or a resync); `book` is the new state.
    virtual void onBookSnapshot(const OrderBook& book, TimeNs eventNs, TimeNs receiveNs) = 0;
    /// One price level now holds `qty` (0: removed). The adapter's book already holds the change.
    virtual void onBookLevel(Side side, PriceTicks price, Lots qty, TimeNs eventNs) = 0;
    /// Every level of one venue update message is applied (and its checksum, if any, verified).
    virtual void onBookUpdateEnd(const OrderBook& book, TimeNs eventNs, TimeNs receiveNs) = 0;
    virtual void onTrade(const Trade& trade, TimeNs receiveNs) = 0;
    /// The book can no longer be trusted (gap, checksum mismatch, bad value, reconnect). Nothing
    /// more is applied until the next onBookSnapshot.
    virtual void onBookInvalid(std::string_view reason) = 0;
};

/// A listener that ignores everything: for tools that only read the adapter's book and counters.
class NullVenueListener final : public VenueListener {
  public:
    void onBookSnapshot(const OrderBook&, TimeNs, TimeNs) override {}
    void onBookLevel(Side, PriceTicks, Lots, TimeNs) override {}
    void onBookUpdateEnd(const OrderBook&, TimeNs, TimeNs) override {}
    void onTrade(const Trade&, TimeNs) override {}
    void onBookInvalid(std::string_view) override {}
};

/// Every counter a replay prints and the status bar shows.
struct AdapterCounters {
    std::uint64_t messages = 0;           ///< frames and REST bodies handed to the adapter
    std::uint64_t appliedEvents = 0;      ///< book update messages applied (snapshots excluded)
    std::uint64_t snapshots = 0;          ///< snapshots applied
    std::uint64_t droppedBeforeSync = 0;  ///< updates already in the snapshot, or before one
    std::uint64_t gaps = 0;               ///< sequence breaks detected
    std::uint64_t resyncs = 0;            ///< times the book was invalidated after a first sync
    std::uint64_t checksumFailures = 0;
    std::uint64_t parseErrors = 0;  ///< malformed JSON, missing fields, wrong types, bad numbers
    std::uint64_t unknownMessages = 0;  ///< well-formed messages of a kind the adapter ignores
    std::uint64_t trades = 0;
};

/// One WebSocket a market needs. The first of VenueAdapter::streams() carries the book: its
/// connection opening and ending is the adapter's onConnected/onDisconnected. The others carry
/// data that never touches the book (Binance USD-M trades on /market since 2026-03-06): their
/// frames go to the same onMessage, and losing one is shown and reconnected without a resync.
struct StreamSpec {
    std::string name;  ///< for the log and the feed state: "depth", "trades"
    std::string path;  ///< path and query appended to the WebSocket base URL
    std::vector<std::string> subscribeMessages;  ///< text frames to send once it is open
    /// No frame for this long makes this socket stale; 0: VenueAdapter::staleAfterNs().
    TimeNs staleAfterNs = 0;
};

/// The adapter's view of the book's trustworthiness.
enum class SyncState : std::uint8_t {
    WaitingSnapshot,  ///< connected (or about to be): buffering until a snapshot arrives
    Live,             ///< the book is exact
};

/// The disconnect reason of a clean stop: the user ended the session (VenueConnection::stop()
/// gives it live and records it as the last record, so a replay ends the same way).
inline constexpr std::string_view kCleanStopReason = "stopped";

class VenueAdapter {
  public:
    virtual ~VenueAdapter() = default;

    virtual VenueId venue() const = 0;
    const std::string& symbol() const { return symbol_; }
    const Instrument& instrument() const { return instrument_; }

    /// Path and query appended to the WebSocket base URL, e.g.
    /// "/stream?streams=btcusdt@depth@100ms".
    virtual std::string wsPath() const = 0;
    /// Text frames to send once the socket is open (subscriptions), in order.
    virtual std::vector<std::string> subscribeMessages() const = 0;
    /// Every socket of the market, the book's first. Default: one, wsPath() with
    /// subscribeMessages().
    virtual std::vector<StreamSpec> streams() const {
        return {StreamSpec{"market", wsPath(), subscribeMessages(), 0}};
    }
    /// The venue closes every connection after this long (Binance: 24 h); 0: no such limit. A
    /// socket that is not the book's reconnects on its own shortly before.
    virtual TimeNs connectionLifetimeNs() const { return 0; }
    /// Path and query appended to the REST base URL for a depth snapshot, or empty when the venue
    /// sends its snapshots on the socket.
    virtual std::string snapshotPath() const { return {}; }

    /// An application-level keep-alive frame to send every heartbeatIntervalNs() (OKX "ping",
    /// Bybit {"op":"ping"}), or empty when WebSocket pings suffice.
    virtual std::string heartbeatMessage() const { return {}; }
    virtual TimeNs heartbeatIntervalNs() const { return 20'000'000'000; }
    /// No frame for this long means the feed is stale: the transport reconnects.
    virtual TimeNs staleAfterNs() const { return 10'000'000'000; }

    /// A new connection opened (the previous one, if any, is gone): the book is invalid until the
    /// next snapshot.
    virtual void onConnected(TimeNs receiveNs) = 0;
    /// The connection ended (closed, failed, or dropped as stale): the book stops being live until
    /// the next connection's snapshot, and the listener hears so once. A clean stop
    /// (kCleanStopReason, what VenueConnection::stop() gives and records) ends the session
    /// instead: the book is final, not broken, so it is no resync and stays as it was.
    virtual void onDisconnected(std::string_view reason) {
        if (reason == kCleanStopReason) return;
        if (syncState_ == SyncState::Live) {
            ++counters_.resyncs;
            listener_.onBookInvalid(reason);
        }
        syncState_ = SyncState::WaitingSnapshot;
    }
    /// One text frame exactly as received.
    virtual void onMessage(std::string_view frame, TimeNs receiveNs) = 0;
    /// A REST depth snapshot body (only for venues with a snapshotPath()).
    virtual void onSnapshotResponse(std::string_view body, TimeNs receiveNs) {
        (void)body;
        (void)receiveNs;
    }

    /// True once when the adapter needs a REST snapshot fetched now (first sync, or a resync on a
    /// REST venue). The transport fetches snapshotPath() and calls onSnapshotResponse.
    bool takeSnapshotRequest() { return std::exchange(snapshotRequested_, false); }
    /// True once when the adapter needs the connection dropped and reopened (a resync on a venue
    /// that only snapshots on subscribe).
    bool takeReconnectRequest() { return std::exchange(reconnectRequested_, false); }
    /// Why the reconnect was asked, for the state shown ("server shutdown"), or empty when it is
    /// the resync of a venue that only snapshots on subscribe. Cleared by taking it.
    std::string takeReconnectReason() { return std::exchange(reconnectReason_, {}); }
    /// Frames the adapter wants sent now (e.g. an application-level pong or a resubscribe).
    std::vector<std::string> takeOutgoing() { return std::exchange(outgoing_, {}); }

    SyncState syncState() const { return syncState_; }
    const OrderBook& book() const { return book_; }
    const AdapterCounters& counters() const { return counters_; }
    /// Largest number of decimals seen in price and size text: formats numbers back as the venue
    /// printed them (Binance "64000.01000000" has 8).
    int priceDecimalsSeen() const { return priceDecimalsSeen_; }
    int sizeDecimalsSeen() const { return sizeDecimalsSeen_; }
    /// First sample of each kind of problem, for the log ("parse error: missing field 'u' in
    /// {...}"); each kind is reported once per adapter.
    const std::vector<std::string>& problemSamples() const { return problemSamples_; }

  protected:
    VenueAdapter(std::string symbol, Instrument instrument, VenueListener& listener)
        : symbol_(std::move(symbol)), instrument_(std::move(instrument)), listener_(listener) {}

    std::string symbol_;
    Instrument instrument_;
    VenueListener& listener_;
    OrderBook book_;
    AdapterCounters counters_;
    SyncState syncState_ = SyncState::WaitingSnapshot;
    bool snapshotRequested_ = false;
    bool reconnectRequested_ = false;
    std::string reconnectReason_;  ///< see takeReconnectReason()
    std::vector<std::string> outgoing_;
    int priceDecimalsSeen_ = 0;
    int sizeDecimalsSeen_ = 0;
    std::vector<std::string> problemSamples_;

    /// Exact venue text to ticks/lots through the instrument, recording the decimals seen.
    /// nullopt: malformed, negative (sizes), or not a whole number of ticks/lots.
    std::optional<PriceTicks> parsePriceText(std::string_view text) {
        PriceTicks ticks = 0;
        return parsePriceText(text, ticks) ? std::optional(ticks) : std::nullopt;
    }
    std::optional<Lots> parseSizeText(std::string_view text) {
        Lots lots = 0;
        return parseSizeText(text, lots) ? std::optional(lots) : std::nullopt;
    }
    /// The same for per-level loops: false on failure (no std::optional there, see Instrument).
    bool parsePriceText(std::string_view text, PriceTicks& ticks) {
        int decimals = 0;
        if (!instrument_.parsePrice(text, ticks, decimals)) return false;
        if (decimals > priceDecimalsSeen_) priceDecimalsSeen_ = decimals;
        return true;
    }
    bool parseSizeText(std::string_view text, Lots& lots) {
        int decimals = 0;
        if (!instrument_.parseSize(text, lots, decimals)) return false;
        if (decimals > sizeDecimalsSeen_) sizeDecimalsSeen_ = decimals;
        return true;
    }
    /// Emits one trade given as venue text: exact price and size, a positive price and size and
    /// a known time, or the trade is counted as a parse error (with `frame` as the sample) and
    /// skipped. `tradeId` is the venue's id text; a decimal id becomes Trade::sequence, others 0.
    void emitTrade(std::string_view price, std::string_view size, Side aggressor,
                   std::optional<TimeNs> timeNs, std::string_view tradeId, TimeNs receiveNs,
                   std::string_view frame);
    /// Records the first sample of a kind of problem ("parse error", "gap", ...): `detail` says
    /// what is wrong, `frame` is the message (cut to 300 characters). Later ones are only counted.
    void noteProblem(std::string_view kind, std::string_view detail, std::string_view frame);
    /// The book can no longer be trusted: a live book counts a resync and the listener hears
    /// `reason` once; the book is emptied and waits for the next snapshot.
    void invalidateBook(std::string_view reason);
    /// Asks the transport to drop the book's connection and open a new one now, saying why
    /// (the venue announced it will close this one: Binance's serverShutdown).
    void requestReconnect(std::string_view reason) {
        reconnectRequested_ = true;
        reconnectReason_ = reason;
    }

  private:
    std::vector<std::string> problemKinds_;
};

/// Where the adapter connects and which certificate authority it trusts.
struct VenueEndpoints {
    std::string wsUrl;    ///< scheme://host[:port]; empty: the venue's production host
    std::string restUrl;  ///< same for REST
    std::string caFile;   ///< PEM; empty: the system store
};

}  // namespace flowscope::venues
