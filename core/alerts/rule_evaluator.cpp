#include "alerts/rule_evaluator.h"

#include <algorithm>

namespace flowscope {
namespace {

bool compare(double value, CompareOp op, double threshold) {
    // Every comparison with NaN is false, which is what an undefined signal must give.
    switch (op) {
        case CompareOp::Greater:
            return value > threshold;
        case CompareOp::GreaterEqual:
            return value >= threshold;
        case CompareOp::Less:
            return value < threshold;
        case CompareOp::LessEqual:
            return value <= threshold;
        case CompareOp::Equal:
            return value == threshold;
    }
    return false;
}

}  // namespace

RuleEvaluator::RuleEvaluator(std::vector<Rule> rules) : rules_(std::move(rules)) {
    state_.resize(rules_.size());
    for (std::size_t i = 0; i < rules_.size(); ++i) {
        RuleState& st = state_[i];
        st.mentioned = mentionedSignals(rules_[i]);
        st.values.resize(st.mentioned.size());
        st.trueSince.assign(nodeCount(rules_[i].condition), kNever);
    }
    firings_.reserve(rules_.size());
}

void RuleEvaluator::reset() {
    interrupt();
    for (RuleState& st : state_)
        st.lastFiredNs = kNever;
}

void RuleEvaluator::interrupt() {
    for (RuleState& st : state_) {
        std::fill(st.trueSince.begin(), st.trueSince.end(), kNever);
        st.wasTrue = false;
    }
}

bool RuleEvaluator::evaluateNode(const Condition& c, const SignalSnapshot& s, TimeNs eventNs,
                                 std::vector<TimeNs>& trueSince, std::size_t& node) const {
    const std::size_t self = node++;
    bool value = false;
    switch (c.kind) {
        case Condition::Kind::Compare:
            value = compare(readSignal(s, c.signal), c.op, c.threshold);
            break;
        case Condition::Kind::All:
            value = true;
            // No short-circuit: every child's hold timer must see every event.
            for (const Condition& child : c.children)
                value = evaluateNode(child, s, eventNs, trueSince, node) && value;
            break;
        case Condition::Kind::Any:
            for (const Condition& child : c.children)
                value = evaluateNode(child, s, eventNs, trueSince, node) || value;
            break;
    }
    if (!value) {
        trueSince[self] = kNever;
        return false;
    }
    if (trueSince[self] == kNever) trueSince[self] = eventNs;
    return eventNs - trueSince[self] >= c.holdNs;
}

std::span<const AlertFiring> RuleEvaluator::evaluate(const SignalSnapshot& snapshot,
                                                     TimeNs eventNs) {
    firings_.clear();
    for (std::size_t i = 0; i < rules_.size(); ++i) {
        RuleState& st = state_[i];
        std::size_t node = 0;
        const bool now = evaluateNode(rules_[i].condition, snapshot, eventNs, st.trueSince, node);
        const bool rising = now && !st.wasTrue;
        st.wasTrue = now;
        if (!rising) continue;
        if (st.lastFiredNs != kNever && eventNs - st.lastFiredNs < rules_[i].cooldownNs) continue;
        st.lastFiredNs = eventNs;
        for (std::size_t k = 0; k < st.mentioned.size(); ++k)
            st.values[k] = readSignal(snapshot, st.mentioned[k]);
        firings_.push_back({i, eventNs, st.values});
    }
    return firings_;
}

}  // namespace flowscope
