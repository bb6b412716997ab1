#pragma once
/// The status bar: connection state (live / syncing / stale / resyncing / disconnected, with the
/// reason), messages per second, feed latency, frames per second and feed-to-screen latency, and
/// anything the feed had to drop; and the settings values that were refused, as a permanent
/// "settings: N refused" label whose tooltip lists them all (a temporary message would hide the
/// feed labels and each new one the previous).

#include <QStatusBar>
#include <QStringList>

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
    /// The market is paused by the trader (simulation, replay): the state reads PAUSED.
    void setPaused(bool paused);
    bool paused() const { return paused_; }
    /// Every refused settings value with the reason; empty hides the label.
    void setSettingsProblems(const QStringList& problems);
    const QStringList& settingsProblems() const { return settingsProblems_; }

    QString stateText() const;
    QString rateText() const;
    /// Empty when hidden (replays).
    QString latencyText() const;
    QString dropsText() const;

  private:
    Theme theme_ = Theme::dark();
    QLabel* state_;
    QLabel* instrument_;
    QLabel* rate_;
    QLabel* latency_;
    QLabel* frames_;
    QLabel* drops_;
    QLabel* settings_;
    QStringList settingsProblems_;
    InstrumentInfo instrumentInfo_;
    FeedStatus status_;
    bool paused_ = false;
};

}  // namespace flowscope
