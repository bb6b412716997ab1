// Imbalance heatmap: per-level OFI per bucket from a known sequence of books through the feed
// engine, the rolling z-score, the three cell measures, the symmetric diverging colour scale,
// gaps, the hover readout, O(M) appends, and the time axis linked with the liquidity heatmap.

#include <qcustomplot.h>
#include <QApplication>
#include <QMouseEvent>
#include <QTest>
#include <QWheelEvent>
#include <cmath>

#include "feed/feed_engine.h"
#include "heatmap_navigator.h"
#include "heatmap_widget.h"
#include "imbalance_heatmap_color_map.h"
#include "imbalance_heatmap_gaps.h"
#include "imbalance_heatmap_link.h"
#include "imbalance_heatmap_widget.h"

using namespace flowscope;

namespace {

constexpr TimeNs kBucket = 100'000'000;
constexpr TimeNs kMs = 1'000'000;
// 2023-11-14 22:13:20 UTC, a multiple of the bucket.
constexpr TimeNs kT0 = 1'700'000'000'000'000'000;

/// A column carrying only what the imbalance heatmap reads.
HeatmapColumn column(int bucket, std::vector<Lots> ofi, std::vector<Lots> bids = {},
                     std::vector<Lots> asks = {}) {
    HeatmapColumn c;
    c.startNs = kT0 + bucket * kBucket;
    c.endNs = c.startNs + kBucket;
    c.bestBid = {100, 1};
    c.bestAsk = {101, 1};
    c.levelBidQty = bids.empty() ? std::vector<Lots>(ofi.size(), 1) : std::move(bids);
    c.levelAskQty = asks.empty() ? std::vector<Lots>(ofi.size(), 1) : std::move(asks);
    c.levelOfi = std::move(ofi);
    return c;
}

HeatmapColumn gapColumn(int bucket) {
    HeatmapColumn c;
    c.startNs = kT0 + bucket * kBucket;
    c.endNs = c.startNs + kBucket;
    c.gap = true;
    return c;
}

/// Wide enough that one cell is one bucket: 20 s over ~1000 px.
void prepare(ImbalanceHeatmapWidget& w) {
    w.resize(1200, 300);
    w.show();
    w.timeAxis()->setRange(static_cast<double>(kT0) * 1e-9 - 2.0,
                           static_cast<double>(kT0) * 1e-9 + 18.0);
    w.plot()->replot();
}

double mapCell(ImbalanceHeatmapWidget& w, int bucket, int level) {
    int k = -1, r = -1;
    const double t = static_cast<double>(kT0 + bucket * kBucket + kBucket / 2) * 1e-9;
    w.colorMap()->data()->coordToCell(t, level, &k, &r);
    return w.colorMap()->data()->cell(k, r);
}

QPointF pixelOf(ImbalanceHeatmapWidget& w, int bucket, int level) {
    const double t = static_cast<double>(kT0 + bucket * kBucket + kBucket / 2) * 1e-9;
    return {w.timeAxis()->coordToPixel(t), w.levelAxis()->coordToPixel(level)};
}

std::vector<HeatmapColumn> drain(FeedEngine& feed) {
    std::vector<HeatmapColumn> out;
    while (auto c = feed.columns().pop())
        out.push_back(std::move(*c));
    return out;
}

}  // namespace

class TestImbalanceHeatmap : public QObject {
    Q_OBJECT

