#pragma once
// How the exchange prints the book's integers on the wire: Binance's 8-decimal strings, Kraken v2's
// JSON numbers, and the digits Kraken's CRC32 checksum is computed over.

#include <cstdint>
#include <string>

#include "book/instrument.h"

namespace flowscope::exchange {

/// 128-bit intermediate for exact decimal scaling (a GCC/Clang extension, hence __extension__).
__extension__ typedef __int128 WideInt;

class WireFormat {
  public:
    WireFormat(DecimalStep tick, DecimalStep lot) : tick_(tick), lot_(lot) {}

    /// "60000.01000000": Binance prints every price and size with (at least) 8 decimals.
    void appendBinancePrice(std::string& out, PriceTicks ticks) const;
    void appendBinanceSize(std::string& out, Lots lots) const;
    /// A JSON number without trailing zeros ("60000.1", "0.5", "3.0"), as Kraken v2 sends them:
    /// a client must re-format it with the pair's precision to compute the checksum.
    void appendKrakenPrice(std::string& out, PriceTicks ticks) const;
    void appendKrakenSize(std::string& out, Lots lots) const;
    /// Kraken's checksum field text: the value with the pair's precision (the tick's and the lot's
    /// decimals), '.' removed and leading zeros stripped ("0.00100000" -> "100000").
    void appendChecksumPrice(std::string& out, PriceTicks ticks) const;
    void appendChecksumSize(std::string& out, Lots lots) const;

    int priceDecimals() const { return tick_.decimals; }
    int sizeDecimals() const { return lot_.decimals; }
    DecimalStep tick() const { return tick_; }
    DecimalStep lot() const { return lot_; }

  private:
    DecimalStep tick_;
    DecimalStep lot_;
};

/// `units` * 10^-decimals with exactly `decimals` digits after the point ("-1.50" for -150, 2).
void appendFixed(std::string& out, WideInt units, int decimals);

}  // namespace flowscope::exchange
