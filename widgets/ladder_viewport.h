#pragma once
// Which prices the ladder shows: grouping, row count and the centre, with the auto-centre rule.
// Plain value logic (no Qt) so the centring behaviour is testable on its own.

#include <optional>

#include "ladder_model.h"

namespace flowscope {

class LadderViewport {
  public:
    int grouping() const { return grouping_; }
    /// Keeps the centre price; returns false if nothing changed (or ticks < 1).
    bool setGrouping(int ticks);
    int rowCount() const { return rowCount_; }
    void setRowCount(int rows);

    bool autoCentre() const { return autoCentre_; }
    void setAutoCentre(bool on) { autoCentre_ = on; }

    /// Called with every new anchor (usually the mid). With auto-centre on, re-centres only when
    /// the anchor's row leaves the middle third, so rows do not jump on every tick. The first
    /// anchor always centres. Returns true if the view moved.
    bool follow(std::optional<PriceTicks> anchor);
    /// While held (the pointer is over the ladder or a drag is under way) follow() records the
    /// anchor but never moves the view: the row under the cursor keeps its price. Releasing
    /// applies the auto-centre rule to the last anchor at once; returns true if the view moved.
    bool setHeld(bool held);
    bool held() const { return held_; }
    /// Turns auto-centre on and centres on the last anchor now.
    void recentre();
    /// Moves the view by whole rows (positive: toward higher prices) and turns auto-centre off.
    void scrollRows(int rows);
    /// Puts `price` in the centre row and turns auto-centre off (axis sync, "go to price").
    void centreOn(PriceTicks price);

    bool hasCentre() const { return centre_.has_value(); }
    LadderWindow window() const;
    /// Lowest price of the bottom row and highest price of the top row (inclusive).
    PriceTicks lowPrice() const;
    PriceTicks highPrice() const;

  private:
    int grouping_ = 1;
    int rowCount_ = 0;
    bool autoCentre_ = true;
    bool held_ = false;
    std::optional<PriceTicks> centre_;  ///< a price inside the centre row
    std::optional<PriceTicks> anchor_;  ///< last anchor seen, for recentre()
};

}  // namespace flowscope
