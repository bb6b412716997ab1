#pragma once
/// An alert rule as a value: a name, a condition tree over the imbalance engine's signals, and a
/// cooldown. Plain data (copyable, comparable) so settings can store it and a dialog can edit it;
/// the text form is rule_parser.h / rule_printer.h, the evaluation rule_evaluator.h.

#include <cstdint>
#include <string>
#include <vector>

#include "alerts/signal_catalog.h"
#include "book/types.h"

namespace flowscope {

enum class CompareOp : std::uint8_t { Greater, GreaterEqual, Less, LessEqual, Equal };

/// One node of a condition: a comparison of a signal with a threshold, or all/any of its
/// children. Any node may require that it has held continuously for `holdNs` of event time.
struct Condition {
    enum class Kind : std::uint8_t { Compare, All, Any };

    Kind kind = Kind::Compare;
    SignalRef signal;  ///< Compare only
    CompareOp op = CompareOp::Greater;
    double threshold = 0.0;
    std::vector<Condition> children;  ///< All / Any only
    TimeNs holdNs = 0;                ///< `for D`: 0 = true as soon as the condition is

    bool operator==(const Condition&) const = default;
};

struct Rule {
    std::string name;
    Condition condition;
    TimeNs cooldownNs = 0;  ///< no new firing within this long after the last one

    bool operator==(const Rule&) const = default;
};

/// The signals a rule reads, in order of first mention, each once.
std::vector<SignalRef> mentionedSignals(const Rule& rule);
/// Number of nodes in the condition tree (the evaluator keeps one hold timer per node).
std::size_t nodeCount(const Condition& c);

}  // namespace flowscope
