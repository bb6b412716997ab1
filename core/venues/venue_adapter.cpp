#include "venues/venue_adapter.h"

#include <algorithm>

namespace flowscope::venues {

namespace {

constexpr std::size_t kSampleChars = 300;

/// Decimal trade ids ("2290000000036455162") keep their order; UUIDs and others have none: 0.
std::uint64_t numericTradeId(std::string_view id) {
    if (id.empty() || id.size() > 19) return 0;
    std::uint64_t value = 0;
    for (const char c : id) {
        if (c < '0' || c > '9') return 0;
        value = value * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return value;
}

}  // namespace

void VenueAdapter::emitTrade(std::string_view price, std::string_view size, Side aggressor,
                             std::optional<TimeNs> timeNs, std::string_view tradeId,
                             TimeNs receiveNs, std::string_view frame) {
    const auto ticks = parsePriceText(price);
    const auto lots = parseSizeText(size);
    if (!ticks || *ticks <= 0 || !lots || *lots <= 0 || !timeNs) {
        ++counters_.parseErrors;
        noteProblem("parse error", "trade price, size or time is not usable", frame);
        return;
    }
    ++counters_.trades;
    listener_.onTrade(Trade{*ticks, *lots, aggressor, *timeNs, numericTradeId(tradeId)}, receiveNs);
}

void VenueAdapter::noteProblem(std::string_view kind, std::string_view detail,
                               std::string_view frame) {
    if (std::find(problemKinds_.begin(), problemKinds_.end(), kind) != problemKinds_.end()) return;
    problemKinds_.emplace_back(kind);
    std::string sample = std::string(venueName(venue())) + " " + symbol_ + ": " +
                         std::string(kind) + ": " + std::string(detail);
    if (!frame.empty()) {
        sample += " in ";
        sample += frame.substr(0, kSampleChars);
        if (frame.size() > kSampleChars) sample += "...";
    }
    problemSamples_.push_back(std::move(sample));
}

void VenueAdapter::invalidateBook(std::string_view reason) {
    if (syncState_ == SyncState::Live) {
        ++counters_.resyncs;
        listener_.onBookInvalid(reason);
    }
    syncState_ = SyncState::WaitingSnapshot;
    book_.clear();
}

}  // namespace flowscope::venues
