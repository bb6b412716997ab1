// The depth ladder: rows of a known book, grouping, imbalance, pulling/stacking, auto-centre,
// click-trading intents, repaint economy, and a screenshot of a realistic book.
#include <QImage>
#include <QLabel>
#include <QPainter>
#include <QScreen>
#include <QSignalSpy>
#include <QWheelEvent>
#include <QtTest>
#include <random>

#include "ladder_model.h"
#include "ladder_texts.h"
#include "ladder_viewport.h"
#include "ladder_widget.h"
#include "pulling_stacking.h"
#include "test_printers.h"

using namespace flowscope;

namespace {

constexpr TimeNs kSecond = 1'000'000'000;

InstrumentInfo testInstrument(const char* tick = "0.01", const char* lot = "1") {
    InstrumentInfo info;
    info.venue = "SIM";
    info.symbol = "TEST";
    info.tick = *DecimalStep::parse(tick);
    info.lot = *DecimalStep::parse(lot);
    return info;
}

std::shared_ptr<MarketSnapshot> makeSnapshot(std::uint64_t serial, TimeNs timeNs,
                                             std::vector<Level> bids, std::vector<Level> asks) {
    auto s = std::make_shared<MarketSnapshot>();
    s->serial = serial;
    s->eventTimeNs = timeNs;
    s->publishedSteadyNs = timeNs;
    s->instrument = testInstrument();
    s->status.state = FeedState::Live;
    s->bids = std::move(bids);
    s->asks = std::move(asks);
    return s;
}

// Best bid 10000 x 5, best ask 10001 x 4; gaps at 10003, 10006 and 9997.
std::shared_ptr<MarketSnapshot> knownBook(std::uint64_t serial = 1, TimeNs timeNs = 0) {
    return makeSnapshot(serial, timeNs, {{10000, 5}, {9999, 7}, {9998, 3}, {9996, 10}, {9995, 2}},
                        {{10001, 4}, {10002, 6}, {10004, 8}, {10005, 1}, {10007, 9}});
}

// The same book moved by `ticks`.
std::shared_ptr<MarketSnapshot> shiftedBook(std::uint64_t serial, PriceTicks ticks) {
    auto s = knownBook(serial, static_cast<TimeNs>(serial) * kSecond / 10);
    for (Level& l : s->bids)
        l.price += ticks;
    for (Level& l : s->asks)
        l.price += ticks;
    return s;
}

OrderIntent intentAt(const QSignalSpy& spy, int i) {
    return spy.at(i).at(0).value<OrderIntent>();
}

const LadderRow* rowWithPrice(const LadderFrame& f, PriceTicks price) {
    for (const LadderRow& r : f.rows)
        if (r.price == price) return &r;
    return nullptr;
}

int rowIndexOf(const LadderFrame& f, PriceTicks price) {
    return static_cast<int>(f.window.topGroup - groupOf(price, f.window.grouping));
}

}  // namespace

namespace flowscope {
inline char* toString(const OrderIntent& i) {
    return QTest::toString(QStringLiteral("(%1 %2 %3 x %4)")
                               .arg(i.kind == OrderIntent::Kind::Limit ? "limit" : "cancel")
                               .arg(i.side == Side::Bid ? "bid" : "ask")
                               .arg(i.price)
                               .arg(i.qty));
}
}  // namespace flowscope

class TestLadderWidget : public QObject {
    Q_OBJECT

  private slots:
    void rowsShowKnownBook_data();
    void rowsShowKnownBook();
    void groupingSumsSizesPerRow();
    void groupOfFloorsNegativePrices();
    void imbalanceMarksHeavierSideOfEachDepthPair();
    void volumeOwnOrdersAndLastTradeLandInTheirRows();
    void pullingStackingIsSizeNowMinusSizeWindowAgo();
    void pullingStackingIgnoresPricesBeyondEitherSnapshot();
    void widgetShowsPullingStackingRows();
    void leftClickOnBidOrAskEmitsLimitIntent();
    void rightClickEmitsCancelAtPrice();
    void dragOwnOrderEmitsMoveAndPaintsGhost();
    void dragCancelledByEscOrReleaseOnStart();
    void dragFromGroupedRowMovesEveryOwnPrice();
    void bracketLegsAreNamedInTheOrdersColumn();
    void autoCentreKeepsMidInTheMiddleThird();
    void wheelScrollsAndTurnsAutoCentreOff();
    void pointerOverLadderHoldsRowsUntilItLeavesOrRecentre();
    void dragHoldsRowsAndReleaseCatchesUp();
    void rowTipNeverCoversTheInsideMarket();
    void groupingChangeIsSignalledWithRange();
    void onlyChangedRowsRepaint();
    void emptyBookShowsWaitingState();
    void screenshotOfRealisticBook();
};

void TestLadderWidget::rowsShowKnownBook_data() {
    QTest::addColumn<qint64>("price");
    QTest::addColumn<qint64>("bid");
    QTest::addColumn<qint64>("ask");
    QTest::addColumn<bool>("bestBid");
    QTest::addColumn<bool>("bestAsk");
    QTest::newRow("deepest ask") << 10007LL << 0LL << 9LL << false << false;
    QTest::newRow("empty ask row") << 10006LL << 0LL << 0LL << false << false;
    QTest::newRow("ask 10005") << 10005LL << 0LL << 1LL << false << false;
    QTest::newRow("ask 10004") << 10004LL << 0LL << 8LL << false << false;
    QTest::newRow("gap 10003") << 10003LL << 0LL << 0LL << false << false;
    QTest::newRow("ask 10002") << 10002LL << 0LL << 6LL << false << false;
    QTest::newRow("best ask") << 10001LL << 0LL << 4LL << false << true;
    QTest::newRow("best bid") << 10000LL << 5LL << 0LL << true << false;
    QTest::newRow("bid 9999") << 9999LL << 7LL << 0LL << false << false;
    QTest::newRow("bid 9998") << 9998LL << 3LL << 0LL << false << false;
    QTest::newRow("gap 9997") << 9997LL << 0LL << 0LL << false << false;
    QTest::newRow("bid 9996") << 9996LL << 10LL << 0LL << false << false;
    QTest::newRow("deepest bid") << 9995LL << 2LL << 0LL << false << false;
}

