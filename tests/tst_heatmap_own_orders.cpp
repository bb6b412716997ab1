// Own working orders on the liquidity heatmap: markers at the orders' prices at the live edge,
// labels, dashed stops held locally, the price grouping, the readout, and repainting only when
// the orders change (and then the live layer alone).

#include <qcustomplot.h>
#include <QApplication>
#include <QElapsedTimer>
#include <QImage>
#include <QTest>
#include <cmath>

#include "heatmap_own_orders.h"
#include "heatmap_widget.h"

using namespace flowscope;
using trading::OrderRole;

namespace {

constexpr TimeNs kBucket = 100'000'000;
constexpr TimeNs kT0 = 1'700'000'000'000'000'000;  // 2023-11-14 22:13:20 UTC

/// 41 rows from price 1000: size at 1000 + i is i + 1; touch 1019 / 1021.
HeatmapColumn rampColumn(TimeNs start) {
    HeatmapColumn c;
    c.startNs = start;
    c.endNs = start + kBucket;
    c.basePrice = 1000;
    c.sizes.resize(41);
    for (std::size_t i = 0; i < c.sizes.size(); ++i)
        c.sizes[i] = static_cast<float>(i + 1);
    c.bestBid = {1019, 20};
    c.bestAsk = {1021, 22};
    c.microPrice = 1020.0;
    c.levelOfi = {0};
    return c;
}

/// Prices to 0.01, sizes to 0.001: price 1015 reads "10.15", 100 lots "0.100".
std::shared_ptr<MarketSnapshot> snapshot() {
    auto snap = std::make_shared<MarketSnapshot>();
    snap->instrument = {"SIM", "TEST", DecimalStep{1, 2}, DecimalStep{1, 3}};
    return snap;
}

/// Laid out, following live, 20 s and 120 ticks (1000 .. 1040 in view) on screen, with a
/// second of columns so the live edge is known.
void prepare(HeatmapWidget& w) {
    w.resize(1200, 760);
    w.show();
    w.setVisibleTimeSpan(20 * 1'000'000'000LL);
    w.setSnapshot(snapshot());
    std::vector<HeatmapColumn> columns;
    for (int b = 0; b < 10; ++b)
        columns.push_back(rampColumn(kT0 + b * kBucket));
    w.appendColumns(std::move(columns));
    w.setVisiblePriceRange(990.0, 1050.0);
    QCoreApplication::processEvents();
    w.plot()->replot();
}

double priceY(const HeatmapWidget& w, double price) {
    return w.priceAxis()->coordToPixel(price);
}

QColor pixel(const QImage& image, double x, double y) {
    return image.pixelColor(static_cast<int>(std::floor(x)), static_cast<int>(std::floor(y)));
}

/// Along the line at `y` from x0 to x1: how many pixels are the own-order colour. A 2 px line
/// covers one of the rows around y (whichever the rasteriser picks), so both are looked at.
int ownPixels(const QImage& image, double x0, double x1, double y, const QColor& own) {
    int hits = 0;
    for (int x = static_cast<int>(std::ceil(x0)); x < static_cast<int>(x1); ++x)
        if (pixel(image, x, y) == own || pixel(image, x, y - 1) == own) ++hits;
    return hits;
}

QImage render(HeatmapWidget& w) {
    w.plot()->replot();
    return w.plot()->grab().toImage();
}

}  // namespace

class TestHeatmapOwnOrders : public QObject {
    Q_OBJECT
  private slots:
    void markersSitAtOrderPricesWithLabels();
    void equalOrdersAreOneMarker();
    void markerRunsFromLiveEdgeToRightEdge();
    void heldStopIsDashedAndOthersSolid();
    void nearbyOrdersKeepTheirLabelsApart();
    void readoutListsOwnOrdersOfTheHoveredRowAtAnyGrouping();
    void labelsFollowTheInstrument();
    void markersGoWhenOrdersGo();
    void unchangedOrdersDoNotRepaint();
    void changedOrdersRepaintOnlyTheLiveLayer();
    void costOfMarkersPerLiveRepaint();
};

void TestHeatmapOwnOrders::markersSitAtOrderPricesWithLabels() {
    HeatmapWidget w;
    prepare(w);
    const std::vector<OwnOrderLevel> orders = {
        {Side::Bid, 1015, 100, OrderRole::Entry, false},
        {Side::Ask, 1030, 250, OrderRole::TakeProfit, false},
        {Side::Ask, 1005, 100, OrderRole::StopLoss, true},
    };
    w.setOwnOrders(orders);
    const auto& markers = w.ownOrders().markers();
    QCOMPARE(markers.size(), std::size_t{3});
    // Highest price first.
    QCOMPARE(markers[0].order.price, PriceTicks{1030});
    QCOMPARE(markers[0].label, QStringLiteral("TP S 0.250"));
    QCOMPARE(markers[1].order.price, PriceTicks{1015});
    QCOMPARE(markers[1].label, QStringLiteral("B 0.100"));
    QCOMPARE(markers[2].order.price, PriceTicks{1005});
    QCOMPARE(markers[2].label, QStringLiteral("SL S 0.100"));
    QVERIFY(w.ownOrders().visible());

    w.plot()->replot();
    const auto placed = w.ownOrders().layout();
    QCOMPARE(placed.size(), std::size_t{3});
    for (std::size_t i = 0; i < 3; ++i) {
        const double y = priceY(w, static_cast<double>(markers[i].order.price));
        QCOMPARE(placed[i].line.y1(), y);
        QCOMPARE(placed[i].line.y2(), y);
        // The label sits just above its own line, inside the plot.
        QVERIFY(placed[i].label.bottom() <= y);
        QVERIFY(placed[i].label.bottom() >= y - 6);
        QVERIFY(w.plot()->axisRect()->rect().contains(placed[i].label.toRect()));
    }
    // And it is painted there: the own-order colour on the bid's row at the right edge, not
    // on a row between two orders.
    const QImage image = render(w);
    const QColor own = Theme::dark().ownOrder;
    const QLineF bid = placed[1].line;
    QVERIFY(ownPixels(image, bid.x1(), bid.x2(), bid.y1(), own) >= bid.length() - 2);
    QCOMPARE(ownPixels(image, bid.x1(), bid.x2(), priceY(w, 1022.0), own), 0);
}

void TestHeatmapOwnOrders::equalOrdersAreOneMarker() {
    HeatmapWidget w;
    prepare(w);
    // Two entries at one price and side are one line: their size is summed. A stop at the
    // same price but held locally, and zero-size rows, are not merged into it.
    w.setOwnOrders(std::vector<OwnOrderLevel>{{Side::Bid, 1015, 100},
                                              {Side::Bid, 1015, 50},
                                              {Side::Bid, 1015, 70, OrderRole::StopLoss, true},
                                              {Side::Ask, 1025, 0}});
    const auto& markers = w.ownOrders().markers();
    QCOMPARE(markers.size(), std::size_t{2});
    QCOMPARE(markers[0].label, QStringLiteral("B 0.150"));
    QCOMPARE(markers[1].label, QStringLiteral("SL B 0.070"));
}

void TestHeatmapOwnOrders::markerRunsFromLiveEdgeToRightEdge() {
    HeatmapWidget w;
    prepare(w);
    w.setOwnOrders(std::vector<OwnOrderLevel>{{Side::Bid, 1015, 100}});
    w.plot()->replot();
    const QRect area = w.plot()->axisRect()->rect();
    const double liveX = w.timeAxis()->coordToPixel((kT0 + 10 * kBucket) * 1e-9);
    auto placed = w.ownOrders().layout();
    QCOMPARE(placed.size(), std::size_t{1});
    QCOMPARE(placed[0].line.x2(), static_cast<double>(area.left() + area.width()));
    // Following live the edge is 4% of the span in from the right; the line starts there, or
    // further left when its label is wider than that.
    QVERIFY(liveX < area.right() && liveX > area.right() - 0.1 * area.width());
    QCOMPARE(placed[0].line.x1(), std::min(liveX, placed[0].label.left()));

    // Panned back an hour, the live edge is far off to the right: the marker stays in view.
    w.setFollowLive(false);
    w.timeAxis()->setRange((kT0 - 3600 * 1'000'000'000LL) * 1e-9,
                           (kT0 - 3000 * 1'000'000'000LL) * 1e-9);
    w.plot()->replot();
    placed = w.ownOrders().layout();
    QCOMPARE(placed.size(), std::size_t{1});
    QVERIFY(placed[0].line.x1() > area.left() + area.width() / 2);
    QVERIFY(placed[0].line.length() >= 20.0);
}

void TestHeatmapOwnOrders::heldStopIsDashedAndOthersSolid() {
    HeatmapWidget w;
    prepare(w);
    w.setOwnOrders(std::vector<OwnOrderLevel>{{Side::Ask, 1030, 100, OrderRole::TakeProfit},
                                              {Side::Ask, 1005, 100, OrderRole::StopLoss, true}});
    const QImage image = render(w);
    const QColor own = Theme::dark().ownOrder;
    const auto placed = w.ownOrders().layout();
    QCOMPARE(placed.size(), std::size_t{2});
    const QLineF solid = placed[0].line, dashed = placed[1].line;
    QVERIFY2(dashed.length() > 40, "too short to show a dash pattern");
    const int solidHits = ownPixels(image, solid.x1(), solid.x2(), solid.y1(), own);
    const int dashedHits = ownPixels(image, dashed.x1(), dashed.x2(), dashed.y1(), own);
    QVERIFY2(solidHits >= solid.length() - 2, qPrintable(QString::number(solidHits)));
    // Qt's dash for a 2 px pen: 8 px on, 4 px off, so about two thirds of the length.
    QVERIFY2(dashedHits > 0.5 * dashed.length() && dashedHits < 0.8 * dashed.length(),
             qPrintable(QStringLiteral("%1 of %2").arg(dashedHits).arg(dashed.length())));
}

void TestHeatmapOwnOrders::nearbyOrdersKeepTheirLabelsApart() {
    HeatmapWidget w;
    prepare(w);
    // One tick apart is ~10 px here, less than a label's height: the labels must not overlap.
    w.setOwnOrders(std::vector<OwnOrderLevel>{{Side::Bid, 1016, 100},
                                              {Side::Bid, 1017, 200, OrderRole::Entry},
                                              {Side::Ask, 1017, 300, OrderRole::StopLoss, true}});
    w.plot()->replot();
    const auto placed = w.ownOrders().layout();
    QCOMPARE(placed.size(), std::size_t{3});
    const double tickPx = priceY(w, 1016.0) - priceY(w, 1017.0);
    QVERIFY2(tickPx < placed[0].label.height(), "the test needs labels taller than a tick");
    for (std::size_t i = 0; i < placed.size(); ++i)
        for (std::size_t j = i + 1; j < placed.size(); ++j)
            QVERIFY2(!placed[i].label.intersects(placed[j].label),
                     qPrintable(QStringLiteral("labels %1 and %2 overlap").arg(i).arg(j)));
    // All still inside the plot, the first against its right edge.
    const QRect area = w.plot()->axisRect()->rect();
    for (const auto& p : placed) {
        QVERIFY(p.label.left() >= area.left());
        // A label moved left still sits on its line.
        QVERIFY2(p.line.x1() <= p.label.left(),
                 qPrintable(QStringLiteral("line from %1, label from %2")
                                .arg(p.line.x1())
                                .arg(p.label.left())));
    }
    QVERIFY(placed[0].label.right() > area.right() - 4);
}

void TestHeatmapOwnOrders::readoutListsOwnOrdersOfTheHoveredRowAtAnyGrouping() {
    HeatmapWidget w;
    prepare(w);
    w.setOwnOrders(std::vector<OwnOrderLevel>{{Side::Bid, 1017, 100},
                                              {Side::Bid, 1018, 50, OrderRole::StopLoss, true}});
    w.plot()->replot();
    const double x = w.timeAxis()->coordToPixel((kT0 + 5 * kBucket) * 1e-9);
    auto readout = [&](double price) { return w.readoutAt(QPointF(x, priceY(w, price))); };
    // Grouping 1: each order on its own row only.
    QVERIFY2(readout(1017).contains(QStringLiteral("own: B 0.100 @ 10.17")),
             qPrintable(readout(1017)));
    QVERIFY(!readout(1017).contains(QStringLiteral("SL")));
    QVERIFY(readout(1018).contains(QStringLiteral("own: SL B 0.050 @ 10.18 (held locally)")));
    QVERIFY(!readout(1015).contains(QStringLiteral("own:")));

    // Grouping 5: the row [1015, 1020) holds both, wherever in it the mouse is; the rows
    // beside it hold none. The lines stay at the orders' prices, as the touch lines do, which
    // is inside that row.
    w.setPriceGrouping(5);
    QCoreApplication::processEvents();
    w.plot()->replot();
    for (double p : {1015.0, 1016.0, 1019.0}) {
        const QString text = readout(p);
        QVERIFY2(text.contains(QStringLiteral("own: B 0.100 @ 10.17")) &&
                     text.contains(QStringLiteral("own: SL B 0.050 @ 10.18")),
                 qPrintable(text));
    }
    QVERIFY(!readout(1014).contains(QStringLiteral("own:")));
    QVERIFY(!readout(1020).contains(QStringLiteral("own:")));
    const auto placed = w.ownOrders().layout();
    QCOMPARE(placed[0].line.y1(), priceY(w, 1018.0));
    // The colour map row under the line is the group's: sizes at 1015..1019 are 16..20.
    int k = -1, r = -1;
    const double lineTicks = w.priceAxis()->pixelToCoord(placed[1].line.y1());
    w.colorMap()->data()->coordToCell((kT0 + 5 * kBucket) * 1e-9, lineTicks, &k, &r);
    QCOMPARE(w.colorMap()->data()->cell(k, r), 16.0 + 17 + 18 + 19 + 20);
}

void TestHeatmapOwnOrders::labelsFollowTheInstrument() {
    HeatmapWidget w;
    w.resize(800, 500);
    w.show();
    w.setOwnOrders(std::vector<OwnOrderLevel>{{Side::Ask, 1015, 1500}});
    // No instrument yet: sizes in whole lots.
    QCOMPARE(w.ownOrders().markers()[0].label, QStringLiteral("S 1500"));
    w.setSnapshot(snapshot());
    QCOMPARE(w.ownOrders().markers()[0].label, QStringLiteral("S 1.500"));
    // No column yet, so no live edge: nothing is placed.
    QVERIFY(w.ownOrders().layout().empty());
    w.appendColumns({rampColumn(kT0)});
    QCOMPARE(w.ownOrders().layout().size(), std::size_t{1});
}

void TestHeatmapOwnOrders::markersGoWhenOrdersGo() {
    HeatmapWidget w;
    prepare(w);
    w.setOwnOrders(std::vector<OwnOrderLevel>{{Side::Bid, 1015, 100}});
    QCoreApplication::processEvents();
    const auto line = w.ownOrders().layout().at(0).line;
    const QColor own = Theme::dark().ownOrder;
    QVERIFY(ownPixels(render(w), line.x1(), line.x2(), line.y1(), own) > 0);

    w.setOwnOrders({});
    QCoreApplication::processEvents();
    QVERIFY(w.ownOrders().markers().empty());
    QVERIFY(!w.ownOrders().visible());
    QVERIFY(w.ownOrders().layout().empty());
    QCOMPARE(ownPixels(render(w), line.x1(), line.x2(), line.y1(), own), 0);
    const double x = w.timeAxis()->coordToPixel((kT0 + 5 * kBucket) * 1e-9);
    QVERIFY(!w.readoutAt(QPointF(x, line.y1())).contains(QStringLiteral("own:")));
}

void TestHeatmapOwnOrders::unchangedOrdersDoNotRepaint() {
    HeatmapWidget w;
    prepare(w);
    const std::vector<OwnOrderLevel> orders = {{Side::Bid, 1015, 100},
                                               {Side::Ask, 1025, 100, OrderRole::TakeProfit}};
    w.setOwnOrders(orders);
    QCoreApplication::processEvents();
    const HeatmapFrameStats before = w.frameStats();
    QCOMPARE(before.ownOrderChanges, std::uint64_t{1});
    // The app hands the list over on every snapshot; the same orders, in any order, are no news.
    const std::vector<OwnOrderLevel> reordered = {orders[1], orders[0]};
    for (int frame = 0; frame < 5; ++frame) {
        w.setOwnOrders(frame % 2 ? orders : reordered);
        QCoreApplication::processEvents();
    }
    QCOMPARE(w.frameStats().ownOrderChanges, before.ownOrderChanges);
    QCOMPARE(w.frameStats().liveReplots, before.liveReplots);
    QCOMPARE(w.frameStats().replots, before.replots);
}

void TestHeatmapOwnOrders::changedOrdersRepaintOnlyTheLiveLayer() {
    HeatmapWidget w;
    prepare(w);
    w.setOwnOrders(std::vector<OwnOrderLevel>{{Side::Bid, 1015, 100}});
    QCoreApplication::processEvents();
    const HeatmapFrameStats before = w.frameStats();
    // A partial fill: the size changes; then the order goes.
    w.setOwnOrders(std::vector<OwnOrderLevel>{{Side::Bid, 1015, 60}});
    QCoreApplication::processEvents();
    QCOMPARE(w.ownOrders().markers().at(0).label, QStringLiteral("B 0.060"));
    QCOMPARE(w.frameStats().ownOrderChanges, before.ownOrderChanges + 1);
    QCOMPARE(w.frameStats().liveReplots, before.liveReplots + 1);
    QCOMPARE(w.frameStats().replots, before.replots);  // the colour map is not redrawn
    w.setOwnOrders({});
    QCoreApplication::processEvents();
    QCOMPARE(w.frameStats().ownOrderChanges, before.ownOrderChanges + 2);
    QCOMPARE(w.frameStats().liveReplots, before.liveReplots + 2);
    QCOMPARE(w.frameStats().replots, before.replots);
}

void TestHeatmapOwnOrders::costOfMarkersPerLiveRepaint() {
    // The live layer repaints on every frame with trades: what the markers add to it, and to a
    // call of setOwnOrders with an unchanged list (every snapshot). Printed, and bounded
    // loosely: the frame budget is 16 ms for everything.
    HeatmapWidget w;
    w.resize(1600, 900);
    w.show();
    w.setVisibleTimeSpan(180 * 1'000'000'000LL);
    w.setSnapshot(snapshot());
    w.appendColumns({rampColumn(kT0)});
    w.setVisiblePriceRange(990.0, 1050.0);
    QCoreApplication::processEvents();
    w.plot()->replot();
    QCPLayer* live = w.plot()->layer(QStringLiteral("live"));
    auto repaintUs = [&] {
        constexpr int kRounds = 200;
        live->replot();  // warm
        QElapsedTimer t;
        t.start();
        for (int i = 0; i < kRounds; ++i)
            live->replot();
        return static_cast<double>(t.nsecsElapsed()) / 1e3 / kRounds;
    };
    const double none = repaintUs();
    std::vector<OwnOrderLevel> three = {{Side::Bid, 1015, 100},
                                        {Side::Ask, 1030, 100, OrderRole::TakeProfit},
                                        {Side::Ask, 1005, 100, OrderRole::StopLoss, true}};
    w.setOwnOrders(three);
    const double withThree = repaintUs();
    std::vector<OwnOrderLevel> fifty;
    for (int i = 0; i < 50; ++i)
        fifty.push_back({i % 2 ? Side::Ask : Side::Bid, 995 + i, 100 + i,
                         i % 5 == 0 ? OrderRole::StopLoss : OrderRole::Entry, i % 5 == 0});
    w.setOwnOrders(fifty);
    QCOMPARE(w.ownOrders().markers().size(), std::size_t{50});
    const double withFifty = repaintUs();
    QElapsedTimer t;
    t.start();
    constexpr int kCalls = 1000;
    for (int i = 0; i < kCalls; ++i)
        w.setOwnOrders(three);  // the first call changes the list, the rest compare
    const double setUs = static_cast<double>(t.nsecsElapsed()) / 1e3 / kCalls;
    qInfo(
        "live layer repaint at 1600x900: %.1f us bare, %.1f us with 3 orders, %.1f us with "
        "50; setOwnOrders(3 orders) unchanged: %.2f us",
        none, withThree, withFifty, setUs);
    QVERIFY(withThree - none < 2000.0);
    QVERIFY(setUs < 200.0);
}

QTEST_MAIN(TestHeatmapOwnOrders)
#include "tst_heatmap_own_orders.moc"
