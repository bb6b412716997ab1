// The L2 book: snapshot, updates, deletes, integrity states, deep prices, and a long random run
// checked against a std::map reference model.
#include <QtTest>

#include <map>
#include <random>

#include "book/order_book.h"
#include "test_printers.h"

using namespace flowscope;

Q_DECLARE_METATYPE(flowscope::Side)
Q_DECLARE_METATYPE(flowscope::BookState)

namespace {

// bids 100x10, 99x20; asks 103x5, 104x8
OrderBook smallBook() {
    OrderBook book;
    const Level bids[] = {{100, 10}, {99, 20}};
    const Level asks[] = {{103, 5}, {104, 8}};
    if (book.applySnapshot(bids, asks, 1, 0) != BookError::None) qFatal("snapshot rejected");
    return book;
}

}  // namespace

class TestOrderBook : public QObject {
    Q_OBJECT

  private slots:
    void snapshotSortsLevelsBestFirstAndSkipsZeros() {
        OrderBook book;
        const Level bids[] = {{99, 5}, {101, 7}, {100, 3}};
        const Level asks[] = {{105, 2}, {103, 4}, {104, 0}};
        QCOMPARE(book.applySnapshot(bids, asks, 42, 1000), BookError::None);
        QCOMPARE(book.bestBid(), (Level{101, 7}));
        QCOMPARE(book.bestAsk(), (Level{103, 4}));
        QCOMPARE(book.bids().depth(), std::size_t{3});
        QCOMPARE(book.asks().depth(), std::size_t{2});
        QCOMPARE(book.bids().level(2), (Level{99, 5}));
        QCOMPARE(book.sequence(), std::uint64_t{42});
        QCOMPARE(book.lastChangeNs(), TimeNs{1000});
    }

    void snapshotAcceptsPaddedEmptyLevels() {
        // Top-N views pad missing levels with the side's empty level; they are absent, not bad.
        OrderBook book;
        const Level bids[] = {{100, 1}, emptyLevel(Side::Bid)};
        const Level asks[] = {emptyLevel(Side::Ask), emptyLevel(Side::Ask)};
        QCOMPARE(book.applySnapshot(bids, asks, 1, 0), BookError::None);
        QCOMPARE(book.bids().depth(), std::size_t{1});
        QVERIFY(book.asks().empty());
    }

    void snapshotSentBestFirstIsOrderedWorstToBest() {
        OrderBook book;
        std::vector<Level> bids, asks;
        for (PriceTicks p = 0; p < 1000; ++p) {
            bids.push_back({5000 - p, p + 1});  // best first, as venues send them
            asks.push_back({5001 + p, p + 1});
        }
        QCOMPARE(book.applySnapshot(bids, asks, 1, 0), BookError::None);
        for (std::size_t i = 0; i < 1000; ++i) {
            QCOMPARE(book.bids().level(i), bids[i]);
            QCOMPARE(book.asks().level(i), asks[i]);
        }
    }