void TestLadderWidget::rowsShowKnownBook() {
    QFETCH(qint64, price);
    QFETCH(qint64, bid);
    QFETCH(qint64, ask);
    QFETCH(bool, bestBid);
    QFETCH(bool, bestAsk);
    const LadderWindow window{1, 10007, 13};
    const LadderFrame f = buildLadderFrame(*knownBook(), window, {}, {});
    QCOMPARE(f.rows.size(), std::size_t{13});
    QVERIFY(f.hasBook);
    // Row i shows price 10007 - i.
    const LadderRow& row = f.rows[static_cast<std::size_t>(10007 - price)];
    QCOMPARE(row.price, price);
    QCOMPARE(row.bid, bid);
    QCOMPARE(row.ask, ask);
    QCOMPARE(row.bestBid, bestBid);
    QCOMPARE(row.bestAsk, bestAsk);
    QCOMPARE(f.maxSize, Lots{10});
}

void TestLadderWidget::groupingSumsSizesPerRow() {
    // Rows of 5 ticks: [10005, 10010), [10000, 10005), [9995, 10000).
    const LadderFrame f = buildLadderFrame(*knownBook(), LadderWindow{5, 2001, 3}, {}, {});
    QCOMPARE(f.rows.size(), std::size_t{3});
    QCOMPARE(f.rows[0].price, PriceTicks{10005});
    QCOMPARE(f.rows[0].ask, Lots{1 + 9});
    QCOMPARE(f.rows[0].bid, Lots{0});
    QCOMPARE(f.rows[1].price, PriceTicks{10000});
    QCOMPARE(f.rows[1].bid, Lots{5});
    QCOMPARE(f.rows[1].ask, Lots{4 + 6 + 8});
    QVERIFY(f.rows[1].bestBid && f.rows[1].bestAsk);
    QCOMPARE(f.rows[2].price, PriceTicks{9995});
    QCOMPARE(f.rows[2].bid, Lots{7 + 3 + 10 + 2});
    QCOMPARE(f.rows[2].ask, Lots{0});
    QCOMPARE(f.maxSize, Lots{22});
}

void TestLadderWidget::groupOfFloorsNegativePrices() {
    QCOMPARE(groupOf(0, 5), PriceTicks{0});
    QCOMPARE(groupOf(4, 5), PriceTicks{0});
    QCOMPARE(groupOf(5, 5), PriceTicks{1});
    QCOMPARE(groupOf(-1, 5), PriceTicks{-1});
    QCOMPARE(groupOf(-5, 5), PriceTicks{-1});
    QCOMPARE(groupOf(-6, 5), PriceTicks{-2});
}

void TestLadderWidget::imbalanceMarksHeavierSideOfEachDepthPair() {
    const LadderFrame f = buildLadderFrame(*knownBook(), LadderWindow{1, 10007, 13}, {}, {});
    // Pairs (m-th bid, m-th ask): (5, 4) (7, 6) (3, 8) (10, 1) (2, 9).
    QCOMPARE(rowWithPrice(f, 10000)->imbalance, float((5.0 - 4) / 9));
    QCOMPARE(rowWithPrice(f, 10001)->imbalance, 0.0f);
    QCOMPARE(rowWithPrice(f, 9999)->imbalance, float((7.0 - 6) / 13));
    QCOMPARE(rowWithPrice(f, 10004)->imbalance, float((3.0 - 8) / 11));
    QCOMPARE(rowWithPrice(f, 9998)->imbalance, 0.0f);
    QCOMPARE(rowWithPrice(f, 9996)->imbalance, float((10.0 - 1) / 11));
    QCOMPARE(rowWithPrice(f, 10007)->imbalance, float((2.0 - 9) / 11));
}

void TestLadderWidget::volumeOwnOrdersAndLastTradeLandInTheirRows() {
    auto s = knownBook();
    s->volumeAtPrice = {{9999, 1, 2}, {10000, 3, 2}, {10003, 1, 0}};
    s->hasLastTrade = true;
    s->lastTrade = Trade{10001, 2, Side::Bid, 0, 0};
    const std::vector<OwnOrderLevel> own = {{Side::Bid, 9998, 2}, {Side::Ask, 10003, 1}};
    const LadderFrame f = buildLadderFrame(*s, LadderWindow{5, 2001, 3}, {}, own);
    QCOMPARE(f.rows[1].buyVolume, Lots{3 + 1});
    QCOMPARE(f.rows[1].sellVolume, Lots{2});
    QCOMPARE(f.rows[2].buyVolume, Lots{1});
    QCOMPARE(f.rows[2].sellVolume, Lots{2});
    QCOMPARE(f.maxVolume, Lots{6});
    QCOMPARE(f.rows[1].ownAsk, Lots{1});
    QCOMPARE(f.rows[2].ownBid, Lots{2});
    QVERIFY(f.rows[1].lastTrade);
    QVERIFY(!f.rows[0].lastTrade && !f.rows[2].lastTrade);
    // Micro-price (Pa qb + Pb qa) / (qb + qa) = (10001 * 5 + 10000 * 4) / 9.
    QVERIFY(f.microPrice);
    QCOMPARE(*f.microPrice, (10001.0 * 5 + 10000.0 * 4) / 9);
}

