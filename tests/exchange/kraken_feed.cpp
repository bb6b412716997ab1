#include "kraken_feed.h"

#include <zlib.h>

#include <algorithm>
#include <ctime>

namespace flowscope::exchange {

std::string rfc3339(TimeNs wallNs) {
    const std::time_t seconds = static_cast<std::time_t>(wallNs / 1'000'000'000);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[40];
    const std::size_t n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
    char micros[16];
    std::snprintf(micros, sizeof micros, ".%06lldZ",
                  static_cast<long long>((wallNs / 1000) % 1'000'000));
    return std::string(text, n) + micros;
}

KrakenFeed::KrakenFeed(std::string symbol, WireFormat format)
    : symbol_(std::move(symbol)), format_(format) {}

bool KrakenFeed::validDepth(std::int64_t depth) {
    return depth == 10 || depth == 25 || depth == 100 || depth == 500 || depth == 1000;
}

void KrakenFeed::noteTrade(const Trade& trade) {
    pendingTrades_.push_back(trade);
    recentTrades_.push_back(trade);
    while (recentTrades_.size() > kTradeSnapshotSize)
        recentTrades_.pop_front();
}

void KrakenFeed::appendLevel(std::string& out, PriceTicks price, Lots qty) const {
    out += R"({"price":)";
    format_.appendKrakenPrice(out, price);
    out += R"(,"qty":)";
    format_.appendKrakenSize(out, qty);
    out += '}';
}

void KrakenFeed::appendTrade(std::string& out, const Trade& trade) const {
    out += R"({"symbol":")";
    out += symbol_;
    out +=
        trade.aggressor == Side::Bid ? R"(","side":"buy","price":)" : R"(","side":"sell","price":)";
    format_.appendKrakenPrice(out, trade.price);
    out += R"(,"qty":)";
    format_.appendKrakenSize(out, trade.qty);
    out += R"(,"ord_type":"market","trade_id":)";
    out += std::to_string(trade.sequence);
    out += R"(,"timestamp":")";
    out += rfc3339(trade.timeNs);
    out += "\"}";
}

std::string KrakenFeed::takeTradeUpdate() {
    std::string out;
    if (pendingTrades_.empty()) return out;
    out += R"({"channel":"trade","type":"update","data":[)";
    for (std::size_t i = 0; i < pendingTrades_.size(); ++i) {
        if (i) out += ',';
        appendTrade(out, pendingTrades_[i]);
    }
    out += "]}";
    pendingTrades_.clear();
    return out;
}

std::string KrakenFeed::tradeSnapshot() const {
    std::string out = R"({"channel":"trade","type":"snapshot","data":[)";
    for (std::size_t i = 0; i < recentTrades_.size(); ++i) {
        if (i) out += ',';
        appendTrade(out, recentTrades_[i]);
    }
    out += "]}";
    return out;
}

std::uint32_t KrakenFeed::checksum(const OrderBook& book) const {
    std::string text;
    for (Side side : {Side::Ask, Side::Bid}) {
        const BookSide& levels = book.side(side);
        const std::size_t n = std::min<std::size_t>(kChecksumLevels, levels.depth());
        for (std::size_t i = 0; i < n; ++i) {
            format_.appendChecksumPrice(text, levels.level(i).price);
            format_.appendChecksumSize(text, levels.level(i).qty);
        }
    }
    const auto* bytes = reinterpret_cast<const Bytef*>(text.data());
    return static_cast<std::uint32_t>(crc32(0L, bytes, static_cast<uInt>(text.size())));
}

void KrakenFeed::fillWindow(const OrderBook& book, int depth, Window& window) const {
    for (Side side : {Side::Bid, Side::Ask}) {
        auto& target = side == Side::Bid ? window.bids : window.asks;
        target.clear();
        const BookSide& levels = book.side(side);
        const std::size_t n = std::min(static_cast<std::size_t>(depth), levels.depth());
        for (std::size_t i = 0; i < n; ++i)
            target[levels.level(i).price] = levels.level(i).qty;
    }
}

bool KrakenFeed::appendSideUpdate(std::string& out, const BookSide& side, int depth,
                                  std::map<PriceTicks, Lots>& window) const {
    bool any = false;
    auto emit = [&](PriceTicks price, Lots qty) {
        if (any) out += ',';
        any = true;
        appendLevel(out, price, qty);
    };
    // Removed from the book: an explicit delete. Still in the book but pushed below the depth:
    // nothing (the client truncates).
    for (auto it = window.begin(); it != window.end();) {
        if (side.sizeAt(it->first) == 0) {
            emit(it->first, 0);
            it = window.erase(it);
        } else {
            ++it;
        }
    }
    const std::size_t n = std::min(static_cast<std::size_t>(depth), side.depth());
    std::map<PriceTicks, Lots> next;
    for (std::size_t i = 0; i < n; ++i) {
        const Level level = side.level(i);
        next[level.price] = level.qty;
        const auto old = window.find(level.price);
        if (old == window.end() || old->second != level.qty) emit(level.price, level.qty);
    }
    window.swap(next);
    return any;
}

void KrakenFeed::takeBookUpdates(const OrderBook& book, const std::vector<int>& depths,
                                 bool corruptChecksum, std::vector<std::string>& out) {
    out.assign(depths.size(), std::string());
    for (auto it = windows_.begin(); it != windows_.end();) {
        if (std::find(depths.begin(), depths.end(), it->first) == depths.end())
            it = windows_.erase(it);
        else
            ++it;
    }
    if (!bookDirty_) return;
    bookDirty_ = false;
    std::uint32_t sum = checksum(book);
    if (corruptChecksum) sum ^= 0x5a5a5a5au;
    const std::string timestamp = rfc3339(wallNowNs());
    for (std::size_t d = 0; d < depths.size(); ++d) {
        auto found = windows_.find(depths[d]);
        if (found == windows_.end()) continue;  // no subscriber has a snapshot of it yet
        std::string& msg = out[d];
        msg = R"({"channel":"book","type":"update","data":[{"symbol":")";
        msg += symbol_;
        msg += R"(","bids":[)";
        const bool bids = appendSideUpdate(msg, book.bids(), depths[d], found->second.bids);
        msg += R"(],"asks":[)";
        const bool asks = appendSideUpdate(msg, book.asks(), depths[d], found->second.asks);
        if (!bids && !asks) {
            msg.clear();
            continue;
        }
        msg += R"(],"checksum":)";
        msg += std::to_string(sum);
        msg += R"(,"timestamp":")";
        msg += timestamp;
        msg += "\"}]}";
    }
}

std::string KrakenFeed::bookSnapshot(const OrderBook& book, int depth) {
    Window& window = windows_[depth];
    fillWindow(book, depth, window);
    std::string out = R"({"channel":"book","type":"snapshot","data":[{"symbol":")";
    out += symbol_;
    out += R"(","bids":[)";
    bool first = true;
    for (auto it = window.bids.rbegin(); it != window.bids.rend(); ++it) {
        if (!first) out += ',';
        first = false;
        appendLevel(out, it->first, it->second);
    }
    out += R"(],"asks":[)";
    first = true;
    for (const auto& [price, qty] : window.asks) {
        if (!first) out += ',';
        first = false;
        appendLevel(out, price, qty);
    }
    out += R"(],"checksum":)";
    out += std::to_string(checksum(book));
    out += "}]}";
    return out;
}

}  // namespace flowscope::exchange
