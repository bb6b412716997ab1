#pragma once
/// Reads alert rules from text, one rule a line:
///
///     # comment
///     ofi_push: ofi_z(10s) > 2.5 for 3s and spread <= 1 cooldown 30s
///     sell_wall: queue_imbalance < -0.6 for 500ms or mlofi_z(1s) < -3
///     fast_up: ofi_z(10s) > 2.5 for 3s cooldown 30s then propose buy 0.01 expire 10s
///     fade: queue_imbalance < -0.6 then auto sell 0.02 limit at ask max_orders 3 max_position 0.05
///
/// rule := NAME ':' expr ['cooldown' DURATION] ['then' action]; expr := and-expr ('or' and-expr)*;
/// and-expr := term ('and' term)*; term := (comparison | '(' expr ')') ['for' DURATION];
/// comparison := SIGNAL['(' WINDOW ')'] ('>' | '>=' | '<' | '<=' | '==') NUMBER.
/// action := 'alert' | ('propose' | 'auto') ('buy' | 'sell') SIZE options, options in any order,
/// each at most once: 'market' (default) or 'limit at' ('bid' | 'ask' | 'mid'); for propose
/// 'expire' DURATION (default 10s); for auto 'max_orders' N and 'max_position' SIZE. Sizes are
/// plain positive decimals in the instrument's units. No action means 'then alert'.
/// Durations are integers with ns, us, ms, s or m; windows are the engine's (1s, 100ev, ...).
/// The first error stops parsing and says where it is (line and column, 1-based).
///
/// Bounds, so that no text can exhaust the stack or make evaluation unresponsive:
/// parentheses nest at most kMaxRuleNesting deep ("nesting deeper than 100"), and a text holds
/// at most kMaxRules rules ("more than 10000 rules") and kMaxRuleNodes condition nodes in all
/// ("more than 100000 conditions in all": one huge rule costs what many small ones do).

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "alerts/rule.h"
#include "signals/window_spec.h"

namespace flowscope {

/// Deepest parenthesis nesting a rule may use. Real rules use two or three levels; the parser,
/// the printer and the evaluator recurse once per level, so the bound keeps them far from the
/// stack's end (10,000 levels crashed the parser).
inline constexpr int kMaxRuleNesting = 100;
/// Most rules one text may hold. Every rule is evaluated on every book event, so the cost grows
/// with the count: 10,000 keep the terminal responsive, 100,000 did not (tests/bench/
/// bench_rule_evaluator).
inline constexpr std::size_t kMaxRules = 10'000;
/// Most condition nodes (comparisons and and/or groups, nodeCount()) all the rules may hold:
/// the evaluator's cost per event is this count, whatever the number of rules.
inline constexpr std::size_t kMaxRuleNodes = 100'000;

struct RuleParseError {
    int line = 0;
    int column = 0;
    std::string message;

    /// "rules.txt:3:18: unknown signal 'ofi_zz' (known: ...)"
    std::string format(std::string_view source) const;
};

struct ParsedRules {
    std::vector<Rule> rules;
    std::optional<RuleParseError> error;  ///< set: `rules` holds the rules before the bad line
};

/// `windows` are the engine's windows in snapshot order (EngineConfig::windows): a windowed
/// signal must name one of them.
ParsedRules parseRules(std::string_view text, std::span<const WindowSpec> windows);

}  // namespace flowscope
