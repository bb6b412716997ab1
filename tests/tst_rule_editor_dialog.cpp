// The rule editor offscreen: the engine's parser checks the text at every change, an error
// names its line and column and marks the line, OK follows validity, and the builder row writes
// lines that parse.
#include <QtTest>

#include <QComboBox>
#include <QDialogButtonBox>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>

#include "alerts/rule_parser.h"
#include "rule_editor_dialog.h"

using namespace flowscope;

namespace {

const std::vector<WindowSpec> kWindows = {WindowSpec::seconds(1), WindowSpec::seconds(10),
                                          WindowSpec::events(100)};

QPushButton* okButton(RuleEditorDialog& d) {
    return d.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok);
}

ParsedRules parse(const QString& text) {
    return parseRules(text.toStdString(), kWindows);
}

}  // namespace

class TestRuleEditorDialog : public QObject {
    Q_OBJECT

  private slots:
    void validTextEnablesOk() {
        RuleEditorDialog d(
            "# desk rules\n"
            "ofi_push: ofi_z(10s) > 2.5 for 3s and spread <= 1 cooldown 30s\n",
            kWindows);
        QVERIFY(d.isValid());
        QVERIFY(okButton(d)->isEnabled());
        QVERIFY(d.errorText().isEmpty());
        QCOMPARE(d.highlightedLine(), 0);
        QVERIFY(d.findChild<QPlainTextEdit*>("rulesText")->extraSelections().isEmpty());
    }

    void errorShowsLineAndColumnAndDisablesOk() {
        RuleEditorDialog d("ok: spread <= 1\n", kWindows);
        QVERIFY(okButton(d)->isEnabled());
        auto* edit = d.findChild<QPlainTextEdit*>("rulesText");
        // The unknown signal starts at column 21 of line 2.
        edit->setPlainText("ok: spread <= 1\nbad: spread > 1 and ofi_zz(10s) > 2\n");
        QVERIFY(!d.isValid());
        QVERIFY(!okButton(d)->isEnabled());
        QVERIFY2(d.errorText().startsWith("2:21: "), qPrintable(d.errorText()));
        QVERIFY(d.errorText().contains("ofi_zz"));
        QCOMPARE(d.highlightedLine(), 2);
        const auto marks = edit->extraSelections();
        QCOMPARE(marks.size(), 1);
        QCOMPARE(marks[0].cursor.blockNumber(), 1);  // 0-based block of line 2
        // Fixing the text enables OK again.
        edit->setPlainText("ok: spread <= 1\nbad: spread > 1 and ofi_z(10s) > 2\n");
        QVERIFY(d.isValid());
        QVERIFY(okButton(d)->isEnabled());
        QCOMPARE(d.rulesText(), QString("ok: spread <= 1\nbad: spread > 1 and ofi_z(10s) > 2\n"));
    }

    void windowOutsideTheEnginesIsAnError() {
        RuleEditorDialog d("w: ofi_z(5s) > 1", kWindows);
        QVERIFY(!d.isValid());
        QVERIFY2(d.errorText().startsWith("1:"), qPrintable(d.errorText()));
    }

