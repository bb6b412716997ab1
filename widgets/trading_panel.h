#pragma once
/// The trading panel: arm toggle, size presets, buy/sell at market, join bid/ask, reverse,
/// bracket settings (take-profit and stop-loss distances in ticks), cancel all, flatten, which
/// actions ask for confirmation, and the position, average price, P&L and last fills at a
/// glance. It only shows state and emits actions; the window asks for confirmation where the
/// trader wants it, and the feed thread's order entry does the rest (risk checks included).

#include <QStringList>
#include <QWidget>
#include <vector>

#include "feed/market_snapshot.h"
#include "theme.h"
#include "trading/bracket_spec.h"

class QCheckBox;
class QLabel;
class QListWidget;
class QPushButton;
class QSpinBox;
class QTimer;
class QToolButton;

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
    /// The banner over the panel while orders cannot leave: "KILLED …" after the kill switch,
    /// "DISARMED …" otherwise, empty (hidden) while armed or on a venue that takes no orders.
    QString bannerText() const;
    /// How long a refusal ("Blocked: …") stays shown; it goes sooner when the next action leaves.
    void setMessageTimeoutMs(int ms);

    /// The bracket the next order should carry: empty when brackets are off (or both distances
    /// are 0). Ladder limit clicks use it too.
    trading::BracketSpec bracket() const;
    bool bracketEnabled() const;
    /// Restores saved settings; emits nothing.
    void setBracket(bool enabled, int takeProfitTicks, int stopLossTicks);

    /// The size preset buttons, in lots (at most kMaxSizePresets; shown in the instrument's
    /// units once a state with an instrument arrived).
    static constexpr int kMaxSizePresets = 5;
    void setSizePresets(const std::vector<Lots>& presets);
    const std::vector<Lots>& sizePresets() const { return sizePresets_; }

    /// Actions that can ask for confirmation before anything is sent, by settings name.
    static const QStringList& confirmableActions();
    /// Which of them ask (the rest send at once). Restores saved settings; emits nothing.
    void setConfirmedActions(const QStringList& names);
    QStringList confirmedActions() const;
    bool confirms(const QString& action) const;

  public slots:
    /// What the buy/sell buttons do (hotkeys too): marketOrder, or bracketMarketOrder when the
    /// bracket is on.
    void requestMarketOrder(flowscope::Side side);
    /// The kill switch fired: the banner reads KILLED until the trader arms again.
    void noteKilled();
    /// An order action left for the venue (any source: buttons, hotkeys, ladder, drags): the
    /// shown refusal is old news; a new one (even the same text) is shown afresh.
    void noteActionSent();

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
    /// A limit order at the best bid (Bid) or best ask (Ask) with the current size.
    void joinRequested(flowscope::Side side);
    /// Close the position and open the same size on the other side.
    void reverseRequested();
    /// A size preset was chosen (lots): it becomes the order size.
    void sizePresetChosen(flowscope::Lots lots);
    /// The confirmation choices changed (to be saved).
    void confirmedActionsChanged(const QStringList& names);

  private:
    Theme theme_ = Theme::dark();
    QCheckBox* armed_;
    QPushButton* buy_;
    QPushButton* sell_;
    QPushButton* cancelAll_;
    QPushButton* flatten_;
    QPushButton* joinBid_;
    QPushButton* joinAsk_;
    QPushButton* reverse_;
    std::vector<QPushButton*> presetButtons_;
    std::vector<Lots> sizePresets_;
    QToolButton* confirm_;
    InstrumentInfo instrument_;
    QCheckBox* bracketOn_;
    QSpinBox* takeProfitTicks_;
    QSpinBox* stopLossTicks_;
    QLabel* position_;
    QLabel* pnl_;
    QLabel* working_;
    QLabel* message_;
    QLabel* banner_;
    QTimer* messageTimer_;
    /// Kill switch: Sent until a disarmed state is seen (a state published before the kill
    /// reached the venue may still say armed), Shown until an armed state.
    enum class Kill { None, Sent, Shown } kill_ = Kill::None;
    bool available_ = false;
    bool armedState_ = false;
    std::string deskMessage_;  ///< the desk's refusal as last seen
    bool messageStale_ = false;
    QListWidget* fills_;

    void emitBracketSettings();
    void labelPresets();
    void showBanner();
};

}  // namespace flowscope

Q_DECLARE_METATYPE(flowscope::trading::BracketSpec)
