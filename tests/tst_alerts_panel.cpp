// The alerts panel offscreen: firings go on top, flash and settle, the table is capped; the
// semi-automatic switch follows the desk and says when it is on; tickets count down and answer
// with the proposal's id.
#include <QtTest>

#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QTimer>

#include "alerts_panel.h"

using namespace flowscope;

namespace {

constexpr TimeNs kSecond = 1'000'000'000;

AlertRecord record(std::uint64_t sequence, std::string rule) {
    AlertRecord r;
    r.sequence = sequence;
    // 2024-01-02 03:04:05.678 UTC
    r.eventTimeNs = 1'704'164'645'678'000'000LL;
    r.ruleName = std::move(rule);
    r.action = AlertActionKind::Propose;
    r.values = "ofi_z(10s)=2.71 spread=1";
    r.outcome = "proposed buy 0.010 @ market (expires in 10 s)";
    return r;
}

OrderProposal proposal(std::uint64_t id, std::string rule, Side side, Lots qty, TimeNs expires) {
    OrderProposal p;
    p.id = id;
    p.ruleName = std::move(rule);
    p.side = side;
    p.qty = qty;
    p.expiresSteadyNs = expires;
    return p;
}

// BTC-USD with a 0.5 tick and a 0.001 lot, as in the simulator.
Instrument btc() {
    return Instrument("BTC-USD", DecimalStep{5, 1}, DecimalStep{1, 3});
}

QPushButton* button(QWidget* row, const char* name) {
    return row->findChild<QPushButton*>(name);
}

}  // namespace

class TestAlertsPanel : public QObject {
    Q_OBJECT

  private slots:
    void newestFiringGoesOnTopWithItsColumns() {
        AlertsPanel panel;
        panel.addRecords({record(1, "first"), record(2, "second")});
        panel.addRecords({record(3, "third")});
        QCOMPARE(panel.rowCount(), 3);
        QCOMPARE(panel.cellText(0, 1), QString("third"));
        QCOMPARE(panel.cellText(2, 1), QString("first"));
        QCOMPARE(panel.cellText(0, 0), QString("03:04:05.678"));
        QCOMPARE(panel.cellText(0, 2), QString("propose"));
        QCOMPARE(panel.cellText(0, 3), QString("ofi_z(10s)=2.71 spread=1"));
        QCOMPARE(panel.cellText(0, 4), QString("proposed buy 0.010 @ market (expires in 10 s)"));
    }

    void newRowsFlashThenSettle() {
        AlertsPanel panel;
        panel.setFlashDurationMs(200);
        panel.addRecords({record(1, "a"), record(2, "b")});
        QCOMPARE(panel.flashingRows(), 2);
        auto* table = panel.findChild<QTableWidget*>("firings");
        QVERIFY(table);
        QCOMPARE(table->item(0, 0)->background().style(), Qt::SolidPattern);
        QTRY_COMPARE_WITH_TIMEOUT(panel.flashingRows(), 0, 2000);
        // Settled rows have their normal background back and nothing animates any more.
        QCOMPARE(table->item(0, 0)->background().style(), Qt::NoBrush);
        QCOMPARE(table->item(1, 4)->background().style(), Qt::NoBrush);
        const auto timers = panel.findChildren<QTimer*>();
        for (QTimer* t : timers)
            QVERIFY(!t->isActive());
    }

    void tableKeepsTheNewestThousandRows() {
        AlertsPanel panel;
        std::vector<AlertRecord> burst;
        for (std::uint64_t i = 1; i <= 700; ++i)
            burst.push_back(record(i, "r" + std::to_string(i)));
        panel.addRecords(burst);
        burst.clear();
        for (std::uint64_t i = 701; i <= 1200; ++i)
            burst.push_back(record(i, "r" + std::to_string(i)));
        panel.addRecords(burst);
        QCOMPARE(panel.rowCount(), AlertsPanel::kMaxRows);
        QCOMPARE(panel.cellText(0, 1), QString("r1200"));
        QCOMPARE(panel.cellText(999, 1), QString("r201"));
        // Only rows still in the table flash.
        QCOMPARE(panel.flashingRows(), 1000);
    }

    void semiAutoSwitchFollowsTheDeskAndEmitsClicks() {
        AlertsPanel panel;
        auto* sw = panel.findChild<QPushButton*>("semiAuto");
        QVERIFY(sw);
        QVERIFY(sw->isCheckable());
        QCOMPARE(sw->text(), QString("Semi-auto off"));
        QSignalSpy toggled(&panel, &AlertsPanel::semiAutomaticToggled);

        AlertDeskState on;
        on.semiAutomatic = true;
        on.rules = 3;
        on.lastError = "rules.txt:2:5: unknown signal";
        panel.setDeskState(on);
        QVERIFY(panel.semiAutomatic());
        QCOMPARE(sw->text(), QString("SEMI-AUTO ON"));
        QVERIFY(sw->styleSheet().contains("background"));
        QCOMPARE(toggled.count(), 0);  // the desk's state is no click
        QCOMPARE(panel.findChild<QLabel*>("ruleCount")->text(), QString("3 rule(s)"));
        QCOMPARE(panel.findChild<QLabel*>("deskError")->text(),
                 QString("rules.txt:2:5: unknown signal"));

        sw->click();  // one click switches it off
        QCOMPARE(toggled.count(), 1);
        QCOMPARE(toggled.takeFirst().at(0).toBool(), false);
        QCOMPARE(sw->text(), QString("Semi-auto off"));
        QVERIFY(sw->styleSheet().isEmpty());
        sw->click();
        QCOMPARE(toggled.takeFirst().at(0).toBool(), true);
    }