void TestLadderWidget::pullingStackingIsSizeNowMinusSizeWindowAgo() {
    PullingStacking ps;
    ps.add(*makeSnapshot(1, 0, {{100, 50}, {99, 10}}, {{101, 30}, {102, 20}, {103, 5}}));
    // Two seconds in: no sample is five seconds old yet, so nothing is shown.
    ps.add(*makeSnapshot(2, 2 * kSecond, {{100, 40}, {99, 10}}, {{101, 30}, {103, 5}}));
    QVERIFY(ps.changes().empty());
    ps.add(*makeSnapshot(3, 5 * kSecond, {{100, 20}, {99, 10}}, {{101, 45}, {103, 5}}));
    // 100: 20 - 50 pulled; 101: 45 - 30 stacked; 102: 0 - 20 pulled; 99 and 103 unchanged.
    const std::vector<Level> expected = {{100, -30}, {101, 15}, {102, -20}};
    QCOMPARE(ps.changes(), expected);

    // With a two-second window the reference is the newest sample at least 2 s old, the one
    // taken at 2 s: 100 is 20 - 40, 101 is 45 - 30.
    ps.setWindowNs(2 * kSecond);
    ps.add(*makeSnapshot(4, 5 * kSecond + 1, {{100, 20}, {99, 10}}, {{101, 45}, {103, 5}}));
    const std::vector<Level> shorter = {{100, -20}, {101, 15}};
    QCOMPARE(ps.changes(), shorter);
}

void TestLadderWidget::pullingStackingIgnoresPricesBeyondEitherSnapshot() {
    PullingStacking ps;
    ps.add(*makeSnapshot(1, 0, {{100, 5}, {99, 5}}, {{101, 5}, {102, 5}}));
    // 98 and 103 were beyond the first snapshot's depth: unknown then, so no change is claimed.
    ps.add(*makeSnapshot(2, 6 * kSecond, {{100, 5}, {99, 5}, {98, 7}}, {{101, 8}, {103, 4}}));
    const std::vector<Level> expected = {{101, 3}, {102, -5}};
    QCOMPARE(ps.changes(), expected);
    // Time going backwards (a replay restarting) forgets the history.
    ps.add(*makeSnapshot(3, kSecond, {{100, 1}}, {{101, 1}}));
    QVERIFY(ps.changes().empty());
}

void TestLadderWidget::widgetShowsPullingStackingRows() {
    LadderWidget w;
    w.resize(480, 400);
    w.setSnapshot(knownBook(1, 10 * kSecond));
    auto later = knownBook(2, 15 * kSecond);
    later->bids[0].qty = 1;   // 10000: 5 -> 1, pulled 4
    later->asks[1].qty = 16;  // 10002: 6 -> 16, stacked 10
    w.setSnapshot(later);
    QCOMPARE(rowWithPrice(w.frame(), 10000)->pullStack, Lots{-4});
    QCOMPARE(rowWithPrice(w.frame(), 10002)->pullStack, Lots{10});
    QCOMPARE(rowWithPrice(w.frame(), 9999)->pullStack, Lots{0});
    QCOMPARE(w.frame().maxPullStack, Lots{10});
}

void TestLadderWidget::leftClickOnBidOrAskEmitsLimitIntent() {
    LadderWidget w;
    w.resize(480, 500);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    w.setSnapshot(knownBook());
    w.setOrderSize(3);
    QSignalSpy spy(&w, &LadderWidget::orderIntent);

    const QRect bidCell = w.cellRect(9999, LadderColumn::Bid);
    QVERIFY(!bidCell.isEmpty());
    QCOMPARE(
        w.frame().rows[static_cast<std::size_t>(w.geometry().rowAt(bidCell.center().y()))].price,
        PriceTicks{9999});
    QTest::mouseClick(&w, Qt::LeftButton, {}, bidCell.center());
    QCOMPARE(spy.count(), 1);
    QCOMPARE(intentAt(spy, 0), (OrderIntent{OrderIntent::Kind::Limit, Side::Bid, 9999, 3}));

    QTest::mouseClick(&w, Qt::LeftButton, {}, w.cellRect(10002, LadderColumn::Ask).center());
    QCOMPARE(spy.count(), 2);
    QCOMPARE(intentAt(spy, 1), (OrderIntent{OrderIntent::Kind::Limit, Side::Ask, 10002, 3}));

    // The price and volume columns are not order entry; the header is not a row.
    QTest::mouseClick(&w, Qt::LeftButton, {}, w.cellRect(10002, LadderColumn::Price).center());
    QTest::mouseClick(&w, Qt::LeftButton, {}, w.cellRect(10002, LadderColumn::Volume).center());
    QTest::mouseClick(&w, Qt::LeftButton, {}, QPoint(bidCell.center().x(), 2));
    QCOMPARE(spy.count(), 2);

    // Grouped rows give the row's base price, the price written on the row.
    w.setGrouping(5);
    QTest::mouseClick(&w, Qt::LeftButton, {}, w.cellRect(9998, LadderColumn::Bid).center());
    QCOMPARE(spy.count(), 3);
    QCOMPARE(intentAt(spy, 2), (OrderIntent{OrderIntent::Kind::Limit, Side::Bid, 9995, 3}));
}

