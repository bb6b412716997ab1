#pragma once
/// The one object between the feed thread and Qt. On a 16 ms precise timer it takes the newest
/// snapshot from the mailbox and drains the column and trade queues, then emits them once per
/// frame. The feed thread never calls into Qt; the GUI never waits for the feed.

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>
#include <deque>
#include <memory>
#include <vector>

#include "feed/feed_thread.h"
#include "feed_status_bar.h"

namespace flowscope {

class FeedBridge : public QObject {
    Q_OBJECT
  public:
    explicit FeedBridge(QObject* parent = nullptr);
    ~FeedBridge() override;

    /// Stops the current feed (if any) and starts `thread`.
    void start(std::unique_ptr<FeedThread> thread);
    void stop();
    FeedThread* feed() { return thread_.get(); }

    /// Minimised or hidden: drain at a few Hz (nothing is lost) and skip painting.
    void setBackground(bool background);
    /// Called by the window after it painted a snapshot, for feed-to-screen latency.
    void notePainted(TimeNs publishedSteadyNs);

  signals:
    void snapshotReady(std::shared_ptr<const flowscope::MarketSnapshot> snapshot);
    void columnsReady(const std::vector<flowscope::HeatmapColumn>& columns);
    void tradesReady(const std::vector<flowscope::TradePrint>& trades);
    /// Every alert-rule firing and what its action did, oldest first; none is dropped here.
    void alertsReady(const std::vector<flowscope::AlertRecord>& records);
    void frameStats(const flowscope::FrameStats& stats);

  private:
    void onFrame();

    std::unique_ptr<FeedThread> thread_;
    QTimer timer_;
    std::uint64_t lastSerial_ = 0;
    bool background_ = false;
    int idleFrames_ = 0;
    std::uint64_t lastMessages_ = 0;
    // frame accounting
    QElapsedTimer statsClock_;
    int framesSinceStats_ = 0;
    std::vector<double> latenciesMs_;
};

}  // namespace flowscope

Q_DECLARE_METATYPE(std::shared_ptr<const flowscope::MarketSnapshot>)
