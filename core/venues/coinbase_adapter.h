#pragma once
/// Coinbase Advanced Trade public market data: level2 (the full book, snapshot then updates),
/// market_trades and heartbeats on wss://advanced-trade-ws.coinbase.com.
///
/// Synchronisation: every message on a connection carries sequence_num, one above the previous
/// message's whatever its channel, so any skip means something (perhaps a book update) was lost.
/// Heartbeats arrive every second and keep the numbers moving on a quiet product. Coinbase sends
/// a level2 snapshot only when level2 is subscribed, and a lost message cannot be fetched again,
/// so on a gap (or a book message we cannot use) the adapter declares the book invalid and asks
/// for a reconnect: the new connection's subscription brings a new snapshot and a fresh sequence.
/// Until that reconnect happens, further frames of the old connection are ignored.
///
/// Trades: market_trades "side" is read as the maker's side (see coinbase_adapter.cpp), so the
/// aggressor is the other side. The "snapshot" event sent on subscribe holds trades from before
/// the connection (after a reconnect, trades already shown): it is not passed on.
///
/// Authentication: the market-data channels used here need none today. A later key-based login
/// adds a JWT per subscribe message through coinbase::subscriptionFrame().
///
/// Threading: one thread (see VenueAdapter).

#include <cstdint>
#include <string>
#include <vector>

#include "venues/coinbase_frame.h"
#include "venues/venue_adapter.h"

namespace flowscope::venues {

/// The product whose market data Coinbase publishes for `productId`: a "-USDC" product's is
/// the matching "-USD" product's (Coinbase's WebSocket channels docs; USDT-USDC and EURC-USDC
/// excepted), any other product its own.
std::string coinbaseMarketDataProduct(std::string_view productId);

class CoinbaseAdapter final : public VenueAdapter {
  public:
    /// `symbol` is Coinbase's product id ("BTC-USD"). A "-USDC" product shows the "-USD" book
    /// Coinbase publishes for it, and says so once among the adapter's problem samples.
    CoinbaseAdapter(std::string symbol, Instrument instrument, VenueListener& listener);

    VenueId venue() const override { return VenueId::Coinbase; }
    std::string wsPath() const override { return "/"; }
    /// Three frames, one channel each (Coinbase's rule): heartbeats, level2, market_trades.
    std::vector<std::string> subscribeMessages() const override;

    void onConnected(TimeNs receiveNs) override;
    void onMessage(std::string_view frame, TimeNs receiveNs) override;

    /// sequence_num of the last message accepted on this connection.
    std::uint64_t lastSequence() const { return lastSequence_; }

  private:
    void handleBook(std::string_view text, TimeNs receiveNs);
    void handleTrades(std::string_view text, TimeNs receiveNs);
    /// Converts the levels of our product's events into converted_; false (problem noted) on a
    /// bad event type, side, price or size.
    bool convertLevels(std::string_view text);
    /// The book cannot be trusted: tell the listener (once) and ask for a new connection.
    void requestReconnect(std::string_view reason);
    void noteParseError(std::string_view what, const coinbase::FieldError& error,
                        std::string_view text);

    std::string product_;  ///< the product subscribed to and accepted in events
    coinbase::FrameParser parser_;
    coinbase::Frame frame_;
    struct Change {
        std::size_t event;  ///< index into frame_.bookEvents
        Side side;
        PriceTicks price;
        Lots qty;
    };
    std::vector<Change> converted_;
    std::vector<Level> snapshotBids_;
    std::vector<Level> snapshotAsks_;
    bool haveSequence_ = false;
    std::uint64_t lastSequence_ = 0;
    bool reconnectPending_ = false;  ///< asked for a reconnect; this connection is finished
};

}  // namespace flowscope::venues
