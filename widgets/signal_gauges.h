#pragma once
/// The imbalance signals of one window at a glance: one row per signal with its value, a bar
/// centred on zero and its z-score. A bar's length is the z-score (clamped at +-4 sigma) when the
/// signal has a history, otherwise the value itself for signals bounded in [-1, 1].

#include <QWidget>
#include <memory>
#include <vector>

#include "feed/market_snapshot.h"
#include "theme.h"

namespace flowscope {

struct GaugeRow {
    QString name;
    QString value;     ///< formatted for display
    double bar = 0.0;  ///< in [-1, 1]; sign gives buy (+) or sell (-) pressure
    double z = 0.0;    ///< NaN when there is no history yet
};

/// Rows for window `w` of `s`; a pure function so the view's content is testable without paint.
std::vector<GaugeRow> gaugeRows(const MarketSnapshot& s, std::size_t w);

class SignalGauges : public QWidget {
    Q_OBJECT
  public:
    explicit SignalGauges(QWidget* parent = nullptr);
    void setTheme(const Theme& theme);
    void setRows(std::vector<GaugeRow> rows);
    const std::vector<GaugeRow>& rows() const { return rows_; }
    QSize sizeHint() const override;

  protected:
    void paintEvent(QPaintEvent*) override;

  private:
    Theme theme_ = Theme::dark();
    std::vector<GaugeRow> rows_;
};

}  // namespace flowscope
