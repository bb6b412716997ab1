// The OFI table: clock windows, event counts, mid changes and per-level sums, worked by hand.
#include <QtTest>

#include "analysis/ofi_table.h"

using namespace flowscope;

namespace {
constexpr TimeNs kSecond = 1'000'000'000;
struct State {
    Level bid, ask;
};
}  // namespace

class TestOfiTable : public QObject {
    Q_OBJECT

  private slots:
    void windowsSumEventsAndMidChanges() {
        OfiTableBuilder table(1, kSecond);
        const State initial{{100, 10}, {102, 5}};  // mid 101
        table.setInitial(std::span(&initial.bid, 1), std::span(&initial.ask, 1));
        const struct {
            TimeNs t;
            State s;
        } events[] = {
            {kSecond / 2, {{100, 12}, {102, 5}}},        // e = +2,  mid 101
            {7 * kSecond / 10, {{101, 3}, {102, 5}}},    // e = +3,  mid 101.5
            {22 * kSecond / 10, {{101, 3}, {103, 1}}},   // e = +5,  mid 102
            {29 * kSecond / 10, {{100, 10}, {103, 1}}},  // e = -3,  mid 101.5
        };
        for (const auto& e : events)
            table.addEvent(e.t, std::span(&e.s.bid, 1), std::span(&e.s.ask, 1));
        table.finish();
        const auto& w = table.windows();
        QCOMPARE(w.size(), std::size_t{2});  // [1,2) has no event and is not reported
        QCOMPARE(w[0].startNs, TimeNs{0});
        QCOMPARE(w[0].endNs, kSecond);
        QCOMPARE(w[0].events, std::uint64_t{2});
        QCOMPARE(w[0].ofi[0], Lots{5});
        QCOMPARE(w[0].midChange(), 0.5);  // 101.5 - 101 (the initial state)
        QCOMPARE(w[1].startNs, 2 * kSecond);
        QCOMPARE(w[1].events, std::uint64_t{2});
        QCOMPARE(w[1].ofi[0], Lots{2});
        QCOMPARE(w[1].midChange(), 0.0);  // 101.5 - 101.5 (last event before the window)
    }

    void secondLevelIsSummedSeparately() {
        OfiTableBuilder table(2, kSecond);
        const Level bids0[] = {{100, 10}, {99, 4}}, asks0[] = {{101, 5}, {102, 6}};
        table.setInitial(bids0, asks0);
        // level 1 unchanged (0); level 2: bid 99x4 -> 99x9 (+5), ask 102x6 -> 103x2 (+6)
        const Level bids1[] = {{100, 10}, {99, 9}}, asks1[] = {{101, 5}, {103, 2}};
        table.addEvent(kSecond, bids1, asks1);
        table.finish();
        QCOMPARE(table.windows().size(), std::size_t{1});
        QCOMPARE(table.windows()[0].ofi[0], Lots{0});
        QCOMPARE(table.windows()[0].ofi[1], Lots{11});
        QCOMPARE(table.windows()[0].startNs, kSecond);
    }

    void emptySideMakesMidUndefined() {
        OfiTableBuilder table(1, kSecond);
        const Level bid{100, 1}, ask{101, 1};
        const Level noAsk = emptyLevel(Side::Ask);
        table.setInitial(std::span(&bid, 1), std::span(&ask, 1));
        table.addEvent(0, std::span(&bid, 1), std::span(&noAsk, 1));      // e = +1 (ask vanished)
        table.addEvent(kSecond, std::span(&bid, 1), std::span(&ask, 1));  // e = -1
        table.finish();
        QCOMPARE(table.windows().size(), std::size_t{2});
        QVERIFY(!table.windows()[0].midDefined);
        QCOMPARE(table.windows()[0].ofi[0], Lots{1});
        QVERIFY(!table.windows()[1].midDefined);  // measured from an undefined mid
        QCOMPARE(table.windows()[1].ofi[0], Lots{-1});
    }

    void invalidShapeIsRefused() {
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, OfiTableBuilder(0, kSecond));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, OfiTableBuilder(1, 0));
    }
};

QTEST_GUILESS_MAIN(TestOfiTable)
#include "tst_ofi_table.moc"
