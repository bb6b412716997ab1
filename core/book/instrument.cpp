#include "book/instrument.h"

#include <cmath>
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
std::optional<std::int64_t> toSteps(std::optional<std::int64_t> scaled, std::int64_t mantissa) {
    if (!scaled) return std::nullopt;
    if (mantissa == 1) return scaled;
    if (*scaled % mantissa != 0) return std::nullopt;
    return *scaled / mantissa;
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

}  // namespace

// Venue prices and sizes are short ("61685.99000000"): with at most 18 digits kept nothing can
// overflow, so this path checks nothing per digit and leaves the rest to the checked one.
std::optional<std::int64_t> parseScaledDecimal(std::string_view text, int decimals) {
    if (decimals < 0 || decimals > kMaxDecimals || text.empty()) return std::nullopt;
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
    bool zerosBeyond = false;  // digits past the kept decimals (zeros, or the text is refused)
    if (p < end) {
        if (*p != '.') return std::nullopt;
        ++p;
        const char* const fracStart = p;
        const char* const kept = end - p > decimals ? p + decimals : end;
        while (p < kept && isDigit(*p))
            value = value * 10 + static_cast<unsigned>(*p++ - '0');
        fracDigits = p - fracStart;
        if (p < kept) return std::nullopt;  // not a digit
        // Extra decimals are allowed only if they are zeros ("0.010000" for 2 decimals).
        zerosBeyond = p < end;
        for (; p < end; ++p)
            if (*p != '0') return std::nullopt;
    }
    if (intDigits + fracDigits == 0 && !zerosBeyond) return std::nullopt;
    if (intDigits + decimals > 18) return parseScaledDecimalChecked(text, decimals);
    const auto scaled =
        static_cast<std::int64_t>(value) * kPow10[decimals - static_cast<int>(fracDigits)];
    return negative ? -scaled : scaled;
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

std::optional<PriceTicks> Instrument::parsePrice(std::string_view text) const {
    return toSteps(parseScaledDecimal(text, tick_.decimals), tick_.mantissa);
}

std::optional<Lots> Instrument::parseSize(std::string_view text) const {
    auto lots = toSteps(parseScaledDecimal(text, lot_.decimals), lot_.mantissa);
    if (lots && *lots < 0) return std::nullopt;
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
