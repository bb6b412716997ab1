#include "ladder_viewport.h"

#include <algorithm>

namespace flowscope {

bool LadderViewport::setGrouping(int ticks) {
    if (ticks < 1 || ticks == grouping_) return false;
    grouping_ = ticks;
    return true;
}

void LadderViewport::setRowCount(int rows) {
    rowCount_ = std::max(0, rows);
}

LadderWindow LadderViewport::window() const {
    LadderWindow w;
    w.grouping = grouping_;
    w.rowCount = rowCount_;
    // The centre row is rowCount / 2 from the top (for an even count, the upper of the two).
    w.topGroup = groupOf(centre_.value_or(0), grouping_) + rowCount_ / 2;
    return w;
}

PriceTicks LadderViewport::highPrice() const {
    return (window().topGroup + 1) * grouping_ - 1;
}

PriceTicks LadderViewport::lowPrice() const {
    const LadderWindow w = window();
    return (w.topGroup - std::max(0, w.rowCount - 1)) * grouping_;
}

bool LadderViewport::follow(std::optional<PriceTicks> anchor) {
    if (!anchor) return false;
    anchor_ = anchor;
    if (!centre_) {
        centre_ = anchor;
        return true;
    }
    if (!autoCentre_ || held_) return false;
    const PriceTicks row = window().topGroup - groupOf(*anchor, grouping_);
    const int third = rowCount_ / 3;
    if (row >= third && row < rowCount_ - third) return false;
    const bool moved = groupOf(*centre_, grouping_) != groupOf(*anchor, grouping_);
    centre_ = anchor;
    return moved;
}

bool LadderViewport::setHeld(bool held) {
    if (held == held_) return false;
    held_ = held;
    return !held_ && follow(anchor_);
}

void LadderViewport::recentre() {
    autoCentre_ = true;
    if (anchor_) centre_ = anchor_;
}

void LadderViewport::scrollRows(int rows) {
    autoCentre_ = false;
    if (!centre_ || rows == 0) return;
    centre_ = (groupOf(*centre_, grouping_) + rows) * grouping_;
}

void LadderViewport::centreOn(PriceTicks price) {
    autoCentre_ = false;
    centre_ = price;
}

}  // namespace flowscope
