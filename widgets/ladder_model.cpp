#include "ladder_model.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "signals/book_measures.h"

namespace flowscope {
namespace {

struct GroupSize {
    PriceTicks group = 0;
    Lots qty = 0;
};

/// Sums one side (best first) per row group, skipping empty levels, so that element m is the
/// m-th non-empty row away from the spread.
std::vector<GroupSize> groupSide(const std::vector<Level>& levels, int grouping) {
    std::vector<GroupSize> out;
    for (const Level& l : levels) {
        if (isEmptyLevel(l) || l.qty <= 0) continue;
        const PriceTicks g = groupOf(l.price, grouping);
        if (!out.empty() && out.back().group == g)
            out.back().qty += l.qty;
        else
            out.push_back({g, l.qty});
    }
    return out;
}

/// The first level with size (feeds may pad a side with empty levels); an empty level if none.
Level bestLevel(const std::vector<Level>& side) {
    for (const Level& l : side)
        if (!isEmptyLevel(l) && l.qty > 0) return l;
    return Level{kNoBidPrice, 0};
}

}  // namespace

std::optional<PriceTicks> ladderAnchorPrice(const MarketSnapshot& snapshot) {
    const Level bid = bestLevel(snapshot.bids);
    const Level ask = bestLevel(snapshot.asks);
    if (!isEmptyLevel(bid) && !isEmptyLevel(ask)) {
        // Floor of the mid: with a one-tick spread the centre row is the best bid's.
        const PriceTicks sum = bid.price + ask.price;
        return sum >= 0 ? sum / 2 : -((-sum + 1) / 2);
    }
    if (!isEmptyLevel(bid)) return bid.price;
    if (!isEmptyLevel(ask)) return ask.price;
    if (snapshot.hasLastTrade) return snapshot.lastTrade.price;
    return std::nullopt;
}

LadderFrame buildLadderFrame(const MarketSnapshot& snapshot, const LadderWindow& window,
                             std::span<const Level> pullStack,
                             std::span<const OwnOrderLevel> ownOrders) {
    LadderFrame f;
    f.window = window;
    f.window.grouping = std::max(1, window.grouping);
    f.window.rowCount = std::max(0, window.rowCount);
    const int g = f.window.grouping;
    const LadderWindow& index = f.window;
    f.rows.resize(static_cast<std::size_t>(f.window.rowCount));
    for (int i = 0; i < f.window.rowCount; ++i)
        f.rows[static_cast<std::size_t>(i)].price = (f.window.topGroup - i) * g;
    const auto rowAt = [&](int row) -> LadderRow& { return f.rows[static_cast<std::size_t>(row)]; };

    const std::vector<GroupSize> bids = groupSide(snapshot.bids, g);
    const std::vector<GroupSize> asks = groupSide(snapshot.asks, g);
    f.hasBook = !bids.empty() || !asks.empty();
    for (const GroupSize& b : bids)
        if (const int r = index.rowOfGroup(b.group); r >= 0) rowAt(r).bid = b.qty;
    for (const GroupSize& a : asks)
        if (const int r = index.rowOfGroup(a.group); r >= 0) rowAt(r).ask = a.qty;
    f.bestBid = bestLevel(snapshot.bids).price;
    f.bestAsk = bestLevel(snapshot.asks).price;
    if (bids.empty()) f.bestBid.reset();
    if (asks.empty()) f.bestAsk.reset();
    if (!bids.empty())
        if (const int r = index.rowOfGroup(bids.front().group); r >= 0) rowAt(r).bestBid = true;
    if (!asks.empty())
        if (const int r = index.rowOfGroup(asks.front().group); r >= 0) rowAt(r).bestAsk = true;

    // Per-level queue imbalance: the m-th bid row against the m-th ask row (rows as displayed,
    // so at grouping G it compares what the trader reads), (b - a) / (b + a). Only the heavier
    // side's row carries it: a column of blue price cells under the spread reads as "bids
    // outweigh asks at these depths", red ones above it as the opposite, and the colour's
    // strength is the imbalance.
    const std::size_t pairs = std::min(bids.size(), asks.size());
    for (std::size_t m = 0; m < pairs; ++m) {
        const double imb = imbalanceRatio(bids[m].qty, asks[m].qty);
        if (!std::isfinite(imb) || imb == 0.0) continue;
        const int r = index.rowOfGroup(imb > 0 ? bids[m].group : asks[m].group);
        if (r >= 0) rowAt(r).imbalance = static_cast<float>(imb);
    }

    for (const PriceVolume& v : snapshot.volumeAtPrice) {
        if (const int r = index.rowOfPrice(v.price); r >= 0) {
            rowAt(r).buyVolume += v.buy;
            rowAt(r).sellVolume += v.sell;
        }
    }
    for (const Level& d : pullStack)
        if (const int r = index.rowOfPrice(d.price); r >= 0) rowAt(r).pullStack += d.qty;
    for (const OwnOrderLevel& o : ownOrders) {
        if (const int r = index.rowOfPrice(o.price); r >= 0) {
            LadderRow& row = rowAt(r);
            (o.side == Side::Bid ? row.ownBid : row.ownAsk) += o.qty;
            row.ownTakeProfit |= o.role == trading::OrderRole::TakeProfit;
            row.ownStopLoss |= o.role == trading::OrderRole::StopLoss;
        }
    }

    if (snapshot.hasLastTrade) {
        f.lastTradePrice = snapshot.lastTrade.price;
        f.lastTradeAggressor = snapshot.lastTrade.aggressor;
        if (const int r = index.rowOfPrice(snapshot.lastTrade.price); r >= 0)
            rowAt(r).lastTrade = true;
    }
    const double micro = microPrice(bestLevel(snapshot.bids), bestLevel(snapshot.asks));
    if (std::isfinite(micro)) f.microPrice = micro;

    for (const LadderRow& row : f.rows) {
        f.maxSize = std::max({f.maxSize, row.bid, row.ask});
        f.maxVolume = std::max(f.maxVolume, row.buyVolume + row.sellVolume);
        f.maxPullStack = std::max(f.maxPullStack, std::abs(row.pullStack));
    }
    return f;
}

}  // namespace flowscope
