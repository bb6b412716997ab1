// Alert rule evaluation on hand-built snapshot sequences: thresholds fire on the rising edge,
// `for` needs a continuous hold in event time, cooldowns suppress refires, `and` binds tighter
// than `or`, undefined values compare false, and a firing carries the values the rule reads.
#include <QtTest>

#include <cmath>

#include "alerts/rule_evaluator.h"
#include "alerts/rule_parser.h"
#include "signals/imbalance_engine.h"

using namespace flowscope;

namespace {

constexpr TimeNs kMs = 1'000'000;
constexpr TimeNs kSecond = 1'000'000'000;
const double kNan = std::nan("");

RuleEvaluator evaluatorFor(const char* text) {
    const auto parsed = parseRules(text, EngineConfig{}.windows);
    if (parsed.error) qFatal("bad rule in test: %s", parsed.error->message.c_str());
    return RuleEvaluator(parsed.rules);
}

/// A two-sided book 100 x 10 / (100 + spread) x 10 with the given queue imbalance.
SignalSnapshot snapshot(double queueImbalance, PriceTicks spread = 1) {
    SignalSnapshot s;
    s.bestBid = {100, 10};
    s.bestAsk = {100 + spread, 10};
    s.queueImbalance = queueImbalance;
    s.windowCount = 5;
    return s;
}

/// Feeds (time, snapshot) pairs and returns the times at which rule `rule` fired.
std::vector<TimeNs> firingTimes(RuleEvaluator& e,
                                const std::vector<std::pair<TimeNs, SignalSnapshot>>& events,
                                std::size_t rule = 0) {
    std::vector<TimeNs> out;
    for (const auto& [t, s] : events)
        for (const AlertFiring& f : e.evaluate(s, t))
            if (f.ruleIndex == rule) out.push_back(f.timeNs);
    return out;
}

using Times = std::vector<TimeNs>;

}  // namespace

class TestRuleEvaluator : public QObject {
    Q_OBJECT

  private slots:
    void thresholdFiresOnceWhenItBecomesTrue() {
        auto e = evaluatorFor("r: queue_imbalance > 0.5");
        const Times fired = firingTimes(e, {{0, snapshot(0.1)},
                                            {1, snapshot(0.7)},
                                            {2, snapshot(0.8)},
                                            {3, snapshot(0.5)},  // not > 0.5
                                            {4, snapshot(0.9)}});
        QCOMPARE(fired, (Times{1, 4}));
    }

    void trueAtTheFirstEvaluationFires() {
        auto e = evaluatorFor("r: spread <= 1");
        QCOMPARE(firingTimes(e, {{7, snapshot(0, 1)}, {8, snapshot(0, 1)}}), (Times{7}));
    }

    void holdNeedsTheConditionAtEveryEventForTheDuration() {
        auto e = evaluatorFor("r: queue_imbalance > 0.5 for 3s");
        const Times fired = firingTimes(e, {{0, snapshot(0.9)},
                                            {1 * kSecond, snapshot(0.9)},
                                            {2 * kSecond, snapshot(0.1)},  // breaks the run
                                            {3 * kSecond, snapshot(0.9)},  // run starts again
                                            {5 * kSecond, snapshot(0.9)},
                                            {6 * kSecond - 1, snapshot(0.9)},
                                            {6 * kSecond, snapshot(0.9)},  // held 3 s
                                            {7 * kSecond, snapshot(0.9)}});
        QCOMPARE(fired, (Times{6 * kSecond}));
    }

    void holdIsMetAtTheFirstEventAfterItsDurationWithoutIntermediateEvents() {
        auto e = evaluatorFor("r: queue_imbalance > 0.5 for 500ms");
        QCOMPARE(firingTimes(e, {{0, snapshot(0.9)}, {2 * kSecond, snapshot(0.9)}}),
                 (Times{2 * kSecond}));
    }

    void cooldownSuppressesRefiresWithinIt() {
        auto e = evaluatorFor("r: queue_imbalance > 0.5 cooldown 10s");
        const Times fired = firingTimes(e, {{0, snapshot(0.9)},
                                            {1 * kSecond, snapshot(0)},
                                            {5 * kSecond, snapshot(0.9)},  // in cooldown
                                            {6 * kSecond, snapshot(0)},
                                            {10 * kSecond, snapshot(0.9)},  // cooldown over
                                            {11 * kSecond, snapshot(0)},
                                            {15 * kSecond, snapshot(0.9)}});
        QCOMPARE(fired, (Times{0, 10 * kSecond}));
    }

    void anEpisodeStartedInCooldownDoesNotFireLater() {
        auto e = evaluatorFor("r: queue_imbalance > 0.5 cooldown 10s");
        QCOMPARE(firingTimes(e, {{0, snapshot(0.9)},
                                 {1 * kSecond, snapshot(0)},
                                 {5 * kSecond, snapshot(0.9)},
                                 {20 * kSecond, snapshot(0.9)}}),
                 (Times{0}));
    }

    void andBindsTighterThanOr() {
        // a or (b and c): a = qi > 0.5, b = spread == 1, c = qi < -0.5 (never with b alone).
        auto e = evaluatorFor("r: queue_imbalance > 0.5 or spread == 1 and queue_imbalance < -0.5");
        QCOMPARE(firingTimes(e, {{0, snapshot(0, 1)}}), Times{});        // b only
        QCOMPARE(firingTimes(e, {{1, snapshot(-0.9, 2)}}), Times{});     // c only
        QCOMPARE(firingTimes(e, {{2, snapshot(-0.9, 1)}}), (Times{2}));  // b and c
        QCOMPARE(firingTimes(e, {{3, snapshot(0.9, 5)}}), Times{});      // still true: no edge
        QCOMPARE(firingTimes(e, {{4, snapshot(0, 5)}, {5, snapshot(0.9, 5)}}), (Times{5}));  // a
    }

