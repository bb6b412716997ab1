#include "book/instrument.h"

#include <bit>
#include <cmath>
#include <cstring>
#include <utility>

namespace flowscope {
namespace {

constexpr std::int64_t kPow10[] = {1,
                                   10,
                                   100,
                                   1000,
                                   10000,
                                   100000,
                                   1000000,
                                   10000000,
                                   100000000,
                                   1000000000,
                                   10000000000,
                                   100000000000,
                                   1000000000000,
                                   10000000000000,
                                   100000000000000,
                                   1000000000000000,
                                   10000000000000000,
                                   100000000000000000,
                                   1000000000000000000};
constexpr int kMaxDecimals = 18;

std::string formatScaled(std::int64_t value, int decimals) {
    const bool negative = value < 0;
    // Work in unsigned so that INT64_MIN does not overflow on negation.
    std::uint64_t magnitude = negative ? 0 - static_cast<std::uint64_t>(value) : value;
    std::string digits = std::to_string(magnitude);
    if (decimals > 0) {
        if (static_cast<int>(digits.size()) <= decimals)
            digits.insert(0, static_cast<std::size_t>(decimals + 1 - digits.size()), '0');
        digits.insert(digits.size() - static_cast<std::size_t>(decimals), 1, '.');
    }
    return negative ? "-" + digits : digits;
}

// Converts a value scaled by 10^decimals into whole steps; fails unless it divides exactly.
// Most steps are 1 at their scale (tick 0.01, lot 0.00000001): no 64-bit division then, which
// would cost more than the rest of the conversion.
bool toSteps(std::int64_t& value, std::int64_t mantissa) {
    if (mantissa == 1) return true;
    if (value % mantissa != 0) return false;
    value /= mantissa;
    return true;
}

constexpr bool isDigit(char c) {
    return static_cast<unsigned char>(c - '0') < 10;
}

// The general conversion, with an overflow check on every digit.
std::optional<std::int64_t> parseScaledDecimalChecked(std::string_view text, int decimals) {
    std::size_t i = 0;
    const bool negative = text[0] == '-';
    if (text[0] == '-' || text[0] == '+') ++i;
    std::uint64_t value = 0;
    bool anyDigit = false;
    int fracDigits = 0;
    bool inFraction = false;
    constexpr std::uint64_t kLimit = static_cast<std::uint64_t>(INT64_MAX);
    for (; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '.') {
            if (inFraction) return std::nullopt;
            inFraction = true;
            continue;
        }
        if (c < '0' || c > '9') return std::nullopt;
        anyDigit = true;
        const unsigned digit = static_cast<unsigned>(c - '0');
        if (inFraction) {
            if (fracDigits == decimals) {
                // Extra decimals are allowed only if they are zeros ("0.010000" for 2 decimals).
                if (digit != 0) return std::nullopt;
                continue;
            }
            ++fracDigits;
        }
        if (value > (kLimit - digit) / 10) return std::nullopt;
        value = value * 10 + digit;
    }
    if (!anyDigit) return std::nullopt;
    const std::int64_t scale = kPow10[decimals - fracDigits];
    if (value > kLimit / static_cast<std::uint64_t>(scale)) return std::nullopt;
    const auto scaled = static_cast<std::int64_t>(value) * scale;
    return negative ? -scaled : scaled;
}

constexpr std::uint64_t kAsciiZeros = 0x3030303030303030ULL;

/// True when each byte of `word` is an ASCII digit. Bytes >= 0xFA carry into the next byte when
/// 6 is added, but such a byte already fails the first test, so the answer stays exact.
constexpr bool allDigits(std::uint64_t word) {
    constexpr std::uint64_t kHighNibbles = 0xF0F0F0F0F0F0F0F0ULL;
    constexpr std::uint64_t kSixes = 0x0606060606060606ULL;
    return (word & kHighNibbles) == kAsciiZeros && ((word + kSixes) & kHighNibbles) == kAsciiZeros;
}

/// The number whose 8 digits (values 0-9, the first in the lowest byte: memory order on a
/// little-endian machine) are the bytes of `digits`; three multiplications instead of eight
/// dependent ones.
constexpr std::uint64_t eightDigitsValue(std::uint64_t digits) {
    digits = digits * 10 + (digits >> 8);  // pairs: 10 * first + second in each even byte
    constexpr std::uint64_t kPairMask = 0x000000FF000000FFULL;
    return ((digits & kPairMask) * (100 + (1000000ULL << 32)) +
            ((digits >> 16) & kPairMask) * (1 + (10000ULL << 32))) >>
           32;
}

enum class EightDecimals : std::uint8_t {
    OtherShape,  ///< the general parser decides
    Value,
    Refused,  ///< a non-zero digit past the kept decimals
};

constexpr std::size_t kEightDecimals = 8;

/// The shape Binance always prints: unsigned, 1-8 integer digits, a dot and exactly 8 decimals
/// ("61685.99000000", "0.00100000"). Both parts are read with one 8-byte load each and checked
/// and converted without a branch per digit. OtherShape also when `decimals` is not 0-8; the
/// result is otherwise the general parser's (tst_instrument compares them).
EightDecimals parseEightDecimalText(std::string_view text, int decimals, std::int64_t& out) {
    if constexpr (std::endian::native != std::endian::little) return EightDecimals::OtherShape;
    if (text.size() < kEightDecimals + 2 || text.size() > 2 * kEightDecimals + 1 ||
        static_cast<unsigned>(decimals) > 8) {  // also refuses negative decimals
        return EightDecimals::OtherShape;
    }
    const std::size_t intDigits = text.size() - kEightDecimals - 1;
    if (text[intDigits] != '.') return EightDecimals::OtherShape;
    std::uint64_t head;  // the integer digits, then the dot and the first decimals
    std::uint64_t fraction;
    std::memcpy(&head, text.data(), sizeof head);
    std::memcpy(&fraction, text.data() + intDigits + 1, sizeof fraction);
    // The integer digits shifted to the top of the word, '0's below them: the same value with
    // leading zeros, as 8 digits.
    const std::uint64_t leadingZeros = intDigits == 8 ? 0 : kAsciiZeros >> (8 * intDigits);
    const std::uint64_t integer = (head << (8 * (8 - intDigits))) | leadingZeros;
    if (!allDigits(integer) || !allDigits(fraction)) return EightDecimals::OtherShape;
    const std::uint64_t fractionDigits = fraction - kAsciiZeros;
    // Decimals past the kept ones must be zeros ("0.01000000" for 2 decimals).
    const auto kept = static_cast<unsigned>(decimals);
    const std::uint64_t beyondKept = kept == 8 ? 0 : ~0ULL << (8 * kept);
    if ((fractionDigits & beyondKept) != 0) return EightDecimals::Refused;
    const std::uint64_t keptValue =
        kept == 0 ? 0 : eightDigitsValue(fractionDigits << (8 * (8 - kept)));
    const std::uint64_t value =
        eightDigitsValue(integer - kAsciiZeros) * static_cast<std::uint64_t>(kPow10[kept]) +
        keptValue;
    out = static_cast<std::int64_t>(value);
    return EightDecimals::Value;
}

// Venue prices and sizes are short ("61685.99000000"): with at most 18 digits kept nothing can
// overflow, so this path checks nothing per digit and leaves the rest to the checked one.
bool parseScaledDecimalGeneral(std::string_view text, int decimals, std::int64_t& scaled,
                               int& textDecimals) {
    if (decimals < 0 || decimals > kMaxDecimals || text.empty()) return false;
    const char* p = text.data();
    const char* const end = p + text.size();
    const bool negative = *p == '-';
    if (*p == '-' || *p == '+') ++p;
    const char* const intStart = p;
    std::uint64_t value = 0;
    while (p < end && isDigit(*p))
        value = value * 10 + static_cast<unsigned>(*p++ - '0');
    const auto intDigits = p - intStart;
    long fracDigits = 0;
    long allFracDigits = 0;
    if (p < end) {
        if (*p != '.') return false;
        ++p;
        const char* const fracStart = p;
        const char* const kept = end - p > decimals ? p + decimals : end;
        while (p < kept && isDigit(*p))
            value = value * 10 + static_cast<unsigned>(*p++ - '0');
        fracDigits = p - fracStart;
        if (p < kept) return false;  // not a digit
        // Extra decimals are allowed only if they are zeros ("0.010000" for 2 decimals).
        for (; p < end; ++p)
            if (*p != '0') return false;
        allFracDigits = end - fracStart;
    }
    if (intDigits + allFracDigits == 0) return false;
    textDecimals = static_cast<int>(allFracDigits);
    if (intDigits + decimals > 18) {
        const std::optional<std::int64_t> checked = parseScaledDecimalChecked(text, decimals);
        if (checked) scaled = *checked;
        return checked.has_value();
    }
    scaled = static_cast<std::int64_t>(value) * kPow10[decimals - static_cast<int>(fracDigits)];
    if (negative) scaled = -scaled;
    return true;
}

// Inlined into each conversion: the shape every Binance number has costs no call, everything
// else goes to the general parser.
[[gnu::always_inline]] inline bool scaledDecimal(std::string_view text, int decimals,
                                                 std::int64_t& scaled, int& textDecimals) {
    switch (parseEightDecimalText(text, decimals, scaled)) {
        case EightDecimals::Value:
            textDecimals = static_cast<int>(kEightDecimals);
            return true;
        case EightDecimals::Refused:
            return false;
        case EightDecimals::OtherShape:
            break;
    }
    return parseScaledDecimalGeneral(text, decimals, scaled, textDecimals);
}

}  // namespace

