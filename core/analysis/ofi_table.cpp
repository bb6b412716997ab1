#include "analysis/ofi_table.h"

#include <algorithm>
#include <stdexcept>

#include "book/floor_div.h"
#include "signals/level_ofi.h"

namespace flowscope {

OfiTableBuilder::OfiTableBuilder(int levels, TimeNs intervalNs)
    : levels_(levels), intervalNs_(intervalNs) {
    if (levels < 1) throw std::invalid_argument("OFI table: levels must be at least 1");
    if (intervalNs <= 0) throw std::invalid_argument("OFI table: the interval must be positive");
    prevBids_.assign(static_cast<std::size_t>(levels), emptyLevel(Side::Bid));
    prevAsks_.assign(static_cast<std::size_t>(levels), emptyLevel(Side::Ask));
    open_.ofi.assign(static_cast<std::size_t>(levels), 0);
}

OfiTableBuilder::Mid OfiTableBuilder::midOf(std::span<const Level> bids,
                                            std::span<const Level> asks) {
    if (bids.empty() || asks.empty() || isEmptyLevel(bids[0]) || isEmptyLevel(asks[0])) return {};
    return {bids[0].price + asks[0].price, true};
}

void OfiTableBuilder::setInitial(std::span<const Level> bids, std::span<const Level> asks) {
    const auto n = static_cast<std::size_t>(levels_);
    std::copy_n(bids.begin(), n, prevBids_.begin());
    std::copy_n(asks.begin(), n, prevAsks_.begin());
    lastMid_ = previousWindowMid_ = midOf(bids, asks);
}

void OfiTableBuilder::rebase(std::span<const Level> bids, std::span<const Level> asks) {
    const auto n = static_cast<std::size_t>(levels_);
    std::copy_n(bids.begin(), n, prevBids_.begin());
    std::copy_n(asks.begin(), n, prevAsks_.begin());
    // The mid moved for real while we were blind: it stays in the window's mid change.
    lastMid_ = midOf(bids, asks);
}

void OfiTableBuilder::closeWindow() {
    if (openIndex_ == INT64_MIN) return;
    open_.startNs = openIndex_ * intervalNs_;
    open_.endNs = open_.startNs + intervalNs_;
    open_.midDefined = lastMid_.defined && previousWindowMid_.defined;
    open_.midChangeTwice = open_.midDefined ? lastMid_.twice - previousWindowMid_.twice : 0;
    windows_.push_back(open_);
    std::fill(open_.ofi.begin(), open_.ofi.end(), 0);
    open_.events = 0;
    previousWindowMid_ = lastMid_;
}

void OfiTableBuilder::addEvent(TimeNs timeNs, std::span<const Level> bids,
                               std::span<const Level> asks) {
    const std::int64_t index = floorDiv(timeNs, intervalNs_);
    if (index != openIndex_) {
        closeWindow();
        openIndex_ = index;
    }
    if (overflow_) [[unlikely]]
        return;
    const auto n = static_cast<std::size_t>(levels_);
    // Checked adds: e_n of sizes near 2^63, or millions of large e_n in one window, would wrap.
    // Each check is one flag test on an add the loop does anyway.
    for (std::size_t m = 0; m < n; ++m) {
        Lots e = 0;
        const bool eWraps = __builtin_add_overflow(bidOfiTerm(prevBids_[m], bids[m]),
                                                   askOfiTerm(prevAsks_[m], asks[m]), &e);
        const bool sumWraps = __builtin_add_overflow(open_.ofi[m], e, &open_.ofi[m]);
        if (eWraps || sumWraps) [[unlikely]] {
            overflow_ = OfiOverflow{timeNs, static_cast<int>(m) + 1};
            return;
        }
    }
    ++open_.events;
    std::copy_n(bids.begin(), n, prevBids_.begin());
    std::copy_n(asks.begin(), n, prevAsks_.begin());
    lastMid_ = midOf(bids, asks);
}

void OfiTableBuilder::finish() {
    closeWindow();
    openIndex_ = INT64_MIN;
}

}  // namespace flowscope
