#pragma once
/// Runs alert rules over the imbalance engine's snapshots, event by event.
///
/// A rule fires when its condition becomes true (false or never evaluated before), unless it
/// fired less than its cooldown ago: one firing per episode, at most one per cooldown. `for D`
/// holds a node back until it has been true at every evaluation for D of event time. Undefined
/// signals (NaN) make a comparison false, which also restarts its hold.
///
/// Threading: a plain object used by one thread. All memory is taken in the constructor;
/// evaluate() does not allocate. Cost per call: O(rules x condition nodes).

#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "alerts/rule.h"
#include "signals/signal_snapshot.h"

namespace flowscope {

/// One rule firing: which rule, when, and the values of the signals it reads (in the order of
/// RuleEvaluator::signalsOf(ruleIndex)) at that instant. `values` is valid until the next
/// evaluate() call; copy what must outlive it.
struct AlertFiring {
    std::size_t ruleIndex = 0;
    TimeNs timeNs = 0;
    std::span<const double> values;
};

class RuleEvaluator {
  public:
    explicit RuleEvaluator(std::vector<Rule> rules);

    /// Evaluates every rule on the state after one event at `eventNs` (non-decreasing); returns
    /// the rules that fired, in rule order.
    std::span<const AlertFiring> evaluate(const SignalSnapshot& snapshot, TimeNs eventNs);
    /// Forgets holds, episodes and cooldowns (rules re-armed).
    void reset();
    /// The signals were not observed for a while (a gap, a resync): holds and episodes restart,
    /// cooldowns keep running.
    void interrupt();

    const std::vector<Rule>& rules() const { return rules_; }
    std::span<const SignalRef> signalsOf(std::size_t ruleIndex) const {
        return state_[ruleIndex].mentioned;
    }

  private:
    static constexpr TimeNs kNever = std::numeric_limits<TimeNs>::min();

    struct RuleState {
        std::vector<SignalRef> mentioned;  ///< for the firing's values (not "signals": a Qt macro)
        std::vector<double> values;
        std::vector<TimeNs> trueSince;  ///< per node in pre-order: start of its current run
        bool wasTrue = false;
        TimeNs lastFiredNs = kNever;
    };

    /// Evaluates node `c` (pre-order index `node`, advanced past its subtree) and updates its hold.
    bool evaluateNode(const Condition& c, const SignalSnapshot& s, TimeNs eventNs,
                      std::vector<TimeNs>& trueSince, std::size_t& node) const;

    std::vector<Rule> rules_;
    std::vector<RuleState> state_;
    std::vector<AlertFiring> firings_;
};

}  // namespace flowscope
