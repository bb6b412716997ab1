// Liquidity heatmap: history store, on-screen grid, color map, bubbles, gaps, follow-live,
// colour clamp, memory budget, and a rendered synthetic scene (/tmp/heatmap.png).

#include <malloc.h>
#include <qcustomplot.h>
#include <QApplication>
#include <QElapsedTimer>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QSignalSpy>
#include <QTest>
#include <algorithm>
#include <cmath>
#include <random>

#include "heatmap_grid.h"
#include "heatmap_history.h"
#include "heatmap_overlay.h"
#include "heatmap_widget.h"
#include "trade_bubbles.h"

using namespace flowscope;

namespace {

constexpr TimeNs kBucket = 100'000'000;
// 2023-11-14 22:13:20 UTC: a realistic epoch, far from zero, as the display assumes.
constexpr TimeNs kT0 = 1'700'000'000'000'000'000;

HeatmapColumn column(TimeNs start, PriceTicks base, std::vector<float> sizes, PriceTicks bid,
                     PriceTicks ask, Lots ofi = 0) {
    HeatmapColumn c;
    c.startNs = start;
    c.endNs = start + kBucket;
    c.basePrice = base;
    c.sizes = std::move(sizes);
    c.bestBid = {bid, static_cast<Lots>(c.sizes[static_cast<std::size_t>(bid - base)])};
    c.bestAsk = {ask, static_cast<Lots>(c.sizes[static_cast<std::size_t>(ask - base)])};
    c.microPrice = 0.5 * static_cast<double>(bid + ask);
    c.levelOfi = {ofi, 0, 0};
    return c;
}

HeatmapColumn gapColumn(TimeNs start) {
    HeatmapColumn c;
    c.startNs = start;
    c.endNs = start + kBucket;
    c.gap = true;
    return c;
}

/// 41 rows from price 1000: size at 1000 + i is i + 1; touch 1019 / 1021.
HeatmapColumn rampColumn(TimeNs start, float scale = 1.0f) {
    std::vector<float> s(41);
    for (std::size_t i = 0; i < s.size(); ++i)
        s[i] = static_cast<float>(i + 1) * scale;
    return column(start, 1000, s, 1019, 1021);
}

Trade trade(TimeNs t, PriceTicks price, Lots qty, Side aggressor) {
    Trade x;
    x.timeNs = t;
    x.price = price;
    x.qty = qty;
    x.aggressor = aggressor;
    return x;
}

std::vector<TradePrint> prints(std::initializer_list<Trade> trades) {
    std::vector<TradePrint> out;
    for (const Trade& t : trades)
        out.push_back({t});
    return out;
}

/// A laid-out widget whose cells are one bucket by one tick (20 s over ~1000 px, 120 ticks
/// over ~600 px), following live.
void prepare(HeatmapWidget& w) {
    w.resize(1200, 760);
    w.show();
    w.setVisibleTimeSpan(20 * 1'000'000'000LL);
    w.plot()->replot();
}

double cellAt(HeatmapWidget& w, TimeNs t, double priceTicks) {
    int k = -1, r = -1;
    w.colorMap()->data()->coordToCell(static_cast<double>(t) * 1e-9, priceTicks, &k, &r);
    return w.colorMap()->data()->cell(k, r);
}

/// Bytes the allocator has handed out and not got back (heap and mmapped blocks): unlike the
/// resident size, not fooled by a previous test's freed memory being reused.
std::size_t heapInUse() {
    const struct mallinfo2 m = mallinfo2();
    return m.uordblks + m.hblkhd;
}

/// A few minutes of a random-walk book: depth that thickens away from the touch with a
/// persistent per-price texture, walls on round prices that get pulled or eaten, trades at the
/// touch with momentum, and a disconnect.
struct Scene {
    std::vector<HeatmapColumn> columns;
    std::vector<TradePrint> trades;
};

Scene syntheticScene(int buckets, int gapFrom, int gapBuckets, std::uint32_t seed) {
    constexpr int kHalf = 250;
    constexpr PriceTicks kStart = 640'000;  // 64,000.0 at a 0.1 tick
    std::mt19937 rng(seed);
    std::normal_distribution<double> noise(0.0, 1.0);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    std::lognormal_distribution<double> printSize(0.6, 0.9);
    std::vector<double> texture(4000), wall(4000, 0.0);
    for (double& t : texture)
        t = std::exp(0.55 * noise(rng));
    auto slot = [&](PriceTicks p) { return static_cast<std::size_t>(p - kStart + 2000); };
    for (PriceTicks p = kStart - 1900; p < kStart + 1900; ++p)
        if (p % 25 == 0 && unit(rng) < 0.25) wall[slot(p)] = 250 + 450 * unit(rng);
    Scene scene;
    double mid = static_cast<double>(kStart) + 0.5, drift = 0.0;
    for (int b = 0; b < buckets; ++b) {
        const TimeNs start = kT0 + b * kBucket;
        if (b >= gapFrom && b < gapFrom + gapBuckets) {
            scene.columns.push_back(gapColumn(start));
            continue;
        }
        drift = 0.97 * drift + 0.05 * noise(rng);
        const double step = drift + 0.35 * noise(rng);
        mid += step;
        const auto bid = static_cast<PriceTicks>(std::floor(mid));
        const PriceTicks ask = bid + 1 + (unit(rng) < 0.1 ? 1 : 0);
        // The texture drifts slowly; a wall at the touch is being eaten, and some get pulled.
        for (int k = 0; k < 2; ++k)
            texture[static_cast<std::size_t>(rng() % texture.size())] = std::exp(0.55 * noise(rng));
        for (PriceTicks p : {bid, ask})
            wall[slot(p)] *= 0.9;
        if (unit(rng) < 0.004) wall[slot(bid - 25 + static_cast<PriceTicks>(rng() % 50))] = 0;
        if (unit(rng) < 0.006) {
            const PriceTicks p = (bid / 25 + static_cast<PriceTicks>(rng() % 8) - 4) * 25;
            if (p < bid - 3 || p > ask + 3) wall[slot(p)] = 200 + 400 * unit(rng);
        }
        std::vector<float> sizes(2 * kHalf + 1, 0.0f);
        const PriceTicks base = bid - kHalf;
        for (int i = 0; i < 2 * kHalf + 1; ++i) {
            const PriceTicks p = base + i;
            if (p > bid && p < ask) continue;
            const double dist = static_cast<double>(p <= bid ? bid - p : p - ask);
            const double depth = 6.0 + 34.0 * (1.0 - std::exp(-dist / 18.0));
            const double flicker = std::exp(0.08 * noise(rng));
            sizes[static_cast<std::size_t>(i)] =
                static_cast<float>(std::round(depth * texture[slot(p)] * flicker + wall[slot(p)]));
        }
        HeatmapColumn c = column(start, base, std::move(sizes), bid, ask);
        c.microPrice = mid;
        Lots ofi = 0;
        const int n = static_cast<int>(std::abs(step) * 6 + 2 * unit(rng));
        for (int t = 0; t < n; ++t) {
            const bool buy = unit(rng) < (step > 0 ? 0.75 : 0.25);
            auto qty = static_cast<Lots>(std::ceil(printSize(rng)));
            if (unit(rng) < 0.01) qty *= 25;  // a block
            ofi += buy ? qty : -qty;
            scene.trades.push_back({trade(start + t * (kBucket / (n + 1)), buy ? ask : bid, qty,
                                          buy ? Side::Bid : Side::Ask)});
        }
        c.levelOfi = {ofi};
        scene.columns.push_back(std::move(c));
    }
    return scene;
}

}  // namespace

class TestHeatmapWidget : public QObject {
    Q_OBJECT
  private slots:
    void columnCellsHoldTheBook();
    void priceGroupingSumsTicks();
    void gapColumnIsShownAsGapNotAsTheLastBook();
    void missingBucketsAreAGap();
    void historySurvivesReconnect();
    void timeGoingBackwardsRestartsHistory();
    void tradeBubblesAggregateAndFilterByMinimumSize();
    void followLiveScrollsOnAppendAndStopsOnUserPan();
    void keysZoomPanAndFollow();
    void colourScaleClampsAtPercentile();
    void logScaleSpansThreeDecades();
    void largeOrdersAreOutlined();
    void ofiOverlayShowsTouchOfi();
    void visiblePriceRangeIsSettableAndSignalled();
    void waitsForDataUntilFirstColumn();
    void crosshairReadoutShowsPriceTimeSize();
    void hourOfHistoryStaysUnderMemoryBudget();
    void hourInTheWidgetStaysUnderMemoryBudget();
    void historyEvictsOldestUnderBudget();
    void newColumnRecoloursOneImageColumn();
    void quietMarketRepaintsInSteps();
    void renderSyntheticScene();
};

void TestHeatmapWidget::columnCellsHoldTheBook() {
    HeatmapWidget w;
    prepare(w);
    w.appendColumns({rampColumn(kT0), rampColumn(kT0 + kBucket, 2.0f)});
    // The store: size at 1000 + i is (i + 1) x scale.
    const HeatmapHistory::Column* first = w.history().columnAt(kT0 + kBucket / 2);
    QVERIFY(first != nullptr);
    QCOMPARE(first->sizeAt(1005), 6.0f);
    QCOMPARE(w.history().columnAt(kT0 + kBucket)->sizeAt(1005), 12.0f);
    QCOMPARE(first->sizeAt(999), 0.0f);  // below the column's rows
    // The grid and the color map hold the same cells at (time, price).
    QCOMPARE(w.grid().valueAt(kT0 + 1, 1005), 6.0f);
    QCOMPARE(cellAt(w, kT0 + kBucket / 2, 1005), 6.0);
    QCOMPARE(cellAt(w, kT0 + kBucket / 2, 1040), 41.0);
    QCOMPARE(cellAt(w, kT0 + kBucket + kBucket / 2, 1005), 12.0);
    QCOMPARE(w.grid().geometry().bucketsPerCell, 1);
    QCOMPARE(w.grid().geometry().rowTicks, 1);
}

void TestHeatmapWidget::priceGroupingSumsTicks() {
    HeatmapWidget w;
    prepare(w);
    w.appendColumns({rampColumn(kT0)});
    w.setPriceGrouping(5);
    // Row [1000, 1005) sums sizes 1..5; row [1005, 1010) sums 6..10.
    QCOMPARE(w.grid().geometry().rowTicks % 5, 0);
    QCOMPARE(w.grid().valueAt(kT0, 1002), 15.0f);
    QCOMPARE(w.grid().valueAt(kT0, 1007), 40.0f);
}

void TestHeatmapWidget::gapColumnIsShownAsGapNotAsTheLastBook() {
    HeatmapWidget w;
    prepare(w);
    w.appendColumns({rampColumn(kT0), gapColumn(kT0 + kBucket), rampColumn(kT0 + 2 * kBucket)});
    const TimeNs inGap = kT0 + kBucket + kBucket / 2;
    QVERIFY(w.history().columnAt(inGap)->gap);
    QVERIFY(std::isnan(w.grid().valueAt(inGap, 1005)));
    QVERIFY(std::isnan(cellAt(w, inGap, 1005)));  // NaN: painted in theme.gap, not 6
    QCOMPARE(cellAt(w, kT0 + 2 * kBucket + kBucket / 2, 1005), 6.0);
    const int k = static_cast<int>(w.grid().geometry().cellAt(inGap));
    QCOMPARE(w.grid().state(k), HeatmapGrid::CellState::Gap);
    // The lines break at the gap instead of carrying the touch across it.
    const auto bid = w.findChild<QCustomPlot*>()->graph(0)->data();
    bool sawNan = false;
    for (auto it = bid->constBegin(); it != bid->constEnd(); ++it)
        if (std::abs(it->key - static_cast<double>(kT0 + kBucket) * 1e-9) < 1e-6)
            sawNan = sawNan || std::isnan(it->value);
    QVERIFY(sawNan);
}

void TestHeatmapWidget::missingBucketsAreAGap() {
    HeatmapWidget w;
    prepare(w);
    // Buckets 1..3 never arrived (a replay jump, or columns dropped on overflow).
    w.appendColumns({rampColumn(kT0), rampColumn(kT0 + 4 * kBucket)});
    for (int b = 1; b <= 3; ++b)
        QVERIFY(std::isnan(cellAt(w, kT0 + b * kBucket + kBucket / 2, 1005)));
    QCOMPARE(cellAt(w, kT0 + 4 * kBucket + kBucket / 2, 1005), 6.0);
    QVERIFY(w.readoutAt(QPointF(w.plot()->xAxis->coordToPixel((kT0 + 2 * kBucket) * 1e-9),
                                w.plot()->yAxis2->coordToPixel(1005)))
                .contains(QStringLiteral("gap")));
}

void TestHeatmapWidget::historySurvivesReconnect() {
    HeatmapWidget w;
    prepare(w);
    std::vector<HeatmapColumn> before, outage, after;
    for (int b = 0; b < 10; ++b)
        before.push_back(rampColumn(kT0 + b * kBucket));
    for (int b = 10; b < 15; ++b)
        outage.push_back(gapColumn(kT0 + b * kBucket));
    for (int b = 15; b < 20; ++b)
        after.push_back(rampColumn(kT0 + b * kBucket, 3.0f));
    w.appendColumns(std::move(before));
    w.appendColumns(std::move(outage));
    w.appendColumns(std::move(after));
    QCOMPARE(w.history().columnCount(), std::size_t{20});
    QCOMPARE(w.history().columnAt(kT0 + 3 * kBucket)->sizeAt(1010), 11.0f);
    QCOMPARE(cellAt(w, kT0 + 3 * kBucket + kBucket / 2, 1010), 11.0);
    QVERIFY(std::isnan(cellAt(w, kT0 + 12 * kBucket + kBucket / 2, 1010)));
    QCOMPARE(cellAt(w, kT0 + 17 * kBucket + kBucket / 2, 1010), 33.0);
}

void TestHeatmapWidget::timeGoingBackwardsRestartsHistory() {
    HeatmapHistory h;
    QCOMPARE(h.append(rampColumn(kT0 + 10 * kBucket)), HeatmapHistory::AppendResult::Appended);
    QCOMPARE(h.append(rampColumn(kT0)), HeatmapHistory::AppendResult::Restarted);
    QCOMPARE(h.columnCount(), std::size_t{1});
    QCOMPARE(h.startNs(), kT0);
}

void TestHeatmapWidget::tradeBubblesAggregateAndFilterByMinimumSize() {
    HeatmapWidget w;
    prepare(w);
    w.appendColumns({rampColumn(kT0), rampColumn(kT0 + kBucket)});
    w.appendTrades(prints(
        {trade(kT0 + 1'000, 1010, 5, Side::Bid),  // buy 5 + buy 3 = 8
         trade(kT0 + 2'000, 1010, 3, Side::Bid), trade(kT0 + 3'000, 1011, 2, Side::Ask),  // sell 2
         trade(kT0 + 4'000, 1012, 6, Side::Bid),  // buy 6 + sell 4 = 10
         trade(kT0 + 5'000, 1012, 4, Side::Ask), trade(kT0 + kBucket + 1, 1009, 20, Side::Ask)}));
    // Stored per (bucket, price): four bins, not six prints.
    QCOMPARE(w.history().tradeCount(), std::size_t{4});
    QCOMPARE(w.history().trade(0).buyQty, Lots{8});
    QCOMPARE(w.history().trade(0).prints, 2u);

    auto volumes = [&] {
        std::vector<Lots> v;
        for (const auto& b : w.bubbles().bubbles(kT0, kT0 + 10 * kBucket))
            v.push_back(b.volume());
        std::sort(v.begin(), v.end());
        return v;
    };
    QCOMPARE(volumes(), (std::vector<Lots>{2, 8, 10, 20}));
    w.setMinTradeSize(5);
    QCOMPARE(w.minTradeSize(), Lots{5});
    QCOMPARE(volumes(), (std::vector<Lots>{8, 10, 20}));
    w.setMinTradeSize(15);
    QCOMPARE(volumes(), (std::vector<Lots>{20}));
    // A mixed bin keeps both sides for the pie.
    w.setMinTradeSize(0);
    bool sawMixed = false;
    for (const auto& b : w.bubbles().bubbles(kT0, kT0 + kBucket))
        if (b.lowPrice <= 1012 && 1012 < b.lowPrice + w.bubbles().rowTicks())
            sawMixed = b.buyQty == 6 && b.sellQty == 4;
    QVERIFY(sawMixed);
}

void TestHeatmapWidget::followLiveScrollsOnAppendAndStopsOnUserPan() {
    HeatmapWidget w;
    prepare(w);
    QSignalSpy followSpy(&w, &HeatmapWidget::followLiveChanged);
    QVERIFY(w.followLive());
    for (int b = 0; b < 10; ++b)
        w.appendColumns({rampColumn(kT0 + b * kBucket)});
    const QCPRange r0 = w.plot()->xAxis->range();
    const double liveEdge = static_cast<double>(kT0 + 10 * kBucket) * 1e-9;
    QVERIFY(r0.lower < liveEdge && liveEdge < r0.upper);
    QVERIFY(r0.upper - liveEdge < 0.1 * r0.size());  // the live edge is at the right
    w.appendColumns({rampColumn(kT0 + 10 * kBucket)});
    const QCPRange r1 = w.plot()->xAxis->range();
    QVERIFY(std::abs((r1.lower - r0.lower) - 0.1) < 1e-6);  // one bucket later
    QVERIFY(std::abs(r1.size() - r0.size()) < 1e-6);

    // The user drags the plot to the right (to look back): follow-live turns off.
    QCustomPlot* plot = w.plot();
    const QPoint from = plot->axisRect()->rect().center();
    const QPoint to = from + QPoint(150, 0);
    QTest::mousePress(plot, Qt::LeftButton, Qt::NoModifier, from);
    QMouseEvent move(QEvent::MouseMove, QPointF(to), plot->mapToGlobal(QPointF(to)), Qt::NoButton,
                     Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(plot, &move);
    QTest::mouseRelease(plot, Qt::LeftButton, Qt::NoModifier, to);
    QVERIFY(!w.followLive());
    QCOMPARE(followSpy.count(), 1);
    QCOMPARE(followSpy.last().at(0).toBool(), false);
    const QCPRange panned = plot->xAxis->range();
    QVERIFY(panned.lower < r1.lower);
    w.appendColumns({rampColumn(kT0 + 11 * kBucket)});
    QCOMPARE(plot->xAxis->range().lower, panned.lower);  // no longer scrolls

    // F puts it back at the live edge.
    QTest::keyClick(&w, Qt::Key_F);
    QVERIFY(w.followLive());
    const double edge = static_cast<double>(kT0 + 12 * kBucket) * 1e-9;
    QVERIFY(plot->xAxis->range().upper > edge && plot->xAxis->range().lower < edge);
}

void TestHeatmapWidget::keysZoomPanAndFollow() {
    HeatmapWidget w;
    prepare(w);
    for (int b = 0; b < 50; ++b)
        w.appendColumns({rampColumn(kT0 + b * kBucket)});
    const double span = w.plot()->xAxis->range().size();
    QTest::keyClick(&w, Qt::Key_Minus);  // zoom out time, still following
    QVERIFY(w.plot()->xAxis->range().size() > span * 1.1);
    QVERIFY(w.followLive());
    const double priceSpan = w.plot()->yAxis2->range().size();
    QTest::keyClick(&w, Qt::Key_Plus, Qt::ControlModifier);  // zoom in price
    QVERIFY(w.plot()->yAxis2->range().size() < priceSpan * 0.9);
    QTest::keyClick(&w, Qt::Key_Left);  // pan back: stop following
    QVERIFY(!w.followLive());
    QTest::keyClick(&w, Qt::Key_End);
    QVERIFY(w.followLive());
}

void TestHeatmapWidget::colourScaleClampsAtPercentile() {
    HeatmapWidget w;
    prepare(w);
    // Ten buckets of thirty rows, sizes 1..300 all distinct.
    std::vector<HeatmapColumn> cols;
    for (int b = 0; b < 10; ++b) {
        std::vector<float> s(30);
        for (int i = 0; i < 30; ++i)
            s[static_cast<std::size_t>(i)] = static_cast<float>(b * 30 + i + 1);
        cols.push_back(column(kT0 + b * kBucket, 2000, s, 2014, 2015));
    }
    w.appendColumns(std::move(cols));
    w.setColorSettings({HeatmapColorSettings::Scale::Linear, 1.0, 90.0});
    // By hand: 300 sorted values, nearest rank at 0.9 x 299 = 269.1 -> index 269 -> 270.
    QCOMPARE(w.colorMap()->dataRange().upper, 270.0);
    QCOMPARE(w.colorMap()->dataRange().lower, 0.0);
    w.setColorSettings({HeatmapColorSettings::Scale::Linear, 1.0, 50.0});
    QCOMPARE(w.colorMap()->dataRange().upper, 151.0);  // index round(149.5) = 150 -> 151
}

void TestHeatmapWidget::logScaleSpansThreeDecades() {
    HeatmapWidget w;
    prepare(w);
    w.appendColumns({rampColumn(kT0)});
    w.setColorSettings({HeatmapColorSettings::Scale::Log, 1.0, 100.0});
    QCOMPARE(w.colorMap()->dataScaleType(), QCPAxis::stLogarithmic);
    QCOMPARE(w.colorMap()->dataRange().upper, 41.0);
    QCOMPARE(w.colorMap()->dataRange().lower, 0.041);
    w.grab();  // zero-size cells must colour without a log of zero
}

void TestHeatmapWidget::largeOrdersAreOutlined() {
    HeatmapWidget w;
    prepare(w);
    std::vector<HeatmapColumn> cols;
    for (int b = 0; b < 6; ++b) {
        HeatmapColumn c = rampColumn(kT0 + b * kBucket);
        if (b >= 2) c.sizes[30] = 500.0f;  // a wall at 1030 from bucket 2 on
        cols.push_back(std::move(c));
    }
    w.appendColumns(std::move(cols));
    w.setLargeOrderThreshold(400);
    const GridGeometry& g = w.grid().geometry();
    const auto runs = w.overlay().largeOrderRuns(0, g.cells - 1, 0, g.rows - 1);
    QCOMPARE(runs.size(), std::size_t{1});
    QCOMPARE(g.rowLowPrice(runs[0].row), PriceTicks{1030});
    QCOMPARE(g.cellStartNs(runs[0].firstCell), kT0 + 2 * kBucket);
    QCOMPARE(g.cellStartNs(runs[0].lastCell), kT0 + 5 * kBucket);
    // Zoomed out to ~30 ticks a row, the ramp's row sums alone pass 400; the wall is still the
    // only large order, because detection looks at single price groups, not row sums.
    w.setVisiblePriceRange(-9000, 11000);
    w.renderFrame();
    const GridGeometry& z = w.grid().geometry();
    QVERIFY(z.rowTicks >= 20);
    const auto zoomed = w.overlay().largeOrderRuns(0, z.cells - 1, 0, z.rows - 1);
    QCOMPARE(zoomed.size(), std::size_t{1});
    QVERIFY(z.rowLowPrice(zoomed[0].row) <= 1030 &&
            1030 < z.rowLowPrice(zoomed[0].row) + z.rowTicks);
}

void TestHeatmapWidget::ofiOverlayShowsTouchOfi() {
    HeatmapWidget w;
    prepare(w);
    std::vector<float> s(41, 1.0f);
    w.appendColumns(
        {column(kT0, 1000, s, 1019, 1021, 7), column(kT0 + kBucket, 1000, s, 1019, 1021, -4)});
    QVERIFY(!w.ofiOverlayVisible());
    w.setOfiOverlayVisible(true);
    QVERIFY(w.ofiOverlayVisible());
    QCPGraph* pos = nullptr;
    QCPGraph* neg = nullptr;
    for (int i = 0; i < w.plot()->graphCount(); ++i) {
        QCPGraph* g = w.plot()->graph(i);
        if (g->valueAxis() != w.plot()->yAxis) continue;
        (pos == nullptr ? pos : neg) = g;
    }
    QVERIFY(pos && neg && pos->visible());
    QCOMPARE(pos->data()->at(0)->value, 7.0);
    QCOMPARE(neg->data()->findBegin((kT0 + kBucket) * 1e-9, false)->value, -4.0);
}

void TestHeatmapWidget::visiblePriceRangeIsSettableAndSignalled() {
    HeatmapWidget w;
    prepare(w);
    QSignalSpy spy(&w, &HeatmapWidget::visiblePriceRangeChanged);
    w.setVisiblePriceRange(900.0, 1100.0);
    QVERIFY(spy.count() >= 1);
    QCOMPARE(spy.last().at(0).toDouble(), 900.0);
    QCOMPARE(spy.last().at(1).toDouble(), 1100.0);
    QCOMPARE(w.visiblePriceRange().lowTicks, 900.0);
    QCOMPARE(w.visiblePriceRange().highTicks, 1100.0);
}

void TestHeatmapWidget::waitsForDataUntilFirstColumn() {
    HeatmapWidget w;
    prepare(w);
    QVERIFY(w.waitingForData());
    w.grab();  // paints the empty state without a grid
    w.appendColumns({rampColumn(kT0)});
    QVERIFY(!w.waitingForData());
    w.clear();
    QVERIFY(w.waitingForData());
}

void TestHeatmapWidget::crosshairReadoutShowsPriceTimeSize() {
    HeatmapWidget w;
    prepare(w);
    auto snap = std::make_shared<MarketSnapshot>();
    snap->instrument = {"SIM", "TEST", DecimalStep{1, 2}, DecimalStep{1, 0}};
    w.setSnapshot(snap);
    w.appendColumns({rampColumn(kT0)});
    w.plot()->replot();
    const QPointF px(w.plot()->xAxis->coordToPixel((kT0 + kBucket / 2) * 1e-9),
                     w.plot()->yAxis2->coordToPixel(1005));
    const QString text = w.readoutAt(px);
    QVERIFY2(text.contains(QStringLiteral("10.05")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("22:13:20.050")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("size 6")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("10.19 / 10.21")), qPrintable(text));
}

void TestHeatmapWidget::hourOfHistoryStaysUnderMemoryBudget() {
    const std::size_t heapBefore = heapInUse();
    HeatmapHistory h;
    constexpr int kHour = 36'000;
    std::mt19937 rng(7);
    std::uniform_int_distribution<int> qty(1, 9);
    for (int b = 0; b < kHour; ++b) {
        HeatmapColumn c;
        c.startNs = kT0 + b * kBucket;
        c.endNs = c.startNs + kBucket;
        c.basePrice = 100'000 + b % 50;
        c.sizes.assign(501, 12.0f);
        c.bestBid = {c.basePrice + 250, 12};
        c.bestAsk = {c.basePrice + 251, 12};
        c.levelOfi.assign(10, 1);
        c.levelBidQty.assign(10, 12);
        c.levelAskQty.assign(10, 12);
        h.append(std::move(c));
        for (int t = 0; t < 20; ++t)  // 200 prints/s over 5 prices
            h.append(trade(kT0 + b * kBucket + t * 1000, 100'250 + t % 5, qty(rng),
                           t % 2 ? Side::Bid : Side::Ask));
    }
    QCOMPARE(h.columnCount(), std::size_t{kHour});  // all of it kept
    QCOMPARE(h.columnsEvicted(), std::uint64_t{0});
    // By hand: the sizes alone are 36,000 x 501 x 4 B = 72.1 MB.
    QVERIFY(h.columnBytes() >= std::size_t{kHour} * 501 * 4);
    QVERIFY(h.bytesUsed() < std::size_t{300} << 20);
    QCOMPARE(h.tradeCount(), std::size_t{kHour} * 5);
    const std::size_t heapGrowth = heapInUse() - heapBefore;
    qInfo("hour of 501-row history: accounted %.1f MB, heap in use %.1f MB",
          h.bytesUsed() / 1048576.0, heapGrowth / 1048576.0);
    QVERIFY(heapGrowth < std::size_t{300} << 20);
    // The accounting is honest: within 10% of what the allocator reports.
    QVERIFY(std::abs(static_cast<double>(heapGrowth) - static_cast<double>(h.bytesUsed())) <
            0.1 * static_cast<double>(h.bytesUsed()));
}

void TestHeatmapWidget::hourInTheWidgetStaysUnderMemoryBudget() {
    // Everything the widget holds for an hour: history, lines, grid, color map and image.
    const std::size_t heapBefore = heapInUse();
    {
        HeatmapWidget w;
        w.resize(1500, 820);
        w.show();
        std::vector<float> sizes(501, 12.0f);
        for (int batch = 0; batch < 60; ++batch) {  // a minute of columns at a time
            std::vector<HeatmapColumn> cols;
            for (int i = 0; i < 600; ++i) {
                const int b = batch * 600 + i;
                const PriceTicks base = 100'000 + b % 50;
                cols.push_back(column(kT0 + b * kBucket, base, sizes, base + 250, base + 251, 3));
            }
            w.appendColumns(std::move(cols));
        }
        w.setVisibleTimeSpan(3600 * 1'000'000'000LL);
        w.renderFrame();
        QCOMPARE(w.history().columnCount(), std::size_t{36'000});
        // The hour on screen is still about one screen of cells.
        QVERIFY(w.grid().geometry().cells < 2 * w.plot()->axisRect()->width());
        const std::size_t heapGrowth = heapInUse() - heapBefore;
        qInfo("hour in the widget: history %.1f MB, heap in use %.1f MB",
              w.history().bytesUsed() / 1048576.0, heapGrowth / 1048576.0);
        QVERIFY(heapGrowth < std::size_t{300} << 20);
    }
}

void TestHeatmapWidget::historyEvictsOldestUnderBudget() {
    HistoryLimits limits;
    limits.columnBytes = 100 * HeatmapHistory::columnCost(41);
    limits.tradeBytes = 10 * sizeof(HeatmapHistory::TradeBin);
    HeatmapHistory h(limits);
    for (int b = 0; b < 150; ++b) {
        h.append(rampColumn(kT0 + b * kBucket));
        h.append(trade(kT0 + b * kBucket, 1010, 1, Side::Bid));
    }
    QCOMPARE(h.columnCount(), std::size_t{100});
    QCOMPARE(h.startNs(), kT0 + 50 * kBucket);
    QVERIFY(h.columnBytes() <= limits.columnBytes);
    QCOMPARE(h.tradeCount(), std::size_t{10});
    QCOMPARE(h.tradesEvicted(), std::uint64_t{140});
}

void TestHeatmapWidget::newColumnRecoloursOneImageColumn() {
    HeatmapWidget w;
    w.resize(1600, 900);
    w.show();
    w.setVisibleTimeSpan(3 * 60 * 1'000'000'000LL);
    std::vector<float> s(501);
    for (std::size_t i = 0; i < s.size(); ++i)
        s[i] = static_cast<float>(5 + (i * 37) % 23);
    std::vector<HeatmapColumn> warm;
    for (int b = 0; b < 1200; ++b)
        warm.push_back(column(kT0 + b * kBucket, 1000, s, 1250, 1251));
    w.appendColumns(std::move(warm));
    w.renderFrame();
    QCOMPARE(w.frameStats().recolouredColumns, w.grid().geometry().cells);  // first: everything

    double appendUs = 0, replotUs = 0, worstReplotUs = 0;
    int incremental = 0;
    constexpr int kFrames = 300;
    for (int b = 1200; b < 1200 + kFrames; ++b) {
        const std::uint64_t rebuilds = w.frameStats().rebuilds;
        // The touch moves every bucket: each column is news (quiet repeats are batched).
        w.appendColumns({column(kT0 + b * kBucket, 1000, s, 1250 - (b + 1) % 2, 1251)});
        w.renderFrame();
        appendUs += w.frameStats().appendUs;
        replotUs += w.frameStats().replotUs;
        worstReplotUs = std::max(worstReplotUs, w.frameStats().replotUs);
        if (w.frameStats().rebuilds == rebuilds) {
            ++incremental;
            QVERIFY(w.frameStats().recolouredColumns <= 1);  // one new cell column at most
        }
    }
    QVERIFY(incremental > kFrames * 9 / 10);
    // What the slack saves: a rebuild (zoom step, pan out of the window, live scroll past the
    // slack) re-cuts the window from the history and recolours the whole image.
    QElapsedTimer rebuild;
    rebuild.start();
    w.setPriceGrouping(1);  // same view, forced rebuild
    const double rebuildUs = static_cast<double>(rebuild.nsecsElapsed()) / 1e3;
    w.renderFrame();
    QCOMPARE(w.frameStats().recolouredColumns, w.grid().geometry().cells);
    const GridGeometry& g = w.grid().geometry();
    qInfo(
        "per new column: append %.1f us, replot %.2f ms (worst %.2f ms), %d/%d incremental; "
        "grid %d x %d cells, %d buckets/cell; a rebuild %.2f ms + its replot %.2f ms",
        appendUs / kFrames, replotUs / kFrames / 1e3, worstReplotUs / 1e3, incremental, kFrames,
        g.cells, g.rows, g.bucketsPerCell, rebuildUs / 1e3, w.frameStats().replotUs / 1e3);
}

void TestHeatmapWidget::renderSyntheticScene() {
    constexpr int kBuckets = 4 * 60 * 10;  // four minutes
    Scene scene = syntheticScene(kBuckets, 1500, 40, 2024);
    HeatmapWidget w;
    w.resize(1500, 820);
    w.show();
    auto snap = std::make_shared<MarketSnapshot>();
    snap->instrument = {"SIM", "BTC-USD", DecimalStep{1, 1}, DecimalStep{1, 0}};
    snap->status.state = FeedState::Live;
    w.setSnapshot(snap);
    w.setLargeOrderThreshold(350);
    w.setMinTradeSize(2);
    w.setOfiOverlayVisible(true);
    // Fed as the app would: one frame's worth (16 ms ~ 1/6 of a bucket) at a time.
    std::size_t nextTrade = 0;
    double replotUs = 0;
    int fed = 0;
    QElapsedTimer timer;
    timer.start();
    for (HeatmapColumn& c : scene.columns) {
        std::vector<TradePrint> batch;
        while (nextTrade < scene.trades.size() && scene.trades[nextTrade].trade.timeNs < c.endNs)
            batch.push_back(scene.trades[nextTrade++]);
        w.appendTrades(std::move(batch));
        const HeatmapColumn& last = c;
        auto live = std::make_shared<MarketSnapshot>(*snap);
        if (!last.gap) {
            live->bids = {last.bestBid};
            live->asks = {last.bestAsk};
        }
        w.setSnapshot(live);
        w.appendColumns({std::move(c)});
        // A frame every few seconds of market is enough to exercise the live path; a replot
        // per column would only make the suite slow (speed is measured in tests/bench).
        if (++fed % 50 == 0) {
            w.renderFrame();
            replotUs += w.frameStats().replotUs;
        }
    }
    qInfo("fed %d columns and %zu prints in %.0f ms; full replot per column %.2f ms", kBuckets,
          scene.trades.size(), timer.elapsed() * 1.0, replotUs / (kBuckets / 50) / 1e3);
    // Hover somewhere in the middle for the crosshair.
    const QRect area = w.plot()->axisRect()->rect();
    const QPointF hover(area.left() + area.width() * 0.62, area.top() + area.height() * 0.42);
    QMouseEvent move(QEvent::MouseMove, hover, w.plot()->mapToGlobal(hover), Qt::NoButton,
                     Qt::NoButton, Qt::NoModifier);
    QApplication::sendEvent(w.plot(), &move);
    w.renderFrame();
    QVERIFY(w.grab().save(QStringLiteral("/tmp/heatmap.png")));
    // Close up: cells are buckets by ticks, many pixels each, and stay crisp.
    const double mid = 0.5 * (w.visiblePriceRange().lowTicks + w.visiblePriceRange().highTicks);
    w.setVisibleTimeSpan(20 * 1'000'000'000LL);
    w.setVisiblePriceRange(mid - 20, mid + 20);
    w.renderFrame();
    QVERIFY(w.grab().save(QStringLiteral("/tmp/heatmap-zoomed-in.png")));
    QCOMPARE(w.grid().geometry().bucketsPerCell, 1);
    QCOMPARE(w.grid().geometry().rowTicks, 1);
    // The whole history at once: the grid stays at screen resolution.
    w.setVisibleTimeSpan(5 * 60 * 1'000'000'000LL);
    w.setVisiblePriceRange(w.visiblePriceRange().lowTicks - 150,
                           w.visiblePriceRange().highTicks + 150);
    w.renderFrame();
    QVERIFY(w.grab().save(QStringLiteral("/tmp/heatmap-zoomed-out.png")));
    QVERIFY(w.grid().geometry().cells < 2 * w.plot()->axisRect()->width());
    w.setTheme(Theme::light());
    w.renderFrame();
    QVERIFY(w.grab().save(QStringLiteral("/tmp/heatmap-light.png")));
}

void TestHeatmapWidget::quietMarketRepaintsInSteps() {
    HeatmapWidget w;
    w.resize(800, 400);
    w.show();
    w.appendColumns({rampColumn(kT0)});
    QCoreApplication::processEvents();
    const auto replots = w.frameStats().replots;
    // Four buckets repeating the standing book: no repaint yet.
    for (int b = 1; b <= 4; ++b) {
        w.appendColumns({rampColumn(kT0 + b * kBucket)});
        QCoreApplication::processEvents();
    }
    QCOMPARE(w.frameStats().replots, replots);
    QCOMPARE(w.history().columnCount(), std::size_t{5});  // stored all the same
    // The fifth quiet bucket scrolls the view; a changed book repaints at once.
    w.appendColumns({rampColumn(kT0 + 5 * kBucket)});
    QCoreApplication::processEvents();
    QCOMPARE(w.frameStats().replots, replots + 1);
    w.appendColumns({rampColumn(kT0 + 6 * kBucket, 2.0f)});
    QCoreApplication::processEvents();
    QCOMPARE(w.frameStats().replots, replots + 2);
}

QTEST_MAIN(TestHeatmapWidget)
#include "tst_heatmap_widget.moc"