bool parseScaledDecimal(std::string_view text, int decimals, std::int64_t& scaled,
                        int& textDecimals) {
    return scaledDecimal(text, decimals, scaled, textDecimals);
}

std::optional<std::int64_t> parseScaledDecimal(std::string_view text, int decimals) {
    std::int64_t scaled = 0;
    int textDecimals = 0;
    if (!parseScaledDecimal(text, decimals, scaled, textDecimals)) return std::nullopt;
    return scaled;
}

std::optional<DecimalStep> DecimalStep::parse(std::string_view text) {
    const auto dot = text.find('.');
    const int decimals =
        dot == std::string_view::npos ? 0 : static_cast<int>(text.size() - dot - 1);
    if (decimals > kMaxDecimals) return std::nullopt;
    const auto scaled = parseScaledDecimal(text, decimals);
    if (!scaled || *scaled <= 0) return std::nullopt;
    DecimalStep step{*scaled, decimals};
    // Normalise "0.50" to mantissa 5, decimals 1 so that formatting prints what venues print.
    while (step.decimals > 0 && step.mantissa % 10 == 0) {
        step.mantissa /= 10;
        --step.decimals;
    }
    return step;
}

double DecimalStep::value() const {
    return static_cast<double>(mantissa) / static_cast<double>(kPow10[decimals]);
}