void TestLadderWidget::rightClickEmitsCancelAtPrice() {
    LadderWidget w;
    w.resize(480, 500);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    w.setSnapshot(knownBook());
    QSignalSpy spy(&w, &LadderWidget::orderIntent);

    // No own order at the row: a cancel for the bid side at the row's price.
    QTest::mouseClick(&w, Qt::RightButton, {}, w.cellRect(10002, LadderColumn::Price).center());
    QCOMPARE(spy.count(), 1);
    QCOMPARE(intentAt(spy, 0),
             (OrderIntent{OrderIntent::Kind::CancelAtPrice, Side::Bid, 10002, 0}));

    // An own sell at the row: the cancel names its side, wherever in the row the click is.
    w.setOwnOrders({{Side::Ask, 10004, 2}, {Side::Ask, 10007, 1}});
    QTest::mouseClick(&w, Qt::RightButton, {}, w.cellRect(10004, LadderColumn::Bid).center());
    QCOMPARE(spy.count(), 2);
    QCOMPARE(intentAt(spy, 1),
             (OrderIntent{OrderIntent::Kind::CancelAtPrice, Side::Ask, 10004, 0}));

    // A grouped row cancels every own price it shows: 10004 and 10007 are both in [10000, 10010).
    w.setGrouping(10);
    QTest::mouseClick(&w, Qt::RightButton, {}, w.cellRect(10000, LadderColumn::Orders).center());
    QCOMPARE(spy.count(), 4);
    QCOMPARE(intentAt(spy, 2),
             (OrderIntent{OrderIntent::Kind::CancelAtPrice, Side::Ask, 10004, 0}));
    QCOMPARE(intentAt(spy, 3),
             (OrderIntent{OrderIntent::Kind::CancelAtPrice, Side::Ask, 10007, 0}));
}

namespace {
// A ladder showing knownBook() with own orders, exposed so mouse events reach it.
void showLadder(LadderWidget& w, std::vector<OwnOrderLevel> own) {
    w.resize(480, 500);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    w.setSnapshot(knownBook());
    w.setOrderSize(3);
    w.setOwnOrders(std::move(own));
}

QImage grabCell(LadderWidget& w, PriceTicks price) {
    return w.grab(w.cellRect(price, LadderColumn::Orders)).toImage();
}
}  // namespace

void TestLadderWidget::dragOwnOrderEmitsMoveAndPaintsGhost() {
    LadderWidget w;
    showLadder(w, {{Side::Bid, 9998, 2}});
    QSignalSpy moves(&w, &LadderWidget::orderMoveRequested);
    QSignalSpy intents(&w, &LadderWidget::orderIntent);

    const QPoint from = w.cellRect(9998, LadderColumn::Orders).center();
    const QPoint to = w.cellRect(9995, LadderColumn::Orders).center();
    QTest::mouseMove(&w, to);  // the row is hovered, with or without the drag
    const QImage emptyBefore = grabCell(w, 9995);
    QTest::mousePress(&w, Qt::LeftButton, {}, from);
    // QTest::mouseMove sends no buttons; the drag needs a move with the left button held.
    QMouseEvent move(QEvent::MouseMove, QPointF(to), w.mapToGlobal(QPointF(to)), Qt::NoButton,
                     Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&w, &move);
    QCOMPARE(moves.count(), 0);  // nothing moves before the release
    // The ghost is drawn in the hovered row's own-orders cell, which is empty otherwise.
    QVERIFY(grabCell(w, 9995) != emptyBefore);
    QTest::mouseRelease(&w, Qt::LeftButton, {}, to);

    QCOMPARE(moves.count(), 1);
    QCOMPARE(moves.at(0).at(0).value<PriceTicks>(), PriceTicks{9998});
    QCOMPARE(moves.at(0).at(1).value<PriceTicks>(), PriceTicks{9995});
    QCOMPARE(intents.count(), 0);              // a drag places no order
    QCOMPARE(grabCell(w, 9995), emptyBefore);  // the ghost is gone

    // A plain click on the bid cell of a row with an own order still asks for an order.
    QTest::mouseClick(&w, Qt::LeftButton, {}, w.cellRect(9998, LadderColumn::Bid).center());
    QCOMPARE(intents.count(), 1);
    QCOMPARE(intentAt(intents, 0), (OrderIntent{OrderIntent::Kind::Limit, Side::Bid, 9998, 3}));
    QCOMPARE(moves.count(), 1);
}

void TestLadderWidget::dragCancelledByEscOrReleaseOnStart() {
    LadderWidget w;
    showLadder(w, {{Side::Ask, 10004, 1}});
    QSignalSpy moves(&w, &LadderWidget::orderMoveRequested);
    QSignalSpy intents(&w, &LadderWidget::orderIntent);
    const QPoint from = w.cellRect(10004, LadderColumn::Ask).center();
    const QPoint away = w.cellRect(10007, LadderColumn::Ask).center();
    const auto dragTo = [&](QPoint p) {
        QMouseEvent move(QEvent::MouseMove, QPointF(p), w.mapToGlobal(QPointF(p)), Qt::NoButton,
                         Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&w, &move);
    };

    // Esc during the drag: the release afterwards does nothing.
    QTest::mousePress(&w, Qt::LeftButton, {}, from);
    dragTo(away);
    QTest::keyClick(&w, Qt::Key_Escape);
    QTest::mouseRelease(&w, Qt::LeftButton, {}, away);
    QCOMPARE(moves.count(), 0);
    QCOMPARE(intents.count(), 0);

    // Dragged away and back to the start row: released on P, nothing moves, no order either.
    QTest::mousePress(&w, Qt::LeftButton, {}, from);
    dragTo(away);
    dragTo(from);
    QTest::mouseRelease(&w, Qt::LeftButton, {}, from);
    QCOMPARE(moves.count(), 0);
    QCOMPARE(intents.count(), 0);

    // Dragged above the top row: the order goes to the top row's price, not lost.
    QTest::mousePress(&w, Qt::LeftButton, {}, from);
    dragTo(QPoint(from.x(), 1));
    QTest::mouseRelease(&w, Qt::LeftButton, {}, QPoint(from.x(), 1));
    QCOMPARE(moves.count(), 1);
    QCOMPARE(moves.at(0).at(1).value<PriceTicks>(), w.frame().rows.front().price);
}

