#pragma once
// The ladder's rows as plain values: what each visible price row shows, computed from a
// snapshot without any painting so it can be tested (and compared, so that the widget repaints
// only when something visible changed).

#include <optional>
#include <span>
#include <vector>

#include "book/floor_div.h"
#include "feed/market_snapshot.h"
#include "own_order_level.h"
#include "trading/trading_state.h"

namespace flowscope {

/// One row of grouping G covers the prices [price, price + G).
struct LadderRow {
    PriceTicks price = 0;  ///< the row's base price, a multiple of G: its label and click price
    Lots bid = 0;          ///< resting bid size summed over the row's prices
    Lots ask = 0;
    Lots buyVolume = 0;  ///< session volume traded in the row, buyer-initiated
    Lots sellVolume = 0;
    Lots ownBid = 0;  ///< own working buy size in the row
    Lots ownAsk = 0;
    bool ownTakeProfit = false;  ///< a take-profit is among the row's own orders
    bool ownStopLoss = false;    ///< a stop-loss (usually held locally) is among them
    Lots pullStack = 0;  ///< net change of resting size over the window; + stacking, - pulling
    /// Queue imbalance of the depth pair this row belongs to, set on the heavier side's row only
    /// (see buildLadderFrame); 0 when the row is not the heavier side of its pair.
    float imbalance = 0.0f;
    bool bestBid = false;
    bool bestAsk = false;
    bool lastTrade = false;
    friend bool operator==(const LadderRow&, const LadderRow&) = default;
};

/// floor(price / grouping) for negative prices too (spreads and some futures go below zero).
constexpr PriceTicks groupOf(PriceTicks price, int grouping) {
    return floorDiv(price, grouping);
}

/// Which rows are visible: row 0 (top) is group topGroup, row i is group topGroup - i.
struct LadderWindow {
    int grouping = 1;         ///< ticks per row, >= 1
    PriceTicks topGroup = 0;  ///< price / grouping of the top row
    int rowCount = 0;

    /// Row of a group, or -1 when it is not visible.
    int rowOfGroup(PriceTicks group) const {
        const PriceTicks row = topGroup - group;
        return (row >= 0 && row < rowCount) ? static_cast<int>(row) : -1;
    }
    /// Row of a price, or -1 when it is not visible.
    int rowOfPrice(PriceTicks price) const { return rowOfGroup(groupOf(price, grouping)); }
    friend bool operator==(const LadderWindow&, const LadderWindow&) = default;
};

/// Everything the painter needs for one frame, in ticks and lots.
struct LadderFrame {
    LadderWindow window;
    std::vector<LadderRow> rows;
    bool hasBook = false;               ///< at least one side has a level
    std::optional<PriceTicks> bestBid;  ///< also when its row is scrolled out of view
    std::optional<PriceTicks> bestAsk;
    std::optional<double> microPrice;  ///< ticks
    std::optional<PriceTicks> lastTradePrice;
    Side lastTradeAggressor = Side::Bid;
    Lots maxSize = 0;       ///< largest visible bid or ask row size, scales the size bars
    Lots maxVolume = 0;     ///< largest visible buy + sell volume
    Lots maxPullStack = 0;  ///< largest visible |pullStack|

    friend bool operator==(const LadderFrame&, const LadderFrame&) = default;
};

/// Builds the visible rows. `pullStack` are per-price signed changes sorted by price (from
/// PullingStacking); `ownOrders` in any order.
LadderFrame buildLadderFrame(const MarketSnapshot& snapshot, const LadderWindow& window,
                             std::span<const Level> pullStack,
                             std::span<const OwnOrderLevel> ownOrders);

/// The price the ladder centres on: the mid, else the one side present, else the last trade.
std::optional<PriceTicks> ladderAnchorPrice(const MarketSnapshot& snapshot);

}  // namespace flowscope
