#pragma once
/// An alert rule as a value: a name, a condition tree over the imbalance engine's signals, a
/// cooldown, and what to do on a firing (alert, propose an order, or submit it). Plain data
/// (copyable, comparable) so settings can store it and a dialog can edit it; the text form is
/// rule_parser.h / rule_printer.h, the evaluation rule_evaluator.h.

#include <cstdint>
#include <string>
#include <vector>

#include "alerts/alert_events.h"
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

/// Where an order of a rule's action is priced, read from the book at the firing.
enum class ActionPrice : std::uint8_t { Market, Bid, Ask, Mid };

/// What a rule does when it fires. Sizes stay decimal text in the instrument's units ("0.01"):
/// the rule does not know the instrument; the alert desk converts them to lots exactly.
struct RuleAction {
    static constexpr TimeNs kDefaultExpiryNs = 10'000'000'000;

    AlertActionKind kind = AlertActionKind::Alert;
    Side side = Side::Bid;  ///< Propose / Auto: Bid buys, Ask sells
    std::string size;       ///< Propose / Auto: positive plain decimal
    ActionPrice price = ActionPrice::Market;
    TimeNs expireNs = 0;      ///< Propose: 0 = kDefaultExpiryNs
    int maxOrders = 0;        ///< Auto: orders sent per session; 0 = no rule budget
    std::string maxPosition;  ///< Auto: |position after the order| at most this; empty = none

    bool operator==(const RuleAction&) const = default;
};

struct Rule {
    std::string name;
    Condition condition;
    TimeNs cooldownNs = 0;  ///< no new firing within this long after the last one
    RuleAction action;

    bool operator==(const Rule&) const = default;
};

/// The signals a rule reads, in order of first mention, each once.
std::vector<SignalRef> mentionedSignals(const Rule& rule);
/// Number of nodes in the condition tree (the evaluator keeps one hold timer per node).
std::size_t nodeCount(const Condition& c);

}  // namespace flowscope
