// The app wired together, offscreen: it starts live on the simulated market, ladder clicks reach
// the order-intent log, the instrument picker switches markets, settings round-trip, and bad
// command-line options are refused with a reason; the imbalance heatmap under the heatmap
// takes the feed and shares its time axis.
#include <QtTest>
#include <cmath>

#include <qcustomplot.h>
#include <QCheckBox>
#include <QComboBox>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QTemporaryDir>

#include "alerts_panel.h"
#include "app_options.h"
#include "exchange_process.h"
#include "feed_status_bar.h"
#include "heatmap_controls.h"
#include "heatmap_widget.h"
#include "imbalance_heatmap_color_map.h"
#include "imbalance_heatmap_widget.h"
#include "ladder_widget.h"
#include "main_window.h"
#include "settings_text.h"
#include "trading_panel.h"

using namespace flowscope;

namespace {

AppOptions fastOptions() {
    AppOptions o;
    o.speed = 20;
    o.seed = 4;
    return o;
}

bool waitForLive(MainWindow& w, const QString& instrument, int timeoutMs = 10000) {
    return QTest::qWaitFor(
        [&] {
            auto* feed = w.bridge().feed();
            if (!feed) return false;
            auto s = feed->latest();
            return s && s->status.state == FeedState::Live && !s->bids.empty() &&
                   QString::fromStdString(s->instrument.displayName()) == instrument &&
                   w.feedStatusBar()->stateText() == "LIVE";
        },
        timeoutMs);
}

}  // namespace

class TestMainWindow : public QObject {
    Q_OBJECT

  private slots:
    void startsLiveOnTheSimulatedMarket() {
        QTemporaryDir dir;
        QSettings settings(dir.filePath("s.ini"), QSettings::IniFormat);
        MainWindow w(fastOptions(), settings);
        w.show();
        QVERIFY(waitForLive(w, "SIM:BTC-USD"));
        QVERIFY(w.ladder()->frame().hasBook);
    }

