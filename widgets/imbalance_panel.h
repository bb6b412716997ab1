#pragma once
/// The imbalance panel: the chosen window's signals as gauges with z-scores, and a chart of
/// windowed OFI (bars) and multi-level OFI and cumulative volume delta (lines) over the last
/// minutes. Fed by MarketSnapshots on the GUI frame timer; samples history at a fixed interval of
/// event time so the chart does not depend on the frame rate.

#include <QWidget>
#include <deque>
#include <memory>

#include "feed/market_snapshot.h"
#include "theme.h"

class QComboBox;
class QCustomPlot;
class QCPBars;
class QCPGraph;

namespace flowscope {

class SignalGauges;

class ImbalancePanel : public QWidget {
    Q_OBJECT
  public:
    explicit ImbalancePanel(QWidget* parent = nullptr);

    void setTheme(const Theme& theme);
    void setSnapshot(std::shared_ptr<const MarketSnapshot> snapshot);
    /// Index into the snapshot's windows (time windows are offered: 1 s, 10 s, 60 s).
    void setWindow(std::size_t index);
    std::size_t window() const { return window_; }
    const SignalGauges& gauges() const { return *gauges_; }
    std::size_t historySize() const { return history_.size(); }

    /// One bar a second: readable over ten minutes, and a quiet market replots once a second.
    static constexpr TimeNs kSampleNs = 1'000'000'000;
    static constexpr std::size_t kMaxSamples = 60 * 10;  ///< ten minutes

  signals:
    void windowChanged(std::size_t index);

  private:
    struct Sample {
        TimeNs timeNs;
        std::vector<Lots> ofi, mlofi;  ///< per window
        Lots cvd;
    };
    void rebuildWindowChoices(const MarketSnapshot& s);
    void refreshChart();

    Theme theme_ = Theme::dark();
    QComboBox* windowBox_;
    SignalGauges* gauges_;
    QCustomPlot* plot_;
    QCPBars* ofiBars_;
    QCPGraph* mlofiLine_;
    QCPGraph* cvdLine_;
    std::shared_ptr<const MarketSnapshot> snapshot_;
    std::vector<std::size_t> choiceToWindow_;
    std::size_t window_ = 1;  ///< 10 s by default
    std::deque<Sample> history_;
    double lotSize_ = 1.0;
    bool chartDirty_ = false;
};

}  // namespace flowscope
