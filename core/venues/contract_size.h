#pragma once
/// Sizes a venue sends in contracts, converted to base units exactly. OKX's swaps count their
/// book and trade sizes in contracts of a fixed value in the base currency (BTC-USDT-SWAP: one
/// contract is 0.01 BTC); Flowscope keeps every book, OFI and trade in base units, so the size
/// text is scaled by the contract value before it becomes lots. Contract values are powers of
/// ten (0.01, 0.1, 1, 10, 100, 1000 on OKX's USDT swaps), so the scaling moves the decimal point
/// in the text and loses nothing.

#include <optional>
#include <string>
#include <string_view>

namespace flowscope::venues {

/// Writes `text` (digits with at most one '.') times 10^pow10 into `out` as decimal text
/// ("12.5", -2 -> "0.125"); false if `text` is not such a number. `out` is reused, so a caller
/// that keeps it converts without allocating once its capacity has grown.
bool scaleDecimalText(std::string_view text, int pow10, std::string& out);

/// OKX's contract value of a swap as a power of ten (BTC-USDT-SWAP: -2, one contract is
/// 0.01 BTC), for the swaps Flowscope knows; nullopt for any other.
std::optional<int> okxContractValuePow10(std::string_view instId);

/// "BTC-USDT-SWAP, ETH-USDT-SWAP, SOL-USDT-SWAP" for error messages.
std::string okxKnownSwaps();

}  // namespace flowscope::venues
