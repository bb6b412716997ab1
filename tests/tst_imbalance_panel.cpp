// The imbalance panel and the status bar, offscreen: gauges show the snapshot's values and
// z-scores for the chosen window; history is sampled by event time; status states read right.
#include <QtTest>

#include <QComboBox>
#include <cmath>

#include "feed_status_bar.h"
#include "imbalance_panel.h"
#include "signal_gauges.h"

using namespace flowscope;

namespace {

std::shared_ptr<MarketSnapshot> snapshotWith(std::uint64_t serial, TimeNs t) {
    auto s = std::make_shared<MarketSnapshot>();
    s->serial = serial;
    s->eventTimeNs = t;
    s->instrument = {"SIM", "BTC-USD", DecimalStep{5, 1}, DecimalStep{1, 3}};
    s->windows = {WindowSpec::seconds(1), WindowSpec::seconds(10), WindowSpec::events(100)};
    s->imbalance.windowCount = 3;
    s->imbalance.queueImbalance = 0.25;
    s->imbalance.depthImbalance = -0.5;
    s->imbalance.microOffset = 0.1;
    s->imbalance.cumulativeDelta = 4000;
    s->imbalance.windows[1].ofi = 1500;  // 1.5 BTC
    s->imbalance.windows[1].ofiZ = 2.0;  // half of the 4 sigma scale
    s->imbalance.windows[1].mlofi = -3000;
    s->imbalance.windows[1].mlofiZ = -8.0;  // clamped
    s->imbalance.windows[0].ofi = 10;
    return s;
}

}  // namespace

class TestImbalancePanel : public QObject {
    Q_OBJECT

  private slots:
    void gaugesShowTheChosenWindow() {
        const auto s = snapshotWith(1, 0);
        const auto rows = gaugeRows(*s, 1);
        QCOMPARE(rows.size(), std::size_t{8});
        QCOMPARE(rows[0].name, QString("OFI (L1)"));
        QCOMPARE(rows[0].value, QString("+1.500"));  // lots shown in BTC, lot decimals
        QCOMPARE(rows[0].bar, 0.5);                  // z 2 over a 4 sigma scale
        QCOMPARE(rows[0].z, 2.0);
        QCOMPARE(rows[1].bar, -1.0);  // clamped at -4 sigma
        // Bounded signals without history draw their value.
        QCOMPARE(rows[3].name, QString("Depth imbalance"));
        QCOMPARE(rows[3].bar, -0.5);
        QVERIFY(std::isnan(rows[3].z));
        QCOMPARE(rows[7].value, QString("+4.000"));
        QVERIFY(gaugeRows(*s, 7).empty());  // no such window
    }

    void panelOffersTimeWindowsAndFollowsTheChoice() {
        ImbalancePanel panel;
        panel.resize(480, 420);
        panel.show();
        panel.setSnapshot(snapshotWith(1, 0));
        auto* box = panel.findChild<QComboBox*>("windowBox");
        QVERIFY(box);
        QCOMPARE(box->count(), 2);  // 1s and 10s; the event window is not offered
        QCOMPARE(box->currentText(), QString("10s"));
        QCOMPARE(panel.gauges().rows()[0].value, QString("+1.500"));
        box->setCurrentIndex(0);
        QCOMPARE(panel.window(), std::size_t{0});
        QCOMPARE(panel.gauges().rows()[0].value, QString("+0.010"));
    }

