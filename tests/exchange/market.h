#pragma once
// The exchange's one authoritative L2 book. Every feed (Binance diffs and REST, Kraken snapshots,
// updates and checksums, the control channel's `book N`) is produced from it, so every client sees
// the same market. Each level change gets the next update id (Binance's lastUpdateId / U / u).
//
// Threading: owned by the exchange's io thread, like everything in the exchange.

#include <cstdint>
#include <deque>
#include <vector>

#include "book/clock.h"  // wallNowNs(): event times on the wire
#include "book/instrument.h"
#include "book/order_book.h"
#include "signals/trade.h"

namespace flowscope::exchange {

/// One change of the book: the new absolute size at a price (0 removes the level).
struct BookChange {
    Side side = Side::Bid;
    PriceTicks price = 0;
    Lots qty = 0;
    std::uint64_t updateId = 0;
};

class MarketListener {
  public:
    virtual ~MarketListener() = default;
    virtual void onBookChange(const BookChange& change) = 0;
    /// `trade.sequence` is the trade id; `trade.timeNs` the wall time (ns since the epoch).
    virtual void onTrade(const Trade& trade) = 0;
};

/// Top levels of both sides, best first, and the update id they are as of.
struct BookView {
    std::vector<Level> bids;
    std::vector<Level> asks;
    std::uint64_t lastUpdateId = 0;
};

class Market {
  public:
    /// Binance-like ids are large; starting far from 0 also catches clients that assume small ones.
    static constexpr std::uint64_t kFirstUpdateId = 1'000'000;

    explicit Market(Instrument instrument);

    void setListener(MarketListener* listener) { listener_ = listener; }

    /// Replaces the book (the scenario's starting state); counts as one update id.
    void load(const std::vector<Level>& bids, const std::vector<Level>& asks);
    /// Sets the size at one price; a no-op when it does not change. Returns false (and leaves the
    /// book alone) on a negative size or a sentinel price.
    bool setLevel(Side side, PriceTicks price, Lots qty);
    /// Publishes one print with the next trade id, stamped with the wall clock.
    void trade(Side aggressor, PriceTicks price, Lots qty);

    const OrderBook& book() const { return book_; }
    const Instrument& instrument() const { return instrument_; }
    std::uint64_t lastUpdateId() const { return lastUpdateId_; }
    std::uint64_t tradeCount() const { return nextTradeId_ - 1; }

    BookView view(std::size_t depth) const;

    /// Keeps a copy of the book for `fault stale-snapshot`; called about once a second, the ring
    /// holds the last kHistory copies.
    void rememberBook();
    /// The oldest remembered book: a few seconds behind the live stream.
    const BookView& oldestRemembered() const { return history_.front(); }

  private:
    static constexpr std::size_t kHistory = 3;
    static constexpr std::size_t kHistoryDepth = 5000;

    Instrument instrument_;
    OrderBook book_;
    MarketListener* listener_ = nullptr;
    std::uint64_t lastUpdateId_ = kFirstUpdateId;
    std::uint64_t nextTradeId_ = 1;
    std::deque<BookView> history_;
};

}  // namespace flowscope::exchange
