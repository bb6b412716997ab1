#include "trading/risk_limits.h"

#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <utility>

namespace flowscope::trading {

namespace {

constexpr TimeNs kOneSecondNs = 1'000'000'000;

std::string fixed(double value, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
    return buf;
}

/// Basis points as a percentage with at least one decimal: 100 -> "1.0%", 25 -> "0.25%".
std::string percentOfBps(std::int64_t bps) {
    std::string s = fixed(static_cast<double>(bps) / 100.0, 2);
    if (s.back() == '0') s.pop_back();
    return s + "%";
}

}  // namespace

std::string withThousands(const std::string& decimal) {
    const std::size_t sign = !decimal.empty() && decimal[0] == '-' ? 1 : 0;
    std::size_t end = decimal.find('.');
    if (end == std::string::npos) end = decimal.size();
    std::string out = decimal.substr(0, sign);
    for (std::size_t i = sign; i < end; ++i) {
        if (i > sign && (end - i) % 3 == 0) out += ',';
        out += decimal[i];
    }
    out.append(decimal, end, std::string::npos);
    return out;
}

std::string RiskLimits::validate() const {
    if (maxOrderQty <= 0) return "max order size must be positive";
    if (!(maxOrderNotional > 0)) return "max order notional must be positive";
    if (priceBandBps <= 0) return "price band must be positive";
    if (maxOpenOrders <= 0) return "max open orders must be positive";
    if (maxPositionQty <= 0) return "max position must be positive";
    if (maxOrdersPerSecond <= 0) return "max orders per second must be positive";
    if (!(dailyLossLimit > 0)) return "daily loss limit must be positive";
    return {};
}

const char* describe(RiskRule r) {
    switch (r) {
        case RiskRule::Disarmed:
            return "disarmed";
        case RiskRule::InvalidOrder:
            return "invalid order";
        case RiskRule::MaxOrderSize:
            return "order size";
        case RiskRule::NoMarketPrice:
            return "no market price";
        case RiskRule::MaxNotional:
            return "notional";
        case RiskRule::PriceBand:
            return "price band";
        case RiskRule::MaxOpenOrders:
            return "open orders";
        case RiskRule::MaxPosition:
            return "position";
        case RiskRule::OrderRate:
            return "order rate";
        case RiskRule::DailyLoss:
            return "daily loss";
    }
    return "?";
}

RiskCheck::RiskCheck(Instrument instrument, RiskLimits limits)
    : instrument_(std::move(instrument)), limits_(limits) {
    if (const std::string error = limits_.validate(); !error.empty())
        throw std::invalid_argument("RiskLimits: " + error);
}

std::string RiskCheck::formatPrice(PriceTicks ticks) const {
    return withThousands(instrument_.formatPrice(ticks));
}

bool RiskCheck::setOrderStep(DecimalStep step) {
    const auto lots = instrument_.parseSize(step.toString());
    if (!lots || *lots <= 0) return false;
    orderStepLots_ = *lots;
    return true;
}

std::optional<RiskRejection> RiskCheck::check(const OrderRequest& request,
                                              const RiskContext& context) const {
    auto reject = [](RiskRule rule, std::string detail) {
        return std::optional<RiskRejection>(
            RiskRejection{rule, std::string(describe(rule)) + ": " + std::move(detail)});
    };
    const bool priced = request.type != OrderType::Market;

    if (!armed_) return reject(RiskRule::Disarmed, "trading is not armed");
    if (request.qty <= 0) return reject(RiskRule::InvalidOrder, "size must be positive");
    if (priced && request.priceTicks <= 0)
        return reject(RiskRule::InvalidOrder, "price must be positive");
    if (request.qty % orderStepLots_ != 0)
        return reject(RiskRule::InvalidOrder, "size " + instrument_.formatSize(request.qty) +
                                                  " is not a multiple of the venue's order step " +
                                                  instrument_.formatSize(orderStepLots_));

    if (request.qty > limits_.maxOrderQty)
        return reject(RiskRule::MaxOrderSize,
                      withThousands(instrument_.formatSize(request.qty)) + " exceeds the limit " +
                          withThousands(instrument_.formatSize(limits_.maxOrderQty)));

    if (!context.bestBid || !context.bestAsk)
        return reject(RiskRule::NoMarketPrice, "no two-sided book to check the order against");
    const PriceTicks bid = *context.bestBid;
    const PriceTicks ask = *context.bestAsk;

    // A market order is valued at the touch it will take from first.
    const PriceTicks valuedAt =
        priced ? request.priceTicks : (request.side == Side::Bid ? ask : bid);
    const double notional = instrument_.toPrice(valuedAt) * instrument_.toSize(request.qty);
    if (notional > limits_.maxOrderNotional)
        return reject(RiskRule::MaxNotional, withThousands(fixed(notional, 2)) +
                                                 " exceeds the limit " +
                                                 withThousands(fixed(limits_.maxOrderNotional, 2)));

    if (priced) {
        // |p - mid| / mid > band  <=>  |2p - (bid + ask)| * 10^4 > band_bps * (bid + ask):
        // exact in integers, so an order exactly at the band passes.
        const std::int64_t twiceMid = bid + ask;
        const std::int64_t distance = std::llabs(2 * request.priceTicks - twiceMid);
        if (distance * 10'000 > limits_.priceBandBps * twiceMid) {
            const double pct =
                100.0 * static_cast<double>(distance) / static_cast<double>(twiceMid);
            const double midPrice = instrument_.toPrice(bid) / 2 + instrument_.toPrice(ask) / 2;
            const int decimals = instrument_.tickSize().decimals + 1;
            std::string mid = withThousands(fixed(midPrice, decimals));
            // Keep the tick's decimals when the mid sits on a tick.
            if ((twiceMid % 2) == 0) mid = formatPrice(twiceMid / 2);
            return reject(RiskRule::PriceBand, formatPrice(request.priceTicks) + " is " +
                                                   fixed(pct, 1) + "% from mid " + mid +
                                                   ", limit " + percentOfBps(limits_.priceBandBps));
        }
    }

    if (context.openOrders + 1 > limits_.maxOpenOrders)
        return reject(RiskRule::MaxOpenOrders, std::to_string(context.openOrders) +
                                                   " open, limit " +
                                                   std::to_string(limits_.maxOpenOrders));

    const Lots worstCase = request.side == Side::Bid
                               ? context.positionQty + context.openBuyQty + request.qty
                               : context.positionQty - context.openSellQty - request.qty;
    if (std::llabs(worstCase) > limits_.maxPositionQty)
        return reject(RiskRule::MaxPosition,
                      "would reach " + withThousands(instrument_.formatSize(worstCase)) +
                          " if open orders fill, limit " +
                          withThousands(instrument_.formatSize(limits_.maxPositionQty)));

    int inLastSecond = 0;
    for (const TimeNs t : context.recentSubmitsNs)
        if (t <= context.nowNs && context.nowNs - t < kOneSecondNs) ++inLastSecond;
    if (inLastSecond + 1 > limits_.maxOrdersPerSecond)
        return reject(RiskRule::OrderRate, std::to_string(inLastSecond) +
                                               " orders in the last second, limit " +
                                               std::to_string(limits_.maxOrdersPerSecond));

    const bool reduces = request.side == Side::Bid
                             ? context.positionQty < 0 && request.qty <= -context.positionQty
                             : context.positionQty > 0 && request.qty <= context.positionQty;
    if (context.dayPnl <= -limits_.dailyLossLimit && !reduces)
        return reject(RiskRule::DailyLoss,
                      "today's P&L " + withThousands(fixed(context.dayPnl, 2)) +
                          " is at or below -" + withThousands(fixed(limits_.dailyLossLimit, 2)) +
                          "; only reducing orders allowed");
    return std::nullopt;
}

}  // namespace flowscope::trading
