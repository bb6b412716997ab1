#pragma once
/// A VenueListener for adapter tests: it rebuilds the book from the listener calls alone and
/// checks that copy against the adapter's book at every snapshot and update end, as any consumer
/// of the listener interface would see it, and records everything else it is told.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "venues/venue_adapter.h"

namespace flowscope::testing {

class MirrorListener final : public venues::VenueListener {
  public:
    void onBookSnapshot(const OrderBook& book, TimeNs eventNs, TimeNs receiveNs) override {
        for (const Side s : {Side::Bid, Side::Ask}) {
            auto& mirror = side(s);
            mirror.clear();
            for (const Level& l : book.side(s).worstToBest())
                mirror[l.price] = l.qty;
        }
        ++snapshots;
        lastEventNs = eventNs;
        lastReceiveNs = receiveNs;
        if (!matches(book)) ++mismatches;
    }
    void onBookLevel(Side s, PriceTicks price, Lots qty, TimeNs) override {
        ++levels;
        if (qty < 0) ++mismatches;  // no book can hold a negative size
        if (qty == 0) {
            ++deletes;
            side(s).erase(price);
        } else {
            side(s)[price] = qty;
        }
    }
    void onBookUpdateEnd(const OrderBook& book, TimeNs eventNs, TimeNs receiveNs) override {
        ++updateEnds;
        lastEventNs = eventNs;
        lastReceiveNs = receiveNs;
        if (!matches(book)) ++mismatches;
    }
    void onTrade(const Trade& trade, TimeNs receiveNs) override {
        trades.push_back(trade);
        lastReceiveNs = receiveNs;
    }
    void onBookInvalid(std::string_view reason) override { invalidReasons.emplace_back(reason); }

    /// True when the mirror holds exactly the levels of `book`.
    bool matches(const OrderBook& book) const {
        for (const Side s : {Side::Bid, Side::Ask}) {
            const auto levelsOfBook = book.side(s).worstToBest();
            const auto& mirror = s == Side::Bid ? bids : asks;
            if (levelsOfBook.size() != mirror.size()) return false;
            for (const Level& l : levelsOfBook) {
                const auto it = mirror.find(l.price);
                if (it == mirror.end() || it->second != l.qty) return false;
            }
        }
        return true;
    }
    /// The mirror equalled the adapter's book every time it was checked.
    bool mirrorMatched() const { return mismatches == 0; }

    std::map<PriceTicks, Lots>& side(Side s) { return s == Side::Bid ? bids : asks; }

    std::map<PriceTicks, Lots> bids, asks;  ///< the mirror: price -> size
    int snapshots = 0;
    int updateEnds = 0;
    int levels = 0;   ///< onBookLevel calls
    int deletes = 0;  ///< onBookLevel calls with size 0
    int mismatches = 0;
    TimeNs lastEventNs = 0;
    TimeNs lastReceiveNs = 0;
    std::vector<Trade> trades;
    std::vector<std::string> invalidReasons;
};

}  // namespace flowscope::testing
