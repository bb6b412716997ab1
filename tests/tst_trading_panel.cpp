// The trading panel: bracket controls (off by default, buy/sell at market carry the bracket only
// when it is on, settings restore silently and changes are announced for saving), size presets
// in the instrument's units, join bid/ask and reverse (enabled only when they can act), and the
// per-action confirmation choices.
#include <QAction>
#include <QCheckBox>
#include <QMenu>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QToolButton>
#include <QtTest>

#include "trading_panel.h"

using namespace flowscope;

class TestTradingPanel : public QObject {
    Q_OBJECT

  private slots:
    void killedBannerStaysUntilTheTraderArms() {
        TradingPanel p;
        p.show();
        trading::TradingState armed;
        armed.available = true;
        armed.armed = true;
        trading::TradingState disarmed = armed;
        disarmed.armed = false;
        auto* buy = p.findChild<QPushButton*>("buyMarket");
        QVERIFY(buy);
        p.setState({}, armed);
        QCOMPARE(p.bannerText(), QString());
        QVERIFY(buy->isEnabled());

        p.noteKilled();
        QVERIFY(p.bannerText().startsWith("KILLED"));
        // A state published before the kill reached the desk still says armed: KILLED stays.
        p.setState({}, armed);
        QVERIFY(p.bannerText().startsWith("KILLED"));
        p.setState({}, disarmed);
        p.setState({}, disarmed);
        QVERIFY(p.bannerText().startsWith("KILLED"));
        QVERIFY(!buy->isEnabled());
        // Only arming again ends it.
        p.setState({}, armed);
        QCOMPARE(p.bannerText(), QString());
        // Disarmed by hand: said too, without KILLED.
        p.setState({}, disarmed);
        QVERIFY(p.bannerText().startsWith("DISARMED"));
        // A venue that takes no orders has nothing to arm.
        p.setState({}, trading::TradingState{});
        QCOMPARE(p.bannerText(), QString());
    }

    void staleBlockedMessageClears() {
        TradingPanel p;
        p.setMessageTimeoutMs(50);
        trading::TradingState s;
        s.available = true;
        s.armed = false;
        s.lastMessage = "not armed";
        p.setState({}, s);
        QCOMPARE(p.messageText(), QString("Blocked: not armed"));
        // The desk keeps its message until its next accepted order; the panel lets it go.
        QTRY_COMPARE(p.messageText(), QString());
        p.setState({}, s);
        QCOMPARE(p.messageText(), QString());
        // The next action leaves and is refused for the same reason: shown afresh.
        p.noteActionSent();
        p.setState({}, s);
        QCOMPARE(p.messageText(), QString("Blocked: not armed"));
        // Arming answers it at once.
        p.setMessageTimeoutMs(60'000);
        s.armed = true;
        p.setState({}, s);
        QCOMPARE(p.messageText(), QString());
        // A new refusal is shown.
        s.lastMessage = "max position 5 exceeded";
        p.setState({}, s);
        QCOMPARE(p.messageText(), QString("Blocked: max position 5 exceeded"));
    }

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

    void sizePresetsShowInTheInstrumentsUnitsAndEmitLots() {
        TradingPanel p;
        p.setSizePresets({10, 0, 250, 1000, 5, 7, 9});  // 0 is dropped, at most five kept
        QCOMPARE(p.sizePresets(), (std::vector<Lots>{10, 250, 1000, 5, 7}));
        auto* first = p.findChild<QPushButton*>("sizePreset0");
        auto* third = p.findChild<QPushButton*>("sizePreset2");
        QVERIFY(first && third);
        QCOMPARE(first->text(), QString("10 lots"));  // no instrument yet
        InstrumentInfo btc{"SIM", "BTC-USD", *DecimalStep::parse("0.5"),
                           *DecimalStep::parse("0.001")};
        trading::TradingState s;
        s.available = true;
        p.setState(btc, s);
        QCOMPARE(first->text(), QString("0.010"));
        QCOMPARE(third->text(), QString("1.000"));
        QSignalSpy chosen(&p, &TradingPanel::sizePresetChosen);
        third->click();
        QCOMPARE(chosen.count(), 1);
        QCOMPARE(chosen.at(0).at(0).value<Lots>(), Lots{1000});
        p.setSizePresets({100});
        QVERIFY(p.findChild<QPushButton*>("sizePreset0")->isVisibleTo(&p));
        QVERIFY(!third->isVisibleTo(&p));
    }

    void joinAndReverseActOnlyWhenTheyCan() {
        TradingPanel p;
        auto* joinBid = p.findChild<QPushButton*>("joinBid");
        auto* joinAsk = p.findChild<QPushButton*>("joinAsk");
        auto* reverse = p.findChild<QPushButton*>("reverse");
        QVERIFY(joinBid && joinAsk && reverse);
        trading::TradingState s;
        s.available = true;
        s.armed = false;
        p.setState({}, s);
        QVERIFY(!joinBid->isEnabled());  // disarmed: nothing new leaves
        s.armed = true;
        p.setState({}, s);
        QVERIFY(joinBid->isEnabled() && joinAsk->isEnabled());
        QVERIFY(!reverse->isEnabled());  // flat: nothing to reverse
        s.positionQty = -300;
        p.setState({}, s);
        QVERIFY(reverse->isEnabled());

        QSignalSpy join(&p, &TradingPanel::joinRequested);
        QSignalSpy rev(&p, &TradingPanel::reverseRequested);
        joinAsk->click();
        joinBid->click();
        reverse->click();
        QCOMPARE(join.count(), 2);
        QCOMPARE(join.at(0).at(0).value<Side>(), Side::Ask);
        QCOMPARE(join.at(1).at(0).value<Side>(), Side::Bid);
        QCOMPARE(rev.count(), 1);
    }

    void confirmationsAreChosenPerActionAndRestoredSilently() {
        TradingPanel p;
        QSignalSpy changed(&p, &TradingPanel::confirmedActionsChanged);
        p.setConfirmedActions({"reverse", "flatten", "noSuchAction"});
        QCOMPARE(changed.count(), 0);
        QVERIFY(p.confirms("reverse") && p.confirms("flatten"));
        QVERIFY(!p.confirms("buyMarket") && !p.confirms("noSuchAction"));
        auto* menu = p.findChild<QToolButton*>("confirmMenu")->menu();
        QAction* buy = nullptr;
        for (QAction* a : menu->actions())
            if (a->data().toString() == "buyMarket") buy = a;
        QVERIFY(buy);
        QCOMPARE(menu->actions().size(), TradingPanel::confirmableActions().size());
        buy->setChecked(true);
        QCOMPARE(changed.count(), 1);
        const QStringList saved = changed.at(0).at(0).toStringList();
        QVERIFY(saved.contains("buyMarket") && saved.contains("reverse") &&
                saved.contains("flatten"));
        QCOMPARE(saved.size(), 3);
    }
};

QTEST_MAIN(TestTradingPanel)
#include "tst_trading_panel.moc"
