#include "binance_feed.h"

#include <cctype>

namespace flowscope::exchange {

BinanceFeed::BinanceFeed(const std::string& symbol, WireFormat format, bool usdm)
    : symbol_(symbol), format_(format), usdm_(usdm) {
    std::string lower;
    for (char c : symbol)
        lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    depthStream_ = lower + "@depth@100ms";
    tradeStream_ = lower + (usdm ? "@aggTrade" : "@trade");
}

void BinanceFeed::noteChange(const BookChange& change) {
    if (firstPendingId_ == 0) firstPendingId_ = change.updateId;
    lastPendingId_ = change.updateId;
    (change.side == Side::Bid ? pendingBids_ : pendingAsks_)[change.price] = change.qty;
}

void BinanceFeed::appendLevels(std::string& out, const std::map<PriceTicks, Lots>& levels,
                               bool descending) const {
    out += '[';
    bool first = true;
    auto append = [&](PriceTicks price, Lots qty) {
        if (!first) out += ',';
        first = false;
        out += "[\"";
        format_.appendBinancePrice(out, price);
        out += "\",\"";
        format_.appendBinanceSize(out, qty);
        out += "\"]";
    };
    if (descending)
        for (auto it = levels.rbegin(); it != levels.rend(); ++it)
            append(it->first, it->second);
    else
        for (const auto& [price, qty] : levels)
            append(price, qty);
    out += ']';
}

bool BinanceFeed::takeDepthEvent(std::int64_t eventTimeMs, std::string& out) {
    if (firstPendingId_ == 0) return false;
    out.clear();
    out += R"({"e":"depthUpdate","E":)";
    out += std::to_string(eventTimeMs);
    if (usdm_) {
        out += R"(,"T":)";
        out += std::to_string(eventTimeMs);
    }
    out += R"(,"s":")";
    out += symbol_;
    out += R"(","U":)";
    out += std::to_string(firstPendingId_);
    out += R"(,"u":)";
    out += std::to_string(lastPendingId_);
    if (usdm_) {
        // Every change takes one id and events cover consecutive ranges, so the previous event
        // (sent or lost to `fault skip`) ended just before this one.
        out += R"(,"pu":)";
        out += std::to_string(firstPendingId_ - 1);
    }
    out += R"(,"b":)";
    appendLevels(out, pendingBids_, true);
    out += R"(,"a":)";
    appendLevels(out, pendingAsks_, false);
    if (usdm_) {
        out += R"(,"ps":")";
        out += symbol_;
        out += R"(","st":0)";
    }
    out += '}';
    pendingBids_.clear();
    pendingAsks_.clear();
    firstPendingId_ = lastPendingId_ = 0;
    return true;
}

void BinanceFeed::tradeEvent(const Trade& trade, std::string& out) const {
    const std::string timeMs = std::to_string(trade.timeNs / 1'000'000);
    out.clear();
    if (usdm_) {
        out += R"({"e":"aggTrade","E":)";
        out += timeMs;
        out += R"(,"s":")";
        out += symbol_;
        out += R"(","a":)";
        out += std::to_string(trade.sequence);
        out += R"(,"p":")";
        format_.appendBinancePrice(out, trade.price);
        out += R"(","q":")";
        format_.appendBinanceSize(out, trade.qty);
        out += R"(","nq":")";
        format_.appendBinanceSize(out, trade.qty);
        out += R"(","f":)";
        out += std::to_string(trade.sequence);
        out += R"(,"l":)";
        out += std::to_string(trade.sequence);
        out += R"(,"T":)";
        out += timeMs;
        out += trade.aggressor == Side::Ask ? R"(,"m":true})" : R"(,"m":false})";
        return;
    }
    out += R"({"e":"trade","E":)";
    out += timeMs;
    out += R"(,"s":")";
    out += symbol_;
    out += R"(","t":)";
    out += std::to_string(trade.sequence);
    out += R"(,"p":")";
    format_.appendBinancePrice(out, trade.price);
    out += R"(","q":")";
    format_.appendBinanceSize(out, trade.qty);
    out += R"(","T":)";
    out += timeMs;
    // m: the buyer was the maker, i.e. the seller crossed the spread.
    out += trade.aggressor == Side::Ask ? R"(,"m":true)" : R"(,"m":false)";
    out += R"(,"M":true})";
}

void BinanceFeed::envelope(std::string_view stream, std::string_view data, std::string& out) {
    out.clear();
    out += R"({"stream":")";
    out += stream;
    out += R"(","data":)";
    out += data;
    out += '}';
}

void BinanceFeed::snapshotJson(const BookView& view, std::string& out) const {
    out.clear();
    out += R"({"lastUpdateId":)";
    out += std::to_string(view.lastUpdateId);
    if (usdm_) {
        const std::string nowMs = std::to_string(wallNowNs() / 1'000'000);
        out += R"(,"E":)" + nowMs + R"(,"T":)" + nowMs;
    }
    for (Side side : {Side::Bid, Side::Ask}) {
        out += side == Side::Bid ? R"(,"bids":[)" : R"(,"asks":[)";
        bool first = true;
        for (const Level& level : side == Side::Bid ? view.bids : view.asks) {
            if (!first) out += ',';
            first = false;
            out += "[\"";
            format_.appendBinancePrice(out, level.price);
            out += "\",\"";
            format_.appendBinanceSize(out, level.qty);
            out += "\"]";
        }
        out += ']';
    }
    out += '}';
}

}  // namespace flowscope::exchange