  private slots:
    void cellsEqualHandComputedLevelOfiPerBucket() {
        FeedEngineConfig config;
        config.heatmap.levels = 3;
        FeedEngine feed({"SIM", "TEST", DecimalStep{1, 0}, DecimalStep{1, 0}}, config);
        const std::vector<Level> bids{{100, 5}, {99, 4}, {98, 3}};
        const std::vector<Level> asks{{101, 6}, {102, 7}, {103, 8}};
        QCOMPARE(feed.onSnapshot(bids, asks, 1, kT0 + 10 * kMs), BookError::None);
        // Bucket 0.
        // Bid 100: 5 -> 8 at the same price: level 1 e = +8 - 5 = +3.
        QCOMPARE(feed.onLevel(Side::Bid, 100, 8, 2, kT0 + 20 * kMs), SequenceCheck::Applied);
        // Ask 101 removed: every ask level moves up one price, each counting its old size as
        // gone from the ask (buy pressure): level 1 +6, level 2 +7, level 3 +8 (103 -> none).
        QCOMPARE(feed.onLevel(Side::Ask, 101, 0, 3, kT0 + 30 * kMs), SequenceCheck::Applied);
        // Bucket 1.
        // New bid 101 x 2 inside the spread: the bid levels shift down one rank and each new
        // level's price is higher than the old one's: +2 (101x2), +8 (100x8), +4 (99x4).
        QCOMPARE(feed.onLevel(Side::Bid, 101, 2, 4, kT0 + 150 * kMs), SequenceCheck::Applied);
        // Ask 102: 7 -> 3 at the same price: level 1 e = -3 + 7 = +4.
        QCOMPARE(feed.onLevel(Side::Ask, 102, 3, 5, kT0 + 160 * kMs), SequenceCheck::Applied);
        // Bid 99 removed: level 3 goes from 99 x 4 to 98 x 3, a lower price: e = -4.
        QCOMPARE(feed.onLevel(Side::Bid, 99, 0, 6, kT0 + 170 * kMs), SequenceCheck::Applied);
        feed.onClock(kT0 + 250 * kMs);  // closes bucket 1

        ImbalanceHeatmapWidget w;
        prepare(w);
        const std::vector<HeatmapColumn> columns = drain(feed);
        QCOMPARE(columns.size(), std::size_t{2});
        w.appendColumns(columns);
        const ImbalanceHeatmapModel& m = w.model();
        QCOMPARE(m.size(), std::size_t{2});
        QCOMPARE(m.levels(), 3);
        const Lots expectedOfi[2][3] = {{3 + 6, 7, 8}, {2 + 4, 8, 4 - 4}};
        // Sizes at each bucket's end, level 1..3.
        const Lots expectedBid[2][3] = {{8, 4, 3}, {2, 8, 3}};
        const Lots expectedAsk[2][3] = {{7, 8, 0}, {3, 8, 0}};
        for (int b = 0; b < 2; ++b) {
            QCOMPARE(m.bucket(static_cast<std::size_t>(b)).startNs, kT0 + b * kBucket);
            for (int l = 0; l < 3; ++l) {
                const auto& c = m.cell(static_cast<std::size_t>(b), l);
                QCOMPARE(c.ofi, expectedOfi[b][l]);
                QCOMPARE(c.bidQty, expectedBid[b][l]);
                QCOMPARE(c.askQty, expectedAsk[b][l]);
            }
        }
        // The queue-imbalance cells on screen: (bid - ask) / (bid + ask) of those sizes.
        ImbalanceHeatmapSettings s = w.settings();
        s.measure = ImbalanceMeasure::QueueImbalance;
        w.setSettings(s);
        QCOMPARE(w.shownLevels(), 3);  // capped at what the feed carries
        // (cells are floats: they only pick a colour)
        QCOMPARE(static_cast<float>(mapCell(w, 0, 1)), static_cast<float>((8.0 - 7.0) / 15.0));
        QCOMPARE(static_cast<float>(mapCell(w, 1, 1)), static_cast<float>((2.0 - 3.0) / 5.0));
        QCOMPARE(mapCell(w, 0, 3), 1.0);  // 3 bid against no ask
        // Depth imbalance over levels 1..2 of bucket 1: bids 2 + 8, asks 3 + 8.
        s.measure = ImbalanceMeasure::DepthImbalance;
        w.setSettings(s);
        QVERIFY(std::abs(mapCell(w, 1, 2) - (10.0 - 11.0) / 21.0) < 1e-6);
        // The hover reads the raw OFI and the sizes behind the cell.
        w.setInstrument({"SIM", "TEST", DecimalStep{1, 0}, DecimalStep{1, 0}});
        const QString readout = w.readoutAt(pixelOf(w, 0, 2));
        QVERIFY2(readout.contains("level 2"), qPrintable(readout));
        QVERIFY2(readout.contains("22:13:20.0"), qPrintable(readout));
        QVERIFY2(readout.contains("OFI +7"), qPrintable(readout));
        QVERIFY2(readout.contains("z n/a"), qPrintable(readout));  // two buckets: warming up
        QVERIFY2(readout.contains("bid 4 / ask 8"), qPrintable(readout));
        QVERIFY2(readout.contains("levels 1\u20132: bid 12 / ask 15"), qPrintable(readout));
    }