void TestLadderWidget::dragFromGroupedRowMovesEveryOwnPrice() {
    LadderWidget w;
    showLadder(w, {{Side::Ask, 10004, 2}, {Side::Ask, 10007, 1}, {Side::Bid, 9990, 1}});
    w.setGrouping(10);
    QSignalSpy moves(&w, &LadderWidget::orderMoveRequested);
    const QPoint from = w.cellRect(10000, LadderColumn::Orders).center();
    const QPoint to = w.cellRect(10020, LadderColumn::Orders).center();
    QTest::mousePress(&w, Qt::LeftButton, {}, from);
    QMouseEvent move(QEvent::MouseMove, QPointF(to), w.mapToGlobal(QPointF(to)), Qt::NoButton,
                     Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&w, &move);
    QTest::mouseRelease(&w, Qt::LeftButton, {}, to);
    // Two rows up is 20 ticks: each own price in the row keeps its place within the row; the
    // bid at 9990 (another row) stays.
    QCOMPARE(moves.count(), 2);
    QCOMPARE(moves.at(0).at(0).value<PriceTicks>(), PriceTicks{10004});
    QCOMPARE(moves.at(0).at(1).value<PriceTicks>(), PriceTicks{10024});
    QCOMPARE(moves.at(1).at(0).value<PriceTicks>(), PriceTicks{10007});
    QCOMPARE(moves.at(1).at(1).value<PriceTicks>(), PriceTicks{10027});
}

void TestLadderWidget::bracketLegsAreNamedInTheOrdersColumn() {
    LadderWidget w;
    showLadder(w, {{Side::Bid, 9998, 2},
                   {Side::Ask, 10005, 2, trading::OrderRole::TakeProfit},
                   {Side::Ask, 9995, 2, trading::OrderRole::StopLoss}});
    const LadderFrame& f = w.frame();
    QVERIFY(rowWithPrice(f, 10005)->ownTakeProfit);
    QVERIFY(!rowWithPrice(f, 10005)->ownStopLoss);
    QVERIFY(rowWithPrice(f, 9995)->ownStopLoss);
    QVERIFY(!rowWithPrice(f, 9998)->ownTakeProfit && !rowWithPrice(f, 9998)->ownStopLoss);
    const LadderTexts t =
        formatLadderTexts(f, testInstrument().instrument(), w.font(), w.geometry(), 10, {});
    const auto ordersText = [&](PriceTicks price) {
        return t.rows[static_cast<std::size_t>(rowIndexOf(f, price))]
            .cells[static_cast<int>(LadderColumn::Orders)]
            .text.text();
    };
    QCOMPARE(ordersText(10005), QStringLiteral("TP 2"));
    QCOMPARE(ordersText(9995), QStringLiteral("SL 2"));
    QCOMPARE(ordersText(9998), QStringLiteral("2"));

    // Dragging a leg is a move like any own order: the trading layer knows it is a leg.
    QSignalSpy moves(&w, &LadderWidget::orderMoveRequested);
    const QPoint from = w.cellRect(9995, LadderColumn::Orders).center();
    const QPoint to = w.cellRect(9993, LadderColumn::Orders).center();
    QTest::mousePress(&w, Qt::LeftButton, {}, from);
    QMouseEvent move(QEvent::MouseMove, QPointF(to), w.mapToGlobal(QPointF(to)), Qt::NoButton,
                     Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&w, &move);
    QTest::mouseRelease(&w, Qt::LeftButton, {}, to);
    QCOMPARE(moves.count(), 1);
    QCOMPARE(moves.at(0).at(1).value<PriceTicks>(), PriceTicks{9993});
}

void TestLadderWidget::autoCentreKeepsMidInTheMiddleThird() {
    LadderWidget w;
    w.resize(480, 620);
    w.setSnapshot(shiftedBook(1, 0));
    const int rows = w.geometry().rowCount();
    QVERIFY(rows >= 15);
    // The anchor is the floor of the mid (10000 + 10001) / 2 = 10000, in row rows / 2.
    QCOMPARE(rowIndexOf(w.frame(), 10000), rows / 2);
    const PriceTicks top = w.frame().window.topGroup;

    // A two-tick move stays inside the middle third: no row moves.
    w.setSnapshot(shiftedBook(2, 2));
    QCOMPARE(w.frame().window.topGroup, top);
    QCOMPARE(rowIndexOf(w.frame(), 10002), rows / 2 - 2);

    // A move out of the middle third re-centres on the new mid.
    const PriceTicks jump = rows / 2 - rows / 3 + 1;
    w.setSnapshot(shiftedBook(3, jump));
    QCOMPARE(rowIndexOf(w.frame(), 10000 + jump), rows / 2);
    w.setSnapshot(shiftedBook(4, -40));
    QCOMPARE(rowIndexOf(w.frame(), 10000 - 40), rows / 2);
    QVERIFY(w.autoCentre());
}

