#pragma once
/// The trading panel: arm toggle, buy/sell at market, cancel all, flatten, and the position,
/// average price, P&L and last fills at a glance. It only shows state and emits actions; the
/// feed thread's order entry does the rest (risk checks included).

#include <QWidget>

#include "feed/market_snapshot.h"
#include "theme.h"

class QCheckBox;
class QLabel;
class QListWidget;
class QPushButton;

namespace flowscope {

class TradingPanel : public QWidget {
    Q_OBJECT
  public:
    explicit TradingPanel(QWidget* parent = nullptr);
    void setTheme(const Theme& theme);
    void setState(const InstrumentInfo& instrument, const trading::TradingState& state);

    QString positionText() const;
    QString pnlText() const;
    QString messageText() const;

  signals:
    void armedChanged(bool armed);
    void marketOrder(flowscope::Side side);
    void cancelAllRequested();
    void flattenRequested();

  private:
    Theme theme_ = Theme::dark();
    QCheckBox* armed_;
    QPushButton* buy_;
    QPushButton* sell_;
    QPushButton* cancelAll_;
    QPushButton* flatten_;
    QLabel* position_;
    QLabel* pnl_;
    QLabel* working_;
    QLabel* message_;
    QListWidget* fills_;
};

}  // namespace flowscope
