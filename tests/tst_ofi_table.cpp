// The OFI table: clock windows, event counts, mid changes and per-level sums, worked by hand.
#include <QtTest>

#include <limits>

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

    // Sums that do not fit in 64 bits are refused (overflow() names the event and level), never
    // wrapped. Worked by hand: bid 100x0 -> 100xQ is e = +Q; -> 101x0 is e = +0 (the bid rose
    // to an empty queue); -> 100x0 is e = -0 (it fell from an empty queue). So each cycle of three
    // events adds Q, and with Q = 2^62 the second cycle's first event reaches 2^63.
    void windowSumThatWouldWrapIsRefused() {
        constexpr Lots q = Lots{1} << 62;
        OfiTableBuilder table(1, kSecond);
        const Level ask{200, 5};
        const Level start{100, 0};
        table.setInitial(std::span(&start, 1), std::span(&ask, 1));
        const Level cycle[] = {{100, q}, {101, 0}, {100, 0}};
        TimeNs t = 0;
        for (const Level& bid : cycle)
            table.addEvent(++t, std::span(&bid, 1), std::span(&ask, 1));
        QVERIFY(!table.overflow());
        table.addEvent(++t, std::span(&cycle[0], 1), std::span(&ask, 1));  // q + q = 2^63
        QVERIFY2(table.overflow(), "a sum of 2^63 must not wrap to a negative OFI");
        QCOMPARE(table.overflow()->timeNs, TimeNs{4});
        QCOMPARE(table.overflow()->level, 1);
        table.addEvent(++t, std::span(&cycle[1], 1), std::span(&ask, 1));  // ignored now
        QCOMPARE(table.overflow()->timeNs, TimeNs{4});
    }

    void singleContributionThatWouldWrapIsRefused() {
        // Both sides' terms at their largest: the bid rises to a queue of 2^63 - 1 (+q) and the
        // ask rises away from a queue of 2^63 - 1 (+q): e = 2q does not fit.
        constexpr Lots q = std::numeric_limits<Lots>::max();
        OfiTableBuilder table(2, kSecond);
        const Level bids0[] = {{100, 1}, {99, 1}}, asks0[] = {{101, q}, {102, 1}};
        table.setInitial(bids0, asks0);
        const Level bids1[] = {{100, 1}, {99, 1}}, asks1[] = {{101, q}, {102, 1}};
        table.addEvent(1, bids1, asks1);  // nothing moved: e = 0
        QVERIFY(!table.overflow());
        const Level bids2[] = {{101, q}, {100, 1}}, asks2[] = {{102, 1}, {103, 1}};
        table.addEvent(2, bids2, asks2);
        QVERIFY(table.overflow());
        QCOMPARE(table.overflow()->level, 1);
        QCOMPARE(table.overflow()->timeNs, TimeNs{2});
    }

    void largeButRepresentableSumsAreExact() {
        // 2^62 + (2^62 - 1) = 2^63 - 1 fits exactly.
        constexpr Lots q = Lots{1} << 62;
        OfiTableBuilder table(1, kSecond);
        const Level ask{200, 5};
        const Level start{100, 0};
        table.setInitial(std::span(&start, 1), std::span(&ask, 1));
        const Level states[] = {{100, q}, {101, 0}, {100, 0}, {100, q - 1}};
        TimeNs t = 0;
        for (const Level& bid : states)
            table.addEvent(++t, std::span(&bid, 1), std::span(&ask, 1));
        QVERIFY(!table.overflow());
        table.finish();
        QCOMPARE(table.windows().size(), std::size_t{1});
        QCOMPARE(table.windows()[0].ofi[0], std::numeric_limits<Lots>::max());
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