    void levelUpdateSetsReplacesAndDeletes_data() {
        QTest::addColumn<Side>("side");
        QTest::addColumn<qint64>("price");
        QTest::addColumn<qint64>("qty");
        QTest::addColumn<qint64>("bestPrice");
        QTest::addColumn<qint64>("bestQty");
        QTest::addColumn<int>("depth");
        QTest::newRow("delete best bid") << Side::Bid << 100LL << 0LL << 99LL << 20LL << 1;
        QTest::newRow("resize best bid") << Side::Bid << 100LL << 15LL << 100LL << 15LL << 2;
        QTest::newRow("new better bid") << Side::Bid << 101LL << 3LL << 101LL << 3LL << 3;
        QTest::newRow("deeper bid") << Side::Bid << 50LL << 7LL << 100LL << 10LL << 3;
        QTest::newRow("delete absent bid is a no-op")
            << Side::Bid << 98LL << 0LL << 100LL << 10LL << 2;
        QTest::newRow("delete best ask") << Side::Ask << 103LL << 0LL << 104LL << 8LL << 1;
        QTest::newRow("new better ask") << Side::Ask << 102LL << 1LL << 102LL << 1LL << 3;
        QTest::newRow("far ask") << Side::Ask << 1000000000LL << 1LL << 103LL << 5LL << 3;
        QTest::newRow("resize second ask") << Side::Ask << 104LL << 9LL << 103LL << 5LL << 2;
    }
    void levelUpdateSetsReplacesAndDeletes() {
        QFETCH(Side, side);
        QFETCH(qint64, price);
        QFETCH(qint64, qty);
        QFETCH(qint64, bestPrice);
        QFETCH(qint64, bestQty);
        QFETCH(int, depth);
        OrderBook book = smallBook();
        QCOMPARE(book.apply(side, price, qty, 2, 10), BookError::None);
        QCOMPARE(book.side(side).best(), (Level{bestPrice, bestQty}));
        QCOMPARE(static_cast<int>(book.side(side).depth()), depth);
        QCOMPARE(book.sequence(), std::uint64_t{2});
        QCOMPARE(book.lastChangeNs(), TimeNs{10});
        // the other side is untouched
        const Side other = opposite(side);
        QCOMPARE(book.side(other).best(), smallBook().side(other).best());
    }

    void touchStates_data() {
        QTest::addColumn<qint64>("bid");
        QTest::addColumn<qint64>("ask");
        QTest::addColumn<BookState>("state");
        QTest::newRow("normal") << 100LL << 101LL << BookState::Normal;
        QTest::newRow("locked") << 100LL << 100LL << BookState::Locked;
        QTest::newRow("crossed") << 102LL << 100LL << BookState::Crossed;
        QTest::newRow("no bid") << -1LL << 100LL << BookState::OneSided;
        QTest::newRow("no ask") << 100LL << -1LL << BookState::OneSided;
        QTest::newRow("empty") << -1LL << -1LL << BookState::Empty;
    }
    void touchStates() {
        QFETCH(qint64, bid);
        QFETCH(qint64, ask);
        QFETCH(BookState, state);
        OrderBook book;
        if (bid >= 0) QCOMPARE(book.apply(Side::Bid, bid, 1, 1, 0), BookError::None);
        if (ask >= 0) QCOMPARE(book.apply(Side::Ask, ask, 1, 2, 0), BookError::None);
        QCOMPARE(book.state(), state);
    }

    void negativeSizeIsRejectedAndBookUnchanged() {
        OrderBook book = smallBook();
        QCOMPARE(book.apply(Side::Bid, 100, -1, 9, 9), BookError::NegativeSize);
        QCOMPARE(book.bestBid(), (Level{100, 10}));
        QCOMPARE(book.sequence(), std::uint64_t{1});
    }

    void sentinelPriceIsRejected() {
        OrderBook book = smallBook();
        QCOMPARE(book.apply(Side::Ask, kNoAskPrice, 1, 9, 9), BookError::InvalidPrice);
        QCOMPARE(book.applyDelta(Side::Bid, kNoBidPrice, 1, 9, 9), BookError::InvalidPrice);
        QCOMPARE(book.asks().depth(), std::size_t{2});
    }

    void rejectedSnapshotLeavesBookAsItWas_data() {
        QTest::addColumn<qint64>("secondBidPrice");
        QTest::addColumn<qint64>("secondBidQty");
        QTest::addColumn<BookError>("error");
        QTest::newRow("duplicate price") << 50LL << 1LL << BookError::DuplicateLevel;
        QTest::newRow("negative size") << 49LL << -1LL << BookError::NegativeSize;
        QTest::newRow("sentinel price")
            << static_cast<qint64>(kNoBidPrice) << 1LL << BookError::InvalidPrice;
    }
    void rejectedSnapshotLeavesBookAsItWas() {
        QFETCH(qint64, secondBidPrice);
        QFETCH(qint64, secondBidQty);
        QFETCH(BookError, error);
        OrderBook book = smallBook();
        const Level bids[] = {{50, 1}, {secondBidPrice, secondBidQty}};
        const Level asks[] = {{60, 1}};
        QCOMPARE(book.applySnapshot(bids, asks, 7, 7), error);
        QCOMPARE(book.bestBid(), (Level{100, 10}));
        QCOMPARE(book.bestAsk(), (Level{103, 5}));
        QCOMPARE(book.sequence(), std::uint64_t{1});
    }

