#include "feed/heatmap_builder.h"

#include <algorithm>
#include <cmath>

#include "book/floor_div.h"
#include "feed/price_buckets.h"
#include "signals/book_measures.h"

namespace flowscope {

HeatmapBuilder::HeatmapBuilder(HeatmapConfig config, Emit emit)
    : config_(config),
      emit_(std::move(emit)),
      bucketTicks_(config.bucketTicks > 0 ? config.bucketTicks : 0),
      bucketOfi_(static_cast<std::size_t>(config.levels), 0),
      prevBids_(static_cast<std::size_t>(config.levels)),
      prevAsks_(static_cast<std::size_t>(config.levels)),
      bids_(static_cast<std::size_t>(config.levels)),
      asks_(static_cast<std::size_t>(config.levels)) {}

HeatmapColumn HeatmapBuilder::makeColumn(std::int64_t bucket, const OrderBook& book,
                                         bool bookValid) {
    HeatmapColumn c;
    c.startNs = bucket * config_.bucketNs;
    c.endNs = c.startNs + config_.bucketNs;
    const Level bid = book.bestBid(), ask = book.bestAsk();
    c.gap = !bookValid || (isEmptyLevel(bid) && isEmptyLevel(ask));
    if (c.gap) {
        havePrev_ = false;
        return c;
    }
    c.bestBid = bid;
    c.bestAsk = ask;
    c.microPrice = microPrice(bid, ask);
    // Centre on the mid, or on the only side there is.
    const PriceTicks centre = isEmptyLevel(bid)   ? ask.price
                              : isEmptyLevel(ask) ? bid.price
                                                  : bid.price + (ask.price - bid.price) / 2;
    if (bucketTicks_ == 0)
        bucketTicks_ = heatmapBucketTicks(centre, config_.halfRangeRows, config_.minRangeFraction);
    const PriceTicks step = bucketTicks_;
    c.bucketTicks = step;
    const PriceTicks half = config_.halfRangeRows;
    c.basePrice = bucketLow(centre, step) - half * step;
    const auto rows = static_cast<std::size_t>(2 * half + 1);
    const PriceTicks top = c.basePrice + static_cast<PriceTicks>(rows) * step;  // exclusive
    // Exact sums in lots first; one conversion per row at the end.
    rowLots_.assign(rows, 0);
    // Walk each side from the touch outward and stop at the edge of the range: O(rows + levels
    // in range), not O(book depth).
    for (std::size_t i = 0; i < book.bids().depth(); ++i) {
        const Level l = book.bids().level(i);
        if (l.price < c.basePrice) break;
        if (l.price < top)
            rowLots_[static_cast<std::size_t>((l.price - c.basePrice) / step)] += l.qty;
    }
    for (std::size_t i = 0; i < book.asks().depth(); ++i) {
        const Level l = book.asks().level(i);
        if (l.price >= top) break;
        if (l.price >= c.basePrice)
            rowLots_[static_cast<std::size_t>((l.price - c.basePrice) / step)] += l.qty;
    }
    c.sizes.resize(rows);
    for (std::size_t r = 0; r < rows; ++r)
        c.sizes[r] = static_cast<float>(rowLots_[r]);

    const auto m = static_cast<std::size_t>(config_.levels);
    bucketLevels(book.bids(), Side::Bid, step, bids_);
    bucketLevels(book.asks(), Side::Ask, step, asks_);
    c.levelBidQty.resize(m);
    c.levelAskQty.resize(m);
    for (std::size_t i = 0; i < m; ++i) {
        c.levelBidQty[i] = bids_[i].qty;
        c.levelAskQty[i] = asks_[i].qty;
    }
    if (step == 1) {
        c.levelOfi = bucketOfi_;  // the engine's per-event OFI: exact at tick levels
    } else {
        c.levelOfi.assign(m, 0);
        if (havePrev_) bucketLevelOfi(prevBids_, prevAsks_, bids_, asks_, c.levelOfi);
    }
    prevBids_.swap(bids_);
    prevAsks_.swap(asks_);
    havePrev_ = true;
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
