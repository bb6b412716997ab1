#include "venues/binance_depth_buffer.h"

namespace flowscope::venues {

bool BinanceDepthBuffer::push(const BinanceDepthIds& ids, TimeNs eventNs, TimeNs receiveNs,
                              std::span<const BinanceLevelChange> levels) {
    if (events_.size() >= kMaxEvents || levels_.size() + levels.size() > kMaxLevels) return false;
    const std::size_t begin = levels_.size();
    levels_.insert(levels_.end(), levels.begin(), levels.end());
    events_.push_back({ids, eventNs, receiveNs, begin, levels_.size()});
    return true;
}

void BinanceDepthBuffer::dropFront(std::size_t count) {
    if (count >= events_.size()) {
        clear();
        return;
    }
    const std::size_t firstKept = events_[count].levelBegin;
    events_.erase(events_.begin(), events_.begin() + static_cast<std::ptrdiff_t>(count));
    levels_.erase(levels_.begin(), levels_.begin() + static_cast<std::ptrdiff_t>(firstKept));
    for (BufferedDepthEvent& e : events_) {
        e.levelBegin -= firstKept;
        e.levelEnd -= firstKept;
    }
}

void BinanceDepthBuffer::clear() {
    events_.clear();
    levels_.clear();
}

std::span<const BinanceLevelChange> BinanceDepthBuffer::levels(std::size_t i) const {
    const BufferedDepthEvent& e = events_[i];
    return std::span<const BinanceLevelChange>(levels_).subspan(e.levelBegin,
                                                                e.levelEnd - e.levelBegin);
}

}  // namespace flowscope::venues