    void holdOnAGroupAppliesToTheWholeGroup() {
        auto e = evaluatorFor("r: (queue_imbalance > 0.5 or spread >= 3) for 1s");
        // Either half keeps the group true, so the run is unbroken across the switch.
        QCOMPARE(firingTimes(e, {{0, snapshot(0.9, 1)},
                                 {600 * kMs, snapshot(0, 3)},
                                 {1000 * kMs, snapshot(0, 4)}}),
                 (Times{1000 * kMs}));
    }

    void undefinedValuesCompareFalseAndRestartHolds() {
        auto e = evaluatorFor("lt: ofi_z(10s) < 1 for 1s\nne: ofi_z(10s) <= 1000");
        SignalSnapshot warm = snapshot(0);
        warm.windows[1].ofiZ = 0.0;
        SignalSnapshot undefined = snapshot(0);
        undefined.windows[1].ofiZ = kNan;
        const std::vector<std::pair<TimeNs, SignalSnapshot>> events = {{0, undefined},
                                                                       {1 * kSecond, warm},
                                                                       {1500 * kMs, undefined},
                                                                       {2 * kSecond, warm},
                                                                       {3 * kSecond, warm}};
        auto copy = e;
        QCOMPARE(firingTimes(e, events, 0), (Times{3 * kSecond}));
        QCOMPARE(firingTimes(copy, events, 1), (Times{1 * kSecond, 2 * kSecond}));
    }

    void emptySideMakesSpreadUndefined() {
        auto e = evaluatorFor("r: spread < 1000000");
        SignalSnapshot s = snapshot(0);
        s.bestAsk = emptyLevel(Side::Ask);
        QCOMPARE(firingTimes(e, {{0, s}}), Times{});
        QCOMPARE(firingTimes(e, {{1, snapshot(0, 2)}}), (Times{1}));
    }

    void windowedSignalsReadTheirOwnWindow() {
        auto e =
            evaluatorFor("one: ofi_z(1s) > 2\nten: ofi_z(10s) > 2\nev: buy_volume(100ev) >= 7");
        SignalSnapshot s = snapshot(0);
        s.windows[0].ofiZ = 0.5;
        s.windows[1].ofiZ = 3.0;
        s.windows[3].buyVolume = 7;
        const auto fired = e.evaluate(s, 0);
        QCOMPARE(fired.size(), std::size_t{2});
        QCOMPARE(fired[0].ruleIndex, std::size_t{1});
        QCOMPARE(fired[1].ruleIndex, std::size_t{2});
        QCOMPARE(fired[1].values[0], 7.0);
    }

    void aWindowTheSnapshotLacksIsUndefined() {
        auto e = evaluatorFor("r: ofi(1000ev) == 0");
        SignalSnapshot s = snapshot(0);
        s.windowCount = 2;
        QVERIFY(e.evaluate(s, 0).empty());
    }

    void firingCarriesTheValuesOfEverySignalTheRuleReads() {
        auto e = evaluatorFor(
            "r: spread <= 1 and (queue_imbalance > 0.5 or cum_delta < 0) and spread >= 0");
        const auto mentioned = e.signalsOf(0);
        QCOMPARE(mentioned.size(), std::size_t{3});  // spread once, in order of first mention
        QCOMPARE(signalText(mentioned[0]), std::string("spread"));
        QCOMPARE(signalText(mentioned[1]), std::string("queue_imbalance"));
        QCOMPARE(signalText(mentioned[2]), std::string("cum_delta"));
        SignalSnapshot s = snapshot(0.75, 1);
        s.cumulativeDelta = 42;
        const auto fired = e.evaluate(s, 123);
        QCOMPARE(fired.size(), std::size_t{1});
        QCOMPARE(fired[0].timeNs, TimeNs{123});
        QCOMPARE(e.rules()[fired[0].ruleIndex].name, std::string("r"));
        QCOMPARE(std::vector<double>(fired[0].values.begin(), fired[0].values.end()),
                 (std::vector<double>{1.0, 0.75, 42.0}));
    }

    void rulesFireIndependentlyInRuleOrder() {
        auto e = evaluatorFor("a: queue_imbalance > 0.5\nb: spread == 1\nc: spread == 9");
        const auto fired = e.evaluate(snapshot(0.9, 1), 0);
        QCOMPARE(fired.size(), std::size_t{2});
        QCOMPARE(fired[0].ruleIndex, std::size_t{0});
        QCOMPARE(fired[1].ruleIndex, std::size_t{1});
    }

    void interruptRestartsHoldsAndEpisodesButKeepsCooldowns() {
        auto e = evaluatorFor("held: queue_imbalance > 0.5 for 2s\ncool: spread == 1 cooldown 1m");
        QCOMPARE(e.evaluate(snapshot(0.9, 1), 0).size(), std::size_t{1});  // cool
        e.interrupt();
        // held's run restarts at 1 s; cool's new episode is inside its cooldown.
        QVERIFY(e.evaluate(snapshot(0.9, 1), 1 * kSecond).empty());
        QVERIFY(e.evaluate(snapshot(0.9, 1), 2 * kSecond).empty());
        QCOMPARE(e.evaluate(snapshot(0.9, 1), 3 * kSecond).size(), std::size_t{1});  // held
        e.reset();
        QCOMPARE(e.evaluate(snapshot(0.9, 1), 4 * kSecond).size(), std::size_t{1});  // cool again
    }
};

QTEST_GUILESS_MAIN(TestRuleEvaluator)
#include "tst_rule_evaluator.moc"
