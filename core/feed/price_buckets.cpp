#include "feed/price_buckets.h"

#include <cmath>
#include <limits>

namespace flowscope {

PriceTicks heatmapBucketTicks(PriceTicks priceTicks, int halfRangeRows, double fraction) {
    if (priceTicks <= 0 || halfRangeRows <= 0 || !(fraction > 0.0)) return 1;
    const double need = std::ceil(static_cast<double>(priceTicks) * fraction / halfRangeRows);
    for (PriceTicks decade = 1; decade <= std::numeric_limits<PriceTicks>::max() / 10;
         decade *= 10) {
        // 1, 2, 2.5, 5 times the decade (2.5 once it is a whole number of ticks).
        for (PriceTicks tenths : {10, 20, 25, 50}) {
            if (tenths == 25 && decade < 10) continue;
            const PriceTicks step = tenths * decade / 10;
            if (static_cast<double>(step) >= need) return step;
        }
    }
    return 1;
}

std::size_t bucketLevels(const BookSide& side, Side which, PriceTicks bucketTicks,
                         std::span<Level> out) {
    std::size_t filled = 0;
    for (std::size_t i = 0; i < side.depth() && filled <= out.size(); ++i) {
        const Level l = side.level(i);
        const PriceTicks low = bucketLow(l.price, bucketTicks);
        if (filled > 0 && out[filled - 1].price == low) {
            out[filled - 1].qty += l.qty;
            continue;
        }
        if (filled == out.size()) break;
        out[filled++] = {low, l.qty};
    }
    for (std::size_t m = filled; m < out.size(); ++m)
        out[m] = emptyLevel(which);
    return filled;
}

void bucketLevelOfi(std::span<const Level> bidsBefore, std::span<const Level> asksBefore,
                    std::span<const Level> bidsAfter, std::span<const Level> asksAfter,
                    std::span<Lots> out) {
    for (std::size_t m = 0; m < out.size(); ++m) {
        const Level b0 = bidsBefore[m], b1 = bidsAfter[m];
        const Level a0 = asksBefore[m], a1 = asksAfter[m];
        const Lots bid = (b1.price >= b0.price ? b1.qty : 0) - (b1.price <= b0.price ? b0.qty : 0);
        const Lots ask = (a1.price <= a0.price ? a1.qty : 0) - (a1.price >= a0.price ? a0.qty : 0);
        out[m] = bid - ask;
    }
}

}  // namespace flowscope
