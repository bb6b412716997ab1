#pragma once
/// Binance spot's order answers read into ticks and lots: the POST /api/v3/order FULL shape
/// (with its `fills`), a DELETE answer, and the GET /api/v3/openOrders array. Prices and sizes
/// are Binance's decimal strings converted exactly through the Instrument; a price or size that
/// is not a whole number of ticks or lots makes the answer malformed rather than rounded.

#include <cstdint>
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
    std::string clientOrderId;
    std::string status;  ///< NEW, PARTIALLY_FILLED, FILLED, CANCELED, EXPIRED, REJECTED, ...
    Side side = Side::Bid;
    PriceTicks priceTicks = 0;  ///< 0 for MARKET
    Lots origQty = 0;
    Lots executedQty = 0;
    std::vector<BinanceFill> fills;  ///< only in FULL answers
};

/// One order object; false (with `error` saying what) on a malformed answer.
bool parseBinanceOrder(std::string_view body, const Instrument& instrument, BinanceOrderAnswer& out,
                       std::string& error);
/// An openOrders array; false on a malformed answer (then `out` is unspecified).
bool parseBinanceOrderList(std::string_view body, const Instrument& instrument,
                           std::vector<BinanceOrderAnswer>& out, std::string& error);

}  // namespace flowscope::trading
