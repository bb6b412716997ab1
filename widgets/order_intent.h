#pragma once
/// What a click on the ladder asks for. The trading layer turns intents into orders (after its
/// risk checks); views only describe what the user clicked.

#include <QMetaType>

#include "book/types.h"

namespace flowscope {

struct OrderIntent {
    enum class Kind : quint8 { Limit, CancelAtPrice };
    Kind kind = Kind::Limit;
    Side side = Side::Bid;
    PriceTicks price = 0;
    Lots qty = 0;  ///< from the trading panel's size; 0 for cancels

    friend bool operator==(const OrderIntent&, const OrderIntent&) = default;
};

}  // namespace flowscope

Q_DECLARE_METATYPE(flowscope::OrderIntent)