    void muteButtonReportsClicksNotSetState() {
        AlertsPanel panel;
        QSignalSpy muted(&panel, &AlertsPanel::muteToggled);
        panel.setMuted(true);
        QVERIFY(panel.isMuted());
        QCOMPARE(muted.count(), 0);
        panel.findChild<QPushButton*>("mute")->click();
        QCOMPARE(muted.count(), 1);
        QCOMPARE(muted.takeFirst().at(0).toBool(), false);
        QVERIFY(!panel.isMuted());
    }

    void editRulesButtonAsksForTheEditor() {
        AlertsPanel panel;
        QSignalSpy spy(&panel, &AlertsPanel::editRulesRequested);
        panel.findChild<QPushButton*>("editRules")->click();
        QCOMPARE(spy.count(), 1);
    }

    void ticketsCountDownWithTheClock() {
        AlertsPanel panel;
        TimeNs now = 100 * kSecond;
        panel.setClock([&now] { return now; });
        panel.setInstrument(btc());
        AlertDeskState s;
        s.proposals = {proposal(7, "fast_up", Side::Bid, 10, now + 7 * kSecond)};
        OrderProposal limit = proposal(9, "fade", Side::Ask, 20, now + 2 * kSecond + 1);
        limit.market = false;
        limit.priceTicks = 128'247;  // 64123.5
        s.proposals.push_back(limit);
        panel.setDeskState(s);
        QCOMPARE(panel.proposalTexts(), QStringList({"fast_up: BUY 0.010 @ market — 7 s left",
                                                     "fade: SELL 0.020 @ 64123.5 — 3 s left"}));
        now += 2 * kSecond + 500'000'000;
        QTRY_COMPARE_WITH_TIMEOUT(panel.proposalTexts().at(0),
                                  QString("fast_up: BUY 0.010 @ market — 5 s left"), 1000);
        QCOMPARE(panel.proposalTexts().at(1), QString("fade: SELL 0.020 @ 64123.5 — expired"));
        auto* tickets = panel.findChild<QWidget*>("tickets");
        const auto confirms = tickets->findChildren<QPushButton*>("confirm");
        QCOMPARE(confirms.size(), 2);
        QVERIFY(confirms[0]->isEnabled());
        QVERIFY(!confirms[1]->isEnabled());  // an expired ticket cannot be confirmed
    }

    void confirmAndRejectAnswerWithTheProposalId() {
        AlertsPanel panel;
        const TimeNs now = 50 * kSecond;
        panel.setClock([now] { return now; });
        AlertDeskState s;
        s.proposals = {proposal(11, "a", Side::Bid, 5, now + 5 * kSecond),
                       proposal(12, "b", Side::Ask, 5, now + 5 * kSecond)};
        panel.setDeskState(s);
        QSignalSpy confirmed(&panel, &AlertsPanel::proposalConfirmed);
        QSignalSpy rejected(&panel, &AlertsPanel::proposalRejected);
        auto* tickets = panel.findChild<QWidget*>("tickets");
        button(tickets->findChildren<QLabel*>("ticketText")[1]->parentWidget(), "reject")->click();
        QCOMPARE(rejected.count(), 1);
        QCOMPARE(rejected.takeFirst().at(0).value<quint64>(), quint64{12});
        // Answered tickets leave at once, and stay gone while the desk still lists them.
        QCOMPARE(panel.proposalTexts().size(), 1);
        panel.setDeskState(s);
        QCOMPARE(panel.proposalTexts().size(), 1);
        button(tickets->findChildren<QLabel*>("ticketText")[0]->parentWidget(), "confirm")->click();
        QCOMPARE(confirmed.count(), 1);
        QCOMPARE(confirmed.takeFirst().at(0).value<quint64>(), quint64{11});
        QVERIFY(panel.proposalTexts().isEmpty());
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
        QVERIFY(tickets->findChildren<QPushButton*>("confirm").isEmpty());
    }

    void hotkeyConfirmsTheNewestLiveTicket() {
        AlertsPanel panel;
        const TimeNs now = 50 * kSecond;
        panel.setClock([now] { return now; });
        QSignalSpy confirmed(&panel, &AlertsPanel::proposalConfirmed);
        panel.confirmNewestProposal();  // nothing waits: nothing happens
        QCOMPARE(confirmed.count(), 0);
        AlertDeskState s;
        s.proposals = {proposal(21, "old", Side::Bid, 5, now + 5 * kSecond),
                       proposal(22, "new", Side::Bid, 5, now + 5 * kSecond),
                       proposal(23, "newest_but_expired", Side::Bid, 5, now - 1)};
        panel.setDeskState(s);
        panel.confirmNewestProposal();
        panel.confirmNewestProposal();
        panel.confirmNewestProposal();
        QCOMPARE(confirmed.count(), 2);
        QCOMPARE(confirmed.at(0).at(0).value<quint64>(), quint64{22});
        QCOMPARE(confirmed.at(1).at(0).value<quint64>(), quint64{21});
    }
};

QTEST_MAIN(TestAlertsPanel)
#include "tst_alerts_panel.moc"
