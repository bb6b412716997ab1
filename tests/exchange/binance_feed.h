#pragma once
// Binance spot's market-data wire format, built from the exchange's book:
// - `<symbol>@depth@100ms` diff events: every 100 ms, the absolute size of every level that changed
//   since the previous event (0 = removed), U = first and u = last update id they cover;
// - `<symbol>@trade` events, one per print;
// - the REST /api/v3/depth snapshot {"lastUpdateId":..,"bids":[["p","q"],..],"asks":..}.
// Formats follow Binance's "Diff. Depth Stream", "Trade Streams" and "Order book" documentation.
// USD-M futures (`usdm`): depth events carry "T" and "pu" (the previous event's u), trades are
// `<symbol>@aggTrade`, the REST snapshot carries "E" and "T"; and the fields Binance added in 2026
// are sent too: "ps" and "st" after the levels of a depth event, "nq" after "q" of an aggTrade
// (their values here are placeholders: see README, "Binance USD-M").

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "market.h"
#include "wire_format.h"

namespace flowscope::exchange {

class BinanceFeed {
  public:
    /// `symbol` in upper case ("BTCUSDT"); stream names use it in lower case.
    BinanceFeed(const std::string& symbol, WireFormat format, bool usdm = false);

    bool usdm() const { return usdm_; }

    const std::string& symbol() const { return symbol_; }
    const std::string& depthStream() const { return depthStream_; }
    const std::string& tradeStream() const { return tradeStream_; }

    void noteChange(const BookChange& change);
    /// The depthUpdate object of everything changed since the last call; false when nothing did.
    bool takeDepthEvent(std::int64_t eventTimeMs, std::string& out);
    void tradeEvent(const Trade& trade, std::string& out) const;
    /// {"stream":"<stream>","data":<data>}: the combined-stream envelope (/stream?streams=).
    static void envelope(std::string_view stream, std::string_view data, std::string& out);
    /// The REST snapshot body; also the control channel's `book N` answer.
    void snapshotJson(const BookView& view, std::string& out) const;

  private:
    void appendLevels(std::string& out, const std::map<PriceTicks, Lots>& levels,
                      bool descending) const;

    std::string symbol_;
    std::string depthStream_;
    std::string tradeStream_;
    WireFormat format_;
    bool usdm_ = false;
    std::map<PriceTicks, Lots>
        pendingBids_;  ///< latest size per changed price since the last event
    std::map<PriceTicks, Lots> pendingAsks_;
    std::uint64_t firstPendingId_ = 0;
    std::uint64_t lastPendingId_ = 0;
};

}  // namespace flowscope::exchange
