// The heatmap on the real Binance BTCUSDT spot capture, offscreen: price buckets chosen from the
// price, the view opened on the liquidity, and resting liquidity drawn (in the grid and in the
// grabbed pixels) far from the touch, not only the touch line.
#include <QtTest>

#include <qcustomplot.h>
#include <QImage>

#include "capture_lines.h"
#include "feed/feed_engine.h"
#include "feed/feed_venue_listener.h"
#include "heatmap_widget.h"
#include "test_printers.h"
#include "venues/binance_adapter.h"

using namespace flowscope;
using namespace flowscope::testing;
using namespace flowscope::venues;

namespace {
const char* const kCapture = FLOWSCOPE_TEST_DATA "/binance/spot_btcusdt_20240808.gz";
// Buckets away from the touch bucket where resting liquidity must be drawn ($50 at $2.50 rows;
// the capture's REST snapshot alone holds ~70 BTC of bids and ~74 BTC of asks beyond that).
constexpr int kFarBuckets = 20;
}  // namespace

class TestHeatmapRealCapture : public QObject {
    Q_OBJECT

  private slots:
    void initTestCase() {
        const auto lines = readCaptureLines(kCapture);
        QVERIFY(!lines.empty());
        InstrumentInfo info{"binance-spot", "BTCUSDT", *DecimalStep::parse("0.01"),
                            *DecimalStep::parse("0.00000001")};
        FeedEngine feed(info);
        FeedVenueListener listener;
        listener.attach(&feed);
        BinanceAdapter adapter(BinanceMarket::Spot, "BTCUSDT", info.instrument(), listener);
        adapter.onConnected(lines.front().receiveNs);
        feed.onState(FeedState::Live);
        for (const CaptureLine& line : lines) {
            if (isRestSnapshot(line.json))
                adapter.onSnapshotResponse(line.json, line.receiveNs);
            else
                adapter.onMessage(line.json, line.receiveNs);
            while (auto c = feed.columns().pop())
                columns_.push_back(std::move(*c));
            while (auto t = feed.trades().pop())
                trades_.push_back(*t);
        }
        feed.onClock(lines.back().receiveNs + 1'000'000'000);
        while (auto c = feed.columns().pop())
            columns_.push_back(std::move(*c));
        snapshot_ = feed.makeSnapshot(0);
        QVERIFY(columns_.size() > 1000);  // about six minutes of 100 ms buckets
    }

    void restingLiquidityIsDrawnFarFromTheTouch() {
        HeatmapWidget w;
        w.resize(1600, 900);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.setSnapshot(snapshot_);
        w.appendColumns(columns_);
        w.appendTrades(trades_);
        w.renderFrame();

        // Rows of $2.50 (250 ticks): 2% of ~61,800 over 500 rows is 247 ticks, rounded up.
        QCOMPARE(w.history().bucketTicks(), PriceTicks{250});
        const HeatmapHistory::Column& last = w.history().lastColumn();
        QVERIFY(!last.gap);
        const PriceTicks step = last.bucketTicks;
        const PriceTicks bidBucket = last.bestBid.price - last.bestBid.price % step;
        const PriceTicks askBucket = last.bestAsk.price - last.bestAsk.price % step;

        // The data model: size rests at least kFarBuckets buckets below and above the touch.
        float farBids = 0.0f, farAsks = 0.0f;
        for (PriceTicks p = bidBucket - kFarBuckets * step; p >= last.basePrice; p -= step)
            farBids += last.sizeAt(p);
        for (PriceTicks p = askBucket + kFarBuckets * step;
             p < last.basePrice + static_cast<PriceTicks>(last.sizes.size()) * step; p += step)
            farAsks += last.sizeAt(p);
        QVERIFY2(farBids > 1e8f, qPrintable(QString::number(farBids)));  // > 1 BTC
        QVERIFY2(farAsks > 1e8f, qPrintable(QString::number(farAsks)));

        // The view opened on that liquidity: it shows at least kFarBuckets each side.
        const VisiblePriceRange view = w.visiblePriceRange();
        QVERIFY2(view.lowTicks <= static_cast<double>(bidBucket - kFarBuckets * step) &&
                     view.highTicks >= static_cast<double>(askBucket + kFarBuckets * step),
                 qPrintable(QStringLiteral("%1 .. %2").arg(view.lowTicks).arg(view.highTicks)));

        // The pixels: near the live edge, rows far below the bid and far above the ask are not
        // all the colour of an empty book.
        const QImage image = w.grab().toImage();
        QCPAxis* time = w.timeAxis();
        QCPAxis* price = w.priceAxis();
        const double x = time->coordToPixel(static_cast<double>(last.startNs) * 1e-9) - 3.0;
        const QColor empty =
            QColor::fromRgb(w.colorMap()->gradient().color(0.0, w.colorMap()->dataRange(), false));
        auto litPixels = [&](PriceTicks from, PriceTicks to) {
            int lit = 0;
            const int y0 = static_cast<int>(price->coordToPixel(static_cast<double>(from)));
            const int y1 = static_cast<int>(price->coordToPixel(static_cast<double>(to)));
            for (int y = std::min(y0, y1); y <= std::max(y0, y1); ++y) {
                const QColor c = image.pixelColor(static_cast<int>(x), y);
                const int d = std::abs(c.red() - empty.red()) +
                              std::abs(c.green() - empty.green()) +
                              std::abs(c.blue() - empty.blue());
                lit += d > 24 ? 1 : 0;
            }
            return lit;
        };
        const auto low = static_cast<PriceTicks>(std::ceil(view.lowTicks));
        const auto high = static_cast<PriceTicks>(std::floor(view.highTicks));
        const int litBelow = litPixels(low, bidBucket - kFarBuckets * step);
        const int litAbove = litPixels(askBucket + (kFarBuckets + 1) * step, high);
        QVERIFY2(litBelow >= 10, qPrintable(QString::number(litBelow)));
        QVERIFY2(litAbove >= 10, qPrintable(QString::number(litAbove)));

        // The crosshair reads that liquidity in BTC with three decimals, not raw lots.
        double best = 0.0;
        PriceTicks wall = 0;
        for (PriceTicks p = bidBucket - kFarBuckets * step; p >= last.basePrice; p -= step) {
            if (last.sizeAt(p) > best) {
                best = last.sizeAt(p);
                wall = p;
            }
        }
        const QPointF at(x, price->coordToPixel(static_cast<double>(wall + step / 2)));
        const QString readout = w.readoutAt(at);
        const QString expected = QStringLiteral("size %1").arg(best * 1e-8, 0, 'f', 3);
        QVERIFY2(readout.contains(expected), qPrintable(readout + " / " + expected));
        if (qEnvironmentVariableIsSet("FLOWSCOPE_HEATMAP_PNG"))
            image.save(qEnvironmentVariable("FLOWSCOPE_HEATMAP_PNG"));
    }

  private:
    std::vector<HeatmapColumn> columns_;
    std::vector<TradePrint> trades_;
    std::shared_ptr<MarketSnapshot> snapshot_;
};

QTEST_MAIN(TestHeatmapRealCapture)
#include "tst_heatmap_real_capture.moc"
