#include "trading/bracket_driver.h"

namespace flowscope::trading {

BracketDriver::BracketDriver(BracketManager& brackets,
                             std::function<bool(const ClientOrderId&)> isWorking,
                             std::function<Touch()> touch)
    : brackets_(brackets), isWorking_(std::move(isWorking)), touch_(std::move(touch)) {}

std::optional<std::string> BracketDriver::service() {
    if (servicing_)
        return std::nullopt;  // the brackets' own orders come back here: the loop has them
    servicing_ = true;
    // Each round may send orders whose fills are noted again; a bracket sends a bounded number
    // of orders, so this ends, and the bound is a guard, not a limit in practice.
    constexpr int kMaxRounds = 16;
    for (int round = 0; round < kMaxRounds; ++round) {
        fillScratch_.swap(pendingFills_);
        pendingFills_.clear();
        if (!fillScratch_.empty()) brackets_.onFills(fillScratch_);
        fillScratch_.clear();
        if (printLow_) brackets_.onTrade(*printLow_);
        if (printHigh_ && printHigh_ != printLow_) brackets_.onTrade(*printHigh_);
        printLow_.reset();
        printHigh_.reset();
        if (touchChanged_) {
            touchChanged_ = false;
            const auto [bid, ask] = touch_();
            brackets_.onTouch(bid, ask);
        }
        for (const ClientOrderId& id : brackets_.trackedOrderIds())
            if (!isWorking_(id)) brackets_.onOrderClosed(id);
        if (pendingFills_.empty() && !printLow_ && !touchChanged_) break;
    }
    servicing_ = false;
    if (brackets_.lastProblem() == lastProblem_) return std::nullopt;
    lastProblem_ = brackets_.lastProblem();
    return lastProblem_;
}

}  // namespace flowscope::trading
