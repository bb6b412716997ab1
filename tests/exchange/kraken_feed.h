#pragma once
// Kraken WebSocket v2's market-data messages, built from the exchange's book:
// - `book`: a snapshot of the subscribed depth, then updates carrying only levels inside that
//   depth, each with the CRC32 checksum of the top 10 levels (Kraken's "Book checksum
//   (WebSocket v2)" guide: asks ascending then bids descending, each price and qty printed with
//   the pair's precision, '.' removed, leading zeros stripped, concatenated). A level pushed out of
//   the depth window gets no message: the client truncates its book to the depth after each
//   update, as Kraken requires. A level that enters the window (a better one was removed) is sent.
// - `trade`: one update per batch of prints, and a snapshot of the last 50 on request.
// Prices and quantities are JSON numbers, as Kraken v2 sends them.

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "market.h"
#include "wire_format.h"

namespace flowscope::exchange {

class KrakenFeed {
  public:
    static constexpr int kChecksumLevels = 10;
    static constexpr std::size_t kTradeSnapshotSize = 50;

    KrakenFeed(std::string symbol, WireFormat format);

    const std::string& symbol() const { return symbol_; }
    static bool validDepth(std::int64_t depth);

    void noteChange() { bookDirty_ = true; }
    void noteTrade(const Trade& trade);

    /// The trade update of every print since the last call; empty when there were none.
    std::string takeTradeUpdate();
    /// One book update per depth in `depths` whose window changed since the last call (in the same
    /// order, empty string when nothing changed), and forgets windows of depths no longer used.
    /// `corruptChecksum` makes every checksum of this batch wrong (fault injection).
    void takeBookUpdates(const OrderBook& book, const std::vector<int>& depths,
                         bool corruptChecksum, std::vector<std::string>& out);
    /// The snapshot message for a new subscriber of `depth`. Call right after takeBookUpdates()
    /// so that the window the next updates are computed from is the book it shows.
    std::string bookSnapshot(const OrderBook& book, int depth);
    std::string tradeSnapshot() const;

    /// CRC32 of the top 10 levels, Kraken's v2 algorithm.
    std::uint32_t checksum(const OrderBook& book) const;

  private:
    struct Window {
        std::map<PriceTicks, Lots> bids;  ///< the top `depth` levels as the subscribers hold them
        std::map<PriceTicks, Lots> asks;
    };
    void fillWindow(const OrderBook& book, int depth, Window& window) const;
    void appendLevel(std::string& out, PriceTicks price, Lots qty) const;
    void appendTrade(std::string& out, const Trade& trade) const;
    bool appendSideUpdate(std::string& out, const BookSide& side, int depth,
                          std::map<PriceTicks, Lots>& window) const;

    std::string symbol_;
    WireFormat format_;
    bool bookDirty_ = false;
    std::map<int, Window> windows_;
    std::vector<Trade> pendingTrades_;
    std::deque<Trade> recentTrades_;
};

/// "2023-10-06T17:35:55.440295Z"
std::string rfc3339(TimeNs wallNs);

}  // namespace flowscope::exchange
