// BookSide against a std::map reference under operations aimed at its layout: the edges of the
// dense window, touches that drift or jump far enough to move it, prices far outside it (the
// sorted-block store behind it), prices crossing between the two, clear and assign, an empty
// side, deep level(i), the cached best levels, extreme 64-bit prices, both sides. Also the memory
// bound for pathological price ranges and no allocation in steady state.
#include <QtTest>

#include <algorithm>
#include <limits>
#include <map>
#include <random>
#include <vector>

#include "allocation_count.h"
#include "book/book_side.h"
#include "test_printers.h"

using namespace flowscope;
using flowscope::testing::AllocationCount;

Q_DECLARE_METATYPE(flowscope::Side)

namespace {

constexpr PriceTicks kMaxPrice = std::numeric_limits<PriceTicks>::max() - 1;  // not the sentinel
constexpr PriceTicks kMinPrice = std::numeric_limits<PriceTicks>::min() + 1;

/// The obviously right model: a map from price to size, read best first.
struct Reference {
    explicit Reference(Side s) : side(s) {}
    Side side;
    std::map<PriceTicks, Lots> levels;

    Lots set(PriceTicks price, Lots qty) {
        const auto it = levels.find(price);
        const Lots previous = it == levels.end() ? 0 : it->second;
        if (qty > 0)
            levels[price] = qty;
        else if (it != levels.end())
            levels.erase(it);
        return previous;
    }
    Lots add(PriceTicks price, Lots delta) {
        const auto it = levels.find(price);
        if (it == levels.end()) {
            if (delta <= 0) return 0;
            levels[price] = delta;
            return delta;
        }
        const Lots updated = it->second + delta;
        if (updated > 0) {
            it->second = updated;
            return updated;
        }
        levels.erase(it);
        return 0;
    }
    std::vector<Level> bestFirst() const {
        std::vector<Level> out;
        if (side == Side::Bid)
            for (auto it = levels.rbegin(); it != levels.rend(); ++it)
                out.push_back({it->first, it->second});
        else
            for (const auto& [p, q] : levels)
                out.push_back({p, q});
        return out;
    }
    PriceTicks randomPrice(std::mt19937_64& rng) const {
        auto it = levels.begin();
        std::advance(it, static_cast<long>(rng() % levels.size()));
        return it->first;
    }
};

/// A price `ticks` behind `touch` on `side` (negative: better), saturating at the 64-bit edges.
PriceTicks behind(Side side, PriceTicks touch, long double ticks) {
    const long double p = side == Side::Bid ? static_cast<long double>(touch) - ticks
                                            : static_cast<long double>(touch) + ticks;
    if (p >= static_cast<long double>(kMaxPrice)) return kMaxPrice;
    if (p <= static_cast<long double>(kMinPrice)) return kMinPrice;
    return static_cast<PriceTicks>(p);
}

/// Everything the side answers, against the reference; `full` adds the O(depth) reads.
void compare(const BookSide& side, const Reference& ref, std::mt19937_64& rng, bool full) {
    const Level none = emptyLevel(ref.side);
    const std::size_t depth = ref.levels.size();
    // The i-th best level of the reference, walking the map (best first).
    const auto refLevel = [&](std::size_t i) -> Level {
        if (i >= depth) return none;
        if (ref.side == Side::Ask) {
            auto it = ref.levels.begin();
            std::advance(it, static_cast<long>(i));
            return {it->first, it->second};
        }
        auto it = ref.levels.rbegin();
        std::advance(it, static_cast<long>(i));
        return {it->first, it->second};
    };
    std::vector<Level> head;  // the best 45 levels
    for (std::size_t i = 0; i < std::min<std::size_t>(depth, 45); ++i)
        head.push_back(refLevel(i));
    QCOMPARE(side.depth(), depth);
    QCOMPARE(side.empty(), depth == 0);
    QCOMPARE(side.best(), refLevel(0));
    QCOMPARE(side.worst(), depth ? refLevel(depth - 1) : none);
    for (int k = 0; k < 3; ++k) {
        const std::size_t i = rng() % 45;
        QCOMPARE(side.level(i), i < head.size() ? head[i] : none);
    }
    if (rng() % 4 == 0) {
        const std::size_t i = rng() % (depth + 3);  // anywhere, or past the end
        QCOMPARE(side.level(i), refLevel(i));
    }
    for (const std::size_t n :
         {std::size_t{1}, std::size_t{10}, std::size_t{16}, std::size_t{17}, std::size_t{40}}) {
        std::vector<Level> out(n, Level{42, 42});
        side.top(out);
        for (std::size_t i = 0; i < n; ++i)
            QCOMPARE(out[i], i < head.size() ? head[i] : none);
    }
    if (depth) {
        const PriceTicks p = ref.randomPrice(rng);
        QCOMPARE(side.sizeAt(p), ref.levels.at(p));
    }
    if (!full) return;
    const std::vector<Level> want = ref.bestFirst();
    // Worst to best, whole.
    const std::span<const Level> flat = side.worstToBest();
    QCOMPARE(flat.size(), want.size());
    for (std::size_t i = 0; i < want.size(); ++i)
        QCOMPARE(flat[i], want[want.size() - 1 - i]);
    // level(i) in turn (the cursor), then backwards and past the end.
    for (std::size_t i = 0; i < want.size() + 2; ++i)
        QCOMPARE(side.level(i), i < want.size() ? want[i] : none);
    for (std::size_t i = want.size(); i-- > 0;)
        QCOMPARE(side.level(i), want[i]);
    std::vector<Level> all(want.size() + 5);
    side.top(all);
    for (std::size_t i = 0; i < all.size(); ++i)
        QCOMPARE(all[i], i < want.size() ? want[i] : none);
    // Absent prices read zero: next to levels.
    for (const Level& l : want) {
        if (!ref.levels.count(l.price + 1) && l.price < kMaxPrice)
            QCOMPARE(side.sizeAt(l.price + 1), Lots{0});
    }
    QVERIFY(side.windowTicks() <= BookSide::kMaxWindowTicks);
}

/// One random update or read aimed at the structure; `touch` drifts and sometimes jumps.
struct Driver {
    Side side;
    std::mt19937_64 rng;
    PriceTicks touch;
    PriceTicks grid = 1;  ///< prices on a coarser grid (LOBSTER-like: 100 units a tick)

