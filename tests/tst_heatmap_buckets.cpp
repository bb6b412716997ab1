// The heatmap view over price-bucket columns: sizes read by bucket, rows never finer than a
// bucket, a change of bucket starting a new history, the view fitted to the liquidity, sizes
// read in base units, and the large-order outline on by default. Expectations by hand.
#include <QtTest>

#include <qcustomplot.h>

#include "heatmap_grid.h"
#include "heatmap_overlay.h"
#include "heatmap_widget.h"
#include "test_printers.h"

using namespace flowscope;

namespace {
constexpr TimeNs kBucket = 100'000'000;
constexpr TimeNs kT0 = 1'700'000'000'000'000'000;

/// Buckets of 10 ticks from 1000: 1000:1, 1010:2, 1020:3 (best bid 1025), 1030:4 (best ask
/// 1031), 1040:5, 1050:6, each times `scale`.
HeatmapColumn bucketColumn(TimeNs start, float scale = 1.0f, PriceTicks bucketTicks = 10) {
    HeatmapColumn c;
    c.startNs = start;
    c.endNs = start + kBucket;
    c.basePrice = 1000;
    c.bucketTicks = bucketTicks;
    for (int i = 1; i <= 6; ++i)
        c.sizes.push_back(static_cast<float>(i) * scale);
    c.bestBid = {1025, 3};
    c.bestAsk = {1031, 4};
    c.microPrice = 1028.0;
    c.levelOfi = {0};
    return c;
}

HeatmapHistory::Column historyColumn() {
    HeatmapHistory h;
    h.append(bucketColumn(kT0));
    return h.lastColumn();
}
}  // namespace

class TestHeatmapBuckets : public QObject {
    Q_OBJECT

  private slots:
    void sizesAreReadByBucket() {
        const HeatmapHistory::Column c = historyColumn();
        QCOMPARE(c.bucketTicks, PriceTicks{10});
        QCOMPARE(c.sizeAt(1027), 3.0f);
        QCOMPARE(c.sizeAt(1059), 6.0f);
        QCOMPARE(c.sizeAt(1060), 0.0f);
        QCOMPARE(c.sizeAt(999), 0.0f);
        QCOMPARE(c.sizeOver(1000, 20), 3.0f);  // buckets 1000, 1010
        QCOMPARE(c.sizeOver(1005, 20), 5.0f);  // buckets starting in [1005, 1025): 1010, 1020
    }

    void liquiditySpanGrowsByBucket() {
        const HeatmapHistory::Column c = historyColumn();
        // Around 1030, buckets reach 30, 20, 10, 10, 20, 30 ticks (their far edge); total 21.
        QCOMPARE(liquidityHalfSpan(c, 1030.0, 0.3), 10.0);  // 3 + 4 = 7 >= 6.3
        QCOMPARE(liquidityHalfSpan(c, 1030.0, 0.5), 20.0);  // 7 + 2 + 5 = 14 >= 10.5
        QCOMPARE(liquidityHalfSpan(c, 1030.0, 1.0), 30.0);
        HeatmapHistory::Column empty = c;
        std::fill(empty.sizes.begin(), empty.sizes.end(), 0.0f);
        QCOMPARE(liquidityHalfSpan(empty, 1030.0, 0.8), 0.0);
    }

    void aNewBucketWidthStartsANewHistory() {
        HeatmapHistory h;
        QCOMPARE(h.append(bucketColumn(kT0)), HeatmapHistory::AppendResult::Appended);
        QCOMPARE(h.append(bucketColumn(kT0 + kBucket)), HeatmapHistory::AppendResult::Appended);
        QCOMPARE(h.append(bucketColumn(kT0 + 2 * kBucket, 1.0f, 5)),
                 HeatmapHistory::AppendResult::Restarted);
        QCOMPARE(h.columnCount(), std::size_t{1});
        QCOMPARE(h.bucketTicks(), PriceTicks{5});
    }

