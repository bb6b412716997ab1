#include "venues/okx_text_book.h"

#include <algorithm>
#include <cstring>

namespace flowscope::venues {

bool InlineText::assign(std::string_view text) {
    if (text.size() > kMaxChars) return false;
    std::memcpy(chars_.data(), text.data(), text.size());
    size_ = static_cast<std::uint8_t>(text.size());
    return true;
}

OkxTextBook::OkxTextBook(std::size_t reserveLevelsPerSide) {
    bids_.reserve(reserveLevelsPerSide);
    asks_.reserve(reserveLevelsPerSide);
}

void OkxTextBook::clear() {
    bids_.clear();
    asks_.clear();
}

bool OkxTextBook::set(Side side, PriceTicks price, std::string_view priceText,
                      std::string_view sizeText, bool remove) {
    std::vector<Entry>& levels = sideOf(side);
    // Worst to best: ascending prices for bids, descending for asks (the touch is at the back).
    const auto worse = [side](const Entry& e, PriceTicks p) { return isBetter(side, p, e.price); };
    const auto it = std::lower_bound(levels.begin(), levels.end(), price, worse);
    const bool found = it != levels.end() && it->price == price;
    if (remove) {
        if (found) levels.erase(it);
        return true;
    }
    Entry entry;
    entry.price = price;
    if (!entry.priceText.assign(priceText) || !entry.sizeText.assign(sizeText)) return false;
    if (found)
        *it = entry;
    else
        levels.insert(it, entry);
    return true;
}

std::size_t OkxTextBook::top(Side side, std::span<TextLevel> out) const {
    const std::vector<Entry>& levels = sideOf(side);
    const std::size_t n = std::min(out.size(), levels.size());
    for (std::size_t i = 0; i < n; ++i) {
        const Entry& e = levels[levels.size() - 1 - i];
        out[i] = TextLevel{e.priceText.view(), e.sizeText.view()};
    }
    return n;
}

}  // namespace flowscope::venues
