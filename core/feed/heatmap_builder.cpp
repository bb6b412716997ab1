#include "feed/heatmap_builder.h"

#include <algorithm>
#include <cmath>

#include "signals/book_measures.h"
#include "book/floor_div.h"

namespace flowscope {

HeatmapBuilder::HeatmapBuilder(HeatmapConfig config, Emit emit)
    : config_(config),
      emit_(std::move(emit)),
      bucketOfi_(static_cast<std::size_t>(config.levels), 0) {}

HeatmapColumn HeatmapBuilder::makeColumn(std::int64_t bucket, const OrderBook& book,
                                         bool bookValid) const {
    HeatmapColumn c;
    c.startNs = bucket * config_.bucketNs;
    c.endNs = c.startNs + config_.bucketNs;
    const Level bid = book.bestBid(), ask = book.bestAsk();
    c.gap = !bookValid || (isEmptyLevel(bid) && isEmptyLevel(ask));
    if (c.gap) return c;
    c.bestBid = bid;
    c.bestAsk = ask;
    c.microPrice = microPrice(bid, ask);
    // Centre on the mid, or on the only side there is.
    const PriceTicks centre = isEmptyLevel(bid)   ? ask.price
                              : isEmptyLevel(ask) ? bid.price
                                                  : bid.price + (ask.price - bid.price) / 2;
    const PriceTicks half = config_.halfRangeTicks;
    c.basePrice = centre - half;
    c.sizes.assign(static_cast<std::size_t>(2 * half + 1), 0.0f);
    const PriceTicks top = c.basePrice + 2 * half;
    // Walk each side from the touch outward and stop at the edge of the range: O(rows), not
    // O(book depth).
    for (std::size_t i = 0; i < book.bids().depth(); ++i) {
        const Level l = book.bids().level(i);
        if (l.price < c.basePrice) break;
        if (l.price <= top)
            c.sizes[static_cast<std::size_t>(l.price - c.basePrice)] = static_cast<float>(l.qty);
    }
    for (std::size_t i = 0; i < book.asks().depth(); ++i) {
        const Level l = book.asks().level(i);
        if (l.price > top) break;
        if (l.price >= c.basePrice)
            c.sizes[static_cast<std::size_t>(l.price - c.basePrice)] = static_cast<float>(l.qty);
    }
    const auto m = static_cast<std::size_t>(config_.levels);
    c.levelOfi = bucketOfi_;
    c.levelBidQty.resize(m);
    c.levelAskQty.resize(m);
    for (std::size_t i = 0; i < m; ++i) {
        c.levelBidQty[i] = book.bids().level(i).qty;
        c.levelAskQty[i] = book.asks().level(i).qty;
    }
    return c;
}

void HeatmapBuilder::advance(TimeNs timeNs, const OrderBook& book, bool bookValid) {
    const std::int64_t bucket = floorDiv(timeNs, config_.bucketNs);
    if (openBucket_ == INT64_MIN) {
        openBucket_ = bucket;
        return;
    }
    if (bucket <= openBucket_) return;
    // The open bucket closes with its OFI.
    HeatmapColumn quiet = makeColumn(openBucket_, book, bookValid);
    std::fill(bucketOfi_.begin(), bucketOfi_.end(), 0);
    emit_(HeatmapColumn(quiet));
    // The silent buckets after it repeat the standing book with no flow: built once, copied.
    // After a very long silence only the last kMaxCatchUpBuckets are emitted; the view shows the
    // earlier ones as missing, which is what they are to a trader who was not watching.
    std::fill(quiet.levelOfi.begin(), quiet.levelOfi.end(), 0);
    const std::int64_t first = std::max(openBucket_ + 1, bucket - kMaxCatchUpBuckets);
    for (std::int64_t b = first; b < bucket; ++b) {
        quiet.startNs = b * config_.bucketNs;
        quiet.endNs = quiet.startNs + config_.bucketNs;
        emit_(HeatmapColumn(quiet));
    }
    openBucket_ = bucket;
}

void HeatmapBuilder::addLevelOfi(std::span<const Lots> levelOfi) {
    const std::size_t n = std::min(levelOfi.size(), bucketOfi_.size());
    for (std::size_t i = 0; i < n; ++i)
        bucketOfi_[i] += levelOfi[i];
}

}  // namespace flowscope