    void zScoreUsesOnlyTheBucketsBefore() {
        ImbalanceHeatmapModel m({1000, 4, 3});
        // Level 1: 2, 4, 6, then a spike of 20; level 2 flat at 0, then 5.
        m.append(column(0, {2, 0}));
        m.append(column(1, {4, 0}));
        m.append(column(2, {6, 0}));
        QVERIFY(std::isnan(m.cell(2, 0).z));  // two samples before it: warming up
        m.append(column(3, {20, 5}));
        // Before it: 2, 4, 6: mean 4, sample sd sqrt((4 + 0 + 4) / 2) = 2; (20 - 4) / 2 = 8.
        QCOMPARE(m.cell(3, 0).z, 8.0f);
        // Level 2 was flat: any flow there is off the scale, and saturates the colour.
        QVERIFY(std::isinf(m.cell(3, 1).z) && m.cell(3, 1).z > 0);
        QCOMPARE(m.value(3, 1, ImbalanceMeasure::OfiZScore), ImbalanceHeatmapModel::kZLimit);
        // A gap is no sample: the statistics do not move.
        m.append(gapColumn(4));
        QCOMPARE(m.stats(0).count(), std::size_t{4});
        QVERIFY(std::isnan(m.value(4, 0, ImbalanceMeasure::OfiZScore)));
        m.append(column(5, {4, 0}));
        // Window of 4: 2, 4, 6, 20: mean 8, squares 36 + 16 + 4 + 144 = 200, sd sqrt(200 / 3).
        QVERIFY(std::abs(m.cell(5, 0).z - (4.0 - 8.0) / std::sqrt(200.0 / 3.0)) < 1e-6);
        m.append(column(6, {5, 0}));
        // The 2 left the window: 4, 6, 20, 4: mean 8.5, squares 20.25 + 6.25 + 132.25 + 20.25.
        QVERIFY(std::abs(m.cell(6, 0).z - (5.0 - 8.5) / std::sqrt(179.0 / 3.0)) < 1e-6);

        // On screen the default measure is the z-score.
        ImbalanceHeatmapWidget w(nullptr, {1000, 4, 3});
        prepare(w);
        for (int b = 0; b < 4; ++b)
            w.appendColumns(
                {column(b, {std::vector<Lots>{2, 4, 6, 20}[static_cast<std::size_t>(b)], 0})});
        QCOMPARE(mapCell(w, 3, 1), 8.0);
        QCOMPARE(mapCell(w, 1, 1), 0.0);  // warming up: neutral
    }

    void newBucketCostsOneColumn() {
        ImbalanceHeatmapWidget w;
        prepare(w);
        w.setFollowLive(false);  // the view stays put: the new bucket lands inside the window
        for (int b = 0; b < 100; ++b)
            w.appendColumns({column(b, {b % 7 - 3, b % 5 - 2, 1, 0, 0, 0, 0, 0, 0, 0})});
        w.renderFrame();
        const std::uint64_t rebuilds = w.frameStats().rebuilds;
        w.appendColumns({column(100, {9, 0, 0, 0, 0, 0, 0, 0, 0, 0})});
        w.renderFrame();
        QCOMPARE(w.frameStats().rebuilds, rebuilds);    // no recut of the window
        QCOMPARE(w.frameStats().recolouredColumns, 1);  // one image column recoloured
        QCOMPARE(w.model().stats(0).count(), std::size_t{101});
    }

