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

    void parsesTheIssueActions() {
        const auto parsed = parse(
            "fast_up: ofi_z(10s) > 2.5 for 3s and spread <= 1 cooldown 30s then propose buy 0.01 "
            "expire 10s\n"
            "fade: queue_imbalance < -0.6 then auto sell 0.02 limit at ask max_orders 3 "
            "max_position 0.05\n"
            "watch: ofi(1s) > 100 then alert\n"
            "plain: ofi(1s) > 100\n");
        QVERIFY2(!parsed.error, parsed.error ? parsed.error->message.c_str() : "");
        QCOMPARE(parsed.rules.size(), std::size_t{4});

        const RuleAction& propose = parsed.rules[0].action;
        QCOMPARE(propose.kind, AlertActionKind::Propose);
        QCOMPARE(propose.side, Side::Bid);
        QCOMPARE(propose.size, std::string("0.01"));
        QCOMPARE(propose.price, ActionPrice::Market);
        QCOMPARE(propose.expireNs, 10 * kSecond);
        QCOMPARE(parsed.rules[0].cooldownNs, 30 * kSecond);

        const RuleAction& autoSell = parsed.rules[1].action;
        QCOMPARE(autoSell.kind, AlertActionKind::Auto);
        QCOMPARE(autoSell.side, Side::Ask);
        QCOMPARE(autoSell.size, std::string("0.02"));
        QCOMPARE(autoSell.price, ActionPrice::Ask);
        QCOMPARE(autoSell.maxOrders, 3);
        QCOMPARE(autoSell.maxPosition, std::string("0.05"));
        QCOMPARE(autoSell.expireNs, TimeNs{0});

        // 'then alert' and no action are the same rule action.
        QCOMPARE(parsed.rules[2].action.kind, AlertActionKind::Alert);
        QVERIFY(parsed.rules[2].action == parsed.rules[3].action);
    }

    void actionOptionsComeInAnyOrder() {
        const auto a = parse("r: mid > 1 then auto buy 1 max_position 2 limit at mid max_orders 1");
        const auto b = parse("r: mid > 1 then auto buy 1 limit at mid max_orders 1 max_position 2");
        QVERIFY(!a.error && !b.error);
        QVERIFY(a.rules == b.rules);
        QCOMPARE(a.rules[0].action.price, ActionPrice::Mid);
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
        QTest::newRow("unknown action")
            << "r: mid > 1 then shout" << 1 << 17 << "expected 'alert', 'propose' or 'auto'";
        QTest::newRow("no action")
            << "r: mid > 1 then" << 1 << 16
            << "expected 'alert', 'propose' or 'auto' after 'then' at the end";
        QTest::newRow("no side") << "r: mid > 1 then propose 0.01" << 1 << 25
                                 << "expected 'buy' or 'sell'";
        QTest::newRow("no size") << "r: mid > 1 then auto buy" << 1 << 25 << "expected a size";
        QTest::newRow("exponent size")
            << "r: mid > 1 then auto buy 1e-2" << 1 << 26 << "expected a size as a plain decimal";
        QTest::newRow("negative size")
            << "r: mid > 1 then auto buy -0.5" << 1 << 26 << "expected a size";
        QTest::newRow("zero size")
            << "r: mid > 1 then auto buy 0.000" << 1 << 26 << "size must be positive";
        QTest::newRow("limit where") << "r: mid > 1 then auto buy 1 limit at top" << 1 << 37
                                     << "expected 'bid', 'ask' or 'mid'";
        QTest::newRow("limit without at")
            << "r: mid > 1 then auto buy 1 limit ask" << 1 << 34 << "expected 'at' after 'limit'";
        QTest::newRow("expire on auto")
            << "r: mid > 1 then auto buy 1 expire 5s" << 1 << 28 << "'expire' applies to propose";
        QTest::newRow("budget on propose") << "r: mid > 1 then propose buy 1 max_orders 2" << 1
                                           << 31 << "'max_orders' applies to auto";
        QTest::newRow("price twice")
            << "r: mid > 1 then auto buy 1 market limit at bid" << 1 << 35 << "'limit' given twice";
        QTest::newRow("zero orders")
            << "r: mid > 1 then auto buy 1 max_orders 0" << 1 << 39 << "expected a positive whole";
        QTest::newRow("unknown option") << "r: mid > 1 then propose buy 1 fast" << 1 << 31
                                        << "expected 'market', 'limit', 'expire' or the end";
        QTest::newRow("after alert")
            << "r: mid > 1 then alert now" << 1 << 23 << "expected the end of the line, got 'now'";
        QTest::newRow("cooldown after action")
            << "r: mid > 1 then alert cooldown 1s" << 1 << 23 << "expected the end of the line";
        QTest::newRow("then before anything")
            << "r: mid > 1 2" << 1 << 12 << "'cooldown', 'then' or the end of the line";
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
        QTest::newRow("then alert") << "r: mid > 1 cooldown 5s then alert"
                                    << "r: mid > 1 cooldown 5s";
        QTest::newRow("propose")
            << "fast_up: ofi_z(10s)>2.5 for 3s then propose buy 0.01 expire 10000ms"
            << "fast_up: ofi_z(10s) > 2.5 for 3s then propose buy 0.01 expire 10s";
        QTest::newRow("propose market default") << "r: mid > 1 then propose sell .5 market"
                                                << "r: mid > 1 then propose sell .5";
        QTest::newRow("auto canonical order")
            << "fade: queue_imbalance < -0.6 then auto sell 0.02 max_position 0.05 max_orders 3 "
               "limit at ask"
            << "fade: queue_imbalance < -0.6 then auto sell 0.02 limit at ask max_orders 3 "
               "max_position 0.05";
        QTest::newRow("auto at bid") << "r: spread >= 0 cooldown 1s then auto buy 3 limit at bid"
                                     << "r: spread >= 0 cooldown 1s then auto buy 3 limit at bid";
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

    void nestingDeeperThanTheBoundIsAnErrorNotACrash() {
        // 10,000 parentheses overflowed the stack of the recursive parser (exit 139).
        const std::string text =
            "deep: " + std::string(10'000, '(') + "spread > 1" + std::string(10'000, ')');
        const auto parsed = parseRules(text, kWindows);
        QVERIFY(parsed.error);
        QCOMPARE(parsed.error->line, 1);
        // "deep: " is 6 columns; the (kMaxRuleNesting + 1)th '(' is the first one too deep.
        QCOMPARE(parsed.error->column, 6 + 101);
        QCOMPARE(QString::fromStdString(parsed.error->format("rules.txt")),
                 QString("rules.txt:1:107: nesting deeper than 100"));
    }

    void nestingUpToTheBoundReadsAndPrintsBack() {
        // Each level is a real node: "(spread > 1 and (spread > 1 and (... mid > 1)))".
        const auto nested = [](int levels) {
            std::string text = "deep: ";
            for (int i = 0; i < levels; ++i)
                text += "(spread > 1 and ";
            text += "mid > 1";
            return text + std::string(static_cast<std::size_t>(levels), ')');
        };
        const auto ok = parseRules(nested(100), kWindows);
        QVERIFY2(!ok.error, ok.error ? ok.error->message.c_str() : "");
        int depth = 0;
        for (const Condition* c = &ok.rules[0].condition; c->kind == Condition::Kind::All;
             c = &c->children[1])
            ++depth;
        QCOMPARE(depth, 100);
        const auto again = parseRules(formatRules(ok.rules), kWindows);
        QVERIFY(!again.error);
        QVERIFY(again.rules == ok.rules);

        const auto tooDeep = parseRules(nested(101), kWindows);
        QVERIFY(tooDeep.error);
        QCOMPARE(tooDeep.error->message, std::string("nesting deeper than 100"));
    }

    void ruleCountIsCapped() {
        const auto rulesText = [](int count) {
            std::string text = "# many rules\n";
            for (int i = 0; i < count; ++i)
                text += "r" + std::to_string(i) + ": spread > 1\n";
            return text;
        };
        const auto atCap = parseRules(rulesText(10'000), kWindows);
        QVERIFY(!atCap.error);
        QCOMPARE(atCap.rules.size(), std::size_t{10'000});

        const auto over = parseRules(rulesText(10'001), kWindows);
        QVERIFY(over.error);
        QCOMPARE(QString::fromStdString(over.error->format("rules.txt")),
                 QString("rules.txt:10002:1: more than 10000 rules"));  // line 1 is the comment
        QCOMPARE(over.rules.size(), std::size_t{10'000});
    }

    void conditionCountIsCappedAcrossRules() {
        // One rule of n comparisons joined by 'and' is n + 1 nodes (the group and its children).
        const auto oneRule = [](const std::string& name, int comparisons) {
            std::string text = name + ": spread > 1";
            for (int i = 1; i < comparisons; ++i)
                text += " and spread > 1";
            return text + "\n";
        };
        const auto fits = parseRules(oneRule("a", 49'999) + oneRule("b", 49'999), kWindows);
        QVERIFY(!fits.error);  // 2 x 50,000 nodes
        const auto huge = parseRules(oneRule("a", 49'999) + oneRule("b", 50'000), kWindows);
        QVERIFY(huge.error);
        QCOMPARE(QString::fromStdString(huge.error->format("rules.txt")),
                 QString("rules.txt:2:1: more than 100000 conditions in all"));
        QCOMPARE(huge.rules.size(), std::size_t{1});
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
