// Alert rule text: the grammar (precedence, parentheses, holds, cooldowns, windows), precise
// errors with line and column, and the printer's canonical text reading back to the same rule.
#include <QtTest>

#include "alerts/rule_parser.h"
#include "alerts/rule_printer.h"
#include "signals/imbalance_engine.h"

using namespace flowscope;

namespace {

const std::vector<WindowSpec> kWindows = EngineConfig{}.windows;  // 1s 10s 60s 100ev 1000ev

ParsedRules parse(const QString& text) {
    return parseRules(text.toStdString(), kWindows);
}

Condition compare(SignalField field, CompareOp op, double threshold, std::size_t window = 0,
                  TimeNs holdNs = 0) {
    Condition c;
    c.signal.field = field;
    if (isWindowed(field)) {
        c.signal.windowIndex = window;
        c.signal.window = kWindows[window];
    }
    c.op = op;
    c.threshold = threshold;
    c.holdNs = holdNs;
    return c;
}

Condition group(Condition::Kind kind, std::vector<Condition> children, TimeNs holdNs = 0) {
    Condition c;
    c.kind = kind;
    c.children = std::move(children);
    c.holdNs = holdNs;
    return c;
}

constexpr TimeNs kSecond = 1'000'000'000;

}  // namespace

class TestRuleParser : public QObject {
    Q_OBJECT

  private slots:
    void parsesTheIssueExample() {
        const auto parsed = parse("ofi_push: ofi_z(10s) > 2.5 for 3s and spread <= 1 cooldown 30s");
        QVERIFY(!parsed.error);
        QCOMPARE(parsed.rules.size(), std::size_t{1});
        Rule expected;
        expected.name = "ofi_push";
        expected.condition =
            group(Condition::Kind::All,
                  {compare(SignalField::OfiZ, CompareOp::Greater, 2.5, 1, 3 * kSecond),
                   compare(SignalField::Spread, CompareOp::LessEqual, 1)});
        expected.cooldownNs = 30 * kSecond;
        QVERIFY(parsed.rules[0] == expected);
    }

    void andBindsTighterThanOr() {
        const auto parsed =
            parse("r: queue_imbalance < -0.6 for 500ms or mlofi_z(1s) < -3 and mid >= 100");
        QVERIFY(!parsed.error);
        const Condition expected =
            group(Condition::Kind::Any,
                  {compare(SignalField::QueueImbalance, CompareOp::Less, -0.6, 0, 500'000'000),
                   group(Condition::Kind::All,
                         {compare(SignalField::MlofiZ, CompareOp::Less, -3, 0),
                          compare(SignalField::Mid, CompareOp::GreaterEqual, 100)})});
        QVERIFY(parsed.rules[0].condition == expected);
    }

    void parenthesesGroupAndTakeAHold() {
        const auto parsed = parse("r: (spread == 1 or last_ofi > 5) for 2m and ofi(100ev) > 0");
        QVERIFY(!parsed.error);
        const Condition expected = group(
            Condition::Kind::All, {group(Condition::Kind::Any,
                                         {compare(SignalField::Spread, CompareOp::Equal, 1),
                                          compare(SignalField::LastOfi, CompareOp::Greater, 5)},
                                         120 * kSecond),
                                   compare(SignalField::Ofi, CompareOp::Greater, 0, 3)});
        QVERIFY(parsed.rules[0].condition == expected);
    }

    void everyWindowedSignalAndWindowIsKnown() {
        const char* names[] = {
            "ofi",   "mlofi",   "buy_volume", "sell_volume",       "trade_imbalance",
            "ofi_z", "mlofi_z", "delta_z",    "queue_imbalance_z", "micro_offset_z"};
        const char* windows[] = {"1s", "10s", "60s", "100ev", "1000ev"};
        for (const char* name : names)
            for (std::size_t w = 0; w < 5; ++w) {
                const auto parsed = parse(QString("r: %1(%2) > 0").arg(name, windows[w]));
                QVERIFY2(!parsed.error, name);
                QCOMPARE(parsed.rules[0].condition.signal.windowIndex, w);
            }
        for (const char* name : {"mid", "micro_offset", "queue_imbalance", "depth_imbalance",
                                 "spread", "cum_delta", "last_ofi"})
            QVERIFY2(!parse(QString("r: %1 > 0").arg(name)).error, name);
        // A window may be written in another unit as long as it is one of the engine's.
        QCOMPARE(parse("r: ofi(1000ms) > 0").rules[0].condition.signal.windowIndex, std::size_t{0});
        QCOMPARE(parse("r: ofi(1m) > 0").rules[0].condition.signal.windowIndex, std::size_t{2});
    }

    void skipsBlankLinesAndComments() {
        const auto parsed = parse("# header\n\n  a: spread > 1  # trailing\n\t\nb: mid < 2\n");
        QVERIFY(!parsed.error);
        QCOMPARE(parsed.rules.size(), std::size_t{2});
        QCOMPARE(parsed.rules[0].name, std::string("a"));
        QCOMPARE(parsed.rules[1].name, std::string("b"));
    }

