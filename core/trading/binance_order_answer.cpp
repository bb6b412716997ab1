#include "trading/binance_order_answer.h"

#include <simdjson.h>

namespace flowscope::trading {

namespace {

bool readOrder(simdjson::dom::element element, const Instrument& instrument,
               BinanceOrderAnswer& out, std::string& error) {
    std::uint64_t orderId = 0;
    std::string_view clientId, status, side, price, origQty, executedQty;
    if (element["orderId"].get(orderId) != simdjson::SUCCESS ||
        element["clientOrderId"].get(clientId) != simdjson::SUCCESS ||
        element["status"].get(status) != simdjson::SUCCESS ||
        element["side"].get(side) != simdjson::SUCCESS ||
        element["price"].get(price) != simdjson::SUCCESS ||
        element["origQty"].get(origQty) != simdjson::SUCCESS ||
        element["executedQty"].get(executedQty) != simdjson::SUCCESS) {
        error = "order answer without orderId/clientOrderId/status/side/price/origQty/executedQty";
        return false;
    }
    if (side != "BUY" && side != "SELL") {
        error = "order answer with side " + std::string(side);
        return false;
    }
    const auto priceTicks = instrument.parsePrice(price);
    const auto orig = instrument.parseSize(origQty);
    const auto executed = instrument.parseSize(executedQty);
    if (!priceTicks || !orig || !executed || *priceTicks < 0 || *orig < 0 || *executed < 0 ||
        *executed > *orig) {
        error = "order answer with a price or size off the instrument's grid";
        return false;
    }
    out.orderId = orderId;
    std::string_view originalId;
    out.clientOrderId =
        element["origClientOrderId"].get(originalId) == simdjson::SUCCESS ? originalId : clientId;
    out.executedTickLots.reset();
    std::string_view quote;
    if (element["cummulativeQuoteQty"].get(quote) == simdjson::SUCCESS) {
        // Quote = ticks x tick size x lots x lot size: scaled by both steps' decimals it is
        // tick-lots times both mantissas.
        const DecimalStep tick = instrument.tickSize();
        const DecimalStep lot = instrument.lotSize();
        const std::int64_t mantissas = tick.mantissa * lot.mantissa;
        const auto scaled = parseScaledDecimal(quote, tick.decimals + lot.decimals);
        if (scaled && *scaled >= 0 && *scaled % mantissas == 0)
            out.executedTickLots = *scaled / mantissas;
    }
    out.status = status;
    out.side = side == "BUY" ? Side::Bid : Side::Ask;
    out.priceTicks = *priceTicks;
    out.origQty = *orig;
    out.executedQty = *executed;
    out.fills.clear();
    simdjson::dom::array fills;
    if (element["fills"].get(fills) != simdjson::SUCCESS) return true;  // not a FULL answer
    for (simdjson::dom::element fill : fills) {
        std::string_view fillPrice, fillQty;
        if (fill["price"].get(fillPrice) != simdjson::SUCCESS ||
            fill["qty"].get(fillQty) != simdjson::SUCCESS) {
            error = "fill without price/qty";
            return false;
        }
        const auto p = instrument.parsePrice(fillPrice);
        const auto q = instrument.parseSize(fillQty);
        if (!p || !q || *p <= 0 || *q <= 0) {
            error = "fill with a price or size off the instrument's grid";
            return false;
        }
        out.fills.push_back({*p, *q});
    }
    return true;
}

}  // namespace

bool parseBinanceOrder(std::string_view body, const Instrument& instrument, BinanceOrderAnswer& out,
                       std::string& error) {
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    if (parser.parse(body.data(), body.size()).get(doc) != simdjson::SUCCESS) {
        error = "order answer is not JSON";
        return false;
    }
    return readOrder(doc, instrument, out, error);
}

std::optional<PriceTicks> averageExecutedPrice(const BinanceOrderAnswer& order) {
    if (order.executedQty <= 0 || !order.executedTickLots) return std::nullopt;
    if (*order.executedTickLots % order.executedQty != 0) return std::nullopt;
    return *order.executedTickLots / order.executedQty;
}

bool parseBinanceOrderList(std::string_view body, const Instrument& instrument,
                           std::vector<BinanceOrderAnswer>& out, std::string& error) {
    simdjson::dom::parser parser;
    simdjson::dom::array orders;
    if (parser.parse(body.data(), body.size()).get(orders) != simdjson::SUCCESS) {
        error = "openOrders answer is not a JSON array";
        return false;
    }
    out.clear();
    for (simdjson::dom::element element : orders) {
        BinanceOrderAnswer order;
        if (!readOrder(element, instrument, order, error)) return false;
        out.push_back(std::move(order));
    }
    return true;
}

}  // namespace flowscope::trading
