#pragma once
/// The main window: wires the feed bridge to the views, the toolbar and the settings, and nothing
/// else. Views own their painting; the bridge owns the feed thread.

#include <QKeySequence>
#include <QMainWindow>
#include <QSettings>
#include <QStringList>
#include <functional>
#include <memory>

#include "alert_notifier.h"
#include "app_options.h"
#include "feed_bridge.h"
#include "ladder_model.h"
#include "market_sources.h"
#include "order_intent.h"
#include "theme.h"

class QAction;
class QComboBox;
class QDoubleSpinBox;
class QListWidget;
class QSplitter;

namespace flowscope {

class AlertsPanel;
class FeedStatusBar;
class HeatmapWidget;
class ImbalanceHeatmapWidget;
class ImbalancePanel;
class LadderWidget;
class TradingPanel;

class MainWindow : public QMainWindow {
    Q_OBJECT
  public:
    MainWindow(const AppOptions& options, QSettings& settings, QWidget* parent = nullptr);

    /// Opens another terminal window on `market`, with its own feed thread, book and engine, so
    /// several instruments and venues run at once. It closes itself and deletes on close; only
    /// the first window saves the layout.
    MainWindow* openWindow(const MarketChoice& market);
    ~MainWindow() override;

    /// Starts `market` (simulated, live or replay), replacing the running feed. False (with the
    /// reason in the status bar and the log) when its source cannot be built.
    bool startMarket(const MarketChoice& market);

    LadderWidget* ladder() const { return ladder_; }
    HeatmapWidget* heatmap() const { return heatmap_; }
    ImbalanceHeatmapWidget* imbalanceHeatmap() const { return imbalanceHeatmap_; }
    ImbalancePanel* imbalancePanel() const { return imbalance_; }
    FeedStatusBar* feedStatusBar() const { return status_; }
    TradingPanel* tradingPanel() const { return trading_; }
    AlertsPanel* alertsPanel() const { return alerts_; }
    AlertNotifier& alertNotifier() { return notifier_; }
    /// Replaces the alert rules (the text format of flowscope-cli alerts), keeps them in the
    /// settings and hands them to the running feed. False with the error when they do not parse.
    bool setAlertRules(const QString& text, QString* error = nullptr);
    FeedBridge& bridge() { return bridge_; }
    /// Answers the confirmation of an action the trader asked to confirm (TradingPanel's
    /// "Confirm…" menu): true sends. A question box by default; tests answer directly.
    void setConfirmer(std::function<bool(const QString& question)> confirmer) {
        confirmer_ = std::move(confirmer);
    }

  protected:
    void closeEvent(QCloseEvent* event) override;
    void changeEvent(QEvent* event) override;

  private:
    MainWindow(const AppOptions& options, QSettings& settings, QWidget* parent, bool secondary);
    void buildToolbar();
    void buildDocks();
    /// The liquidity heatmap with the imbalance heatmap under it, time axes linked.
    void buildCentre();
    void applyTheme(const Theme& theme);
    void onIntent(const OrderIntent& intent);
    /// `request` with `bracket` (none when empty) on the feed thread, as one user action `key`.
    void submitBracketed(const trading::OrderRequest& request, const trading::BracketSpec& bracket,
                         const std::string& key);
    void onSnapshot(std::shared_ptr<const MarketSnapshot> snapshot);
    /// Buy/sell at market with the order size (and `bracket`, unless empty), as one click.
    void sendMarketOrder(Side side, const trading::BracketSpec& bracket);
    /// False when `action` asks for confirmation and the trader said no.
    bool confirmed(const QString& action, const QString& question);
    QString sizeText(Lots lots) const;
    void choosePreset(int index);
    /// The order size box and the size presets for `instrument`: its lot grid, and the size
    /// saved for that market. Refused presets are appended to `problems`.
    void applyOrderSize(const InstrumentInfo& instrument, QStringList& problems);
    /// A hotkey as the settings file binds it; a value that is no key sequence is refused (listed
    /// in hotkeyProblems_) and the default is used. Empty: unbound.
    QKeySequence hotkeyFromSettings(const QString& key, const QString& defaultKeys);
    /// A limit order at the best bid (Bid) or ask (Ask) with the order size and the bracket.
    void joinTouch(Side side);
    void reversePosition();
    void buildAlertsDock(QDockWidget* besideDock);
    void editAlertRules();
    /// Runs `action` on the feed thread against the venue's order entry (if it takes orders).
    void postOrderAction(std::function<void(trading::OrderEntry&)> action);

    QSettings& settings_;
    AppOptions options_;
    Theme theme_;
    FeedBridge bridge_;
    HeatmapWidget* heatmap_ = nullptr;
    ImbalanceHeatmapWidget* imbalanceHeatmap_ = nullptr;
    QSplitter* centreSplit_ = nullptr;
    LadderWidget* ladder_ = nullptr;
    ImbalancePanel* imbalance_ = nullptr;
    FeedStatusBar* status_ = nullptr;
    QListWidget* intents_ = nullptr;
    TradingPanel* trading_ = nullptr;
    AlertsPanel* alerts_ = nullptr;
    AlertNotifier notifier_;
    std::vector<OwnOrderLevel> lastOwnOrders_;
    QComboBox* instrumentBox_ = nullptr;
    QComboBox* speedBox_ = nullptr;
    QAction* pauseAction_ = nullptr;
    QAction* followAction_ = nullptr;
    bool secondary_ = false;  ///< opened by openWindow(): leaves the saved layout alone
    std::shared_ptr<const MarketSnapshot> lastSnapshot_;
    std::function<bool(const QString&)> confirmer_;
    QDoubleSpinBox* orderSize_ = nullptr;
    Instrument orderSizeInstrument_{"", {}, {}};
    Lots orderStepLots_ = 1;      ///< the venue's order step in the book's lots (Binance LOT_SIZE)
    QString orderSizeKey_;        ///< where the running market's size is saved; empty while set up
    QStringList hotkeyProblems_;  ///< refused [hotkeys] values, listed with every market's problems
};

}  // namespace flowscope
