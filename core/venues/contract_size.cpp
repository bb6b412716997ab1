#include "venues/contract_size.h"

#include <array>

namespace flowscope::venues {

namespace {

struct SwapContract {
    const char* instId;
    int valuePow10;
};

// OKX GET /api/v5/public/instruments?instType=SWAP, ctVal (ctValCcy the base currency). Not
// verifiable from this machine (no network); the values are the ones OKX has listed for years
// and several public clients hard-code. A wrong value would show every size 10x off, so only
// these are accepted; README says how to check.
constexpr std::array<SwapContract, 3> kOkxSwaps{{
    {"BTC-USDT-SWAP", -2},  // 0.01 BTC
    {"ETH-USDT-SWAP", -1},  // 0.1 ETH
    {"SOL-USDT-SWAP", 0},   // 1 SOL
}};

}  // namespace

bool scaleDecimalText(std::string_view text, int pow10, std::string& out) {
    out.clear();
    std::size_t digits = 0;
    std::size_t point = std::string_view::npos;  // digits before the point
    for (const char c : text) {
        if (c == '.') {
            if (point != std::string_view::npos) return false;
            point = digits;
        } else if (c >= '0' && c <= '9') {
            ++digits;
        } else {
            return false;
        }
    }
    if (digits == 0 || pow10 < -64 || pow10 > 64) return false;
    if (point == std::string_view::npos) point = digits;
    const long shifted = static_cast<long>(point) + pow10;  // digits before the new point
    if (shifted <= 0) {
        out += "0.";
        out.append(static_cast<std::size_t>(-shifted), '0');
    }
    std::size_t written = 0;
    for (const char c : text) {
        if (c == '.') continue;
        if (shifted > 0 && written == static_cast<std::size_t>(shifted)) out += '.';
        out += c;
        ++written;
    }
    if (shifted > 0 && static_cast<std::size_t>(shifted) > digits)
        out.append(static_cast<std::size_t>(shifted) - digits, '0');
    // Leading zeros of the integer part go ("000.125" -> "0.125"); one stays before a point.
    std::size_t zeros = 0;
    while (zeros + 1 < out.size() && out[zeros] == '0' && out[zeros + 1] != '.')
        ++zeros;
    out.erase(0, zeros);
    return true;
}

std::optional<int> okxContractValuePow10(std::string_view instId) {
    for (const SwapContract& s : kOkxSwaps)
        if (instId == s.instId) return s.valuePow10;
    return std::nullopt;
}

std::string okxKnownSwaps() {
    std::string list;
    for (const SwapContract& s : kOkxSwaps) {
        if (!list.empty()) list += ", ";
        list += s.instId;
    }
    return list;
}

}  // namespace flowscope::venues