    PriceTicks price(const Reference& ref) {
        const unsigned r = static_cast<unsigned>(rng() % 100);
        if (r < 30 && !ref.levels.empty()) return ref.randomPrice(rng);  // an existing level
        long double ticks = 0;
        if (r < 55)
            ticks = static_cast<long double>(rng() % 40) - 4;  // at and around the touch
        else if (r < 75)
            ticks = static_cast<long double>(rng() % 20'000);  // Binance-like depth
        else if (r < 88) {
            // Around the edges of the largest window (7/8 of it behind the touch, 1/8 ahead).
            const auto w = static_cast<long double>(BookSide::kMaxWindowTicks);
            const long double edges[] = {w * 7 / 8, -w / 8, w / 2, w};
            ticks = edges[rng() % 4] + static_cast<long double>(rng() % 200) - 100;
        } else if (r < 95)
            ticks = static_cast<long double>(rng() % 1'000'000'000);  // far: the block store
        else if (r < 98)
            ticks = -static_cast<long double>(rng() % 3'000'000);  // far ahead of the touch
        else
            return rng() & 1 ? kMaxPrice - static_cast<PriceTicks>(rng() % 5)
                             : kMinPrice + static_cast<PriceTicks>(rng() % 5);
        const PriceTicks p = behind(side, touch, ticks * static_cast<long double>(grid));
        return grid > 1 && p > kMinPrice + grid && p < kMaxPrice - grid ? p - p % grid : p;
    }

    void moveTouch() {
        const unsigned r = static_cast<unsigned>(rng() % 1000);
        long double by = 0;
        if (r < 300)
            by = static_cast<long double>(rng() % 21) - 10;
        else if (r < 302)
            by = static_cast<long double>(rng() % 600'000) - 300'000;  // past the window
        else if (r < 303)
            by = static_cast<long double>(rng() % 4'000'000'000) - 2'000'000'000;
        touch = behind(Side::Bid, touch, by * static_cast<long double>(grid));
        touch = std::clamp<PriceTicks>(touch, -4'000'000'000'000, 4'000'000'000'000);
    }

    std::vector<Level> snapshot() {
        std::vector<Level> levels;
        const unsigned kind = static_cast<unsigned>(rng() % 5);
        const std::size_t n = kind == 0 ? 0 : kind == 1 ? 2 : 1 + rng() % 1500;
        const long double spacing = kind == 1   ? 1e12L  // two far-apart levels
                                    : kind == 2 ? 1e6L   // a billion ticks
                                                : 1 + static_cast<long double>(rng() % 40);
        for (std::size_t i = 0; i < n; ++i) {
            const PriceTicks p =
                behind(side, touch,
                       spacing * static_cast<long double>(i) * static_cast<long double>(grid));
            if (!levels.empty() && levels.back().price == p) break;  // saturated: distinct only
            levels.push_back({p, 1 + static_cast<Lots>(rng() % 500)});
        }
        std::shuffle(levels.begin(), levels.end(), rng);
        if (!levels.empty() && rng() % 2)
            levels.push_back({levels.front().price + 1, 0});  // skipped
        return levels;
    }
};

}  // namespace

class TestBookSide : public QObject {
    Q_OBJECT

  private slots:
    void randomOperationsMatchReference_data() {
        QTest::addColumn<Side>("side");
        QTest::addColumn<quint64>("seed");
        QTest::addColumn<qint64>("grid");
        QTest::newRow("bid") << Side::Bid << quint64{1} << qint64{1};
        QTest::newRow("ask") << Side::Ask << quint64{2} << qint64{1};
        QTest::newRow("bid, 100-unit grid") << Side::Bid << quint64{3} << qint64{100};
        QTest::newRow("ask, 100-unit grid") << Side::Ask << quint64{4} << qint64{100};
        QTest::newRow("bid, other seed") << Side::Bid << quint64{5} << qint64{1};
        QTest::newRow("ask, other seed") << Side::Ask << quint64{6} << qint64{1};
    }
    void randomOperationsMatchReference() {
        QFETCH(Side, side);
        QFETCH(quint64, seed);
        QFETCH(qint64, grid);
        BookSide book(side, 64);  // small reserve: buffers grow as they go
        Reference ref(side);
        Driver d{side, std::mt19937_64(seed), 50'000'000, grid};
        std::mt19937_64 readRng(seed + 100);
        for (int i = 0; i < 120'000; ++i) {
            const unsigned r = static_cast<unsigned>(d.rng() % 1000);
            if (r < 2) {
                book.clear();
                ref.levels.clear();
            } else if (r < 6) {
                const std::vector<Level> levels = d.snapshot();
                book.assign(levels);
                ref.levels.clear();
                for (const Level& l : levels)
                    if (l.qty > 0) ref.levels[l.price] = l.qty;
            } else if (r < 12 && !ref.levels.empty()) {
                // Delete the best, as a trade through the touch does.
                const PriceTicks best = ref.bestFirst().front().price;
                QCOMPARE(book.set(best, 0), ref.set(best, 0));
            } else if (r < 600) {
                const PriceTicks p = d.price(ref);
                const Lots q = d.rng() % 3 == 0 ? 0 : 1 + static_cast<Lots>(d.rng() % 1000);
                QCOMPARE(book.set(p, q), ref.set(p, q));
            } else {
                const PriceTicks p = d.price(ref);
                const Lots delta = static_cast<Lots>(d.rng() % 1200) - 700;
                QCOMPARE(book.add(p, delta), ref.add(p, delta));
            }
            // Keep the book about Binance-sized: delete a random level when deep.
            if (ref.levels.size() > 2500) {
                const PriceTicks p = ref.randomPrice(d.rng);
                QCOMPARE(book.set(p, 0), ref.set(p, 0));
            }
            d.moveTouch();
            compare(book, ref, readRng, i % 1500 == 0);
            if (QTest::currentTestFailed()) qFatal("diverged at operation %d", i);
        }
        compare(book, ref, readRng, true);
    }

    void touchRunsThroughTheCachedLevels_data() {
        QTest::addColumn<Side>("side");
        QTest::newRow("bid") << Side::Bid;
        QTest::newRow("ask") << Side::Ask;
    }
    void touchRunsThroughTheCachedLevels() {
        // Everything happens within a few dozen levels of the touch: inserts better than the
        // best, deletes of the best and of levels around the 10th to 17th, resizes there.
        QFETCH(Side, side);
        BookSide book(side);
        Reference ref(side);
        std::mt19937_64 rng(side == Side::Bid ? 21 : 22);
        PriceTicks touch = 1'000'000;
        for (int i = 0; i < 60'000; ++i) {
            const std::vector<Level> want = ref.bestFirst();
            const unsigned r = static_cast<unsigned>(rng() % 10);
            PriceTicks p = behind(side, touch, static_cast<long double>(rng() % 60));
            if (r < 3 && !want.empty())
                p = want[std::min<std::size_t>(rng() % 20, want.size() - 1)].price;
            if (r == 3) p = behind(side, touch, -static_cast<long double>(rng() % 3));
            const Lots q = rng() % 3 == 0 ? 0 : 1 + static_cast<Lots>(rng() % 50);
            QCOMPARE(book.set(p, q), ref.set(p, q));
            if (rng() % 50 == 0)
                touch = behind(side, touch, static_cast<long double>(rng() % 7) - 3);
            compare(book, ref, rng, i % 5000 == 0);
            if (QTest::currentTestFailed()) qFatal("diverged at operation %d", i);
        }
    }

    void emptySideReadsEmptyLevels_data() {
        QTest::addColumn<Side>("side");
        QTest::newRow("bid") << Side::Bid;
        QTest::newRow("ask") << Side::Ask;
    }
    void emptySideReadsEmptyLevels() {
        QFETCH(Side, side);
        BookSide book(side);
        for (int round = 0; round < 3; ++round) {
            QVERIFY(book.empty());
            QCOMPARE(book.best(), emptyLevel(side));
            QCOMPARE(book.worst(), emptyLevel(side));
            QCOMPARE(book.level(0), emptyLevel(side));
            QCOMPARE(book.level(1000), emptyLevel(side));
            QCOMPARE(book.sizeAt(100), Lots{0});
            QCOMPARE(book.set(100, 0), Lots{0});
            QCOMPARE(book.add(100, -5), Lots{0});
            QVERIFY(book.worstToBest().empty());
            Level out[3];
            book.top(out);
            for (const Level& l : out)
                QCOMPARE(l, emptyLevel(side));
            // Fill it with a far-flung book, then empty it each round a different way.
            QCOMPARE(book.set(100, 5), Lots{0});
            QCOMPARE(book.set(100 + 1'000'000'000, 6), Lots{0});
            QCOMPARE(book.set(100 - 1'000'000'000, 7), Lots{0});
            QCOMPARE(book.depth(), std::size_t{3});
            if (round == 0) {
                book.clear();
            } else if (round == 1) {
                book.assign({});
            } else {
                QCOMPARE(book.add(100, -5), Lots{0});
                QCOMPARE(book.set(100 + 1'000'000'000, 0), Lots{6});
                QCOMPARE(book.add(100 - 1'000'000'000, -100), Lots{0});
            }
        }
    }

    void pathologicalRangesStayWithinMemory_data() {
        QTest::addColumn<Side>("side");
        QTest::newRow("bid") << Side::Bid;
        QTest::newRow("ask") << Side::Ask;
    }
    void pathologicalRangesStayWithinMemory() {
        // A snapshot spanning a billion ticks, two levels 10^12 apart, the extremes of the
        // 64-bit range: the window stays capped and the rest lives in the block store.
        QFETCH(Side, side);
        constexpr std::size_t kBound = 8u << 20;  // the window is 2 MiB of sizes at most
        BookSide book(side, 16);
        std::vector<Level> spread;
        for (PriceTicks i = 0; i < 1000; ++i)
            spread.push_back({1'000'000'000'000 + i * 1'000'000, i + 1});
        AllocationCount assignCount;
        book.assign(spread);
        assignCount.stop();
        QVERIFY2(assignCount.bytes() < kBound, qPrintable(QString::number(assignCount.bytes())));
        QCOMPARE(book.depth(), std::size_t{1000});
        QVERIFY(book.windowTicks() <= BookSide::kMaxWindowTicks);
        QVERIFY(book.farDepth() >= 990);
        const Level best = side == Side::Bid ? spread.back() : spread.front();
        QCOMPARE(book.best(), best);

        const Level pair[] = {{5, 1}, {5 + 1'000'000'000'000, 2}};
        AllocationCount edgesCount;
        book.assign(pair);
        // Alternate between the two ends, then add levels at the 64-bit edges.
        for (int i = 1; i < 1000; ++i) {
            const PriceTicks p = i % 2 ? pair[1].price - i : pair[0].price + i;
            QCOMPARE(book.set(p, 3), Lots{0});
        }
        QCOMPARE(book.set(kMaxPrice, 9), Lots{0});
        QCOMPARE(book.set(kMinPrice, 8), Lots{0});
        edgesCount.stop();
        QVERIFY2(edgesCount.bytes() < kBound, qPrintable(QString::number(edgesCount.bytes())));
        QCOMPARE(book.depth(), std::size_t{1003});
        QCOMPARE(book.best(), side == Side::Bid ? (Level{kMaxPrice, 9}) : (Level{kMinPrice, 8}));
        QCOMPARE(book.worst(), side == Side::Bid ? (Level{kMinPrice, 8}) : (Level{kMaxPrice, 9}));
        QCOMPARE(book.level(1), side == Side::Bid ? pair[1] : pair[0]);
        QCOMPARE(book.sizeAt(kMaxPrice), Lots{9});
        QCOMPARE(book.sizeAt(kMinPrice), Lots{8});
        QVERIFY(book.windowTicks() <= BookSide::kMaxWindowTicks);
    }

    void steadyStateDoesNotAllocate_data() {
        QTest::addColumn<Side>("side");
        QTest::newRow("bid") << Side::Bid;
        QTest::newRow("ask") << Side::Ask;
    }
    void steadyStateDoesNotAllocate() {
        // A Binance-like book (1,000 levels, diffs 20,000 ticks deep and some far beyond the
        // window) after warm-up: updates, reads of the top and deep levels allocate nothing.
        QFETCH(Side, side);
        BookSide book(side);
        std::vector<Level> levels;
        for (PriceTicks i = 0; i < 1000; ++i)
            levels.push_back({behind(side, 6'000'000, static_cast<long double>(i * 20)), i + 1});
        book.assign(levels);
        std::mt19937_64 rng(31);
        std::vector<PriceTicks> universe;
        for (int i = 0; i < 3000; ++i) {
            const long double ticks = i % 10 == 0 ? static_cast<long double>(rng() % 5'000'000)
                                                  : static_cast<long double>(rng() % 25'000);
            universe.push_back(behind(side, 6'000'000, ticks));
        }
        const auto run = [&](int n) {
            Level top[10];
            for (int i = 0; i < n; ++i) {
                book.set(universe[rng() % universe.size()],
                         rng() % 2 ? 0 : 1 + static_cast<Lots>(rng() % 100));
                book.top(top);
                if (i % 100 == 0) (void)book.level(rng() % (book.depth() + 1));
            }
        };
        run(200'000);
        AllocationCount count;
        run(100'000);
        count.stop();
        QCOMPARE(count.allocations(), std::size_t{0});
    }
};

QTEST_GUILESS_MAIN(TestBookSide)
#include "tst_book_side.moc"
