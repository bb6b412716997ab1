#pragma once
/// Kraken spot, WebSocket v2 (wss://ws.kraken.com/v2): the "book" channel at a subscribed depth
/// and the "trade" channel, for one symbol ("BTC/USD").
///
/// Sync rules (docs.kraken.com, "Book checksum (WebSocket v2)"): the book arrives as a snapshot on
/// subscription, then updates; after every message the book is truncated to the subscribed depth
/// (Kraken sends no deletes for levels pushed out of range) and its CRC-32 over the top 10 levels
/// must equal the message's "checksum". The checksum is computed from the book's integers printed
/// with the instrument's tick and lot decimals, which must therefore be the pair's price and
/// quantity precision (AssetPairs pair_decimals and lot_decimals; BTC/USD: tick "0.1", lot
/// "0.00000001").
///
/// Resync: a checksum mismatch, a malformed book message or a bad value invalidates the book and
/// queues an unsubscribe + subscribe of the book channel (takeOutgoing), which makes Kraken send a
/// fresh snapshot on the same connection; trades keep flowing meanwhile. If no snapshot arrives
/// within kResyncTimeoutNs, or the venue rejects the resubscription, the adapter asks for a
/// reconnect instead.
///
/// Threading: one thread, like every adapter.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "venues/kraken_messages.h"
#include "venues/resubscribe_resync.h"
#include "venues/venue_adapter.h"

namespace flowscope::venues {

class KrakenAdapter final : public VenueAdapter {
  public:
    /// `depth` is rounded up to one of Kraken's book depths (10, 25, 100, 500, 1000).
    KrakenAdapter(std::string symbol, Instrument instrument, VenueListener& listener,
                  int depth = 100);

    static constexpr TimeNs kResyncTimeoutNs = 15'000'000'000;

    VenueId venue() const override { return VenueId::Kraken; }
    std::string wsPath() const override { return "/v2"; }
    std::vector<std::string> subscribeMessages() const override;
    void onConnected(TimeNs receiveNs) override;
    void onMessage(std::string_view frame, TimeNs receiveNs) override;

    /// The depth subscribed to and truncated to.
    int depth() const { return depth_; }
    /// Book messages (snapshots included) whose checksum matched.
    std::uint64_t checksumsVerified() const { return checksumsVerified_; }

  private:
    void handleBook(const KrakenBookData& data, bool snapshot, std::string_view frame,
                    TimeNs receiveNs);
    void applySnapshot(const KrakenBookData& data, TimeNs eventNs, std::string_view frame,
                       TimeNs receiveNs);
    void applyUpdate(const KrakenBookData& data, TimeNs eventNs, std::string_view frame,
                     TimeNs receiveNs);
    void handleTrade(const KrakenTradeData& data, std::string_view frame, TimeNs receiveNs);
    void handleMethodResponse(const KrakenMessage& message, std::string_view frame);
    /// Converts venue text to levels; false (with `problem` set) on a bad number.
    bool convertLevels(std::span<const TextLevel> text, std::vector<Level>& out,
                       std::string_view& problem);
    /// Drops the levels beyond depth_ on both sides, telling the listener when `notify`.
    void truncateToDepth(bool notify, TimeNs eventNs);
    /// True when the book's checksum equals `expected`; counts and resyncs otherwise.
    bool verifyChecksum(std::uint32_t expected, std::string_view frame, TimeNs receiveNs);
    void resync(std::string_view reason, TimeNs receiveNs);
    /// Queues the unsubscribe + subscribe of a requested resync once its backoff allows.
    void maybeResubscribe(TimeNs receiveNs);
    std::string bookRequest(std::string_view method) const;

    KrakenMessageParser parser_;
    int depth_;
    std::vector<Level> bids_;  ///< one message's converted levels, reused
    std::vector<Level> asks_;
    std::uint64_t sequence_ = 0;  ///< Kraken books carry no sequence: messages applied, counted
    std::uint64_t checksumsVerified_ = 0;
    ResubscribeResync resync_{kResyncTimeoutNs};
};

}  // namespace flowscope::venues