void TestLadderWidget::wheelScrollsAndTurnsAutoCentreOff() {
    LadderWidget w;
    w.resize(480, 620);
    w.setSnapshot(shiftedBook(1, 0));
    const int rows = w.geometry().rowCount();
    const PriceTicks top = w.frame().window.topGroup;
    QSignalSpy autoSpy(&w, &LadderWidget::autoCentreChanged);
    QSignalSpy rangeSpy(&w, &LadderWidget::visibleRangeChanged);

    // One notch away from the user: three rows toward higher prices.
    QWheelEvent wheel(QPointF(100, 100), w.mapToGlobal(QPointF(100, 100)), QPoint(), QPoint(0, 120),
                      Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
    QCoreApplication::sendEvent(&w, &wheel);
    QVERIFY(!w.autoCentre());
    QCOMPARE(autoSpy.count(), 1);
    QCOMPARE(autoSpy.at(0).at(0).toBool(), false);
    QCOMPARE(w.frame().window.topGroup, top + LadderWidget::kWheelRowsPerStep);
    QCOMPARE(rangeSpy.count(), 1);

    // Scrolled away, the view stays put however far the market moves.
    w.setSnapshot(shiftedBook(2, -30));
    QCOMPARE(w.frame().window.topGroup, top + LadderWidget::kWheelRowsPerStep);

    // The re-centre hotkey's slot brings the mid back to the middle and auto-centre on.
    w.recentre();
    QVERIFY(w.autoCentre());
    QCOMPARE(autoSpy.count(), 2);
    QCOMPARE(rowIndexOf(w.frame(), 10000 - 30), rows / 2);
}

void TestLadderWidget::pointerOverLadderHoldsRowsUntilItLeavesOrRecentre() {
    LadderWidget w;
    w.resize(480, 620);
    w.setSnapshot(shiftedBook(1, 0));
    const int rows = w.geometry().rowCount();
    const PriceTicks top = w.frame().window.topGroup;
    QVERIFY(!w.holdingStill());

    // The pointer enters: a 40-tick move (far out of the middle third) moves no row, so the row
    // under the cursor keeps its price. Auto-centre stays on: it only waits.
    QEnterEvent enter(QPointF(100, 100), QPointF(100, 100), w.mapToGlobal(QPointF(100, 100)));
    QCoreApplication::sendEvent(&w, &enter);
    QVERIFY(w.holdingStill());
    w.setSnapshot(shiftedBook(2, -40));
    QCOMPARE(w.frame().window.topGroup, top);
    QVERIFY(w.autoCentre());
    QEvent leave(QEvent::Leave);
    QCoreApplication::sendEvent(&w, &leave);
    // Leaving catches up at once: the anchor 10000 - 40 is in the middle row.
    QVERIFY(!w.holdingStill());
    QCOMPARE(rowIndexOf(w.frame(), 10000 - 40), rows / 2);
    const PriceTicks afterLeave = w.frame().window.topGroup;
    QCOMPARE(afterLeave, top - 40);

    // A move over the rows holds too (a pointer that rested there when the ladder appeared).
    QMouseEvent hover(QEvent::MouseMove, QPointF(100, 100), w.mapToGlobal(QPointF(100, 100)),
                      Qt::NoButton, Qt::NoButton, Qt::NoModifier);
    QCoreApplication::sendEvent(&w, &hover);
    QVERIFY(w.holdingStill());
    w.setSnapshot(shiftedBook(3, -80));
    QCOMPARE(w.frame().window.topGroup, afterLeave);
    // C (the re-centre slot) centres now, pointer over or not; then the rows hold again.
    w.recentre();
    QCOMPARE(rowIndexOf(w.frame(), 10000 - 80), rows / 2);
    w.setSnapshot(shiftedBook(4, 0));
    QCOMPARE(w.frame().window.topGroup, top - 80);
}

void TestLadderWidget::dragHoldsRowsAndReleaseCatchesUp() {
    LadderWidget w;
    showLadder(w, {{Side::Bid, 9998, 2}});
    const int rows = w.geometry().rowCount();
    QSignalSpy moves(&w, &LadderWidget::orderMoveRequested);
    const QPoint from = w.cellRect(9998, LadderColumn::Orders).center();
    const QPoint to = w.cellRect(9995, LadderColumn::Orders).center();
    QTest::mousePress(&w, Qt::LeftButton, {}, from);
    QMouseEvent move(QEvent::MouseMove, QPointF(to), w.mapToGlobal(QPointF(to)), Qt::NoButton,
                     Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&w, &move);
    // The pointer leaves during the drag: the drag alone still holds the rows.
    QEvent leave(QEvent::Leave);
    QCoreApplication::sendEvent(&w, &leave);
    QVERIFY(w.holdingStill());
    const PriceTicks top = w.frame().window.topGroup;
    auto moved = shiftedBook(2, -40);
    w.setSnapshot(moved);
    QCOMPARE(w.frame().window.topGroup, top);
    // Released on the row that read 9995 when the drag ended: the order goes to 9995, and only
    // then the ladder catches up with the market.
    QTest::mouseRelease(&w, Qt::LeftButton, {}, to);
    QCOMPARE(moves.count(), 1);
    QCOMPARE(moves.at(0).at(1).value<PriceTicks>(), PriceTicks{9995});
    QVERIFY(!w.holdingStill());
    QCOMPARE(rowIndexOf(w.frame(), 10000 - 40), rows / 2);
}

void TestLadderWidget::rowTipNeverCoversTheInsideMarket() {
    const QRect area = QGuiApplication::primaryScreen()->availableGeometry();
    // Narrow (room beside it for the tip) and as wide as the screen (the tip must go over it).
    for (const int width : {300, area.width()}) {
        LadderWidget w;
        w.setWindowFlag(Qt::FramelessWindowHint);
        w.setGeometry(area.left(), area.top(), width, std::min(400, area.height()));
        w.setSnapshot(knownBook());
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        const auto globalRow = [&](PriceTicks price) {
            const QRect r = w.cellRect(price, LadderColumn::Price);
            return QRect(w.mapToGlobal(QPoint(0, r.top())), QSize(w.width(), r.height()));
        };
        const QRect bestAsk = globalRow(10001);
        const QRect bestBid = globalRow(10000);
        QVERIFY(!bestAsk.isEmpty() && !bestBid.isEmpty());
        const int rows = static_cast<int>(w.frame().rows.size());
        for (int row = 0; row < rows; ++row) {
            const QPoint pos(w.width() / 2, w.geometry().rowRect(row).center().y());
            QHelpEvent help(QEvent::ToolTip, pos, w.mapToGlobal(pos));
            QCoreApplication::sendEvent(&w, &help);
            auto* tip = w.findChild<QLabel*>("ladderTip");
            QVERIFY2(tip && tip->isVisible(), "the hovered row's details are shown");
            QVERIFY(tip->text().size() > 0);
            const QRect tipRect = tip->frameGeometry();
            QVERIFY2(!tipRect.intersects(bestAsk) && !tipRect.intersects(bestBid),
                     qPrintable(QString("width %1, row %2: tip %3,%4 %5x%6 over the inside market")
                                    .arg(width)
                                    .arg(row)
                                    .arg(tipRect.x())
                                    .arg(tipRect.y())
                                    .arg(tipRect.width())
                                    .arg(tipRect.height())));
        }
        if (qEnvironmentVariableIsSet("FLOWSCOPE_SAVE_GRABS")) {
            // The tip is a window of its own: compose the screen as the trader sees it.
            const int row = w.frame().window.rowOfPrice(10004);
            const QPoint pos(w.width() / 2, w.geometry().rowRect(row).center().y());
            QHelpEvent help(QEvent::ToolTip, pos, w.mapToGlobal(pos));
            QCoreApplication::sendEvent(&w, &help);
            auto* tip = w.findChild<QLabel*>("ladderTip");
            QPixmap screen(area.size());
            screen.fill(Qt::darkGray);
            QPainter p(&screen);
            p.drawPixmap(w.mapToGlobal(QPoint(0, 0)) - area.topLeft(), w.grab());
            p.drawPixmap(tip->pos() - area.topLeft(), tip->grab());
            p.end();
            screen.save(qEnvironmentVariable("FLOWSCOPE_SAVE_GRABS") +
                        QString("/ladder-tip-%1.png").arg(width));
        }
        QEvent leave(QEvent::Leave);
        QCoreApplication::sendEvent(&w, &leave);
        QVERIFY(!w.findChild<QLabel*>("ladderTip")->isVisible());
    }
}

void TestLadderWidget::groupingChangeIsSignalledWithRange() {
    LadderWidget w;
    w.resize(480, 620);
    w.setSnapshot(knownBook());
    QSignalSpy groupSpy(&w, &LadderWidget::groupingChanged);
    QSignalSpy rangeSpy(&w, &LadderWidget::visibleRangeChanged);
    w.setGrouping(5);
    w.setGrouping(5);  // no change, no signal
    QCOMPARE(groupSpy.count(), 1);
    QCOMPARE(groupSpy.at(0).at(0).toInt(), 5);
    QCOMPARE(w.grouping(), 5);
    QCOMPARE(rangeSpy.count(), 1);
    const auto [low, high] = w.visiblePriceRange();
    QCOMPARE(rangeSpy.at(0).at(0).value<PriceTicks>(), low);
    QCOMPARE(rangeSpy.at(0).at(1).value<PriceTicks>(), high);
    // Whole rows of 5 ticks, as many as the ladder shows, with the market inside.
    QCOMPARE(low % 5, PriceTicks{0});
    QCOMPARE((high + 1) % 5, PriceTicks{0});
    QCOMPARE((high + 1 - low) / 5, PriceTicks{w.geometry().rowCount()});
    QVERIFY(low <= 10000 && high >= 10001);
    w.groupCoarser();
    QCOMPARE(w.grouping(), 10);
    w.groupFiner();
    w.groupFiner();
    QCOMPARE(w.grouping(), 2);
}

namespace {

class PaintCounter : public QObject {
  public:
    int paints = 0;
    QRegion painted;

  protected:
    bool eventFilter(QObject*, QEvent* e) override {
        if (e->type() == QEvent::Paint) {
            ++paints;
            painted += static_cast<QPaintEvent*>(e)->region();
        }
        return false;
    }
};

// A book like an index future's: quarter-point ticks, sizes that grow away from the touch with
// a few large resting orders, session volume around the price, own orders on both sides.
std::shared_ptr<MarketSnapshot> realisticBook(std::uint64_t serial, TimeNs timeNs, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_int_distribution<Lots> noise(0, 40);
    auto s = std::make_shared<MarketSnapshot>();
    s->serial = serial;
    s->eventTimeNs = timeNs;
    s->instrument = testInstrument("0.25", "1");
    s->instrument.symbol = "ESU5";
    s->status.state = FeedState::Live;
    const PriceTicks bestBid = 21729;  // 5432.25
    for (int i = 0; i < 80; ++i) {
        const Lots big = (i == 7 || i == 19) ? 420 : (i == 31 ? 260 : 0);
        s->bids.push_back({bestBid - i, 12 + 4 * i + noise(rng) + big});
        s->asks.push_back({bestBid + 1 + i, 10 + 4 * i + noise(rng) + (i == 11 ? 380 : 0)});
    }
    s->bids[0].qty = 38;
    s->asks[0].qty = 14;
    std::uniform_int_distribution<Lots> traded(0, 300);
    for (PriceTicks p = bestBid - 14; p <= bestBid + 12; ++p) {
        const double nearness = 1.0 - std::abs(static_cast<double>(p - bestBid)) / 15.0;
        const Lots total = static_cast<Lots>(traded(rng) * nearness * nearness) + 5;
        const Lots buy = total * static_cast<Lots>(20 + noise(rng)) / 60;
        s->volumeAtPrice.push_back({p, buy, total - buy});
    }
    s->hasLastTrade = true;
    s->lastTrade = Trade{bestBid + 1, 3, Side::Bid, timeNs, serial};
    return s;
}

}  // namespace

void TestLadderWidget::onlyChangedRowsRepaint() {
    LadderWidget w;
    w.resize(480, 500);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    w.setSnapshot(knownBook(1, 0));
    QCoreApplication::processEvents();
    PaintCounter counter;
    w.installEventFilter(&counter);

    // A new serial whose visible rows are the same (a change 500 ticks away): no repaint.
    auto far = knownBook(2, kSecond / 10);
    far->bids.push_back({9500, 3});
    w.setSnapshot(far);
    w.setSnapshot(far);  // the same snapshot again (a frame with nothing new)
    QCoreApplication::processEvents();
    QCOMPARE(counter.paints, 0);

    // A level behind the touch changes, below the largest size: its row repaints, and the row
    // of the ask it is paired with for the imbalance tint (3rd bid 4 vs 3rd ask 8 at 10004).
    auto changed = knownBook(3, kSecond / 5);
    changed->bids[2].qty = 4;
    w.setSnapshot(changed);
    QCoreApplication::processEvents();
    QVERIFY(counter.paints >= 1);
    QCOMPARE(rowWithPrice(w.frame(), 9998)->bid, Lots{4});
    const QRegion rows = QRegion(w.geometry().rowRect(rowIndexOf(w.frame(), 9998))) +
                         w.geometry().rowRect(rowIndexOf(w.frame(), 10004));
    QCOMPARE(counter.painted, rows);

    // A new largest size rescales every bar: everything repaints.
    counter.painted = {};
    auto larger = knownBook(4, kSecond / 4);
    larger->bids[2].qty = 40;
    w.setSnapshot(larger);
    QCoreApplication::processEvents();
    QCOMPARE(counter.painted.boundingRect(), w.rect());
}

void TestLadderWidget::emptyBookShowsWaitingState() {
    LadderWidget w;
    w.resize(420, 360);
    QImage before = w.grab().toImage();  // no snapshot at all
    QVERIFY(!before.isNull());
    QVERIFY(!w.frame().hasBook);

    auto empty = makeSnapshot(1, 0, {}, {});
    empty->status.state = FeedState::Syncing;
    w.setSnapshot(empty);
    QVERIFY(!w.frame().hasBook);
    QVERIFY(w.cellRect(10000, LadderColumn::Bid).isEmpty());
    QSignalSpy spy(&w, &LadderWidget::orderIntent);
    QTest::mouseClick(&w, Qt::LeftButton, {}, QPoint(100, 100));
    QTest::mouseClick(&w, Qt::RightButton, {}, QPoint(100, 100));
    QCOMPARE(spy.count(), 0);
    QVERIFY(w.grab().save(QStringLiteral("/tmp/ladder-waiting.png")));
}

void TestLadderWidget::screenshotOfRealisticBook() {
    LadderWidget w;
    w.resize(520, 760);
    w.setOrderSize(2);
    w.setSnapshot(realisticBook(1, 100 * kSecond, 7));
    auto now = realisticBook(2, 106 * kSecond, 11);
    w.setSnapshot(now);
    const PriceTicks bid = now->bids[0].price;
    w.setOwnOrders({{Side::Bid, bid - 3, 2}, {Side::Bid, bid - 6, 5}, {Side::Ask, bid + 5, 1}});
    QVERIFY(w.frame().hasBook);
    QVERIFY(w.frame().maxPullStack > 0);
    QVERIFY(w.grab().save(QStringLiteral("/tmp/ladder.png")));
    // High-DPI: the same frame at a device pixel ratio of 2 must stay crisp (integer rows).
    QPixmap hiDpi(w.size() * 2);
    hiDpi.setDevicePixelRatio(2.0);
    w.render(&hiDpi);
    QVERIFY(hiDpi.save(QStringLiteral("/tmp/ladder@2x.png")));
    w.setTheme(Theme::light());
    QVERIFY(w.grab().save(QStringLiteral("/tmp/ladder-light.png")));
    w.setTheme(Theme::dark());
    w.setGrouping(5);
    QVERIFY(w.grab().save(QStringLiteral("/tmp/ladder-grouped.png")));
}

QTEST_MAIN(TestLadderWidget)
#include "tst_ladder_widget.moc"
