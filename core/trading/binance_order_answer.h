#pragma once
/// Binance spot's order answers read into ticks and lots: the POST /api/v3/order FULL shape
/// (with its `fills`), a DELETE answer, GET /api/v3/order, and the arrays of GET and DELETE
/// /api/v3/openOrders. Prices and sizes
/// are Binance's decimal strings converted exactly through the Instrument; a price or size that
/// is not a whole number of ticks or lots makes the answer malformed rather than rounded.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "book/instrument.h"

namespace flowscope::trading {

struct BinanceFill {
    PriceTicks priceTicks = 0;
    Lots qty = 0;
};

struct BinanceOrderAnswer {
    std::uint64_t orderId = 0;
    /// The order's own client id: a cancel answer's origClientOrderId (its clientOrderId names
    /// the cancel request), otherwise clientOrderId.
    std::string clientOrderId;
    std::string status;  ///< NEW, PARTIALLY_FILLED, FILLED, CANCELED, EXPIRED, REJECTED, ...
    Side side = Side::Bid;
    PriceTicks priceTicks = 0;  ///< 0 for MARKET
    Lots origQty = 0;
    Lots executedQty = 0;
    /// cummulativeQuoteQty in price-tick x lot units (exact); nullopt when absent or off the grid.
    std::optional<std::int64_t> executedTickLots;
    std::vector<BinanceFill> fills;  ///< only in FULL answers
};

/// One order object; false (with `error` saying what) on a malformed answer.
bool parseBinanceOrder(std::string_view body, const Instrument& instrument, BinanceOrderAnswer& out,
                       std::string& error);
/// Average price of what executed, from cummulativeQuoteQty (a market order's price is 0);
/// nullopt when nothing executed or the quote is missing or not a whole number of ticks.
std::optional<PriceTicks> averageExecutedPrice(const BinanceOrderAnswer& order);
/// An openOrders (or cancel-all) array; false on a malformed answer (then `out` is unspecified).
bool parseBinanceOrderList(std::string_view body, const Instrument& instrument,
                           std::vector<BinanceOrderAnswer>& out, std::string& error);

}  // namespace flowscope::trading