std::string DecimalStep::toString() const {
    return formatScaled(mantissa, decimals);
}

Instrument::Instrument(std::string symbol, DecimalStep tick, DecimalStep lot)
    : symbol_(std::move(symbol)), tick_(tick), lot_(lot) {}

bool Instrument::parsePrice(std::string_view text, PriceTicks& ticks, int& textDecimals) const {
    return scaledDecimal(text, tick_.decimals, ticks, textDecimals) &&
           toSteps(ticks, tick_.mantissa);
}

bool Instrument::parseSize(std::string_view text, Lots& lots, int& textDecimals) const {
    return scaledDecimal(text, lot_.decimals, lots, textDecimals) && toSteps(lots, lot_.mantissa) &&
           lots >= 0;
}

std::optional<PriceTicks> Instrument::parsePrice(std::string_view text) const {
    PriceTicks ticks = 0;
    int textDecimals = 0;
    if (!parsePrice(text, ticks, textDecimals)) return std::nullopt;
    return ticks;
}

std::optional<Lots> Instrument::parseSize(std::string_view text) const {
    Lots lots = 0;
    int textDecimals = 0;
    if (!parseSize(text, lots, textDecimals)) return std::nullopt;
    return lots;
}

double Instrument::toPrice(PriceTicks ticks) const {
    return static_cast<double>(ticks) * tick_.value();
}
double Instrument::toSize(Lots lots) const {
    return static_cast<double>(lots) * lot_.value();
}

PriceTicks Instrument::roundToTicks(double price) const {
    return std::llround(price / tick_.value());
}
Lots Instrument::roundToLots(double size) const {
    return std::llround(size / lot_.value());
}

std::string Instrument::formatPrice(PriceTicks ticks) const {
    return formatScaled(ticks * tick_.mantissa, tick_.decimals);
}
std::string Instrument::formatSize(Lots lots) const {
    return formatScaled(lots * lot_.mantissa, lot_.decimals);
}

}  // namespace flowscope
