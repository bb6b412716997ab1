#pragma once
/// The status bar: connection state (live / syncing / stale / resyncing / disconnected, with the
/// reason), messages per second, feed latency, frames per second and feed-to-screen latency, and
/// anything the feed had to drop.

#include <QStatusBar>

#include "feed/market_snapshot.h"
#include "theme.h"

class QLabel;

namespace flowscope {

struct FrameStats {
    double framesPerSecond = 0.0;
    double feedToScreenP99Ms = 0.0;  ///< snapshot publication to paint, 99th percentile
};

class FeedStatusBar : public QStatusBar {
    Q_OBJECT
  public:
    explicit FeedStatusBar(QWidget* parent = nullptr);
    void setTheme(const Theme& theme);
    void setFeedStatus(const InstrumentInfo& instrument, const FeedStatus& status);
    void setFrameStats(const FrameStats& stats);

    QString stateText() const;
    QString rateText() const;
    QString dropsText() const;

  private:
    Theme theme_ = Theme::dark();
    QLabel* state_;
    QLabel* instrument_;
    QLabel* rate_;
    QLabel* latency_;
    QLabel* frames_;
    QLabel* drops_;
    InstrumentInfo instrumentInfo_;
    FeedStatus status_;
};

}  // namespace flowscope
