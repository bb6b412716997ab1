#pragma once
/// Instrument metadata and the only place where decimal prices and sizes become ticks and lots.

#include <optional>
#include <string>
#include <string_view>

#include "book/types.h"

namespace flowscope {

/// A decimal step such as a tick size 0.01 or a lot size 0.00001, held exactly as
/// mantissa * 10^-decimals so that conversions of venue strings never round.
struct DecimalStep {
    std::int64_t mantissa = 1;  ///< e.g. 5 for a step of 0.05
    int decimals = 0;           ///< e.g. 2 for a step of 0.05

    /// Parses "0.01", "1", "0.5", "25". Rejects zero, negatives, exponents, more than 18 decimals.
    static std::optional<DecimalStep> parse(std::string_view text);
    double value() const;
    std::string toString() const;
};

/// Converts between venue decimals and the book's integers for one instrument.
class Instrument {
  public:
    Instrument(std::string symbol, DecimalStep tick, DecimalStep lot);

    const std::string& symbol() const { return symbol_; }
    DecimalStep tickSize() const { return tick_; }
    DecimalStep lotSize() const { return lot_; }

    /// Exact conversion of a decimal string ("64123.45") to ticks. Fails (nullopt) on malformed
    /// text, on a value that is not a whole number of ticks, and on overflow.
    std::optional<PriceTicks> parsePrice(std::string_view text) const;
    /// Exact conversion of a decimal string to lots; same failure rules (negative sizes fail too).
    std::optional<Lots> parseSize(std::string_view text) const;

    /// The same conversions for per-level loops: false on failure, and `textDecimals` gets the
    /// digits after the point in `text` (how the venue prints numbers). No std::optional: GCC
    /// builds one in memory byte by byte and reads it back whole, a store-forwarding stall per
    /// number that cost more than the conversion itself.
    bool parsePrice(std::string_view text, PriceTicks& ticks, int& textDecimals) const;
    bool parseSize(std::string_view text, Lots& lots, int& textDecimals) const;

    double toPrice(PriceTicks ticks) const;
    double toSize(Lots lots) const;
    /// Nearest tick for a double from the UI; never used on feed data.
    PriceTicks roundToTicks(double price) const;
    Lots roundToLots(double size) const;
    /// Decimal text with exactly the tick's decimals, as venues print it.
    std::string formatPrice(PriceTicks ticks) const;
    std::string formatSize(Lots lots) const;

  private:
    std::string symbol_;
    DecimalStep tick_;
    DecimalStep lot_;
};

/// Parses a plain decimal ("-12.3400", "7", ".5") into value * 10^decimals, exactly.
/// Returns nullopt if the text is malformed, has more significant decimals than `decimals`,
/// or overflows int64.
std::optional<std::int64_t> parseScaledDecimal(std::string_view text, int decimals);
/// The same, with the digits after the point in `text` ("1.500" -> 3, "7" -> 0) on success.
bool parseScaledDecimal(std::string_view text, int decimals, std::int64_t& scaled,
                        int& textDecimals);

}  // namespace flowscope
