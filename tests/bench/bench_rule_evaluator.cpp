// Alert rules evaluated per book event, by rule count: why the rule parser stops at kMaxRules
// (10,000). Every rule is evaluated on every event (the alert desk runs them on the feed
// thread), so the cost per event grows linearly with the count; at the simulator's and a busy
// venue's rate (thousands of events per second) the feed thread must keep up.
//
// The rules are the README's example shape, "rN: ofi_z(10s) > T for 3s and spread <= 1 or
// queue_imbalance < -0.6", with thresholds spread so that a few hold and none fires every
// event; the snapshot's values move a little every event.
//
// Run from the build tree:
//   tests/bench/bench_rule_evaluator
// items_per_second is events per second through RuleEvaluator::evaluate; rules_per_second is
// that times the rule count. Also times parseRules on the same text (Parse/N).

#include <benchmark/benchmark.h>

#include <algorithm>
#include <string>

#include "alerts/rule_evaluator.h"
#include "alerts/rule_parser.h"
#include "signals/imbalance_engine.h"

namespace flowscope {
namespace {

std::string rulesText(int count, int first = 0) {
    std::string text;
    for (int i = first; i < first + count; ++i)
        text += "r" + std::to_string(i) + ": ofi_z(10s) > " + std::to_string(1 + i % 7) +
                " for 3s and spread <= 1 or queue_imbalance < -0." + std::to_string(1 + i % 9) +
                " cooldown 30s\n";
    return text;
}

void Evaluate(benchmark::State& state) {
    const int count = static_cast<int>(state.range(0));
    const std::vector<WindowSpec> windows = EngineConfig{}.windows;
    // Parsed in texts of at most kMaxRules, to time what the cap now refuses as well.
    std::vector<Rule> rules;
    for (int first = 0; first < count; first += static_cast<int>(kMaxRules)) {
        ParsedRules parsed = parseRules(
            rulesText(std::min(count - first, static_cast<int>(kMaxRules)), first), windows);
        if (parsed.error) {
            state.SkipWithError(parsed.error->format("rules").c_str());
            return;
        }
        rules.insert(rules.end(), parsed.rules.begin(), parsed.rules.end());
    }
    RuleEvaluator evaluator(std::move(rules));
    SignalSnapshot s;
    TimeNs t = 0;
    std::int64_t firings = 0;
    for (auto _ : state) {
        t += 100'000;  // 10,000 events a second
        s.timeNs = t;
        s.events += 1;
        benchmark::DoNotOptimize(firings +=
                                 static_cast<std::int64_t>(evaluator.evaluate(s, t).size()));
    }
    state.SetItemsProcessed(state.iterations());
    state.counters["rules_per_second"] = benchmark::Counter(
        static_cast<double>(state.iterations()) * count, benchmark::Counter::kIsRate);
}
BENCHMARK(Evaluate)->Arg(1'000)->Arg(10'000)->Arg(100'000);

void Parse(benchmark::State& state) {
    const std::vector<WindowSpec> windows = EngineConfig{}.windows;
    const std::string text = rulesText(static_cast<int>(state.range(0)));
    for (auto _ : state)
        benchmark::DoNotOptimize(parseRules(text, windows));
}
BENCHMARK(Parse)->Arg(10'000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace flowscope

BENCHMARK_MAIN();