    void cellsAverageTheirBuckets() {
        ImbalanceHeatmapModel m;
        m.append(column(0, {0, 0}, {3, 1}, {1, 1}));  // queue imbalance +0.5, 0
        m.append(column(1, {0, 0}, {1, 1}, {1, 3}));  // 0, -0.5
        m.append(gapColumn(2));
        m.append(column(3, {0, 0}, {1, 0}, {0, 1}));  // +1, -1
        ImbalanceGridGeometry g;
        g.bucketNs = kBucket;
        g.bucketsPerCell = 2;  // zoomed out: two buckets a cell
        g.firstCell = kT0 / (2 * kBucket);
        g.cells = 4;
        g.levels = 2;
        ImbalanceGrid grid;
        grid.rebuild(g, m, ImbalanceMeasure::QueueImbalance);
        QCOMPARE(grid.value(0, 0), 0.25f);
        QCOMPARE(grid.value(0, 1), -0.25f);
        // A cell with a gap and data shows the data.
        QCOMPARE(grid.state(1), ImbalanceGrid::CellState::Data);
        QCOMPARE(grid.value(1, 0), 1.0f);
        QCOMPARE(grid.state(2), ImbalanceGrid::CellState::Empty);  // after the history
        // Built bucket by bucket, the same cells.
        ImbalanceHeatmapModel live;
        ImbalanceGrid incremental;
        incremental.rebuild(g, live, ImbalanceMeasure::QueueImbalance);
        for (std::size_t i = 0; i < m.size(); ++i) {
            live.append(i == 2 ? gapColumn(2)
                               : column(static_cast<int>(i), {0, 0},
                                        {m.cell(i, 0).bidQty, m.cell(i, 1).bidQty},
                                        {m.cell(i, 0).askQty, m.cell(i, 1).askQty}));
            QVERIFY(incremental.applyNewest(live));
        }
        for (int k = 0; k < 2; ++k)
            for (int l = 0; l < 2; ++l)
                QCOMPARE(incremental.value(k, l), grid.value(k, l));
    }

    void colourScaleIsSymmetricAroundZero() {
        ImbalanceHeatmapWidget w;
        ImbalanceHeatmapSettings s;
        s.zClamp = 2.5;
        s.ratioClamp = 0.4;
        for (auto measure : {ImbalanceMeasure::OfiZScore, ImbalanceMeasure::QueueImbalance,
                             ImbalanceMeasure::DepthImbalance}) {
            s.measure = measure;
            w.setSettings(s);
            const QCPRange r = w.colorMap()->dataRange();
            QCOMPARE(r.lower, -r.upper);
            QCOMPARE(r.upper, measure == ImbalanceMeasure::OfiZScore ? 2.5 : 0.4);
        }
        for (const Theme& theme : {Theme::dark(), Theme::light()}) {
            Theme mirrored = theme;
            std::swap(mirrored.buy, mirrored.sell);
            QCPColorGradient g = ImbalanceColorMap::makeGradient(theme);
            QCPColorGradient h = ImbalanceColorMap::makeGradient(mirrored);
            const QCPRange range(-3.0, 3.0);
            QCOMPARE(QColor(g.color(0.0, range)), theme.base);  // zero is neutral
            // +x in one theme is -x in the mirrored one, to one level of the 511 (and a unit of
            // rounding per channel: the mirrored stops sit at 1 - p in floating point).
            const double level = range.size() / (g.levelCount() - 1);
            const auto close = [](QRgb a, QRgb b) {
                return std::abs(qRed(a) - qRed(b)) <= 2 && std::abs(qGreen(a) - qGreen(b)) <= 2 &&
                       std::abs(qBlue(a) - qBlue(b)) <= 2;
            };
            for (double x = 0.05; x <= 3.0; x += 0.173) {
                const QRgb minus = h.color(-x, range);
                QVERIFY2(close(minus, g.color(x, range)) ||
                             close(minus, g.color(x - level, range)) ||
                             close(minus, g.color(x + level, range)),
                         qPrintable(QString::number(x)));
                // and it leans to the buy hue above zero, the sell hue below.
                const QColor up(g.color(x, range)), down(g.color(-x, range));
                QVERIFY(up.green() - up.red() > down.green() - down.red());
            }
            QCOMPARE(g.color(3.0, range), g.color(30.0, range));  // beyond the clamp: the end
            QCOMPARE(QColor(g.color(std::nan(""), range)), theme.gap);
        }
    }

