#pragma once
/// OKX v5 public WebSocket (wss://ws.okx.com:8443/ws/v5/public): the "books" channel (400-level
/// snapshot, then incremental updates every 100 ms) and the "trades" channel, for one instrument
/// ("BTC-USDT", "BTC-USDT-SWAP").
///
/// Sync rules (OKX v5 docs, "Order book channel"):
/// - Sequence: each update's prevSeqId must equal the previous message's seqId, or the book
///   missed an update (a gap). Two documented exceptions are legal: a keep-alive after about 60 s
///   without changes has empty bids/asks and seqId == prevSeqId, and after maintenance the
///   sequence may restart (seqId < prevSeqId, prevSeqId still chaining). Messages without seqId
///   (recordings from 2022, before OKX added them) are not sequence-checked.
/// - Checksum: CRC-32 of the top 25 levels' original strings (okx_checksum.h), read as a signed
///   integer. Every level's text is kept (OkxTextBook). OKX announced in 2026 that the field is
///   deprecated and fixed to 0; a checksum of 0 (or none) is therefore counted as absent, not
///   verified (a true CRC of 0 has a 2^-32 chance, and skipping one check is harmless).
/// Resync (gap, mismatch, malformed book message, bad value): the book is invalidated and an
/// unsubscribe + subscribe of "books" is queued (takeOutgoing), which yields a fresh snapshot on
/// the same socket. If none arrives within kResyncTimeoutNs, or OKX rejects it, the adapter asks
/// for a reconnect. An OKX 64008 notice (service upgrade, disconnect imminent) also asks for one.
///
/// Keep-alive: OKX closes a socket after 30 s without traffic, so heartbeatMessage() is the text
/// "ping" every 20 s; the "pong" answers are ignored.
///
/// Threading: one thread, like every adapter.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "venues/okx_messages.h"
#include "venues/okx_text_book.h"
#include "venues/resubscribe_resync.h"
#include "venues/venue_adapter.h"

namespace flowscope::venues {

class OkxAdapter final : public VenueAdapter {
  public:
    /// `contractValuePow10` set: a swap (okx-swap) whose book and trade sizes are contracts of
    /// 10^pow10 base units each (BTC-USDT-SWAP: -2); the book, OFI and trades are then kept in
    /// base units, `instrument`'s lot being a base-unit step. Unset: spot, sizes as sent.
    OkxAdapter(std::string symbol, Instrument instrument, VenueListener& listener,
               std::optional<int> contractValuePow10 = std::nullopt);

    static constexpr TimeNs kResyncTimeoutNs = 15'000'000'000;

    VenueId venue() const override { return contractPow10_ ? VenueId::OkxSwap : VenueId::Okx; }
    std::string wsPath() const override { return "/ws/v5/public"; }
    std::vector<std::string> subscribeMessages() const override;
    std::string heartbeatMessage() const override { return "ping"; }
    TimeNs heartbeatIntervalNs() const override { return 20'000'000'000; }
    /// A quiet book sends nothing for up to 60 s; our pings get a pong every 20 s.
    TimeNs staleAfterNs() const override { return 30'000'000'000; }
    void onConnected(TimeNs receiveNs) override;
    void onMessage(std::string_view frame, TimeNs receiveNs) override;

    /// Book messages (snapshots included) whose checksum matched.
    std::uint64_t checksumsVerified() const { return checksumsVerified_; }
    /// Book messages applied without a checksum to verify (none, or OKX's deprecated 0).
    std::uint64_t checksumsAbsent() const { return checksumsAbsent_; }
    /// The exact strings of every level of book().
    const OkxTextBook& textBook() const { return textBook_; }

  private:
    /// A size as OKX sends it, in lots of base units (contracts scaled on a swap).
    std::optional<Lots> parseVenueSize(std::string_view text);

    std::optional<int> contractPow10_;
    std::string scaledSize_;  ///< parseVenueSize's, reused
    /// One level of a message, converted and validated before anything is applied.
    struct PendingLevel {
        Side side;
        Level level;
        TextLevel text;
    };

    void handleBook(const OkxBookData& data, bool snapshot, std::string_view frame,
                    TimeNs receiveNs);
    void applySnapshot(const OkxBookData& data, TimeNs eventNs, std::string_view frame,
                       TimeNs receiveNs);
    void applyUpdate(const OkxBookData& data, TimeNs eventNs, std::string_view frame,
                     TimeNs receiveNs);
    void handleTrade(const OkxTradeData& data, std::string_view frame, TimeNs receiveNs);
    void handleEvent(const OkxMessage& message, std::string_view frame);
    /// Converts both sides into pending_; false (with `problem` set) on a bad value.
    bool convertLevels(const OkxBookData& data, std::string_view& problem);
    /// True when the message's checksum is absent or matches; counts and resyncs otherwise.
    bool verifyChecksum(const OkxBookData& data, std::string_view frame, TimeNs receiveNs);
    void resync(std::string_view reason, TimeNs receiveNs);
    /// Queues the unsubscribe + subscribe of a requested resync once its backoff allows.
    void maybeResubscribe(TimeNs receiveNs);
    std::string booksRequest(std::string_view op) const;

    OkxMessageParser parser_;
    OkxTextBook textBook_;
    std::vector<PendingLevel> pending_;  ///< one message's levels, reused
    std::vector<Level> snapshotBids_;
    std::vector<Level> snapshotAsks_;
    std::optional<std::int64_t> lastSeqId_;
    std::uint64_t localSequence_ = 0;  ///< book sequence when messages carry no seqId
    std::uint64_t checksumsVerified_ = 0;
    std::uint64_t checksumsAbsent_ = 0;
    ResubscribeResync resync_{kResyncTimeoutNs};
};

}  // namespace flowscope::venues
