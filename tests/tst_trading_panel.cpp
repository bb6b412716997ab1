// The trading panel's bracket controls: off by default, buy/sell at market carry the bracket
// only when it is on, settings restore silently and changes are announced for saving.
#include <QCheckBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QtTest>

#include "trading_panel.h"

using namespace flowscope;

class TestTradingPanel : public QObject {
    Q_OBJECT

  private slots:
    void buyAndSellCarryTheBracketOnlyWhenOn() {
        TradingPanel p;
        trading::TradingState armed;
        armed.available = true;
        armed.armed = true;
        p.setState({}, armed);  // the buttons work on an armed venue only
        auto* buy = p.findChild<QPushButton*>("buyMarket");
        auto* sell = p.findChild<QPushButton*>("sellMarket");
        auto* on = p.findChild<QCheckBox*>("bracketOn");
        auto* tp = p.findChild<QSpinBox*>("takeProfitTicks");
        auto* sl = p.findChild<QSpinBox*>("stopLossTicks");
        QVERIFY(buy && sell && on && tp && sl);
        QSignalSpy plain(&p, &TradingPanel::marketOrder);
        QSignalSpy bracketed(&p, &TradingPanel::bracketMarketOrder);

        QVERIFY(!p.bracketEnabled());
        buy->click();
        QCOMPARE(plain.count(), 1);
        QCOMPARE(bracketed.count(), 0);

        tp->setValue(12);
        sl->setValue(7);
        QVERIFY(!p.bracketEnabled());  // distances alone do not turn it on
        on->setChecked(true);
        QCOMPARE(p.bracket(), (trading::BracketSpec{12, 7}));
        sell->click();
        QCOMPARE(plain.count(), 1);
        QCOMPARE(bracketed.count(), 1);
        QCOMPARE(bracketed.at(0).at(0).value<Side>(), Side::Ask);
        QCOMPARE(bracketed.at(0).at(1).value<trading::BracketSpec>(),
                 (trading::BracketSpec{12, 7}));

        // On with both distances off is no bracket at all.
        tp->setValue(0);
        sl->setValue(0);
        buy->click();
        QCOMPARE(plain.count(), 2);
        QCOMPARE(bracketed.count(), 1);
    }

    void settingsRestoreSilentlyAndChangesAreAnnounced() {
        TradingPanel p;
        QSignalSpy changed(&p, &TradingPanel::bracketSettingsChanged);
        p.setBracket(true, 20, 10);
        QCOMPARE(changed.count(), 0);
        QCOMPARE(p.bracket(), (trading::BracketSpec{20, 10}));
        p.findChild<QSpinBox*>("stopLossTicks")->setValue(15);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.at(0).at(0).toBool(), true);
        QCOMPARE(changed.at(0).at(1).toInt(), 20);
        QCOMPARE(changed.at(0).at(2).toInt(), 15);
    }
};

QTEST_MAIN(TestTradingPanel)
#include "tst_trading_panel.moc"