    void gapIsDrawnAsGap() {
        ImbalanceHeatmapWidget w;
        prepare(w);
        std::vector<HeatmapColumn> cols;
        for (int b = 0; b < 10; ++b)
            cols.push_back(column(b, {1, -1}));
        cols.push_back(gapColumn(10));
        cols.push_back(gapColumn(11));
        cols.push_back(column(12, {2, 2}));
        // Buckets 13..15 never arrive (a dropped stretch): a gap as well.
        cols.push_back(column(16, {3, 3}));
        w.appendColumns(cols);
        w.renderFrame();
        for (int b : {10, 11, 13, 14, 15}) {
            QVERIFY2(std::isnan(mapCell(w, b, 1)), qPrintable(QString::number(b)));
            QVERIFY(w.readoutAt(pixelOf(w, b, 1)).contains("gap"));
        }
        for (int b : {9, 12, 16})
            QVERIFY(!std::isnan(mapCell(w, b, 1)));
        const ImbalanceGridGeometry& g = w.grid().geometry();
        const auto cellOf = [&](int b) { return static_cast<int>(g.cellAt(kT0 + b * kBucket)); };
        const auto runs = w.gapMarks().gapRuns(0, g.cells - 1);
        QCOMPARE(runs.size(), std::size_t{2});
        QCOMPARE(runs[0], std::make_pair(cellOf(10), cellOf(11)));
        QCOMPARE(runs[1], std::make_pair(cellOf(13), cellOf(15)));
        // The same after the window is cut again from the history (a zoom).
        w.timeAxis()->setRange(w.timeAxis()->range().lower - 30.0, w.timeAxis()->range().upper);
        w.renderFrame();
        QVERIFY(w.frameStats().rebuilds >= 2);
        QVERIFY(std::isnan(mapCell(w, 14, 1)));
        QVERIFY(!std::isnan(mapCell(w, 12, 1)));
        // Drawn: the gap cells have the gap colour under the hatch, the data cells do not.
        const QImage shot = w.plot()->toPixmap().toImage();
        const QPointF gap = pixelOf(w, 14, 1), data = pixelOf(w, 5, 1);
        QVERIFY(shot.pixelColor(gap.toPoint()) != shot.pixelColor(data.toPoint()));
    }

