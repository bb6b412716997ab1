#include "own_order_level.h"

#include <algorithm>
#include <tuple>

namespace flowscope {

std::vector<OwnOrderLevel> canonicalOwnOrders(std::vector<OwnOrderLevel> levels) {
    std::erase_if(levels, [](const OwnOrderLevel& o) { return o.qty <= 0; });
    const auto key = [](const OwnOrderLevel& o) {
        return std::tuple(o.price, o.side, o.role, o.heldLocally);
    };
    std::sort(levels.begin(), levels.end(), [](const OwnOrderLevel& a, const OwnOrderLevel& b) {
        if (a.price != b.price) return a.price > b.price;
        return std::tuple(a.side, a.role, a.heldLocally) <
               std::tuple(b.side, b.role, b.heldLocally);
    });
    // Equal keys are one level: two labels on one line would only hide each other.
    auto out = levels.begin();
    for (auto it = levels.begin(); it != levels.end(); ++it) {
        if (out != levels.begin() && key(*(out - 1)) == key(*it))
            (out - 1)->qty += it->qty;
        else
            *out++ = *it;
    }
    levels.erase(out, levels.end());
    return levels;
}

std::vector<OwnOrderLevel> ownOrdersOf(const std::vector<trading::WorkingOrder>& orders) {
    std::vector<OwnOrderLevel> levels;
    levels.reserve(orders.size());
    for (const trading::WorkingOrder& o : orders)
        levels.push_back({o.side, o.priceTicks, o.remaining, o.role, o.heldLocally});
    return canonicalOwnOrders(std::move(levels));
}

}  // namespace flowscope
