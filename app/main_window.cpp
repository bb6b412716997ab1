#include "main_window.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDateTime>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QKeySequence>
#include <QLabel>
#include <QListWidget>
#include <QMenu>
#include <QMessageBox>
#include <QPointer>
#include <QSpinBox>
#include <QSplitter>
#include <QToolBar>
#include <QToolButton>
#include <QWindow>
#include <cmath>

#include "alerts/rule_parser.h"
#include "alerts_panel.h"
#include "book/size_list.h"
#include "feed/simulated_source.h"
#include "feed_status_bar.h"
#include "heatmap_controls.h"
#include "heatmap_widget.h"
#include "imbalance_heatmap_link.h"
#include "imbalance_heatmap_widget.h"
#include "imbalance_panel.h"
#include "ladder_widget.h"
#include "logging.h"
#include "rule_editor_dialog.h"
#include "settings_text.h"
#include "sim_instruments.h"
#include "trading_panel.h"
#include "venues/known_instruments.h"

namespace flowscope {
namespace {

constexpr double kSpeeds[] = {1, 2, 5, 10, 50};
constexpr int kMaxIntentRows = 500;

QString intentText(const OrderIntent& i, const Instrument& inst) {
    const QString price = QString::fromStdString(inst.formatPrice(i.price));
    if (i.kind == OrderIntent::Kind::CancelAtPrice)
        return QObject::tr("cancel own orders at %1").arg(price);
    return QObject::tr("%1 limit %2 @ %3")
        .arg(i.side == Side::Bid ? QObject::tr("BUY") : QObject::tr("SELL"))
        .arg(QString::fromStdString(inst.formatSize(i.qty)))
        .arg(price);
}

}  // namespace

MainWindow::MainWindow(const AppOptions& options, QSettings& settings, QWidget* parent)
    : MainWindow(options, settings, parent, false) {}

MainWindow::MainWindow(const AppOptions& options, QSettings& settings, QWidget* parent,
                       bool secondary)
    : QMainWindow(parent), settings_(settings), options_(options), secondary_(secondary) {
    qRegisterMetaType<std::shared_ptr<const MarketSnapshot>>();
    setObjectName("MainWindow");
    setWindowTitle("Flowscope");
    setDockOptions(AnimatedDocks | AllowNestedDocks | AllowTabbedDocks);

    buildCentre();
    buildDocks();
    status_ = new FeedStatusBar(this);
    setStatusBar(status_);
    buildToolbar();

    const QString themeName =
        options.theme.isEmpty() ? settings_.value("ui/theme", "dark").toString() : options.theme;
    applyTheme(Theme::byName(themeName));
    ladder_->setGrouping(settings_.value("ladder/grouping", 1).toInt());

    connect(&bridge_, &FeedBridge::snapshotReady, this, &MainWindow::onSnapshot);
    connect(&bridge_, &FeedBridge::columnsReady, heatmap_, &HeatmapWidget::appendColumns);
    connect(&bridge_, &FeedBridge::columnsReady, imbalanceHeatmap_,
            &ImbalanceHeatmapWidget::appendColumns);
    connect(&bridge_, &FeedBridge::tradesReady, heatmap_, &HeatmapWidget::appendTrades);
    connect(&bridge_, &FeedBridge::frameStats, status_, &FeedStatusBar::setFrameStats);
    connect(&bridge_, &FeedBridge::alertsReady, this, [this](const std::vector<AlertRecord>& r) {
        alerts_->addRecords(r);
        for (const AlertRecord& a : r) {
            qCInfo(lcOrders).noquote()
                << "alert" << QString::fromStdString(a.ruleName) << QString::fromStdString(a.values)
                << "->" << QString::fromStdString(a.outcome);
            notifier_.notify(a);  // one sound and notification per burst
        }
    });
    connect(ladder_, &LadderWidget::orderIntent, this, &MainWindow::onIntent);
    // Drag and drop on the ladder: every own order at `from` (a bracket leg included) moves.
    connect(ladder_, &LadderWidget::orderMoveRequested, this,
            [this](PriceTicks from, PriceTicks to) {
                qCInfo(lcOrders) << "move own orders" << from << "->" << to;
                postOrderAction([from, to](trading::OrderEntry& e) {
                    for (const trading::WorkingOrder& o : e.state().orders)
                        if (o.priceTicks == from) (void)e.moveOrder(o.id, to);
                });
            });
    // The heatmap bins prices by the ladder's grouping, so a ladder row and a heatmap row are the
    // same prices; its price zoom stays the trader's own.
    connect(ladder_, &LadderWidget::groupingChanged, heatmap_, &HeatmapWidget::setPriceGrouping);

    resize(1440, 900);
    restoreGeometry(settings_.value("window/geometry").toByteArray());
    restoreState(settings_.value("window/state").toByteArray());
    centreSplit_->restoreState(settings_.value("window/centreSplit").toByteArray());
    if (secondary_) setWindowTitle(tr("Flowscope — %1").arg(initialMarket(options).label()));
    startMarket(initialMarket(options));
}

MainWindow* MainWindow::openWindow(const MarketChoice& market) {
    AppOptions options = options_;
    if (market.venue != "replay") {
        options.venue = market.venue;
        options.symbol = market.symbol;
        options.replay.clear();
    }
    auto* window = new MainWindow(options, settings_, nullptr, /*secondary=*/true);
    window->setAttribute(Qt::WA_DeleteOnClose);
    window->move(pos() + QPoint(40, 40));
    window->show();
    qCInfo(lcFeed) << "opened a window on" << market.key();
    return window;
}

MainWindow::~MainWindow() {
    bridge_.stop();
}

void MainWindow::buildCentre() {
    heatmap_ = new HeatmapWidget(this);
    heatmap_->setObjectName("heatmap");
    // Under the liquidity heatmap rather than in a dock: the same time at the same x, so a wall
    // being pulled above lines up with the pressure building below it.
    imbalanceHeatmap_ = new ImbalanceHeatmapWidget(this);
    imbalanceHeatmap_->setObjectName("imbalanceHeatmap");
    imbalanceHeatmap_->setSettings(
        loadImbalanceHeatmapSettings(settings_, imbalanceHeatmap_->settings()));
    connect(
        imbalanceHeatmap_, &ImbalanceHeatmapWidget::settingsChanged, this,
        [this](const ImbalanceHeatmapSettings& s) { saveImbalanceHeatmapSettings(settings_, s); });
    linkTimeAxes(*heatmap_, *imbalanceHeatmap_);
    centreSplit_ = new QSplitter(Qt::Vertical, this);
    centreSplit_->setObjectName("centreSplit");
    centreSplit_->addWidget(heatmap_);
    centreSplit_->addWidget(imbalanceHeatmap_);
    centreSplit_->setStretchFactor(0, 5);
    centreSplit_->setStretchFactor(1, 2);
    centreSplit_->setChildrenCollapsible(true);
    setCentralWidget(centreSplit_);
}

void MainWindow::buildDocks() {
    ladder_ = new LadderWidget(this);
    ladder_->setObjectName("ladder");
    auto* ladderDock = new QDockWidget(tr("Depth ladder"), this);
    ladderDock->setObjectName("ladderDock");
    ladderDock->setWidget(ladder_);
    addDockWidget(Qt::RightDockWidgetArea, ladderDock);

    imbalance_ = new ImbalancePanel(this);
    imbalance_->setObjectName("imbalance");
    auto* imbalanceDock = new QDockWidget(tr("Imbalance"), this);
    imbalanceDock->setObjectName("imbalanceDock");
    imbalanceDock->setWidget(imbalance_);
    addDockWidget(Qt::BottomDockWidgetArea, imbalanceDock);

    // Paper trading on the simulator: arm, market orders, cancel all, flatten, position and P&L.
    trading_ = new TradingPanel(this);
    trading_->setObjectName("trading");
    auto* tradingDock = new QDockWidget(tr("Trading"), this);
    tradingDock->setObjectName("tradingDock");
    tradingDock->setWidget(trading_);
    addDockWidget(Qt::BottomDockWidgetArea, tradingDock);
    splitDockWidget(imbalanceDock, tradingDock, Qt::Horizontal);
    connect(trading_, &TradingPanel::armedChanged, this, [this](bool armed) {
        postOrderAction([armed](trading::OrderEntry& e) { e.setArmed(armed); });
    });
    connect(trading_, &TradingPanel::marketOrder, this,
            [this](Side side) { sendMarketOrder(side, {}); });
    connect(trading_, &TradingPanel::bracketMarketOrder, this, &MainWindow::sendMarketOrder);
    trading_->setBracket(settings_.value("trading/bracketOn", false).toBool(),
                         settings_.value("trading/takeProfitTicks", 0).toInt(),
                         settings_.value("trading/stopLossTicks", 0).toInt());
    connect(trading_, &TradingPanel::bracketSettingsChanged, this,
            [this](bool on, int takeProfitTicks, int stopLossTicks) {
                settings_.setValue("trading/bracketOn", on);
                settings_.setValue("trading/takeProfitTicks", takeProfitTicks);
                settings_.setValue("trading/stopLossTicks", stopLossTicks);
            });
    connect(trading_, &TradingPanel::cancelAllRequested, this, [this] {
        if (!confirmed("cancelAll", tr("Cancel every working order?"))) return;
        postOrderAction([](trading::OrderEntry& e) { e.cancelAll(); });
    });
    connect(trading_, &TradingPanel::flattenRequested, this, [this] {
        if (!confirmed("flatten", tr("Cancel every working order and close the position?"))) return;
        postOrderAction([](trading::OrderEntry& e) { e.flatten(); });
    });
    connect(trading_, &TradingPanel::joinRequested, this, &MainWindow::joinTouch);
    connect(trading_, &TradingPanel::reverseRequested, this, &MainWindow::reversePosition);

    // Size presets (in the instrument's units, set per market in applyOrderSize) set the
    // toolbar's order size.
    connect(trading_, &TradingPanel::sizePresetChosen, this,
            [this](Lots lots) { orderSize_->setValue(orderSizeInstrument_.toSize(lots)); });
    trading_->setConfirmedActions(settings_.value("trading/confirm").toStringList());
    connect(trading_, &TradingPanel::confirmedActionsChanged, this,
            [this](const QStringList& names) { settings_.setValue("trading/confirm", names); });

    // Trading hotkeys, window-wide; each can be rebound in the settings file (hotkeys/<name>).
    const struct {
        const char* name;
        const char* defaultKeys;
        QString text;
        std::function<void()> run;
    } hotkeys[] = {
        {"buyMarket", "Ctrl+B", tr("Buy at market"),
         [this] { trading_->requestMarketOrder(Side::Bid); }},
        {"sellMarket", "Ctrl+S", tr("Sell at market"),
         [this] { trading_->requestMarketOrder(Side::Ask); }},
        {"cancelAll", "Esc", tr("Cancel all"), [this] { emit trading_->cancelAllRequested(); }},
        {"flatten", "Ctrl+Shift+F", tr("Flatten"), [this] { emit trading_->flattenRequested(); }},
        {"joinBid", "Ctrl+Shift+B", tr("Join the bid"), [this] { joinTouch(Side::Bid); }},
        {"joinAsk", "Ctrl+Shift+S", tr("Join the ask"), [this] { joinTouch(Side::Ask); }},
        {"reverse", "Ctrl+R", tr("Reverse the position"), [this] { reversePosition(); }},
        {"sizePreset1", "Alt+1", tr("Size preset 1"), [this] { choosePreset(0); }},
        {"sizePreset2", "Alt+2", tr("Size preset 2"), [this] { choosePreset(1); }},
        {"sizePreset3", "Alt+3", tr("Size preset 3"), [this] { choosePreset(2); }},
        {"sizePreset4", "Alt+4", tr("Size preset 4"), [this] { choosePreset(3); }},
        {"sizePreset5", "Alt+5", tr("Size preset 5"), [this] { choosePreset(4); }},
        {"confirmProposal", "Ctrl+Return", tr("Confirm the newest alert ticket"),
         [this] { alerts_->confirmNewestProposal(); }},
        {"semiAutoOff", "Ctrl+Shift+A", tr("Semi-automatic mode off"),
         [this] {
             if (auto* feed = bridge_.feed()) feed->setSemiAutomatic(false);
         }},
        // Disarms first, so nothing new leaves while the cancels and the closing orders go out;
        // rules stop submitting too.
        {"killSwitch", "Ctrl+Shift+K", tr("Kill switch"),
         [this] {
             if (auto* feed = bridge_.feed()) feed->setSemiAutomatic(false);
             const bool flattenToo = settings_.value("trading/killSwitchFlattens", true).toBool();
             qCWarning(lcOrders) << "kill switch:"
                                 << (flattenToo ? "cancel all, flatten, disarm"
                                                : "cancel all, disarm");
             postOrderAction([flattenToo](trading::OrderEntry& e) { e.killSwitch(flattenToo); });
             trading_->noteKilled();  // KILLED stays on the panel until the trader arms again
         }},
    };
    for (const auto& h : hotkeys) {
        auto* action = new QAction(h.text, this);
        action->setObjectName(QString(h.name) + "Action");
        action->setShortcut(hotkeyFromSettings(QString("hotkeys/") + h.name, h.defaultKeys));
        action->setShortcutContext(Qt::WindowShortcut);
        connect(action, &QAction::triggered, this, h.run);
        addAction(action);
    }

    // Every ladder click is logged here, whatever the risk checks then make of it.
    intents_ = new QListWidget(this);
    intents_->setObjectName("intents");
    auto* intentsDock = new QDockWidget(tr("Order intents"), this);
    intentsDock->setObjectName("intentsDock");
    intentsDock->setWidget(intents_);
    addDockWidget(Qt::BottomDockWidgetArea, intentsDock);
    splitDockWidget(tradingDock, intentsDock, Qt::Horizontal);

    // Heatmap colour and filter controls, kept in the settings file.
    auto* controls = new HeatmapControls(this);
    controls->setObjectName("heatmapControls");
    HeatmapControlValues defaults;
    defaults.color = heatmap_->colorSettings();
    controls->setValues(loadHeatmapControls(settings_, defaults));
    applyHeatmapControls(*heatmap_, controls->values());
    connect(controls, &HeatmapControls::changed, this, [this](const HeatmapControlValues& c) {
        applyHeatmapControls(*heatmap_, c);
        saveHeatmapControls(settings_, c);
    });
    auto* controlsDock = new QDockWidget(tr("Heatmap"), this);
    controlsDock->setObjectName("heatmapControlsDock");
    controlsDock->setWidget(controls);
    addDockWidget(Qt::BottomDockWidgetArea, controlsDock);
    tabifyDockWidget(intentsDock, controlsDock);
    buildAlertsDock(intentsDock);
    resizeDocks({ladderDock}, {360}, Qt::Horizontal);
    resizeDocks({imbalanceDock}, {300}, Qt::Vertical);
    resizeDocks({imbalanceDock, tradingDock, intentsDock}, {560, 380, 300}, Qt::Horizontal);
}

void MainWindow::buildAlertsDock(QDockWidget* besideDock) {
    // Alert rules, their firings, the semi-automatic switch and the tickets waiting for a click.
    alerts_ = new AlertsPanel(this);
    alerts_->setObjectName("alerts");
    auto* alertsDock = new QDockWidget(tr("Alerts"), this);
    alertsDock->setObjectName("alertsDock");
    alertsDock->setWidget(alerts_);
    addDockWidget(Qt::BottomDockWidgetArea, alertsDock);
    tabifyDockWidget(besideDock, alertsDock);
    alertsDock->raise();
    const bool muted = settings_.value("alerts/muted", false).toBool();
    notifier_.setMuted(muted);
    alerts_->setMuted(muted);
    connect(alerts_, &AlertsPanel::muteToggled, this, [this](bool m) {
        notifier_.setMuted(m);
        settings_.setValue("alerts/muted", m);
    });
    connect(alerts_, &AlertsPanel::semiAutomaticToggled, this, [this](bool on) {
        qCWarning(lcOrders) << "semi-automatic mode" << (on ? "ON" : "off");
        if (auto* feed = bridge_.feed()) feed->setSemiAutomatic(on);
    });
    connect(alerts_, &AlertsPanel::proposalConfirmed, this, [this](quint64 id) {
        if (auto* feed = bridge_.feed()) feed->confirmProposal(id);
    });
    connect(alerts_, &AlertsPanel::proposalRejected, this, [this](quint64 id) {
        if (auto* feed = bridge_.feed()) feed->rejectProposal(id);
    });
    connect(alerts_, &AlertsPanel::editRulesRequested, this, &MainWindow::editAlertRules);
}

void MainWindow::editAlertRules() {
    RuleEditorDialog dialog(settingsText(settings_, "alerts/rules"),
                            FeedEngineConfig{}.imbalance.windows, this);
    dialog.setObjectName("ruleEditor");
    if (dialog.exec() != QDialog::Accepted) return;
    setAlertRules(dialog.rulesText());
}

bool MainWindow::setAlertRules(const QString& text, QString* error) {
    const std::string rules = text.toStdString();
    const ParsedRules parsed = parseRules(rules, FeedEngineConfig{}.imbalance.windows);
    if (parsed.error) {
        const QString why = QString::fromStdString(parsed.error->format("rules"));
        if (error) *error = why;
        status_->showMessage(tr("Alert rules not changed: %1").arg(why), 15000);
        return false;
    }
    settings_.setValue("alerts/rules", text);
    if (auto* feed = bridge_.feed()) feed->setAlertRules(rules);
    // The stored rules read now: a refusal of the old text no longer applies.
    QStringList problems = status_->settingsProblems();
    problems.removeIf([](const QString& p) { return p.startsWith("alerts/rules"); });
    status_->setSettingsProblems(problems);
    qCInfo(lcOrders) << "alert rules set:" << parsed.rules.size() << "rule(s)";
    return true;
}

void MainWindow::buildToolbar() {
    auto* bar = addToolBar(tr("Market"));
    bar->setObjectName("marketToolbar");
    bar->setMovable(false);
    instrumentBox_ = new QComboBox(bar);
    instrumentBox_->setObjectName("instrumentBox");
    for (const MarketChoice& m : offeredMarkets(options_))
        instrumentBox_->addItem(m.label(), m.key());
    instrumentBox_->setToolTip(
        tr("Venue and instrument: the simulated market, a recording, or a live venue (other "
           "symbols: --venue and --symbol on the command line)"));
    bar->addWidget(instrumentBox_);
    connect(instrumentBox_, &QComboBox::activated, this, [this](int i) {
        if (const auto m = MarketChoice::fromKey(instrumentBox_->itemData(i).toString()))
            startMarket(*m);
    });

    bar->addWidget(new QLabel(tr("  Speed "), bar));
    speedBox_ = new QComboBox(bar);
    speedBox_->setObjectName("speedBox");
    for (double s : kSpeeds)
        speedBox_->addItem(QString("%1×").arg(s), s);
    speedBox_->setToolTip(tr("Speed of the simulated market"));
    bar->addWidget(speedBox_);
    connect(speedBox_, &QComboBox::activated, this, [this](int i) {
        const double speed = speedBox_->itemData(i).toDouble();
        options_.speed = speed;
        if (auto* feed = bridge_.feed())
            feed->post([speed](MarketSource& s, FeedEngine&) { s.setSpeed(speed); });
    });

    pauseAction_ = bar->addAction(tr("Pause"));
    pauseAction_->setObjectName("pauseAction");
    pauseAction_->setCheckable(true);
    pauseAction_->setShortcut(QKeySequence(Qt::Key_P));
    pauseAction_->setToolTip(tr("Pause the simulated market (P)"));
    connect(pauseAction_, &QAction::toggled, this, [this](bool paused) {
        status_->setPaused(paused);
        ladder_->setFeedPaused(paused);
        if (auto* feed = bridge_.feed())
            feed->post([paused](MarketSource& s, FeedEngine&) { s.setPaused(paused); });
    });

    followAction_ = bar->addAction(tr("Follow live"));
    followAction_->setObjectName("followAction");
    followAction_->setCheckable(true);
    followAction_->setChecked(true);
    followAction_->setShortcut(QKeySequence(Qt::Key_F));
    followAction_->setToolTip(tr("Scroll the heatmap with the market (F)"));
    connect(followAction_, &QAction::toggled, heatmap_, &HeatmapWidget::setFollowLive);
    connect(heatmap_, &HeatmapWidget::followLiveChanged, followAction_, &QAction::setChecked);

    bar->addSeparator();
    QAction* zoomIn = bar->addAction(tr("Zoom in"));
    zoomIn->setShortcut(QKeySequence::ZoomIn);
    connect(zoomIn, &QAction::triggered, heatmap_, &HeatmapWidget::zoomIn);
    QAction* zoomOut = bar->addAction(tr("Zoom out"));
    zoomOut->setShortcut(QKeySequence::ZoomOut);
    connect(zoomOut, &QAction::triggered, heatmap_, &HeatmapWidget::zoomOut);
    QAction* centre = bar->addAction(tr("Centre ladder"));
    centre->setShortcut(QKeySequence(Qt::Key_C));
    centre->setToolTip(tr("Re-centre the ladder on the market (C)"));
    connect(centre, &QAction::triggered, ladder_, &LadderWidget::recentre);

    bar->addWidget(new QLabel(tr("  Order size "), bar));
    // In the instrument's units (a whole number of lots); applyOrderSize sets the grid and the
    // market's saved size whenever a market starts.
    orderSize_ = new QDoubleSpinBox(bar);
    orderSize_->setObjectName("orderSize");
    orderSize_->setToolTip(
        tr("Order size in the instrument's units, for ladder clicks, the "
           "trading panel, hotkeys and brackets"));
    orderSize_->setMinimumWidth(110);
    bar->addWidget(orderSize_);
    connect(orderSize_, &QDoubleSpinBox::valueChanged, this, [this](double value) {
        // The box steps in the venue's order step (a multiple of the book's lot): the nearest
        // step is the size orders take.
        const Lots step = orderStepLots_;
        const Lots lots = std::max<Lots>(
            step, (orderSizeInstrument_.roundToLots(value) + step / 2) / step * step);
        ladder_->setOrderSize(lots);
        if (!orderSizeKey_.isEmpty())
            settings_.setValue(orderSizeKey_,
                               QString::fromStdString(orderSizeInstrument_.formatSize(lots)));
    });

    if (QAction* kill = findChild<QAction*>("killSwitchAction")) {
        bar->addSeparator();
        kill->setText(tr("KILL"));
        kill->setToolTip(tr("Kill switch (%1): disarm, cancel every order, flatten "
                            "(trading/killSwitchFlattens in the settings file)")
                             .arg(kill->shortcut().toString(QKeySequence::NativeText)));
        bar->addAction(kill);
        if (QWidget* button = bar->widgetForAction(kill)) {
            button->setObjectName("killSwitchButton");
            button->setStyleSheet(
                "QToolButton { color: white; background: #b3261e; "
                "font-weight: bold; padding: 2px 10px; }");
        }
    }

    // Several markets at once: each window has its own feed thread, book and engine.
    auto* windowButton = new QToolButton(bar);
    windowButton->setObjectName("newWindowButton");
    windowButton->setText(tr("New window"));
    windowButton->setToolTip(tr("Open another market in its own window (%1: the same market)")
                                 .arg(QKeySequence(QKeySequence::New).toString()));
    windowButton->setPopupMode(QToolButton::InstantPopup);
    auto* windowMenu = new QMenu(windowButton);
    for (const MarketChoice& m : offeredMarkets(options_)) {
        QAction* open = windowMenu->addAction(m.label());
        connect(open, &QAction::triggered, this, [this, m] { openWindow(m); });
    }
    windowButton->setMenu(windowMenu);
    bar->addSeparator();
    bar->addWidget(windowButton);
    auto* sameMarket = new QAction(tr("New window on this market"), this);
    sameMarket->setObjectName("newWindowAction");
    sameMarket->setShortcut(QKeySequence::New);
    connect(sameMarket, &QAction::triggered, this, [this] {
        if (const auto m = MarketChoice::fromKey(instrumentBox_->currentData().toString()))
            openWindow(*m);
    });
    addAction(sameMarket);

    bar->addSeparator();
    QAction* theme = bar->addAction(tr("Light/dark"));
    theme->setObjectName("themeAction");
    connect(theme, &QAction::triggered, this,
            [this] { applyTheme(theme_.name == "dark" ? Theme::light() : Theme::dark()); });
}

void MainWindow::applyTheme(const Theme& theme) {
    theme_ = theme;
    QPalette p;
    p.setColor(QPalette::Window, theme.window);
    p.setColor(QPalette::Base, theme.base);
    p.setColor(QPalette::AlternateBase, theme.alternate);
    p.setColor(QPalette::Text, theme.text);
    p.setColor(QPalette::WindowText, theme.text);
    p.setColor(QPalette::Button, theme.window);
    p.setColor(QPalette::ButtonText, theme.text);
    p.setColor(QPalette::Highlight, theme.bid);
    p.setColor(QPalette::PlaceholderText, theme.mutedText);
    setPalette(p);
    heatmap_->setTheme(theme);
    imbalanceHeatmap_->setTheme(theme);
    ladder_->setTheme(theme);
    imbalance_->setTheme(theme);
    trading_->setTheme(theme);
    alerts_->setTheme(theme);
    status_->setTheme(theme);
    settings_.setValue("ui/theme", theme.name);
}

QKeySequence MainWindow::hotkeyFromSettings(const QString& key, const QString& defaultKeys) {
    // settingsText: "Ctrl+B, Ctrl+X" (a two-key sequence) is a list to QSettings' INI reader.
    const QString text = settingsText(settings_, key, defaultKeys).trimmed();
    if (text.isEmpty()) return {};  // unbound on purpose
    const QKeySequence keys = QKeySequence::fromString(text, QKeySequence::PortableText);
    bool known = !keys.isEmpty();
    for (int i = 0; i < keys.count(); ++i)
        known = known && keys[i].key() != Qt::Key_unknown;
    if (known) return keys;
    hotkeyProblems_.append(tr("%1: %2 is not a key sequence; %3 is used")
                               .arg(key, "'" + settingsExcerpt(text) + "'", defaultKeys));
    return QKeySequence::fromString(defaultKeys, QKeySequence::PortableText);
}

bool MainWindow::startMarket(const MarketChoice& market) {
    const int index = instrumentBox_->findData(market.key());
    if (index >= 0) instrumentBox_->setCurrentIndex(index);
    int speedIndex = speedBox_->findData(options_.speed);
    if (speedIndex < 0) {  // a speed from the command line that the list does not offer
        speedBox_->addItem(QString("%1×").arg(options_.speed), options_.speed);
        speedIndex = speedBox_->count() - 1;
    }
    speedBox_->setCurrentIndex(speedIndex);
    // A live market runs at the market's pace: speed applies to simulation and replay only.
    speedBox_->setEnabled(market.venue == "sim" || market.venue == "replay");
    // A disarm survives switching instruments; paper trading starts armed otherwise.
    trading::PaperDeskConfig paper{trading::defaultPaperLimits(), {}, {}, true};
    if (lastSnapshot_ && lastSnapshot_->trading.available)
        paper.armed = lastSnapshot_->trading.armed;
    QString error;
    QStringList problems = hotkeyProblems_;  // refused values: hotkeys, limits, presets, rules
    auto source = makeMarketSource(market, options_, paper, error, &settings_, &problems);
    // Every refused value is listed (the status bar's tooltip and the log), none hides another.
    const auto report = [&] {
        for (const QString& problem : problems)
            qCWarning(lcOrders).noquote() << "settings:" << problem;
        status_->setSettingsProblems(problems);
    };
    if (!source) {
        report();
        qCWarning(lcFeed) << "cannot start" << market.key() << ":" << error;
        status_->showMessage(tr("Cannot start %1: %2").arg(market.label(), error), 15000);
        return false;
    }
    qCInfo(lcFeed) << "starting" << market.key() << "seed" << options_.seed << "speed"
                   << options_.speed;
    heatmap_->clear();
    imbalanceHeatmap_->clear();
    intents_->clear();
    lastSnapshot_.reset();
    pauseAction_->setChecked(false);
    // A live market cannot be paused: the action would change nothing but the state shown.
    pauseAction_->setEnabled(market.venue == "sim" || market.venue == "replay");
    bridge_.start(std::make_unique<FeedThread>(std::move(source)));
    applyOrderSize(bridge_.feed()->instrument(), problems);
    // Every feed starts with semi-automatic mode off (it is never saved); the rules carry over.
    // Stored rules that do not read are refused with the reason and left in the file as they
    // are, for the trader to fix: never a crash, never silently dropped.
    const std::string rules = settingsText(settings_, "alerts/rules").toStdString();
    const ParsedRules parsed = parseRules(rules, FeedEngineConfig{}.imbalance.windows);
    if (parsed.error)
        problems.append(
            tr("alerts/rules: %1; no rules are loaded (the stored text is kept)")
                .arg(settingsExcerpt(QString::fromStdString(parsed.error->format("rules")), 200)));
    bridge_.feed()->setAlertRules(rules);
    report();
    if (!secondary_) {
        settings_.setValue("market/symbol", market.symbol);
        settings_.setValue("market/venue", market.venue);
    }
    return true;
}

void MainWindow::onSnapshot(std::shared_ptr<const MarketSnapshot> snapshot) {
    lastSnapshot_ = snapshot;
    heatmap_->setSnapshot(snapshot);
    imbalanceHeatmap_->setInstrument(snapshot->instrument);
    ladder_->setSnapshot(snapshot);
    imbalance_->setSnapshot(snapshot);
    status_->setFeedStatus(snapshot->instrument, snapshot->status);
    trading_->setState(snapshot->instrument, snapshot->trading);
    alerts_->setInstrument(snapshot->instrument.instrument());
    alerts_->setDeskState(snapshot->alerts);
    std::vector<OwnOrderLevel> own = ownOrdersOf(snapshot->trading.orders);
    // Handed on only when they changed: most frames carry the same orders.
    if (own != lastOwnOrders_) {
        lastOwnOrders_ = own;
        heatmap_->setOwnOrders(own);
        ladder_->setOwnOrders(std::move(own));
    }
    bridge_.notePainted(snapshot->publishedSteadyNs);
}

void MainWindow::postOrderAction(std::function<void(trading::OrderEntry&)> action) {
    trading_->noteActionSent();  // a refusal on the panel is old news once the next action leaves
    if (auto* feed = bridge_.feed())
        feed->post([action = std::move(action)](MarketSource& source, FeedEngine&) {
            if (trading::OrderEntry* entry = source.orderEntry()) action(*entry);
        });
}

void MainWindow::submitBracketed(const trading::OrderRequest& request,
                                 const trading::BracketSpec& bracket, const std::string& key) {
    QPointer<MainWindow> self(this);
    postOrderAction([request, bracket, key, self](trading::OrderEntry& e) {
        if (bracket.empty()) {
            (void)e.submit(request, key);
            return;
        }
        const auto outcome = e.submitBracket(request, bracket, key);
        if (outcome.status != trading::SubmitStatus::Unsupported) return;
        // The venue keeps no brackets: say so on the GUI thread; nothing was sent.
        QMetaObject::invokeMethod(qApp, [self] {
            if (self)
                self->status_->showMessage(
                    tr("Not sent: %1")
                        .arg(QString::fromUtf8(
                            trading::kBracketsUnsupported.data(),
                            static_cast<qsizetype>(trading::kBracketsUnsupported.size()))),
                    10000);
        });
    });
}

void MainWindow::applyOrderSize(const InstrumentInfo& info, QStringList& problems) {
    const Instrument instrument = info.instrument();
    orderSizeInstrument_ = instrument;
    // Orders go in the venue's order step (Binance BTCUSDT 0.00001), not the book's finer lot.
    orderStepLots_ = 1;
    DecimalStep sizeStep = info.lot;
    if (const auto venue = venues::parseVenueId(info.venue)) {
        if (const auto step = venues::venueOrderStep(*venue, info.symbol)) {
            if (const auto lots = instrument.parseSize(step->toString()); lots && *lots > 0) {
                orderStepLots_ = *lots;
                sizeStep = *step;
            }
        }
    }
    const QString market = QString::fromStdString(info.venue + "_" + info.symbol);
    // Sizes are read per market: 0.1 means 0.1 BTC on BTC markets whatever the venue's lot.
    const auto readSize = [&](const QString& text) -> std::optional<Lots> {
        const auto lots = instrument.parseSize(text.trimmed().toStdString());
        if (lots && *lots > 0) return lots;
        return std::nullopt;
    };
    // One bad part is refused on its own: the valid presets stay.
    const SizeList presets = parseSizeList(
        settingsText(settings_, "trading/sizePresets", "0.01,0.05,0.1,0.5,1").toStdString(),
        instrument);
    for (const std::string& part : presets.refused)
        problems.append(tr("trading/sizePresets: '%1' is not a positive whole number of lots "
                           "(%2) on %3; the other presets are kept")
                            .arg(settingsExcerpt(QString::fromStdString(part)),
                                 QString::fromStdString(info.lot.toString()), market));
    trading_->setSizePresets(presets.sizes);

    const QSignalBlocker block(orderSize_);
    orderSizeKey_.clear();  // no save while the box is set up
    orderSize_->setDecimals(sizeStep.decimals);
    const double lot = sizeStep.value();
    orderSize_->setSingleStep(lot);
    orderSize_->setRange(lot, lot * 1e9);
    const QString key = "trading/orderSize/" + market;
    std::optional<Lots> size = readSize(settings_.value(key).toString());
    // A first size that is small on a live venue (0.001 BTC) and visible on the simulator.
    const char* firstSize = info.venue == "SIM" ? "0.1" : "0.001";
    if (!size) size = readSize(settings_.value("trading/orderSize", firstSize).toString());
    if (!size) size = 1;
    size = std::max(orderStepLots_, *size / orderStepLots_ * orderStepLots_);  // on the step
    orderSize_->setValue(instrument.toSize(*size));
    ladder_->setOrderSize(*size);
    orderSizeKey_ = key;
}

void MainWindow::sendMarketOrder(Side side, const trading::BracketSpec& bracket) {
    const Lots qty = ladder_->orderSize();
    if (!confirmed(side == Side::Bid ? "buyMarket" : "sellMarket",
                   tr("%1 %2 at market%3?")
                       .arg(side == Side::Bid ? tr("Buy") : tr("Sell"), sizeText(qty),
                            bracket.empty() ? QString() : tr(" with the bracket"))))
        return;
    // Same side, size and bracket within the double-click interval is one order.
    const qint64 clickSlot =
        QDateTime::currentMSecsSinceEpoch() / QApplication::doubleClickInterval();
    const std::string key = std::string(bracket.empty() ? "panel:" : "panel-bracket:") +
                            (side == Side::Bid ? "B" : "S") + ":" + std::to_string(qty) + ":" +
                            std::to_string(clickSlot);
    submitBracketed(
        {side, trading::OrderType::Market, 0, qty, trading::TimeInForce::ImmediateOrCancel},
        bracket, key);
}

bool MainWindow::confirmed(const QString& action, const QString& question) {
    if (!trading_->confirms(action)) return true;
    const QString market =
        lastSnapshot_ ? QString::fromStdString(lastSnapshot_->instrument.displayName()) : QString();
    const QString text = market.isEmpty() ? question : market + ": " + question;
    if (confirmer_) return confirmer_(text);
    return QMessageBox::question(this, tr("Confirm order"), text,
                                 QMessageBox::Yes | QMessageBox::No,
                                 QMessageBox::No) == QMessageBox::Yes;
}

QString MainWindow::sizeText(Lots lots) const {
    if (!lastSnapshot_) return tr("%1 lots").arg(lots);
    return QString::fromStdString(lastSnapshot_->instrument.instrument().formatSize(lots));
}

void MainWindow::choosePreset(int index) {
    const auto& presets = trading_->sizePresets();
    if (index >= 0 && static_cast<std::size_t>(index) < presets.size())
        emit trading_->sizePresetChosen(presets[static_cast<std::size_t>(index)]);
}

void MainWindow::joinTouch(Side side) {
    if (!lastSnapshot_) return;
    const auto& touch = side == Side::Bid ? lastSnapshot_->bids : lastSnapshot_->asks;
    if (touch.empty()) {
        status_->showMessage(
            tr("Not sent: no %1 to join").arg(side == Side::Bid ? tr("bid") : tr("ask")), 10000);
        return;
    }
    const PriceTicks price = touch.front().price;
    const Lots qty = ladder_->orderSize();
    const QString priceText =
        QString::fromStdString(lastSnapshot_->instrument.instrument().formatPrice(price));
    if (!confirmed(side == Side::Bid ? "joinBid" : "joinAsk",
                   tr("%1 %2 limit at the %3, %4?")
                       .arg(side == Side::Bid ? tr("Buy") : tr("Sell"), sizeText(qty),
                            side == Side::Bid ? tr("bid") : tr("ask"), priceText)))
        return;
    qCInfo(lcOrders).noquote() << "join" << (side == Side::Bid ? "bid" : "ask") << priceText;
    // Keyed like a ladder click at that price: joining twice, or joining and clicking the same
    // row, is one order.
    const std::string key = "ladder:" + std::string(side == Side::Bid ? "B" : "S") + ":" +
                            std::to_string(price) + ":" + std::to_string(qty);
    submitBracketed({side, trading::OrderType::Limit, price, qty}, trading_->bracket(), key);
}

void MainWindow::reversePosition() {
    if (!lastSnapshot_) return;
    const Lots position = lastSnapshot_->trading.positionQty;
    if (position == 0) {
        status_->showMessage(tr("Not sent: no position to reverse"), 10000);
        return;
    }
    if (!confirmed("reverse", tr("Reverse: close %1 %2 and open %2 %3?")
                                  .arg(position > 0 ? tr("long") : tr("short"),
                                       sizeText(position > 0 ? position : -position),
                                       position > 0 ? tr("short") : tr("long"))))
        return;
    qCInfo(lcOrders) << "reverse position" << position;
    // The position the trader saw goes with the request: the desk reverses only that position,
    // so a second press before the first one shows cannot reverse back.
    const std::string key = "reverse:" + std::to_string(position) + ":" +
                            std::to_string(QDateTime::currentMSecsSinceEpoch());
    QPointer<MainWindow> self(this);
    postOrderAction([position, key, self](trading::OrderEntry& e) {
        if (e.reverse(position, key).status != trading::SubmitStatus::NotOpen) return;
        QMetaObject::invokeMethod(qApp, [self] {
            if (self)
                self->status_->showMessage(
                    tr("Not sent: the position changed since the reverse was asked"), 10000);
        });
    });
}

void MainWindow::onIntent(const OrderIntent& intent) {
    if (!lastSnapshot_) return;
    if (intent.kind == OrderIntent::Kind::Limit) {
        if (!confirmed(
                "ladderOrder",
                tr("%1 %2 limit at %3?")
                    .arg(intent.side == Side::Bid ? tr("Buy") : tr("Sell"), sizeText(intent.qty),
                         QString::fromStdString(
                             lastSnapshot_->instrument.instrument().formatPrice(intent.price)))))
            return;
        // The same click (side, price, size) within the order manager's window is one order: a
        // double click never sends two.
        const std::string key = "ladder:" + std::string(intent.side == Side::Bid ? "B" : "S") +
                                ":" + std::to_string(intent.price) + ":" +
                                std::to_string(intent.qty);
        submitBracketed({intent.side, trading::OrderType::Limit, intent.price, intent.qty},
                        trading_->bracket(), key);
    } else {
        postOrderAction([price = intent.price](trading::OrderEntry& e) { e.cancelAtPrice(price); });
    }
    const QString text = intentText(intent, lastSnapshot_->instrument.instrument());
    qCInfo(lcOrders) << "order intent:" << text;
    intents_->insertItem(0, QDateTime::currentDateTime().toString("HH:mm:ss.zzz  ") + text);
    while (intents_->count() > kMaxIntentRows)
        delete intents_->takeItem(intents_->count() - 1);
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (!secondary_) {
        settings_.setValue("window/geometry", saveGeometry());
        settings_.setValue("window/state", saveState());
        settings_.setValue("window/centreSplit", centreSplit_->saveState());
        settings_.setValue("ladder/grouping", ladder_->grouping());
        settings_.sync();
    }
    bridge_.stop();
    event->accept();
}

void MainWindow::changeEvent(QEvent* event) {
    if (event->type() == QEvent::WindowStateChange) bridge_.setBackground(isMinimized());
    QMainWindow::changeEvent(event);
}

}  // namespace flowscope