    void topNPadsMissingLevelsAsEmpty() {
        OrderBook book = smallBook();
        Level out[4];
        book.bids().top(out);
        QCOMPARE(out[0], (Level{100, 10}));
        QCOMPARE(out[1], (Level{99, 20}));
        QVERIFY(isEmptyLevel(out[2]) && out[2].price == kNoBidPrice && out[2].qty == 0);
        book.asks().top(out);
        QCOMPARE(out[1], (Level{104, 8}));
        QVERIFY(out[3].price == kNoAskPrice && out[3].qty == 0);
    }

    void sizeAtPriceReadsAnyLevel() {
        OrderBook book = smallBook();
        QCOMPARE(book.sizeAt(Side::Bid, 99), Lots{20});
        QCOMPARE(book.sizeAt(Side::Bid, 98), Lots{0});
        QCOMPARE(book.sizeAt(Side::Ask, 104), Lots{8});
        QCOMPARE(book.sizeAt(Side::Ask, 100), Lots{0});
    }

    void deltaAddsAndDeletesAtZeroOrBelow() {
        OrderBook book = smallBook();
        QCOMPARE(book.applyDelta(Side::Bid, 100, 5, 2, 0), BookError::None);
        QCOMPARE(book.bestBid(), (Level{100, 15}));
        QCOMPARE(book.applyDelta(Side::Bid, 100, -15, 3, 0), BookError::None);
        QCOMPARE(book.bestBid(), (Level{99, 20}));
        QCOMPARE(book.applyDelta(Side::Ask, 103, -99, 4, 0), BookError::None);  // over-cancel
        QCOMPARE(book.bestAsk(), (Level{104, 8}));
        QCOMPARE(book.applyDelta(Side::Ask, 110, -3, 5, 0), BookError::None);  // absent: nothing
        QCOMPARE(book.asks().depth(), std::size_t{1});
    }

