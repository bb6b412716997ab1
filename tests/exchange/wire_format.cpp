#include "wire_format.h"

#include <algorithm>

namespace flowscope::exchange {

namespace {

constexpr int kBinanceDecimals = 8;

WideInt pow10(int n) {
    WideInt value = 1;
    for (int i = 0; i < n; ++i)
        value *= 10;
    return value;
}

// Units of 10^-decimals, widened to `wantDecimals` when that is more.
void appendAtLeast(std::string& out, std::int64_t count, DecimalStep step, int wantDecimals) {
    const int decimals = std::max(step.decimals, wantDecimals);
    const WideInt units =
        static_cast<WideInt>(count) * step.mantissa * pow10(decimals - step.decimals);
    appendFixed(out, units, decimals);
}

void appendTrimmed(std::string& out, std::int64_t count, DecimalStep step) {
    const std::size_t start = out.size();
    appendFixed(out, static_cast<WideInt>(count) * step.mantissa, step.decimals);
    if (step.decimals == 0) {
        out += ".0";
        return;
    }
    std::size_t end = out.size();
    while (out[end - 1] == '0' && out[end - 2] != '.')
        --end;  // keep one digit after the point
    out.resize(std::max(end, start + 1));
}

void appendChecksumDigits(std::string& out, std::int64_t count, DecimalStep step) {
    std::string fixed;
    appendFixed(fixed, static_cast<WideInt>(count) * step.mantissa, step.decimals);
    bool leading = true;
    for (char c : fixed) {
        if (c == '.' || c == '-') continue;
        if (leading && c == '0') continue;
        leading = false;
        out += c;
    }
}

}  // namespace

void appendFixed(std::string& out, WideInt units, int decimals) {
    if (units < 0) {
        out += '-';
        units = -units;
    }
    char digits[64];
    int n = 0;
    do {
        digits[n++] = static_cast<char>('0' + static_cast<int>(units % 10));
        units /= 10;
    } while (units > 0 || n <= decimals);  // at least one digit before the point
    for (int i = n - 1; i >= 0; --i) {
        out += digits[i];
        if (i == decimals && decimals > 0) out += '.';
    }
}

void WireFormat::appendBinancePrice(std::string& out, PriceTicks ticks) const {
    appendAtLeast(out, ticks, tick_, kBinanceDecimals);
}

void WireFormat::appendBinanceSize(std::string& out, Lots lots) const {
    appendAtLeast(out, lots, lot_, kBinanceDecimals);
}

void WireFormat::appendKrakenPrice(std::string& out, PriceTicks ticks) const {
    appendTrimmed(out, ticks, tick_);
}

void WireFormat::appendKrakenSize(std::string& out, Lots lots) const {
    appendTrimmed(out, lots, lot_);
}

void WireFormat::appendChecksumPrice(std::string& out, PriceTicks ticks) const {
    appendChecksumDigits(out, ticks, tick_);
}

void WireFormat::appendChecksumSize(std::string& out, Lots lots) const {
    appendChecksumDigits(out, lots, lot_);
}

}  // namespace flowscope::exchange
