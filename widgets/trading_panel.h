#pragma once
/// The trading panel: arm toggle, buy/sell at market, bracket settings (take-profit and
/// stop-loss distances in ticks), cancel all, flatten, and the position, average price, P&L and
/// last fills at a glance. It only shows state and emits actions; the
/// feed thread's order entry does the rest (risk checks included).

#include <QWidget>

#include "feed/market_snapshot.h"
#include "theme.h"
#include "trading/bracket_spec.h"

class QCheckBox;
class QLabel;
class QListWidget;
class QPushButton;
class QSpinBox;

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

    /// The bracket the next order should carry: empty when brackets are off (or both distances
    /// are 0). Ladder limit clicks use it too.
    trading::BracketSpec bracket() const;
    bool bracketEnabled() const;
    /// Restores saved settings; emits nothing.
    void setBracket(bool enabled, int takeProfitTicks, int stopLossTicks);

  public slots:
    /// What the buy/sell buttons do (hotkeys too): marketOrder, or bracketMarketOrder when the
    /// bracket is on.
    void requestMarketOrder(flowscope::Side side);

  signals:
    void armedChanged(bool armed);
    /// Buy/sell at market without a bracket (brackets off).
    void marketOrder(flowscope::Side side);
    /// Buy/sell at market with the bracket (brackets on): submitBracket.
    void bracketMarketOrder(flowscope::Side side, const flowscope::trading::BracketSpec& bracket);
    /// The bracket settings changed (to be saved).
    void bracketSettingsChanged(bool enabled, int takeProfitTicks, int stopLossTicks);
    void cancelAllRequested();
    void flattenRequested();

  private:
    Theme theme_ = Theme::dark();
    QCheckBox* armed_;
    QPushButton* buy_;
    QPushButton* sell_;
    QPushButton* cancelAll_;
    QPushButton* flatten_;
    QCheckBox* bracketOn_;
    QSpinBox* takeProfitTicks_;
    QSpinBox* stopLossTicks_;
    QLabel* position_;
    QLabel* pnl_;
    QLabel* working_;
    QLabel* message_;
    QListWidget* fills_;

    void emitBracketSettings();
};

}  // namespace flowscope

Q_DECLARE_METATYPE(flowscope::trading::BracketSpec)
