#include "pulling_stacking.h"

#include <algorithm>

namespace flowscope {

void PullingStacking::setWindowNs(TimeNs windowNs) {
    windowNs_ = std::max<TimeNs>(windowNs, kSampleIntervalNs);
}

void PullingStacking::clear() {
    history_.clear();
    changes_.clear();
}

// Venue time, so a replay at 10x shows the change over N seconds of market time; sources that
// do not stamp events fall back to the publication clock.
TimeNs PullingStacking::timeOf(const MarketSnapshot& snapshot) {
    return snapshot.eventTimeNs != 0 ? snapshot.eventTimeNs : snapshot.publishedSteadyNs;
}

PullingStacking::Sample PullingStacking::sampleOf(const MarketSnapshot& snapshot, TimeNs timeNs) {
    Sample s;
    s.timeNs = timeNs;
    s.sizes.reserve(snapshot.bids.size() + snapshot.asks.size());
    for (auto it = snapshot.bids.rbegin(); it != snapshot.bids.rend(); ++it)
        if (!isEmptyLevel(*it)) s.sizes.push_back(*it);
    for (const Level& l : snapshot.asks)
        if (!isEmptyLevel(l)) s.sizes.push_back(l);
    // A crossed or locked snapshot (never from a valid feed) must not break the merge below.
    const auto byPrice = [](const Level& a, const Level& b) { return a.price < b.price; };
    if (!std::is_sorted(s.sizes.begin(), s.sizes.end(), byPrice)) {
        std::sort(s.sizes.begin(), s.sizes.end(), byPrice);
        std::vector<Level> merged;
        for (const Level& l : s.sizes) {
            if (!merged.empty() && merged.back().price == l.price)
                merged.back().qty += l.qty;
            else
                merged.push_back(l);
        }
        s.sizes.swap(merged);
    }
    if (!s.sizes.empty()) {
        s.low = s.sizes.front().price;
        s.high = s.sizes.back().price;
    }
    return s;
}

void PullingStacking::add(const MarketSnapshot& snapshot) {
    const TimeNs t = timeOf(snapshot);
    if (snapshot.instrument.symbol != symbol_ ||
        (!history_.empty() && t < history_.back().timeNs)) {
        clear();
        symbol_ = snapshot.instrument.symbol;
    }
    Sample now = sampleOf(snapshot, t);
    recompute(now);
    if (history_.empty() || t - history_.back().timeNs >= kSampleIntervalNs)
        history_.push_back(std::move(now));
    // Keep the newest sample at or before (t - window): it is the reference of the next frames.
    while (history_.size() >= 2 && history_[1].timeNs <= t - windowNs_)
        history_.pop_front();
}

void PullingStacking::recompute(const Sample& now) {
    changes_.clear();
    // The reference is the newest sample at least one window old: with ~1 s samples the change
    // spans between N and N+1 seconds.
    const Sample* then = nullptr;
    for (const Sample& s : history_) {
        if (s.timeNs > now.timeNs - windowNs_) break;
        then = &s;
    }
    if (then == nullptr) return;
    const PriceTicks low = std::max(now.low, then->low);
    const PriceTicks high = std::min(now.high, then->high);
    if (low > high) return;

    const auto byPrice = [](const Level& l, PriceTicks p) { return l.price < p; };
    auto a = std::lower_bound(now.sizes.begin(), now.sizes.end(), low, byPrice);
    auto b = std::lower_bound(then->sizes.begin(), then->sizes.end(), low, byPrice);
    const auto aEnd = now.sizes.end();
    const auto bEnd = then->sizes.end();
    // Merge walk over both ascending lists; a price missing from one side has size 0 there.
    while ((a != aEnd && a->price <= high) || (b != bEnd && b->price <= high)) {
        const bool takeA = a != aEnd && a->price <= high;
        const bool takeB = b != bEnd && b->price <= high;
        PriceTicks price;
        Lots delta;
        if (takeA && (!takeB || a->price < b->price)) {
            price = a->price;
            delta = a->qty;
            ++a;
        } else if (takeB && (!takeA || b->price < a->price)) {
            price = b->price;
            delta = -b->qty;
            ++b;
        } else {
            price = a->price;
            delta = a->qty - b->qty;
            ++a;
            ++b;
        }
        if (delta != 0) changes_.push_back({price, delta});
    }
}

}  // namespace flowscope
