// libFuzzer target for one venue adapter's parser and sync state machine (the venue is chosen at
// compile time with FUZZ_VENUE, one binary per venue).
//
// The input is a session: frames separated by a 0x00 byte; a frame starting with '!' is a REST
// snapshot body (the rest of it), any other a WebSocket message, and a frame of exactly "~" a
// reconnect. Beyond "no crash, no sanitizer report", it checks the listener contract: the book a
// listener rebuilds from onBookSnapshot/onBookLevel equals the adapter's book after every
// message, and nothing is applied while the book is invalid.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string_view>

#include "venues/adapter_factory.h"
#include "venues/known_instruments.h"

using namespace flowscope;

namespace {

[[noreturn]] void fail(const char* what) {
    __builtin_trap();
    (void)what;
}

class MirrorListener final : public venues::VenueListener {
  public:
    void onBookSnapshot(const OrderBook& book, TimeNs, TimeNs) override {
        bids_.clear();
        asks_.clear();
        for (const Level& l : book.bids().worstToBest()) bids_[l.price] = l.qty;
        for (const Level& l : book.asks().worstToBest()) asks_[l.price] = l.qty;
        valid_ = true;
    }
    void onBookLevel(Side side, PriceTicks price, Lots qty, TimeNs) override {
        if (!valid_) fail("a level applied while the book is invalid");
        if (qty < 0) fail("negative size reached the listener");
        auto& levels = side == Side::Bid ? bids_ : asks_;
        if (qty == 0) {
            levels.erase(price);
        } else {
            levels[price] = qty;
        }
    }
    void onBookUpdateEnd(const OrderBook& book, TimeNs, TimeNs) override { check(book); }
    void onTrade(const Trade& trade, TimeNs) override {
        if (trade.qty < 0) fail("negative trade size");
    }
    void onBookInvalid(std::string_view) override { valid_ = false; }

    void check(const OrderBook& book) const {
        if (!valid_) return;
        if (book.bids().depth() != bids_.size() || book.asks().depth() != asks_.size()) {
            fail("listener book depth differs from the adapter's");
        }
        for (const Level& l : book.bids().worstToBest()) {
            const auto it = bids_.find(l.price);
            if (it == bids_.end() || it->second != l.qty) fail("bid level differs");
        }
        for (const Level& l : book.asks().worstToBest()) {
            const auto it = asks_.find(l.price);
            if (it == asks_.end() || it->second != l.qty) fail("ask level differs");
        }
    }

  private:
    std::map<PriceTicks, Lots> bids_, asks_;
    bool valid_ = false;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto venue = static_cast<venues::VenueId>(FUZZ_VENUE);
    // The venue's real steps: Kraken's checksum depends on them.
    static const auto steps = *venues::knownInstrument(venue, FUZZ_SYMBOL);
    MirrorListener listener;
    auto adapter = venues::makeAdapter(venue, FUZZ_SYMBOL,
                                       Instrument(FUZZ_SYMBOL, steps.tick, steps.lot), listener);
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    TimeNs now = 1'700'000'000'000'000'000;
    adapter->onConnected(now);
    std::size_t start = 0;
    while (start <= input.size()) {
        std::size_t end = input.find('\0', start);
        if (end == std::string_view::npos) end = input.size();
        const std::string_view frame = input.substr(start, end - start);
        now += 1'000'000;
        if (frame == "~") {
            adapter->onConnected(now);
        } else if (!frame.empty() && frame[0] == '!') {
            adapter->onSnapshotResponse(frame.substr(1), now);
        } else {
            adapter->onMessage(frame, now);
        }
        (void)adapter->takeSnapshotRequest();
        (void)adapter->takeReconnectRequest();
        (void)adapter->takeOutgoing();
        if (adapter->syncState() == venues::SyncState::Live) listener.check(adapter->book());
        start = end + 1;
    }
    return 0;
}
