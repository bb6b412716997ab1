#pragma once
// Readable QCOMPARE failures for core types (found by argument-dependent lookup).
#include <QtTest>

#include "book/order_book.h"

namespace flowscope {

inline char* toString(const Level& l) {
    if (l.price == kNoBidPrice) return QTest::toString(QStringLiteral("(no bid, %1)").arg(l.qty));
    if (l.price == kNoAskPrice) return QTest::toString(QStringLiteral("(no ask, %1)").arg(l.qty));
    return QTest::toString(QStringLiteral("(%1 x %2)").arg(l.price).arg(l.qty));
}
inline char* toString(BookError e) {
    return QTest::toString(flowscope::describe(e));
}
inline char* toString(BookState s) {
    return QTest::toString(flowscope::describe(s));
}
inline char* toString(Side s) {
    return QTest::toString(s == Side::Bid ? "bid" : "ask");
}

}  // namespace flowscope