    void builderAppendsAnAlertRuleThatParses() {
        RuleEditorDialog d("ok: spread <= 1", kWindows);  // no final newline
        d.findChild<QLineEdit*>("builderName")->setText("fast_up");
        auto* signal = d.findChild<QComboBox*>("builderSignal");
        signal->setCurrentText("ofi_z");
        QCOMPARE(signal->currentText(), QString("ofi_z"));
        d.findChild<QComboBox*>("builderWindow")->setCurrentText("10s");
        d.findChild<QComboBox*>("builderOp")->setCurrentText(">=");
        d.findChild<QLineEdit*>("builderThreshold")->setText("2.5");
        d.findChild<QSpinBox*>("builderFor")->setValue(3);
        d.findChild<QSpinBox*>("builderCooldown")->setValue(30);
        QCOMPARE(d.builtRule(),
                 QString("fast_up: ofi_z(10s) >= 2.5 for 3s cooldown 30s then alert"));
        auto* add = d.findChild<QPushButton*>("builderAdd");
        QVERIFY(add->isEnabled());
        add->click();
        QCOMPARE(
            d.rulesText(),
            QString(
                "ok: spread <= 1\nfast_up: ofi_z(10s) >= 2.5 for 3s cooldown 30s then alert\n"));
        QVERIFY(d.isValid());
        const ParsedRules parsed = parse(d.rulesText());
        QVERIFY(!parsed.error);
        QCOMPARE(parsed.rules.size(), std::size_t{2});
        QCOMPARE(parsed.rules[1].name, std::string("fast_up"));
        QCOMPARE(parsed.rules[1].cooldownNs, TimeNs{30'000'000'000});
        QCOMPARE(parsed.rules[1].condition.threshold, 2.5);
        QCOMPARE(parsed.rules[1].condition.holdNs, TimeNs{3'000'000'000});
        QCOMPARE(parsed.rules[1].condition.signal.windowIndex, std::size_t{1});
    }

    void builderWritesProposeAndAutoActions() {
        RuleEditorDialog d("", kWindows);
        d.findChild<QLineEdit*>("builderName")->setText("dip");
        d.findChild<QComboBox*>("builderSignal")->setCurrentText("queue_imbalance");
        QVERIFY(!d.findChild<QComboBox*>("builderWindow")->isEnabled());  // not windowed
        d.findChild<QComboBox*>("builderOp")->setCurrentText("<");
        d.findChild<QLineEdit*>("builderThreshold")->setText("-0.6");
        d.findChild<QSpinBox*>("builderCooldown")->setValue(0);
        d.findChild<QComboBox*>("builderAction")->setCurrentText("propose");
        d.findChild<QComboBox*>("builderSide")->setCurrentText("sell");
        d.findChild<QLineEdit*>("builderSize")->setText("0.02");
        d.findChild<QSpinBox*>("builderExpire")->setValue(15);
        QCOMPARE(d.builtRule(),
                 QString("dip: queue_imbalance < -0.6 then propose sell 0.02 expire 15s"));
        d.findChild<QPushButton*>("builderAdd")->click();
        d.findChild<QLineEdit*>("builderName")->setText("chase");
        d.findChild<QComboBox*>("builderAction")->setCurrentText("auto");
        QVERIFY(!d.findChild<QSpinBox*>("builderExpire")->isEnabled());  // propose only
        QCOMPARE(d.builtRule(), QString("chase: queue_imbalance < -0.6 then auto sell 0.02"));
        d.findChild<QPushButton*>("builderAdd")->click();
        QVERIFY2(d.isValid(), qPrintable(d.errorText()));
        const ParsedRules parsed = parse(d.rulesText());
        QVERIFY(!parsed.error);
        QCOMPARE(parsed.rules.size(), std::size_t{2});
        QCOMPARE(parsed.rules[0].action.kind, AlertActionKind::Propose);
        QCOMPARE(parsed.rules[0].action.side, Side::Ask);
        QCOMPARE(parsed.rules[0].action.size, std::string("0.02"));
        QCOMPARE(parsed.rules[0].action.expireNs, TimeNs{15'000'000'000});
        QCOMPARE(parsed.rules[1].action.kind, AlertActionKind::Auto);
    }

    void builderNeedsAName() {
        RuleEditorDialog d("", kWindows);
        auto* add = d.findChild<QPushButton*>("builderAdd");
        QVERIFY(!add->isEnabled());
        d.findChild<QLineEdit*>("builderName")->setText("x");
        QVERIFY(add->isEnabled());
    }
};

QTEST_MAIN(TestRuleEditorDialog)
#include "tst_rule_editor_dialog.moc"
