#include "lobster_scenario.h"

#include <iostream>
#include <limits>
#include <stdexcept>

namespace flowscope::exchange {

namespace {

constexpr int kLobsterPriceDecimals = 4;

WideInt pow10(int n) {
    WideInt value = 1;
    for (int i = 0; i < n; ++i)
        value *= 10;
    return value;
}

// value * 10^valueDecimals expressed in steps of `step`, exactly.
std::optional<std::int64_t> toSteps(std::int64_t value, int valueDecimals, DecimalStep step) {
    // value * 10^-valueDecimals / (mantissa * 10^-decimals)
    WideInt numerator = static_cast<WideInt>(value);
    WideInt denominator = static_cast<WideInt>(step.mantissa);
    if (step.decimals >= valueDecimals)
        numerator *= pow10(step.decimals - valueDecimals);
    else
        denominator *= pow10(valueDecimals - step.decimals);
    if (numerator % denominator != 0) return std::nullopt;
    const WideInt steps = numerator / denominator;
    if (steps > std::numeric_limits<std::int64_t>::max() ||
        steps < std::numeric_limits<std::int64_t>::min())
        return std::nullopt;
    return static_cast<std::int64_t>(steps);
}

}  // namespace

std::optional<PriceTicks> lobsterPriceToTicks(PriceTicks lobsterPrice, DecimalStep tick) {
    return toSteps(lobsterPrice, kLobsterPriceDecimals, tick);
}

std::optional<Lots> sharesToLots(Lots shares, DecimalStep lot) {
    return toSteps(shares, 0, lot);
}

LobsterScenario::LobsterScenario(const std::string& messagesPath, const std::string& bookPath,
                                 DecimalStep tick, DecimalStep lot)
    : tick_(tick), lot_(lot) {
    if (!reader_.open(messagesPath, bookPath) || !reader_.next()) {
        const std::string why = reader_.error() ? reader_.error()->toString() : "empty files";
        throw std::runtime_error("lobster scenario: " + why);
    }
    if (!convertRow(bids_, asks_))
        throw std::runtime_error(
            "lobster scenario: the first book row is not a whole number of --tick/--lot");
}

void LobsterScenario::start(Market& market) {
    // The first row (already read) is the starting book; its message happened before we opened.
    market.load(bids_, asks_);
}

bool LobsterScenario::convertRow(std::vector<Level>& bids, std::vector<Level>& asks) const {
    const LobsterRow& row = reader_.row();
    for (Side side : {Side::Bid, Side::Ask}) {
        auto& out = side == Side::Bid ? bids : asks;
        out.clear();
        for (const Level& level : side == Side::Bid ? row.bids : row.asks) {
            if (isEmptyLevel(level) || level.qty <= 0) continue;
            const auto price = lobsterPriceToTicks(level.price, tick_);
            const auto qty = sharesToLots(level.qty, lot_);
            if (!price || !qty) return false;
            out.push_back({*price, *qty});
        }
    }
    return true;
}

void LobsterScenario::reconcile(Market& market, Side side, const std::vector<Level>& target) {
    // Levels the row no longer lists are gone; then every listed level takes its size (setLevel
    // skips unchanged ones, so a message costs one or two update ids as on a real venue).
    const BookSide& current = market.book().side(side);
    for (std::size_t i = current.depth(); i-- > 0;) {
        const PriceTicks price = current.level(i).price;
        bool listed = false;
        for (const Level& level : target)
            listed = listed || level.price == price;
        if (!listed) (void)market.setLevel(side, price, 0);
    }
    for (const Level& level : target)
        (void)market.setLevel(side, level.price, level.qty);
}

void LobsterScenario::reject(const std::string& why) {
    if (rejected_++ == 0) std::cerr << "lobster scenario: skipping rows: " << why << '\n';
}

std::size_t LobsterScenario::advance(Market& market, std::size_t events) {
    std::size_t applied = 0;
    while (applied < events && !finished_) {
        if (!reader_.next()) {
            finished_ = true;
            if (reader_.error())
                std::cerr << "lobster scenario: stopped: " << reader_.error()->toString() << '\n';
            else
                std::cerr << "lobster scenario: end of file; the market stops moving\n";
            break;
        }
        ++applied;
        const LobsterRow& row = reader_.row();
        if (!convertRow(bids_, asks_)) {
            reject("row " + std::to_string(row.index + 1) +
                   ": book not a whole number of --tick/--lot");
            continue;
        }
        Side aggressor = Side::Bid;
        if (lobsterTrade(row.message, aggressor)) {
            const auto price = lobsterPriceToTicks(row.message.price, tick_);
            const auto qty = sharesToLots(row.message.size, lot_);
            if (price && qty && *qty > 0)
                market.trade(aggressor, *price, *qty);
            else
                reject("row " + std::to_string(row.index + 1) + ": execution not convertible");
        }
        reconcile(market, Side::Bid, bids_);
        reconcile(market, Side::Ask, asks_);
    }
    return applied;
}

}  // namespace flowscope::exchange