    void timeAxesStayLinkedOnZoomAndPan() {
        QWidget window;
        auto* heatmap = new HeatmapWidget(&window);
        auto* imbalance = new ImbalanceHeatmapWidget(&window);
        heatmap->setGeometry(0, 0, 1200, 600);
        imbalance->setGeometry(0, 600, 1200, 250);
        window.resize(1200, 850);
        window.show();
        linkTimeAxes(*heatmap, *imbalance);
        std::vector<HeatmapColumn> cols;
        for (int b = 0; b < 600; ++b) {
            HeatmapColumn c = column(b, {1, 2, 3});
            c.basePrice = 90;
            c.sizes.assign(21, 1.0f);
            cols.push_back(c);
        }
        heatmap->appendColumns(cols);
        imbalance->appendColumns(cols);
        QCoreApplication::processEvents();
        auto same = [&] {
            const QCPRange a = heatmap->timeAxis()->range(), b = imbalance->timeAxis()->range();
            return a.lower == b.lower && a.upper == b.upper;
        };
        QVERIFY(same());
        // Zoom on the liquidity heatmap.
        const double span0 = heatmap->timeAxis()->range().size();
        heatmap->zoomIn();
        QVERIFY(heatmap->timeAxis()->range().size() < span0);
        QVERIFY(same());
        // Wheel on the imbalance heatmap zooms both.
        const double span1 = heatmap->timeAxis()->range().size();
        const QPointF at(400, 60);
        QWheelEvent wheel(at, imbalance->plot()->mapToGlobal(at), QPoint(), QPoint(0, -120),
                          Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(imbalance->plot(), &wheel);
        QVERIFY(heatmap->timeAxis()->range().size() > span1);
        QVERIFY(same());
        // A drag on the imbalance heatmap pans both and stops following the live edge.
        QVERIFY(heatmap->followLive());
        const double upper = heatmap->timeAxis()->range().upper;
        const QPointF from(600, 60), to(800, 60);
        QMouseEvent press(QEvent::MouseButtonPress, from, imbalance->plot()->mapToGlobal(from),
                          Qt::LeftButton, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(imbalance->plot(), &press);
        QMouseEvent move(QEvent::MouseMove, to, imbalance->plot()->mapToGlobal(to), Qt::NoButton,
                         Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(imbalance->plot(), &move);
        QMouseEvent release(QEvent::MouseButtonRelease, to, imbalance->plot()->mapToGlobal(to),
                            Qt::LeftButton, Qt::NoButton, Qt::NoModifier);
        QApplication::sendEvent(imbalance->plot(), &release);
        QVERIFY(heatmap->timeAxis()->range().upper < upper);  // dragged right: earlier time
        QVERIFY(!heatmap->followLive());
        QVERIFY(same());
        // Panning the liquidity heatmap (arrow keys) moves the imbalance heatmap.
        heatmap->navigator().panTime(0.1);
        QVERIFY(same());
        // And the plot areas line up: the same time at the same x.
        heatmap->plot()->replot();
        QCoreApplication::processEvents();
        imbalance->plot()->replot();
        const double t = heatmap->timeAxis()->range().center();
        const double xa =
            heatmap->plot()->mapToGlobal(QPointF(heatmap->timeAxis()->coordToPixel(t), 0)).x();
        const double xb =
            imbalance->plot()->mapToGlobal(QPointF(imbalance->timeAxis()->coordToPixel(t), 0)).x();
        QVERIFY2(std::abs(xa - xb) <= 1.0, qPrintable(QString("%1 vs %2").arg(xa).arg(xb)));
    }

    void controlsChangeTheView() {
        ImbalanceHeatmapWidget w;
        prepare(w);
        w.appendColumns({column(0, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})});
        ImbalanceHeatmapSettings changed;
        QObject::connect(&w, &ImbalanceHeatmapWidget::settingsChanged,
                         [&](const ImbalanceHeatmapSettings& s) { changed = s; });
        auto* levels = w.controls()->findChild<QSpinBox*>("imbalanceLevels");
        auto* clamp = w.controls()->findChild<QDoubleSpinBox*>("imbalanceClamp");
        QVERIFY(levels && clamp);
        levels->setValue(5);
        QCOMPARE(w.shownLevels(), 5);
        QCOMPARE(w.grid().geometry().levels, 5);
        QCOMPARE(w.levelAxis()->range().upper, 5.5);
        QCOMPARE(changed.levels, 5);
        clamp->setValue(4.0);
        QCOMPARE(w.colorMap()->dataRange().upper, 4.0);
        QCOMPARE(changed.zClamp, 4.0);
        levels->setValue(30);
        QCOMPARE(w.shownLevels(), 12);  // the feed carries 12
    }
};

QTEST_MAIN(TestImbalanceHeatmap)
#include "tst_imbalance_heatmap.moc"