    void ladderClicksAreLoggedAsIntents() {
        QTemporaryDir dir;
        QSettings settings(dir.filePath("s.ini"), QSettings::IniFormat);
        MainWindow w(fastOptions(), settings);
        w.show();
        QVERIFY(waitForLive(w, "SIM:BTC-USD"));
        auto* log = w.findChild<QListWidget*>("intents");
        QVERIFY(log);
        // 60,000.0 is 120,000 ticks of 0.5; 250 lots of 0.001 is 0.250.
        emit w.ladder()->orderIntent(
            OrderIntent{OrderIntent::Kind::Limit, Side::Bid, 120'000, 250});
        emit w.ladder()->orderIntent(
            OrderIntent{OrderIntent::Kind::CancelAtPrice, Side::Ask, 120'001, 0});
        QCOMPARE(log->count(), 2);
        QVERIFY2(log->item(1)->text().endsWith("BUY limit 0.250 @ 60000.0"),
                 qPrintable(log->item(1)->text()));
        QVERIFY2(log->item(0)->text().endsWith("cancel own orders at 60000.5"),
                 qPrintable(log->item(0)->text()));
    }

    void paperTradingFromTheLadderAndThePanel() {
        QTemporaryDir dir;
        QSettings settings(dir.filePath("s.ini"), QSettings::IniFormat);
        MainWindow w(fastOptions(), settings);
        w.show();
        QVERIFY(waitForLive(w, "SIM:BTC-USD"));
        const auto latest = [&] { return w.bridge().feed()->latest(); };
        QVERIFY(latest()->trading.available);
        QVERIFY(latest()->trading.armed);  // paper money: armed from the start
        // A resting bid ten ticks under the touch appears as a working order and on the ladder.
        const PriceTicks restPrice = latest()->bids.front().price - 10;
        emit w.ladder()->orderIntent(
            OrderIntent{OrderIntent::Kind::Limit, Side::Bid, restPrice, 100});
        emit w.ladder()->orderIntent(
            OrderIntent{OrderIntent::Kind::Limit, Side::Bid, restPrice, 100});  // double click
        QVERIFY(QTest::qWaitFor(
            [&] {
                const auto& o = latest()->trading.orders;
                return !o.empty() && o.front().priceTicks == restPrice;
            },
            5000));
        QTest::qWait(100);
        int atPrice = 0;
        for (const auto& o : latest()->trading.orders)
            atPrice += o.priceTicks == restPrice;
        QCOMPARE(atPrice, 1);  // the double click sent one order
        QVERIFY(QTest::qWaitFor([&] { return !w.ladder()->frame().rows.empty(); }, 2000));
        // Right-click cancels it.
        emit w.ladder()->orderIntent(
            OrderIntent{OrderIntent::Kind::CancelAtPrice, Side::Bid, restPrice, 0});
        QVERIFY(QTest::qWaitFor(
            [&] {
                for (const auto& o : latest()->trading.orders)
                    if (o.priceTicks == restPrice) return false;
                return true;
            },
            5000));
        // A fat-fingered price is blocked with the rule named.
        emit w.ladder()->orderIntent(
            OrderIntent{OrderIntent::Kind::Limit, Side::Bid, restPrice * 2, 100});
        QVERIFY(QTest::qWaitFor(
            [&] { return latest()->trading.lastMessage.find("price band") != std::string::npos; },
            5000));
        QVERIFY(w.tradingPanel()->messageText().contains("price band") ||
                QTest::qWaitFor(
                    [&] { return w.tradingPanel()->messageText().contains("price band"); }, 2000));
        // Buy at market, then flatten.
        w.ladder()->setOrderSize(250);
        QMetaObject::invokeMethod(w.tradingPanel(), "marketOrder",
                                  Q_ARG(flowscope::Side, Side::Bid));
        QVERIFY(QTest::qWaitFor([&] { return latest()->trading.positionQty == 250; }, 5000));
        QVERIFY(!latest()->trading.lastFills.empty());
        QVERIFY(QTest::qWaitFor(
            [&] { return w.tradingPanel()->positionText().startsWith("Position: long 0.250"); },
            2000));
        QMetaObject::invokeMethod(w.tradingPanel(), "flattenRequested");
        QVERIFY(QTest::qWaitFor([&] { return latest()->trading.positionQty == 0; }, 5000));
        QVERIFY(QTest::qWaitFor(
            [&] { return w.tradingPanel()->positionText() == "Position: flat"; }, 2000));
    }

    void tradingHotkeysAreBoundAndRebindable() {
        QTemporaryDir dir;
        QSettings settings(dir.filePath("s.ini"), QSettings::IniFormat);
        settings.setValue("hotkeys/sellMarket", "Ctrl+Alt+S");
        MainWindow w(fastOptions(), settings);
        w.show();
        QVERIFY(waitForLive(w, "SIM:BTC-USD"));
        auto* buy = w.findChild<QAction*>("buyMarketAction");
        QVERIFY(buy);
        QCOMPARE(buy->shortcut(), QKeySequence("Ctrl+B"));
        QCOMPARE(w.findChild<QAction*>("sellMarketAction")->shortcut(), QKeySequence("Ctrl+Alt+S"));
        QCOMPARE(w.findChild<QAction*>("cancelAllAction")->shortcut(), QKeySequence("Esc"));
        w.ladder()->setOrderSize(120);
        buy->trigger();
        QVERIFY(QTest::qWaitFor(
            [&] { return w.bridge().feed()->latest()->trading.positionQty == 120; }, 5000));
        w.findChild<QAction*>("flattenAction")->trigger();
        QVERIFY(QTest::qWaitFor(
            [&] { return w.bridge().feed()->latest()->trading.positionQty == 0; }, 5000));
    }

    void killSwitchCancelsFlattensAndDisarms() {
        QTemporaryDir dir;
        QSettings settings(dir.filePath("s.ini"), QSettings::IniFormat);
        MainWindow w(fastOptions(), settings);
        w.show();
        QVERIFY(waitForLive(w, "SIM:BTC-USD"));
        const auto latest = [&] { return w.bridge().feed()->latest(); };
        w.ladder()->setOrderSize(150);
        w.findChild<QAction*>("buyMarketAction")->trigger();
        const PriceTicks restPrice = latest()->bids.front().price - 10;
        emit w.ladder()->orderIntent(
            OrderIntent{OrderIntent::Kind::Limit, Side::Bid, restPrice, 100});
        QVERIFY(QTest::qWaitFor(
            [&] {
                return latest()->trading.positionQty == 150 && !latest()->trading.orders.empty();
            },
            5000));
        auto* kill = w.findChild<QAction*>("killSwitchAction");
        QVERIFY(kill);
        QCOMPARE(kill->shortcut(), QKeySequence("Ctrl+Shift+K"));
        QVERIFY(w.findChild<QWidget*>("killSwitchButton"));
        kill->trigger();
        QVERIFY(QTest::qWaitFor(
            [&] {
                const auto t = latest()->trading;
                return !t.armed && t.orders.empty() && t.positionQty == 0;
            },
            1000));  // the bound: everything cancelled within 1 s
        // The panel says so until the trader arms again, its order buttons greyed out.
        QTRY_VERIFY(w.tradingPanel()->bannerText().startsWith("KILLED"));
        QTRY_VERIFY(!w.tradingPanel()->findChild<QPushButton*>("buyMarket")->isEnabled());
        // Disarmed: a click is refused with the rule named, nothing leaves.
        w.ladder()->setOrderSize(70);
        w.findChild<QAction*>("buyMarketAction")->trigger();
        QVERIFY(QTest::qWaitFor(
            [&] { return latest()->trading.lastMessage.find("not armed") != std::string::npos; },
            5000));
        QCOMPARE(latest()->trading.positionQty, Lots{0});
        QTRY_VERIFY(w.tradingPanel()->messageText().contains("not armed"));
        QVERIFY(w.tradingPanel()->bannerText().startsWith("KILLED"));
        if (qEnvironmentVariableIsSet("FLOWSCOPE_SAVE_GRABS")) {
            QCoreApplication::processEvents();
            w.grab().save(qEnvironmentVariable("FLOWSCOPE_SAVE_GRABS") + "/killed.png");
        }
        // Arming ends KILLED and answers the refusal.
        w.tradingPanel()->findChild<QCheckBox*>("armed")->click();
        QTRY_VERIFY(latest()->trading.armed);
        QTRY_COMPARE(w.tradingPanel()->bannerText(), QString());
        QTRY_COMPARE(w.tradingPanel()->messageText(), QString());
    }

    void alertRulesFireProposeAndAutoSubmit() {
        QTemporaryDir dir;
        QSettings settings(dir.filePath("s.ini"), QSettings::IniFormat);
        MainWindow w(fastOptions(), settings);
        w.alertNotifier().setMuted(true);
        w.show();
        QVERIFY(waitForLive(w, "SIM:BTC-USD"));
        const auto latest = [&] { return w.bridge().feed()->latest(); };
        // A rule that does not parse changes nothing and says where it is wrong.
        QString error;
        QVERIFY(!w.setAlertRules("bad: ofi_zz(1s) > 1", &error));
        QVERIFY2(error.startsWith("rules:1:6:"), qPrintable(error));
        QVERIFY(settings.value("alerts/rules").toString().isEmpty());
        // Propose: the ticket waits for the confirm hotkey, then one order leaves.
        QVERIFY(
            w.setAlertRules("tight: spread >= 0 cooldown 60s then propose buy 0.05 expire 30s"));
        QVERIFY(QTest::qWaitFor([&] { return latest()->alerts.proposals.size() == 1; }, 5000));
        QVERIFY(QTest::qWaitFor([&] { return w.alertsPanel()->rowCount() >= 1; }, 2000));
        QCOMPARE(w.alertsPanel()->cellText(0, 1), QString("tight"));
        QCOMPARE(latest()->trading.positionQty, Lots{0});  // proposed, not sent
        QVERIFY(QTest::qWaitFor([&] { return !w.alertsPanel()->proposalTexts().isEmpty(); }, 2000));
        w.findChild<QAction*>("confirmProposalAction")->trigger();
        QVERIFY(QTest::qWaitFor([&] { return latest()->trading.positionQty == 50; }, 5000));
        QVERIFY(latest()->alerts.proposals.empty());
        // Auto within its budget, only while semi-automatic mode is on.
        emit w.alertsPanel()->semiAutomaticToggled(true);
        QVERIFY(w.setAlertRules("push: spread >= 0 cooldown 60s then auto buy 0.02 max_orders 1"));
        QVERIFY(QTest::qWaitFor([&] { return latest()->trading.positionQty == 70; }, 5000));
        QVERIFY(latest()->alerts.semiAutomatic);
        QVERIFY(QTest::qWaitFor([&] { return w.alertsPanel()->semiAutomatic(); }, 2000));
        QCOMPARE(settings.value("alerts/rules").toString(),
                 QString("push: spread >= 0 cooldown 60s then auto buy 0.02 max_orders 1"));
        // The kill switch also switches semi-automatic mode off.
        w.findChild<QAction*>("killSwitchAction")->trigger();
        QVERIFY(QTest::qWaitFor([&] { return !latest()->alerts.semiAutomatic; }, 5000));
        QVERIFY(QTest::qWaitFor([&] { return latest()->trading.positionQty == 0; }, 5000));
    }

    void riskLimitsComeFromTheSettingsFile() {
        QTemporaryDir dir;
        QSettings settings(dir.filePath("s.ini"), QSettings::IniFormat);
        settings.setValue("risk/sim_BTC-USD/maxOrderQty", "0.1");
        settings.setValue("risk/sim_BTC-USD/maxOpenOrders", "many");
        MainWindow w(fastOptions(), settings);
        w.show();
        QVERIFY(waitForLive(w, "SIM:BTC-USD"));
        // The bad value is reported, the others were written for the trader to edit.
        QVERIFY(settings.contains("risk/sim_BTC-USD/dailyLossLimit"));
        w.ladder()->setOrderSize(150);  // 0.150 BTC, over the edited 0.1
        w.findChild<QAction*>("buyMarketAction")->trigger();
        QVERIFY(QTest::qWaitFor(
            [&] {
                return w.bridge().feed()->latest()->trading.lastMessage.find(
                           "order size: 0.150 exceeds the limit 0.100") != std::string::npos;
            },
            5000));
        QCOMPARE(w.bridge().feed()->latest()->trading.positionQty, Lots{0});
        w.ladder()->setOrderSize(100);
        w.findChild<QAction*>("buyMarketAction")->trigger();
        QVERIFY(QTest::qWaitFor(
            [&] { return w.bridge().feed()->latest()->trading.positionQty == 100; }, 5000));
    }

    void hotkeysWithCommasReadAndBadOnesAreRefused() {
        // A two-key sequence has a comma, which QSettings' INI reader turns into a list whose
        // text is empty: the binding was lost without a word. A value that is no key sequence
        // keeps the default and is listed with the other refused settings.
        QTemporaryDir dir;
        const QString path = dir.filePath("s.ini");
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("[hotkeys]\nbuyMarket=Ctrl+B, Ctrl+X\nsellMarket=Ctrl+Bogus\njoinBid=\n");
        }
        QSettings settings(path, QSettings::IniFormat);
        MainWindow w(fastOptions(), settings);
        w.show();
        QVERIFY(waitForLive(w, "SIM:BTC-USD"));
        auto* buy = w.findChild<QAction*>("buyMarketAction");
        auto* sell = w.findChild<QAction*>("sellMarketAction");
        auto* join = w.findChild<QAction*>("joinBidAction");
        QVERIFY(buy && sell && join);
        QCOMPARE(buy->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_B, Qt::CTRL | Qt::Key_X));
        QCOMPARE(sell->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_S));  // the default
        QVERIFY(join->shortcut().isEmpty());                             // unbound on purpose
        const QString all = w.feedStatusBar()->settingsProblems().join("\n");
        QVERIFY2(all.contains("hotkeys/sellMarket: 'Ctrl+Bogus' is not a key sequence"),
                 qPrintable(all));
        QCOMPARE(w.feedStatusBar()->settingsProblems().size(), 1);
    }

    void everyRefusedSettingIsListedAndTheValidOnesKept() {
        // Written as a trader types them: unquoted commas (QSettings reads a list), a rule nested
        // 10,000 deep (it crashed the parser at every start), absurd risk limits.
        QTemporaryDir dir;
        const QString path = dir.filePath("s.ini");
        const QByteArray deep =
            "deep: " + QByteArray(10'000, '(') + "spread > 1" + QByteArray(10'000, ')');
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("[alerts]\nrules=" + deep +
                    "\n[risk]\nsim_BTC-USD\\maxOrderQty=1000000000000\n"
                    "sim_BTC-USD\\maxOrderNotional=1e300\n"
                    "[trading]\nsizePresets=abc,-1,0.1\n");
        }
        QSettings settings(path, QSettings::IniFormat);
        MainWindow w(fastOptions(), settings);
        w.show();
        QVERIFY(waitForLive(w, "SIM:BTC-USD"));
        const QStringList problems = w.feedStatusBar()->settingsProblems();
        const QString all = problems.join("\n");
        QCOMPARE(problems.size(), 5);
        QVERIFY2(all.contains("maxOrderQty=1000000000000 is above the maximum"), qPrintable(all));
        QVERIFY2(all.contains("maxOrderNotional=1e300 is above the maximum"), qPrintable(all));
        QVERIFY2(all.contains("trading/sizePresets: 'abc'"), qPrintable(all));
        QVERIFY2(all.contains("trading/sizePresets: '-1'"), qPrintable(all));
        QVERIFY2(all.contains("alerts/rules: rules:1:107: nesting deeper than 100"),
                 qPrintable(all));
        // The valid preset stays: 0.1 BTC is 100 lots of 0.001.
        QCOMPARE(w.tradingPanel()->sizePresets(), std::vector<Lots>{100});
        // Shown beside the feed labels, not over them, each value in the tooltip.
        auto* label = w.feedStatusBar()->findChild<QLabel*>("settingsProblems");
        QVERIFY(label && label->isVisible());
        QCOMPARE(label->text(), QString("settings: 5 refused"));
        for (const QString& p : problems)
            QVERIFY(label->toolTip().contains(p));
        QVERIFY(w.feedStatusBar()->findChild<QLabel*>("state")->isVisible());
        QVERIFY(w.feedStatusBar()->findChild<QLabel*>("instrument")->isVisible());
        QVERIFY(w.feedStatusBar()->currentMessage().isEmpty());
        // The rules are refused, not lost: the file still holds them for the trader to fix.
        settings.sync();
        QCOMPARE(settingsText(settings, "alerts/rules").toUtf8(), deep);
        QCOMPARE(settings.value("trading/sizePresets").toStringList(),
                 QStringList({"abc", "-1", "0.1"}));
        // Rules that read clear the refusal.
        QVERIFY(w.setAlertRules("ok: spread > 1"));
        QCOMPARE(w.feedStatusBar()->settingsProblems().size(), 4);
        if (qEnvironmentVariableIsSet("FLOWSCOPE_SAVE_GRABS")) {
            QCoreApplication::processEvents();  // the status bar's pending re-layout
            w.grab().save(qEnvironmentVariable("FLOWSCOPE_SAVE_GRABS") + "/settings.png");
        }
    }

    void confirmHotkeyReachesTheWindowWhateverHasFocus() {
        QTemporaryDir dir;
        QSettings settings(dir.filePath("s.ini"), QSettings::IniFormat);
        MainWindow w(fastOptions(), settings);
        w.show();
        QVERIFY(QTest::qWaitForWindowActive(&w));
        auto* confirm = w.findChild<QAction*>("confirmProposalAction");
        QVERIFY(confirm);
        QSignalSpy fired(confirm, &QAction::triggered);
        QStringList missed;
        int tried = 0;
        for (QWidget* target : w.findChildren<QWidget*>()) {
            if (!target->isVisible() || target->focusPolicy() == Qt::NoFocus ||
                !target->isEnabled() || target->window() != &w)
                continue;
            target->setFocus(Qt::OtherFocusReason);
            if (QApplication::focusWidget() != target) continue;
            ++tried;
            const qsizetype before = fired.count();
            QTest::keyClick(target, Qt::Key_Return, Qt::ControlModifier);
            if (fired.count() != before + 1)
                missed << QString("%1 (%2)").arg(target->objectName(),
                                                 target->metaObject()->className());
        }
        QVERIFY(tried > 5);
        // A dock floated out of the window is a window of its own: the hotkey works there too.
        for (QDockWidget* dock : w.findChildren<QDockWidget*>()) {
            dock->setFloating(true);
            dock->activateWindow();
            if (!QTest::qWaitForWindowActive(dock)) continue;
            for (QWidget* target : dock->findChildren<QWidget*>()) {
                if (!target->isVisible() || target->focusPolicy() == Qt::NoFocus ||
                    !target->isEnabled())
                    continue;
                target->setFocus(Qt::OtherFocusReason);
                if (QApplication::focusWidget() != target) continue;
                ++tried;
                const qsizetype before = fired.count();
                QTest::keyClick(target, Qt::Key_Return, Qt::ControlModifier);
                if (fired.count() != before + 1)
                    missed << QString("floating %1: %2 (%3)")
                                  .arg(dock->objectName(), target->objectName(),
                                       target->metaObject()->className());
            }
            dock->setFloating(false);
        }
        QVERIFY2(missed.isEmpty(), qPrintable(missed.join(", ")));
    }

    void pausedReadsPausedNotLive() {
        QTemporaryDir dir;
        QSettings settings(dir.filePath("s.ini"), QSettings::IniFormat);
        MainWindow w(fastOptions(), settings);
        w.show();
        QVERIFY(waitForLive(w, "SIM:BTC-USD"));
        auto* pause = w.findChild<QAction*>("pauseAction");
        QVERIFY(pause->isEnabled());
        pause->setChecked(true);
        QTRY_COMPARE(w.feedStatusBar()->stateText(), QString("PAUSED"));
        QTRY_VERIFY(w.ladder()->footerLeft().contains("paused"));
        QVERIFY(!w.ladder()->footerLeft().contains("live"));
        pause->setChecked(false);
        QTRY_COMPARE(w.feedStatusBar()->stateText(), QString("LIVE"));
        QTRY_VERIFY(w.ladder()->footerLeft().contains("live"));
    }

    void escDuringALadderDragAbandonsItWithoutCancellingAll() {
        // Esc is also the window's Cancel all; in the middle of a drag it only abandons the drag.
        QTemporaryDir dir;
        QSettings settings(dir.filePath("s.ini"), QSettings::IniFormat);
        MainWindow w(fastOptions(), settings);
        w.show();
        QVERIFY(waitForLive(w, "SIM:BTC-USD"));
        w.findChild<QAction*>("pauseAction")->setChecked(true);  // the rows stay where they are
        QTest::qWait(100);
        const auto latest = [&] { return w.bridge().feed()->latest(); };
        const PriceTicks price = latest()->bids.front().price - 3;
        emit w.ladder()->orderIntent(OrderIntent{OrderIntent::Kind::Limit, Side::Bid, price, 100});
        QVERIFY(QTest::qWaitFor([&] { return latest()->trading.orders.size() == 1; }, 5000));
        LadderWidget* ladder = w.ladder();
        QVERIFY(QTest::qWaitFor(
            [&] {
                for (const auto& row : ladder->frame().rows)
                    if (row.price == price && row.ownBid > 0) return true;
                return false;
            },
            3000));  // the ladder shows the order: a press there starts a drag
        const QPoint from = ladder->cellRect(price, LadderColumn::Bid).center();
        const QPoint away = ladder->cellRect(price - 2, LadderColumn::Bid).center();
        QTest::mousePress(ladder, Qt::LeftButton, {}, from);
        QMouseEvent move(QEvent::MouseMove, QPointF(away), ladder->mapToGlobal(QPointF(away)),
                         Qt::NoButton, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(ladder, &move);
        QTest::keyClick(ladder, Qt::Key_Escape);
        QTest::mouseRelease(ladder, Qt::LeftButton, {}, away);
        QTest::qWait(300);
        const auto& orders = latest()->trading.orders;
        QCOMPARE(orders.size(), std::size_t{1});
        QCOMPARE(orders.front().priceTicks, price);  // neither cancelled nor moved
        // Without a drag, Esc is Cancel all again.
        QTest::keyClick(ladder, Qt::Key_Escape);
        QVERIFY(QTest::qWaitFor([&] { return latest()->trading.orders.empty(); }, 5000));
    }

    void ladderDragMovesAnOrderAndBracketsRideAlong() {
        QTemporaryDir dir;
        QSettings settings(dir.filePath("s.ini"), QSettings::IniFormat);
        MainWindow w(fastOptions(), settings);
        w.show();
        QVERIFY(waitForLive(w, "SIM:BTC-USD"));
        const auto latest = [&] { return w.bridge().feed()->latest(); };
        // Drag: a resting bid moves to the dropped price, still one order.
        const PriceTicks from = latest()->bids.front().price - 12;
        emit w.ladder()->orderIntent(OrderIntent{OrderIntent::Kind::Limit, Side::Bid, from, 100});
        QVERIFY(QTest::qWaitFor([&] { return latest()->trading.orders.size() == 1; }, 5000));
        emit w.ladder()->orderMoveRequested(from, from - 4);
        QVERIFY(QTest::qWaitFor(
            [&] {
                const auto& o = latest()->trading.orders;
                return o.size() == 1 && o.front().priceTicks == from - 4;
            },
            5000));
        w.findChild<QAction*>("cancelAllAction")->trigger();
        QVERIFY(QTest::qWaitFor([&] { return latest()->trading.orders.empty(); }, 5000));
        // Bracket on: a market buy gets a take-profit at the venue and a stop held locally.
        w.tradingPanel()->setBracket(true, 6, 4);  // near enough to be on screen
        w.ladder()->setOrderSize(40);
        // A still market: the flow cannot reach the stop 4 ticks away before the test looks (a
        // slow machine would see it fire and the position close).
        w.findChild<QAction*>("pauseAction")->setChecked(true);
        QTest::qWait(100);
        w.tradingPanel()->requestMarketOrder(Side::Bid);
        QVERIFY(QTest::qWaitFor(
            [&] {
                const auto t = latest()->trading;
                bool tp = false, sl = false;
                for (const auto& o : t.orders) {
                    tp = tp || (o.role == trading::OrderRole::TakeProfit && o.side == Side::Ask &&
                                o.remaining == 40 && !o.heldLocally);
                    sl = sl || (o.role == trading::OrderRole::StopLoss && o.heldLocally);
                }
                return t.positionQty == 40 && tp && sl;
            },
            5000));
        // The ladder marks the legs.
        QVERIFY(QTest::qWaitFor(
            [&] {
                int legs = 0;
                for (const auto& row : w.ladder()->frame().rows)
                    legs += row.ownTakeProfit + row.ownStopLoss;
                return legs == 2;
            },
            3000));
        w.findChild<QAction*>("pauseAction")->setChecked(false);
        w.findChild<QAction*>("flattenAction")->trigger();
        QVERIFY(QTest::qWaitFor(
            [&] { return latest()->trading.positionQty == 0 && latest()->trading.orders.empty(); },
            5000));
    }

    void joinReversePresetsAndConfirmationsFromTheKeyboard() {
        QTemporaryDir dir;
        QSettings settings(dir.filePath("s.ini"), QSettings::IniFormat);
        settings.setValue("trading/sizePresets", "0.02, 0.07,0.0005");  // the last is off-grid
        settings.setValue("trading/confirm", QStringList{"reverse"});
        MainWindow w(fastOptions(), settings);
        w.show();
        QVERIFY(waitForLive(w, "SIM:BTC-USD"));
        const auto latest = [&] { return w.bridge().feed()->latest(); };
        const auto trigger = [&](const char* name) {
            auto* action = w.findChild<QAction*>(name);
            QVERIFY2(action, name);
            action->trigger();
        };
        // Preset 2 (Alt+2) is the order size now, for the ladder and every button.
        trigger("sizePreset2Action");
        QCOMPARE(w.ladder()->orderSize(), Lots{70});
        QCOMPARE(w.findChild<QDoubleSpinBox*>("orderSize")->value(), 0.07);
        QCOMPARE(w.tradingPanel()->sizePresets(), (std::vector<Lots>{20, 70}));
        QCOMPARE(settings.value("trading/orderSize/SIM_BTC-USD").toString(), QString("0.070"));
        // A still market, so the touch the window joins is the touch the test reads.
        w.findChild<QAction*>("pauseAction")->setChecked(true);
        QTest::qWait(500);
        const PriceTicks bid = latest()->bids.front().price;
        trigger("joinBidAction");
        QVERIFY(QTest::qWaitFor(
            [&] {
                const auto& o = latest()->trading.orders;
                return o.size() == 1 && o.front().side == Side::Bid &&
                       o.front().priceTicks == bid && o.front().remaining == 70;
            },
            5000));
        trigger("joinBidAction");  // joining again is the same order
        QTest::qWait(200);
        QCOMPARE(latest()->trading.orders.size(), std::size_t{1});
        // Cancelled while the market stands still, so the joined bid cannot fill first.
        trigger("cancelAllAction");
        QVERIFY(QTest::qWaitFor([&] { return latest()->trading.orders.empty(); }, 5000));
        QCOMPARE(latest()->trading.positionQty, Lots{0});
        w.findChild<QAction*>("pauseAction")->setChecked(false);

        // Long 70, then reverse: asked first (the settings said so); "no" sends nothing.
        trigger("buyMarketAction");
        QVERIFY(QTest::qWaitFor([&] { return latest()->trading.positionQty == 70; }, 5000));
        // The window acts on what it shows: wait until its frame has the position.
        QVERIFY(QTest::qWaitFor(
            [&] { return w.tradingPanel()->positionText().contains("long 0.070"); }, 3000));
        QStringList asked;
        bool answer = false;
        w.setConfirmer([&](const QString& question) {
            asked << question;
            return answer;
        });
        trigger("reverseAction");
        QCOMPARE(asked.size(), 1);
        QVERIFY2(asked.front().contains("close long 0.070"), qPrintable(asked.front()));
        QTest::qWait(300);
        QCOMPARE(latest()->trading.positionQty, Lots{70});
        answer = true;
        trigger("reverseAction");
        QVERIFY(QTest::qWaitFor([&] { return latest()->trading.positionQty == -70; }, 5000));
        QCOMPARE(asked.size(), 2);
        // Buy at market is not in the confirm list: it is not asked.
        trigger("flattenAction");
        QVERIFY(QTest::qWaitFor([&] { return latest()->trading.positionQty == 0; }, 5000));
        QCOMPARE(asked.size(), 2);
    }

    void secondWindowRunsAnotherMarketAtOnce() {
        QTemporaryDir dir;
        QSettings settings(dir.filePath("s.ini"), QSettings::IniFormat);
        MainWindow w(fastOptions(), settings);
        w.show();
        QVERIFY(waitForLive(w, "SIM:BTC-USD"));
        QPointer<MainWindow> other = w.openWindow(MarketChoice{"sim", "ETH-USD"});
        QVERIFY(other);
        QVERIFY(waitForLive(*other, "SIM:ETH-USD"));
        // Both run, each with its own book: BTC and ETH trade far apart.
        QVERIFY(waitForLive(w, "SIM:BTC-USD"));
        const auto btc = w.bridge().feed()->latest();
        const auto eth = other->bridge().feed()->latest();
        QVERIFY(btc->bids.front().price != eth->bids.front().price);
        QCOMPARE(other->windowTitle(), QString("Flowscope — SIM:ETH-USD"));
        // Paper trading in one window leaves the other's position alone.
        other->ladder()->setOrderSize(50);
        other->findChild<QAction*>("buyMarketAction")->trigger();
        QVERIFY(QTest::qWaitFor(
            [&] { return other->bridge().feed()->latest()->trading.positionQty == 50; }, 5000));
        QCOMPARE(w.bridge().feed()->latest()->trading.positionQty, Lots{0});
        other->close();
        QVERIFY(QTest::qWaitFor([&] { return other.isNull(); }, 5000));  // deleted on close
        QVERIFY(settings.value("market/symbol").toString() != "ETH-USD");
    }

    void instrumentPickerSwitchesMarkets() {
        QTemporaryDir dir;
        QSettings settings(dir.filePath("s.ini"), QSettings::IniFormat);
        MainWindow w(fastOptions(), settings);
        w.show();
        QVERIFY(waitForLive(w, "SIM:BTC-USD"));
        auto* box = w.findChild<QComboBox*>("instrumentBox");
        QVERIFY(box);
        const int eth = box->findData("sim:ETH-USD");
        QVERIFY(eth >= 0);
        box->setCurrentIndex(eth);
        emit box->activated(eth);
        QVERIFY(waitForLive(w, "SIM:ETH-USD"));
        QCOMPARE(settings.value("market/symbol").toString(), QString("ETH-USD"));
    }

    void settingsRoundTrip() {
        QTemporaryDir dir;
        const QString path = dir.filePath("s.ini");
        {
            QSettings settings(path, QSettings::IniFormat);
            MainWindow w(fastOptions(), settings);
            w.show();
            w.ladder()->setGrouping(5);
            w.findChild<QAction*>("themeAction")->trigger();  // dark -> light
            w.close();
        }
        QSettings settings(path, QSettings::IniFormat);
        QCOMPARE(settings.value("ladder/grouping").toInt(), 5);
        QCOMPARE(settings.value("ui/theme").toString(), QString("light"));
        QVERIFY(!settings.value("window/state").toByteArray().isEmpty());
        MainWindow again(fastOptions(), settings);
        QCOMPARE(again.ladder()->grouping(), 5);
        QCOMPARE(again.ladder()->theme().name, QString("light"));
    }

    void heatmapControlsApplyAndPersist() {
        QTemporaryDir dir;
        const QString path = dir.filePath("s.ini");
        {
            QSettings settings(path, QSettings::IniFormat);
            MainWindow w(fastOptions(), settings);
            auto* controls = w.findChild<HeatmapControls*>("heatmapControls");
            QVERIFY(controls);
            HeatmapControlValues v = controls->values();
            v.color.scale = HeatmapColorSettings::Scale::Log;
            v.color.upperPercentile = 95.0;
            v.minTradeSize = 40;
            v.largeOrderThreshold = 900;
            v.ofiOverlay = true;
            controls->setValues(v);
            emit controls->changed(v);
            QCOMPARE(w.heatmap()->colorSettings().scale, HeatmapColorSettings::Scale::Log);
            QCOMPARE(w.heatmap()->colorSettings().upperPercentile, 95.0);
            QCOMPARE(w.heatmap()->minTradeSize(), Lots{40});
            QCOMPARE(w.heatmap()->largeOrderThreshold(), Lots{900});
            QVERIFY(w.heatmap()->ofiOverlayVisible());
        }
        QSettings settings(path, QSettings::IniFormat);
        MainWindow again(fastOptions(), settings);
        QCOMPARE(again.heatmap()->colorSettings().scale, HeatmapColorSettings::Scale::Log);
        QCOMPARE(again.heatmap()->minTradeSize(), Lots{40});
        QVERIFY(again.heatmap()->ofiOverlayVisible());
    }

    void imbalanceHeatmapSharesTheHeatmapsTime() {
        QTemporaryDir dir;
        QSettings settings(dir.filePath("s.ini"), QSettings::IniFormat);
        MainWindow w(fastOptions(), settings);
        w.show();
        QVERIFY(waitForLive(w, "SIM:BTC-USD"));
        auto* panel = w.findChild<ImbalanceHeatmapWidget*>("imbalanceHeatmap");
        QVERIFY(panel);
        QCOMPARE(panel, w.imbalanceHeatmap());
        // It takes the simulator's heatmap columns: ten levels, flow at the touch and deeper.
        QVERIFY(QTest::qWaitFor([&] { return panel->model().size() >= 20; }, 10000));
        QCOMPARE(panel->model().levels(), 10);
        bool touch = false, deep = false;
        for (std::size_t i = 0; i < panel->model().size(); ++i) {
            touch = touch || panel->model().cell(i, 0).ofi != 0;
            deep = deep || panel->model().cell(i, 5).ofi != 0;
        }
        QVERIFY(touch && deep);
        QVERIFY(panel->grid().geometry().valid());
        auto same = [&] {
            const QCPRange a = w.heatmap()->timeAxis()->range();
            const QCPRange b = panel->timeAxis()->range();
            return a.lower == b.lower && a.upper == b.upper;
        };
        QVERIFY(same());
        // Zooming the liquidity heatmap zooms the imbalance heatmap...
        const double span = w.heatmap()->timeAxis()->range().size();
        w.heatmap()->zoomIn();
        QVERIFY(panel->timeAxis()->range().size() < span * 0.9);
        QVERIFY(same());
        // ...and the wheel on the imbalance heatmap zooms the liquidity heatmap.
        const double zoomed = w.heatmap()->timeAxis()->range().size();
        const QPointF at = panel->plot()->axisRect()->rect().center();
        QWheelEvent wheel(at, panel->plot()->mapToGlobal(at), QPoint(), QPoint(0, -240),
                          Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(panel->plot(), &wheel);
        QVERIFY(w.heatmap()->timeAxis()->range().size() > zoomed * 1.2);
        QVERIFY(same());
        QTest::qWait(300);  // live columns keep both moving together
        QVERIFY(same());
    }

    void imbalanceHeatmapControlsPersist() {
        QTemporaryDir dir;
        const QString path = dir.filePath("s.ini");
        {
            QSettings settings(path, QSettings::IniFormat);
            MainWindow w(fastOptions(), settings);
            ImbalanceHeatmapSettings s = w.imbalanceHeatmap()->settings();
            QCOMPARE(s.measure, ImbalanceMeasure::OfiZScore);  // the default
            s.measure = ImbalanceMeasure::DepthImbalance;
            s.levels = 6;
            s.ratioClamp = 0.5;
            w.imbalanceHeatmap()->controls()->setValues(s);
            emit w.imbalanceHeatmap()->controls()->changed(s);
            QCOMPARE(w.imbalanceHeatmap()->settings(), s);
            QCOMPARE(w.imbalanceHeatmap()->colorMap()->dataRange().upper, 0.5);
            w.close();
        }
        QSettings settings(path, QSettings::IniFormat);
        MainWindow again(fastOptions(), settings);
        QCOMPARE(again.imbalanceHeatmap()->settings().measure, ImbalanceMeasure::DepthImbalance);
        QCOMPARE(again.imbalanceHeatmap()->settings().levels, 6);
        QCOMPARE(again.imbalanceHeatmap()->settings().ratioClamp, 0.5);
    }

    void badOptionsAreRefusedWithAReason_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("unknown venue")
            << QStringList{"--venue", "mtgox"} << "unknown venue 'mtgox'";
        QTest::newRow("unknown live symbol without steps")
            << QStringList{"--venue", "kraken", "--symbol", "DOGE/USD"} << "--tick and --lot";
        QTest::newRow("tick without lot")
            << QStringList{"--venue", "kraken", "--symbol", "DOGE/USD", "--tick", "0.0001"}
            << "--tick and --lot";
        QTest::newRow("missing recording")
            << QStringList{"--replay", "/nonexistent/x.rec"} << "/nonexistent/x.rec";
        QTest::newRow("recording the simulator")
            << QStringList{"--record", "/tmp/x.rec"} << "--record";
        QTest::newRow("unreadable CA file")
            << QStringList{"--venue", "kraken", "--ca-file", "/nonexistent/ca.pem"} << "--ca-file";
        QTest::newRow("unknown symbol")
            << QStringList{"--symbol", "DOGE-USD"} << "unknown simulated symbol";
        QTest::newRow("zero speed") << QStringList{"--speed", "0"} << "--speed";
        QTest::newRow("text seed") << QStringList{"--seed", "abc"} << "--seed";
        QTest::newRow("unknown theme") << QStringList{"--theme", "blue"} << "--theme";
        QTest::newRow("unknown option") << QStringList{"--frobnicate"} << "frobnicate";
    }
    void badOptionsAreRefusedWithAReason() {
        QFETCH(QStringList, args);
        QFETCH(QString, mentions);
        QString error;
        bool exitNow = false;
        QVERIFY(!parseAppOptions(QStringList{"flowscope"} + args, error, exitNow));
        QVERIFY(!exitNow);
        QVERIFY2(error.contains(mentions), qPrintable(error));
    }

    void goodOptionsParse() {
        QString error;
        bool exitNow = false;
        const auto o = parseAppOptions(
            {"flowscope", "--symbol", "ETH-USD", "--seed", "9", "--speed", "5"}, error, exitNow);
        QVERIFY2(o, qPrintable(error));
        QCOMPARE(o->symbol, QString("ETH-USD"));
        QCOMPARE(o->seed, quint64{9});
        QCOMPARE(o->speed, 5.0);

        const auto live = parseAppOptions({"flowscope", "--venue", "binance"}, error, exitNow);
        QVERIFY2(live, qPrintable(error));
        QCOMPARE(live->venue, QString("binance-spot"));  // "binance" is binance-spot's alias
        QCOMPARE(live->symbol, QString("BTCUSDT"));      // the venue's usual symbol by default

        const auto unknown = parseAppOptions({"flowscope", "--venue", "okx", "--symbol",
                                              "PEPE-USDT", "--tick", "0.00000001", "--lot", "1"},
                                             error, exitNow);
        QVERIFY2(unknown, qPrintable(error));
        QCOMPARE(unknown->tick, QString("0.00000001"));
    }

    void replayOfTheBinanceCaptureIdentifiesVenueAndSymbol() {
        // The capture has no header: the venue is given, the symbol is read from its messages.
        QString error;
        bool exitNow = false;
        const QString capture = FLOWSCOPE_TEST_DATA "/binance/spot_btcusdt_20240808.gz";
        const auto o = parseAppOptions(
            {"flowscope", "--replay", capture, "--venue", "binance-spot"}, error, exitNow);
        QVERIFY2(o, qPrintable(error));
        QCOMPARE(o->symbol, QString("BTCUSDT"));
        QVERIFY(!parseAppOptions({"flowscope", "--replay", capture}, error, exitNow));
        QVERIFY2(error.contains("--venue"), qPrintable(error));
    }

    void orderSizeBoxStepsInTheVenuesOrderStepNotTheBooksLot() {
        QTemporaryDir dir;
        QSettings settings(dir.filePath("s.ini"), QSettings::IniFormat);
        settings.setValue("trading/orderSize/binance-spot_BTCUSDT", "0.000015");
        QString error;
        bool exitNow = false;
        flowscope::testing::ExchangeProcess exchange;
        auto o = parseAppOptions({"flowscope", "--venue", "binance-spot", "--symbol", "BTCUSDT",
                                  "--ws-url", QString::fromStdString(exchange.wsUrl()),
                                  "--rest-url", QString::fromStdString(exchange.restUrl()),
                                  "--ca-file", QString::fromStdString(exchange.caFile())},
                                 error, exitNow);
        QVERIFY2(o, qPrintable(error));
        MainWindow w(*o, settings);
        w.show();
        auto* box = w.findChild<QDoubleSpinBox*>("orderSize");
        QVERIFY(box);
        // Binance BTCUSDT: the book's lot is 1e-8, LOT_SIZE stepSize 0.00001 (1,000 book lots).
        QVERIFY(QTest::qWaitFor([&] { return qFuzzyCompare(box->singleStep(), 0.00001); }, 20000));
        QCOMPARE(box->decimals(), 5);
        QVERIFY(qFuzzyCompare(box->minimum(), 0.00001));
        // The saved 0.000015 is not on the step: the box and the ladder hold 0.00001.
        QCOMPARE(w.ladder()->orderSize(), Lots{1'000});
        box->setValue(0.00003);
        QCOMPARE(w.ladder()->orderSize(), Lots{3'000});
    }

    void replayPlaysTheCaptureInTheTerminal() {
        QTemporaryDir dir;
        QSettings settings(dir.filePath("s.ini"), QSettings::IniFormat);
        QString error;
        bool exitNow = false;
        auto o = parseAppOptions(
            {"flowscope", "--replay", FLOWSCOPE_TEST_DATA "/binance/spot_btcusdt_20240808.gz",
             "--venue", "binance-spot", "--speed", "1000"},
            error, exitNow);
        QVERIFY2(o, qPrintable(error));
        MainWindow w(*o, settings);
        w.show();
        // At 1000x the six recorded minutes take well under a second; the book goes live on the
        // capture's REST snapshot and the replay ends with it still in sync.
        QVERIFY(QTest::qWaitFor(
            [&] {
                auto s = w.bridge().feed() ? w.bridge().feed()->latest() : nullptr;
                return s && s->status.state == FeedState::Disconnected &&
                       s->status.reason.find("replay finished") != std::string::npos;
            },
            20000));
        const auto s = w.bridge().feed()->latest();
        // The end of the recording is not a lost connection, and a recording has no latency
        // of this session to show (its receive stamps are another machine's, another day's).
        QVERIFY(s->status.finished && s->status.replay);
        QVERIFY(std::isnan(s->status.feedLatencyMs));
        QTRY_VERIFY2(w.feedStatusBar()->stateText().startsWith("REPLAY FINISHED — "),
                     qPrintable(w.feedStatusBar()->stateText()));
        QVERIFY(w.feedStatusBar()->stateText().endsWith(" records"));
        QVERIFY(!w.feedStatusBar()->stateText().contains("DISCONNECTED"));
        QCOMPARE(w.feedStatusBar()->latencyText(), QString());
        QTRY_VERIFY(w.ladder()->footerLeft().contains("replay finished"));
        if (qEnvironmentVariableIsSet("FLOWSCOPE_SAVE_GRABS")) {
            QCoreApplication::processEvents();
            w.grab().save(qEnvironmentVariable("FLOWSCOPE_SAVE_GRABS") + "/replay-finished.png");
        }
        QCOMPARE(s->instrument.symbol, std::string("BTCUSDT"));
        QCOMPARE(s->status.gaps, std::uint64_t{0});
        QVERIFY(!s->bids.empty() && !s->asks.empty());
        QVERIFY(s->bids.front().price < s->asks.front().price);
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
