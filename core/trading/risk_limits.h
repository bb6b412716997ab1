#pragma once
/// Pre-trade risk: limits per instrument and the check every order passes before anything
/// leaves. A blocked order names the rule that blocked it, in words the user can act on.
///
/// Threading: owned by the thread that owns the OrderManager.

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "book/instrument.h"
#include "trading/order.h"

namespace flowscope::trading {

/// Limits for one instrument. Sizes in lots, money in the quote currency (a config edge), the
/// price band in basis points so that the check stays in integers.
struct RiskLimits {
    Lots maxOrderQty = 0;           ///< per order
    double maxOrderNotional = 0;    ///< price x size of one order, quote currency
    std::int64_t priceBandBps = 0;  ///< fat-finger guard: max distance of a limit price from mid
    int maxOpenOrders = 0;          ///< live orders, this one included
    Lots maxPositionQty = 0;        ///< |position| if this and every open order on its side fill
    int maxOrdersPerSecond = 0;     ///< submissions in any trailing second, this one included
    double dailyLossLimit = 0;      ///< stop opening when today's P&L is at or below -this

    /// Empty when valid, otherwise what is wrong.
    std::string validate() const;
};

enum class RiskRule : std::uint8_t {
    Disarmed,      ///< trading is not armed
    InvalidOrder,  ///< size <= 0, or a priced order with price <= 0
    MaxOrderSize,
    NoMarketPrice,  ///< no two-sided book: no mid to check the band or a market order against
    MaxNotional,
    PriceBand,
    MaxOpenOrders,
    MaxPosition,
    OrderRate,
    DailyLoss,
};

const char* describe(RiskRule r);

struct RiskRejection {
    RiskRule rule = RiskRule::Disarmed;
    std::string message;  ///< e.g. "price band: 61,250.0 is 2.1% from mid 60,000.0, limit 1.0%"
};

/// What the check needs to know about the account and the market at the moment of the order.
struct RiskContext {
    std::optional<PriceTicks> bestBid;
    std::optional<PriceTicks> bestAsk;
    int openOrders = 0;                       ///< live orders before this one
    Lots openBuyQty = 0;                      ///< unfilled size of live buy orders
    Lots openSellQty = 0;                     ///< unfilled size of live sell orders
    Lots positionQty = 0;                     ///< signed: long > 0
    std::span<const TimeNs> recentSubmitsNs;  ///< earlier submissions (any order), any order
    TimeNs nowNs = 0;
    double dayPnl = 0;  ///< realised + unrealised - fees today, quote currency
};

class RiskCheck {
  public:
    /// `limits` must validate (throws std::invalid_argument otherwise). Starts disarmed.
    RiskCheck(Instrument instrument, RiskLimits limits);

    bool armed() const { return armed_; }
    void setArmed(bool armed) { armed_ = armed; }
    const RiskLimits& limits() const { return limits_; }
    const Instrument& instrument() const { return instrument_; }
    /// The venue's order step (coarser than the book's lot, e.g. Binance BTCUSDT 0.00001 against
    /// the book's 1e-8): sizes that are not a multiple of it are refused (InvalidOrder) instead
    /// of being rejected by the venue. False (and unchanged) when `step` is not a whole number of
    /// the instrument's lots.
    bool setOrderStep(DecimalStep step);
    /// The order step in the instrument's lots (1 when none was set).
    Lots orderStepLots() const { return orderStepLots_; }

    /// Nullopt when the order may leave; otherwise the first rule it breaks, in the order of
    /// RiskRule. An order that reduces the position is exempt from the daily loss limit, so a
    /// losing position can always be closed.
    [[nodiscard]] std::optional<RiskRejection> check(const OrderRequest& request,
                                                     const RiskContext& context) const;

  private:
    std::string formatPrice(PriceTicks ticks) const;

    Instrument instrument_;
    RiskLimits limits_;
    bool armed_ = false;
    Lots orderStepLots_ = 1;
};

/// "61250.5" -> "61,250.5": prices and sizes in rejection messages, as the ladder shows them.
std::string withThousands(const std::string& decimal);

}  // namespace flowscope::trading