    void rowsAreWholeBucketsAndSizesReadInBaseUnits() {
        HeatmapWidget w;
        w.resize(1200, 760);
        w.show();
        w.setPriceGrouping(15);
        QCOMPARE(w.rowGrouping(), 15);  // no buckets known yet: ticks
        auto snapshot = std::make_shared<MarketSnapshot>();
        snapshot->instrument = {"TEST", "X-Y", DecimalStep{1, 0}, DecimalStep{1, 3}};
        snapshot->status.state = FeedState::Live;
        w.setSnapshot(snapshot);
        w.appendColumns({bucketColumn(kT0, 1000.0f), bucketColumn(kT0 + kBucket, 1000.0f)});
        w.renderFrame();
        // 15 ticks rounded up to whole 10-tick buckets.
        QCOMPARE(w.rowGrouping(), 20);
        QCOMPARE(w.grid().geometry().groupTicks, 20);
        QCOMPARE(w.grid().geometry().rowTicks % 20, 0);
        // The view opened on the liquidity around the mid 1028: buckets reach 8 (1020), 12
        // (1030), 18, 22, 28, 32 ticks (their far edges); 80% of 21,000 lots is 16,800, more
        // than the 15,000 within 28 ticks, so 32; padded by 1.15 that is 73.6 ticks, under the
        // minimum span of 120.
        const VisiblePriceRange view = w.visiblePriceRange();
        QVERIFY(qFuzzyCompare(view.highTicks - view.lowTicks, 120.0));
        QVERIFY(qFuzzyCompare((view.highTicks + view.lowTicks) / 2, 1028.0));
        // The crosshair over 1040..1059 (one row of two buckets): 5,000 + 6,000 lots of 0.001.
        const double x =
            w.timeAxis()->coordToPixel(static_cast<double>(kT0 + kBucket + kBucket / 2) * 1e-9);
        const double y = w.priceAxis()->coordToPixel(1045.0);
        const QString text = w.readoutAt(QPointF(x, y));
        QVERIFY2(text.contains(QStringLiteral("size 11.000")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("1040 \u2013 1059")), qPrintable(text));
        // The colour bar reads base units too, with the lot's three decimals.
        w.plot()->replot();
        const QVector<QString> labels = w.colorMap()->colorScale()->axis()->tickVectorLabels();
        QVERIFY(!labels.isEmpty());
        static const QRegularExpression threeDecimals(QStringLiteral("^\\d{1,2}\\.\\d{3}$"));
        for (const QString& l : labels)
            QVERIFY2(threeDecimals.match(l).hasMatch(), qPrintable(l));
    }

    void largeOrdersAreOutlinedByDefault() {
        HeatmapWidget w;
        QCOMPARE(w.largeOrderThreshold(), HeatmapWidget::kAutoLargeOrders);
        w.resize(1200, 760);
        w.show();
        std::vector<HeatmapColumn> columns;
        for (int b = 0; b < 20; ++b) {
            HeatmapColumn c = bucketColumn(kT0 + b * kBucket);
            c.sizes[5] = 500.0f;  // a wall at 1050..1059 against sizes of 1..5
            columns.push_back(std::move(c));
        }
        w.appendColumns(std::move(columns));
        w.renderFrame();
        // Auto: ten times the median group (sizes 1..5 and the wall: a few lots), or twice the
        // 98th percentile (the wall itself here) if lower: the wall stands out, 1..5 do not.
        const float threshold = w.overlay().largeOrderThreshold();
        QVERIFY2(threshold > 5.0f && threshold <= 500.0f, qPrintable(QString::number(threshold)));
        const GridGeometry& g = w.grid().geometry();
        const auto runs = w.overlay().largeOrderRuns(0, g.cells - 1, 0, g.rows - 1);
        QVERIFY(!runs.empty());
        w.setLargeOrderThreshold(0);
        QCOMPARE(w.overlay().largeOrderThreshold(), 0.0f);  // 0 is still off
    }
};

QTEST_MAIN(TestHeatmapBuckets)
#include "tst_heatmap_buckets.moc"
