#pragma once
/// What the Binance trading tests share: the loopback exchange's account and instrument, risk
/// limits that let the tests' orders through, and the exchange's own view (touch, order
/// counters) read over its control channel, independent of the code under test. Header-only
/// because it needs Qt's JSON and the support library is Qt-free.

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "book/instrument.h"
#include "exchange_process.h"
#include "trading/risk_limits.h"

namespace flowscope::testing {

/// The credentials the tests start the exchange with (--api-key, --api-secret).
inline constexpr const char* kKey = "test-api-key-0123456789";
inline constexpr const char* kSecret = "test-api-secret-abcdefghij";

/// The exchange's default instrument (--tick 0.01 --lot 0.00001).
inline Instrument btcusdt() {
    return Instrument("BTCUSDT", *DecimalStep::parse("0.01"), *DecimalStep::parse("0.00001"));
}

inline trading::RiskLimits limits() {
    trading::RiskLimits l;
    l.maxOrderQty = 100'000;  // 1 BTC
    l.maxOrderNotional = 1'000'000;
    l.priceBandBps = 100;
    l.maxOpenOrders = 10;
    l.maxPositionQty = 1'000'000;
    l.maxOrdersPerSecond = 100;
    l.dailyLossLimit = 1'000'000;
    return l;
}

struct Touch {
    PriceTicks bid = 0;
    PriceTicks ask = 0;
};

/// The exchange's touch.
inline Touch serverTouch(ExchangeProcess& exchange) {
    const QJsonObject book = QJsonDocument::fromJson(exchange.book(1)).object();
    const Instrument instrument = btcusdt();
    Touch t;
    t.bid = *instrument.parsePrice(book["bids"].toArray()[0].toArray()[0].toString().toStdString());
    t.ask = *instrument.parsePrice(book["asks"].toArray()[0].toArray()[0].toString().toStdString());
    return t;
}

/// The exchange's order counters (signedRequests, rejected, placed, cancelled).
inline QJsonObject orderStats(ExchangeProcess& exchange) {
    const QByteArray answer = exchange.command("stats");
    return QJsonDocument::fromJson(answer.mid(3)).object()["orders"].toObject();
}

}  // namespace flowscope::testing
