#include "venues/kraken_checksum.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <string_view>

#include "venues/crc32.h"

namespace flowscope::venues {

namespace {

// "0.00000500" -> "500": the dot removed and the leading zeros stripped, fed piece by piece.
void addStrippedNumber(Crc32& crc, std::string_view text) {
    bool leading = true;
    for (const char c : text) {
        if (c == '.') continue;
        if (leading && c == '0') continue;
        leading = false;
        crc.add(c);
    }
}

void addTextSide(Crc32& crc, std::span<const TextLevel> levels) {
    const std::size_t n = std::min(levels.size(), kKrakenChecksumDepth);
    for (std::size_t i = 0; i < n; ++i) {
        addStrippedNumber(crc, levels[i].price);
        addStrippedNumber(crc, levels[i].size);
    }
}

// A value of `steps` steps of mantissa * 10^-decimals printed with exactly `decimals` decimals,
// then stripped of its dot and leading zeros, is the decimal integer steps * mantissa.
void addScaled(Crc32& crc, std::int64_t steps, std::int64_t mantissa) {
    std::array<char, 24> digits{};
    const std::int64_t scaled = steps * mantissa;
    if (scaled <= 0) return;  // a stripped "0.000" is empty; book levels are always positive
    const auto [end, ec] = std::to_chars(digits.data(), digits.data() + digits.size(), scaled);
    crc.add(std::string_view(digits.data(), static_cast<std::size_t>(end - digits.data())));
}

void addBookSide(Crc32& crc, const BookSide& side, const Instrument& instrument) {
    const std::size_t n = std::min(side.depth(), kKrakenChecksumDepth);
    for (std::size_t i = 0; i < n; ++i) {
        const Level level = side.level(i);
        addScaled(crc, level.price, instrument.tickSize().mantissa);
        addScaled(crc, level.qty, instrument.lotSize().mantissa);
    }
}

}  // namespace

std::uint32_t krakenChecksum(std::span<const TextLevel> bids, std::span<const TextLevel> asks) {
    Crc32 crc;
    addTextSide(crc, asks);
    addTextSide(crc, bids);
    return crc.value();
}

std::uint32_t krakenBookChecksum(const OrderBook& book, const Instrument& instrument) {
    Crc32 crc;
    addBookSide(crc, book.asks(), instrument);
    addBookSide(crc, book.bids(), instrument);
    return crc.value();
}

}  // namespace flowscope::venues
