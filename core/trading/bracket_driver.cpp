#include "trading/bracket_driver.h"

namespace flowscope::trading {

BracketDriver::BracketDriver(BracketManager& brackets,
                             std::function<OrderProgress(const ClientOrderId&)> progress,
                             std::function<Touch()> touch)
    : brackets_(brackets), progress_(std::move(progress)), touch_(std::move(touch)) {}

void BracketDriver::handOverFills() {
    if (pendingFills_.empty()) return;
    fillScratch_.swap(pendingFills_);
    pendingFills_.clear();
    brackets_.onFills(fillScratch_);
    fillScratch_.clear();
}

std::optional<std::string> BracketDriver::service() {
    if (brackets_.bracketCount() == 0) {
        // Nothing to feed: what was noted belongs to no bracket. (An entry's own fills are noted
        // and handed over within the call that registers its bracket, so none is lost here.)
        pendingFills_.clear();
        printLow_.reset();
        printHigh_.reset();
        touchChanged_ = true;  // a new bracket reads the touch first
        return problemIfChanged();
    }
    if (servicing_)
        return std::nullopt;  // the brackets' own orders come back here: the loop has them
    servicing_ = true;
    // Each round may send orders whose fills are noted again; a bracket sends a bounded number
    // of orders, so this ends, and the bound is a guard, not a limit in practice.
    constexpr int kMaxRounds = 16;
    for (int round = 0; round < kMaxRounds; ++round) {
        handOverFills();
        if (printLow_) brackets_.onTrade(*printLow_);
        if (printHigh_ && printHigh_ != printLow_) brackets_.onTrade(*printHigh_);
        printLow_.reset();
        printHigh_.reset();
        if (touchChanged_) {
            touchChanged_ = false;
            const auto [bid, ask] = touch_();
            brackets_.onTouch(bid, ask);
        }
        // Fills noted during this round (a stop's market order fills inside the call that sent
        // it) are handed over before the orders are settled, so an order is seen closed with
        // its fills. The brackets also count a closed order's fills from the desk's record, so
        // this ordering is not what keeps exits within the entry; it keeps the rounds few.
        handOverFills();
        brackets_.settleClosed(progress_);
        if (pendingFills_.empty() && !printLow_ && !touchChanged_) break;
    }
    servicing_ = false;
    return problemIfChanged();
}

std::optional<std::string> BracketDriver::problemIfChanged() {
    if (brackets_.lastProblem() == lastProblem_) return std::nullopt;
    lastProblem_ = brackets_.lastProblem();
    return lastProblem_;
}

}  // namespace flowscope::trading