    void historyIsSampledByEventTimeNotByFrames() {
        ImbalancePanel panel;
        // Ten snapshots within one 1 s slice, then one in the next slice.
        for (int i = 0; i < 10; ++i)
            panel.setSnapshot(snapshotWith(1 + i, 1'000'000'000LL + i * 10'000'000LL));
        QCOMPARE(panel.historySize(), std::size_t{1});
        panel.setSnapshot(snapshotWith(20, 2'300'000'000LL));
        QCOMPARE(panel.historySize(), std::size_t{2});
        panel.setSnapshot(snapshotWith(20, 3'000'000'000LL));  // same serial: ignored
        QCOMPARE(panel.historySize(), std::size_t{2});
    }

    void statusBarReadsEveryFeedState_data() {
        QTest::addColumn<int>("state");
        QTest::addColumn<QString>("text");
        QTest::newRow("connecting") << int(FeedState::Connecting) << "CONNECTING";
        QTest::newRow("live") << int(FeedState::Live) << "LIVE";
        QTest::newRow("stale") << int(FeedState::Stale) << "STALE — no message for 5 s";
        QTest::newRow("disconnected")
            << int(FeedState::Disconnected) << "DISCONNECTED — no message for 5 s";
    }
    void statusBarReadsEveryFeedState() {
        QFETCH(int, state);
        QFETCH(QString, text);
        FeedStatusBar bar;
        FeedStatus status;
        status.state = static_cast<FeedState>(state);
        if (status.state == FeedState::Stale || status.state == FeedState::Disconnected)
            status.reason = "no message for 5 s";
        status.messagesPerSecond = 1234.4;
        bar.setFeedStatus({"SIM", "BTC-USD", DecimalStep{5, 1}, DecimalStep{1, 3}}, status);
        QCOMPARE(bar.stateText(), text);
        QCOMPARE(bar.rateText(), QString("%1 msg/s").arg(QLocale().toString(1234.0, 'f', 0)));
    }

    void statusBarSaysPausedAndReplayFinished() {
        FeedStatusBar bar;
        bar.show();
        FeedStatus status;
        status.state = FeedState::Live;
        status.feedLatencyMs = 12.34;
        bar.setFeedStatus({}, status);
        QCOMPARE(bar.stateText(), QString("LIVE"));
        QCOMPARE(bar.latencyText(), QString("feed 12.3 ms"));
        bar.setPaused(true);
        QCOMPARE(bar.stateText(), QString("PAUSED"));
        bar.setFeedStatus({}, status);  // the feed still says Live
        QCOMPARE(bar.stateText(), QString("PAUSED"));
        bar.setPaused(false);
        QCOMPARE(bar.stateText(), QString("LIVE"));

        // A replay: no latency (a recording's receive stamps are not this session's), and its
        // end reads as such, not as a disconnection.
        status.replay = true;
        status.feedLatencyMs = std::numeric_limits<double>::quiet_NaN();
        bar.setFeedStatus({}, status);
        QCOMPARE(bar.latencyText(), QString());
        status.state = FeedState::Disconnected;
        status.reason = "replay finished: 1234 records";
        status.finished = true;
        bar.setFeedStatus({}, status);
        QCOMPARE(bar.stateText(), QString("REPLAY FINISHED — 1234 records"));
        bar.setPaused(true);  // finished wins: nothing more will come, paused or not
        QCOMPARE(bar.stateText(), QString("REPLAY FINISHED — 1234 records"));
        // A recording that breaks is a stop, said as it was.
        bar.setPaused(false);
        status.finished = false;
        status.reason = "replay stopped: truncated block";
        bar.setFeedStatus({}, status);
        QCOMPARE(bar.stateText(), QString("DISCONNECTED — replay stopped: truncated block"));
    }

    void statusBarShowsGapsAndDrops() {
        FeedStatusBar bar;
        bar.show();
        FeedStatus status;
        status.state = FeedState::Live;
        bar.setFeedStatus({}, status);
        QVERIFY(bar.dropsText().isEmpty());
        status.gaps = 2;
        status.resyncs = 2;
        status.droppedTrades = 5;
        bar.setFeedStatus({}, status);
        QCOMPARE(bar.dropsText(), QString("gaps 2 · resyncs 2 · dropped 5"));
    }
};

QTEST_MAIN(TestImbalancePanel)
#include "tst_imbalance_panel.moc"