    void deepBookWithFarPricesKeepsOrder() {
        // 5,000 levels a side plus outliers twelve orders of magnitude away from the touch.
        OrderBook book;
        std::vector<Level> bids, asks;
        for (PriceTicks p = 1; p <= 5000; ++p) {
            bids.push_back({6'000'000 - p, p});
            asks.push_back({6'000'000 + p, p});
        }
        bids.push_back({1, 1});
        asks.push_back({1'000'000'000'000LL, 1});
        QCOMPARE(book.applySnapshot(bids, asks, 1, 0), BookError::None);
        QCOMPARE(book.bestBid(), (Level{5'999'999, 1}));
        QCOMPARE(book.bids().level(5000), (Level{1, 1}));
        QCOMPARE(book.asks().level(5000), (Level{1'000'000'000'000LL, 1}));
        QCOMPARE(book.apply(Side::Bid, 5'999'999, 0, 2, 0), BookError::None);
        QCOMPARE(book.bestBid(), (Level{5'999'998, 2}));
        QCOMPARE(book.apply(Side::Ask, 3'000'000'000LL, 4, 3, 0), BookError::None);
        QCOMPARE(book.sizeAt(Side::Ask, 3'000'000'000LL), Lots{4});
        QCOMPARE(book.asks().level(5000), (Level{3'000'000'000LL, 4}));
        QCOMPARE(book.asks().depth(), std::size_t{5002});
    }

    void sideGrowsAndRecentresFromBothEnds() {
        // A tiny buffer, filled from the far end, the touch and the middle in turn, then emptied
        // the same way: every insert and erase takes the cheaper direction, runs out of room at
        // one end or the other, re-centres and grows; the content must stay exactly sorted.
        BookSide side(Side::Ask, 4);
        std::map<PriceTicks, Lots> ref;
        std::mt19937_64 rng(11);
        const auto check = [&] {
            QCOMPARE(side.depth(), ref.size());
            auto levels = side.worstToBest();  // asks: highest price first
            std::size_t k = levels.size();
            for (const auto& [price, qty] : ref)
                QCOMPARE(levels[--k], (Level{price, qty}));
        };
        for (int i = 0; i < 3000; ++i) {
            const PriceTicks price = i % 3 == 0   ? 100'000 + i  // far end
                                     : i % 3 == 1 ? 50'000 - i   // beyond the touch
                                                  : 60'000 + static_cast<PriceTicks>(rng() % 30'000);
            const Lots qty = static_cast<Lots>(i + 1);
            side.set(price, qty);
            ref[price] = qty;
            if (i % 101 == 0) check();
        }
        check();
        while (!ref.empty()) {
            auto it = ref.begin();
            std::advance(it, static_cast<long>(rng() % ref.size()));
            QCOMPARE(side.add(it->first, -it->second), Lots{0});
            ref.erase(it);
            if (ref.size() % 97 == 0) check();
        }
        QVERIFY(side.empty());
        const Level again[] = {{7, 1}, {5, 2}, {6, 3}};
        side.assign(again);
        QCOMPARE(side.best(), (Level{5, 2}));
        QCOMPARE(side.level(2), (Level{7, 1}));
    }

    void longRandomRunMatchesReferenceModel() {
        // The reference is a std::map per side: obviously right, too slow for the feed.
        OrderBook book;
        std::map<PriceTicks, Lots, std::greater<>> refBids;
        std::map<PriceTicks, Lots> refAsks;
        std::mt19937_64 rng(7);
        PriceTicks mid = 10'000;
        for (int i = 0; i < 200'000; ++i) {
            if (rng() % 100 == 0) mid += static_cast<PriceTicks>(rng() % 21) - 10;
            const bool bid = rng() & 1;
            // Mostly near the touch, sometimes deep.
            const PriceTicks distance = rng() % 10 < 8 ? static_cast<PriceTicks>(rng() % 8)
                                                       : static_cast<PriceTicks>(rng() % 3000);
            const PriceTicks price = bid ? mid - 1 - distance : mid + 1 + distance;
            const Lots qty = rng() % 4 == 0 ? 0 : static_cast<Lots>(rng() % 1000 + 1);
            QCOMPARE(book.apply(bid ? Side::Bid : Side::Ask, price, qty, i, i), BookError::None);
            if (bid) {
                if (qty)
                    refBids[price] = qty;
                else
                    refBids.erase(price);
            } else {
                if (qty)
                    refAsks[price] = qty;
                else
                    refAsks.erase(price);
            }
            if (i % 997 == 0) {
                QCOMPARE(book.bids().depth(), refBids.size());
                QCOMPARE(book.asks().depth(), refAsks.size());
                std::size_t k = 0;
                for (auto it = refBids.begin(); it != refBids.end() && k < 20; ++it, ++k)
                    QCOMPARE(book.bids().level(k), (Level{it->first, it->second}));
                k = 0;
                for (auto it = refAsks.begin(); it != refAsks.end() && k < 20; ++it, ++k)
                    QCOMPARE(book.asks().level(k), (Level{it->first, it->second}));
                QCOMPARE(book.sizeAt(Side::Bid, mid - 5),
                         refBids.count(mid - 5) ? refBids[mid - 5] : 0);
            }
        }
        // Full content at the end, worst to best.
        auto worst = book.bids().worstToBest();
        std::size_t k = worst.size();
        for (auto& [p, q] : refBids)
            QCOMPARE(worst[--k], (Level{p, q}));
    }
};

QTEST_GUILESS_MAIN(TestOrderBook)
#include "tst_order_book.moc"
