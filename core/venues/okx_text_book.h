#pragma once
/// The exact strings of every level of an OKX book, beside the integer OrderBook the listener
/// reads. OKX's checksum is defined over the strings as sent ("30261" and "30261.0" hash
/// differently), and any level may move into the top 25, so every level keeps its text.
///
/// Text is stored inline (fixed-size buffers), levels in one vector per side sorted from worst to
/// best like BookSide: an update near the touch moves a few entries and never allocates once the
/// vectors have grown to the deepest book seen.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "book/types.h"
#include "venues/text_level.h"

namespace flowscope::venues {

/// Up to kMaxChars characters held inline.
class InlineText {
  public:
    static constexpr std::size_t kMaxChars = 31;
    /// False (and unchanged) when `text` is longer than kMaxChars.
    bool assign(std::string_view text);
    std::string_view view() const { return {chars_.data(), size_}; }

  private:
    std::array<char, kMaxChars> chars_{};
    std::uint8_t size_ = 0;
};

class OkxTextBook {
  public:
    explicit OkxTextBook(std::size_t reserveLevelsPerSide = 512);

    /// A level as text, with its price already converted to ticks for ordering.
    struct Entry {
        PriceTicks price = 0;
        InlineText priceText;
        InlineText sizeText;
    };

    void clear();
    /// Sets the text of the level at `price`; `remove` deletes it instead. False when a text is
    /// longer than InlineText::kMaxChars (nothing changes).
    bool set(Side side, PriceTicks price, std::string_view priceText, std::string_view sizeText,
             bool remove);
    /// Levels from worst to best (storage order), for tests and diagnostics.
    std::span<const Entry> worstToBest(Side side) const { return sideOf(side); }
    std::size_t depth(Side side) const { return sideOf(side).size(); }

    /// Fills `out` with the best out.size() levels, best first; returns how many were filled.
    std::size_t top(Side side, std::span<TextLevel> out) const;

  private:
    std::vector<Entry>& sideOf(Side side) { return side == Side::Bid ? bids_ : asks_; }
    const std::vector<Entry>& sideOf(Side side) const { return side == Side::Bid ? bids_ : asks_; }

    std::vector<Entry> bids_;
    std::vector<Entry> asks_;
};

}  // namespace flowscope::venues