    void errorsSayWhere_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("line");
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown signal") << "# c\n\nr: ofi_z(10s) > 1 and ofi_zz(10s) > 2.5" << 3
                                        << 23 << "unknown signal 'ofi_zz' (known: mid, ";
        QTest::newRow("window not in engine")
            << "r: ofi_z(5s) > 2" << 1 << 10 << "no window '5s' (windows: 1s, 10s, 60s, 100ev";
        QTest::newRow("window missing") << "r: ofi_z > 2" << 1 << 4 << "'ofi_z' needs a window";
        QTest::newRow("window not taken")
            << "r: spread(1s) > 2" << 1 << 4 << "'spread' takes no window";
        QTest::newRow("no operator") << "r: spread 2" << 1 << 11 << "expected >, >=, <, <= or ==";
        QTest::newRow("no number")
            << "r: spread > abc" << 1 << 13 << "expected a number after '>', got 'abc'";
        QTest::newRow("bad number") << "r: spread > 1.2.3" << 1 << 13 << "expected a number";
        QTest::newRow("unitless duration")
            << "r: spread > 1 for 3" << 1 << 19 << "expected a positive duration";
        QTest::newRow("zero duration")
            << "r: spread > 1 for 0s" << 1 << 19 << "expected a positive duration";
        QTest::newRow("missing colon") << "r spread > 1" << 1 << 3 << "expected ':'";
        QTest::newRow("no name") << ": spread > 1" << 1 << 1 << "expected a rule name";
        QTest::newRow("unclosed") << "r: (spread > 1" << 1 << 15
                                  << "expected ')' at the end of the line";
        QTest::newRow("trailing") << "r: spread > 1 2" << 1 << 15 << "or the end of the line";
        QTest::newRow("character")
            << "r: spread > 1 & mid > 2" << 1 << 15 << "unexpected character '&'";
        QTest::newRow("cooldown") << "r: spread > 1 cooldown" << 1 << 23
                                  << "expected a positive duration";
        QTest::newRow("two holds")
            << "r: (spread > 1 for 1s) for 2s" << 1 << 24 << "two 'for' durations";
        QTest::newRow("duplicate") << "r: spread > 1\n\nr: mid > 1" << 3 << 1
                                   << "duplicate rule name 'r' (first on line 1)";
    }
    void errorsSayWhere() {
        QFETCH(QString, text);
        QFETCH(int, line);
        QFETCH(int, column);
        QFETCH(QString, message);
        const auto parsed = parse(text);
        QVERIFY(parsed.error.has_value());
        QCOMPARE(parsed.error->line, line);
        QCOMPARE(parsed.error->column, column);
        QVERIFY2(QString::fromStdString(parsed.error->message).startsWith(message) ||
                     QString::fromStdString(parsed.error->message).contains(message),
                 parsed.error->message.c_str());
    }

    void errorFormatNamesFileLineAndColumn() {
        const auto parsed = parse("a: spread > 1\n# x\nb: spread > 1 and ofi_zz(1s) > 2");
        QVERIFY(parsed.error);
        QCOMPARE(parsed.rules.size(), std::size_t{1});  // the rules before the bad line
        QVERIFY(QString::fromStdString(parsed.error->format("rules.txt"))
                    .startsWith("rules.txt:3:19: unknown signal 'ofi_zz'"));
    }

    void printsCanonicalTextThatReadsBack_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("canonical");
        QTest::newRow("example")
            << "ofi_push:ofi_z(10s)>2.5 for 3s and spread<=1 cooldown 30s"
            << "ofi_push: ofi_z(10s) > 2.5 for 3s and spread <= 1 cooldown 30s";
        QTest::newRow("units") << "r: spread > 1 for 1500ms cooldown 120s"
                               << "r: spread > 1 for 1500ms cooldown 2m";
        QTest::newRow("window units") << "r: ofi(1000ms) >= -0.001"
                                      << "r: ofi(1s) >= -0.001";
        QTest::newRow("numbers") << "r: cum_delta > 2e6 or mid < +1e-3"
                                 << "r: cum_delta > 2000000 or mid < 0.001";
        QTest::newRow("two colons") << "r: a_or_b: mid > 1"  // one name, one colon
                                    << "";
        QTest::newRow("or inside and") << "r: (mid > 1 or mid < 0) and spread == 1"
                                       << "r: (mid > 1 or mid < 0) and spread == 1";
        QTest::newRow("redundant parens") << "r: ((mid > 1)) or (spread == 1 and mid < 0)"
                                          << "r: mid > 1 or spread == 1 and mid < 0";
        QTest::newRow("nested same kind") << "r: mid > 1 or (mid < 0 or spread == 2)"
                                          << "r: mid > 1 or (mid < 0 or spread == 2)";
        QTest::newRow("held group") << "r: (mid > 1 and spread == 1) for 1m or mid < 0"
                                    << "r: (mid > 1 and spread == 1) for 1m or mid < 0";
        QTest::newRow("held top group") << "r: (mid > 1 or spread == 1) for 250us"
                                        << "r: (mid > 1 or spread == 1) for 250us";
    }
    void printsCanonicalTextThatReadsBack() {
        QFETCH(QString, text);
        QFETCH(QString, canonical);
        const auto parsed = parse(text);
        if (canonical.isEmpty()) {  // rows that must not parse
            QVERIFY(parsed.error);
            return;
        }
        QVERIFY2(!parsed.error, parsed.error ? parsed.error->message.c_str() : "");
        const std::string printed = formatRule(parsed.rules[0]);
        QCOMPARE(QString::fromStdString(printed), canonical);
        const auto again = parseRules(printed, kWindows);
        QVERIFY(!again.error);
        QVERIFY(again.rules[0] == parsed.rules[0]);
    }

    void formatRulesWritesAFileThatReadsBack() {
        const auto parsed = parse("a: mid > 1\nb: spread <= 2 cooldown 5s\n");
        QVERIFY(!parsed.error);
        const std::string text = formatRules(parsed.rules);
        QCOMPARE(QString::fromStdString(text), QString("a: mid > 1\nb: spread <= 2 cooldown 5s\n"));
        QVERIFY(parseRules(text, kWindows).rules == parsed.rules);
    }
};

QTEST_GUILESS_MAIN(TestRuleParser)
#include "tst_rule_parser.moc"
