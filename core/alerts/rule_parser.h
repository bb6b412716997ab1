#pragma once
/// Reads alert rules from text, one rule a line:
///
///     # comment
///     ofi_push: ofi_z(10s) > 2.5 for 3s and spread <= 1 cooldown 30s
///     sell_wall: queue_imbalance < -0.6 for 500ms or mlofi_z(1s) < -3
///
/// rule := NAME ':' expr ['cooldown' DURATION]; expr := and-expr ('or' and-expr)*;
/// and-expr := term ('and' term)*; term := (comparison | '(' expr ')') ['for' DURATION];
/// comparison := SIGNAL['(' WINDOW ')'] ('>' | '>=' | '<' | '<=' | '==') NUMBER.
/// Durations are integers with ns, us, ms, s or m; windows are the engine's (1s, 100ev, ...).
/// The first error stops parsing and says where it is (line and column, 1-based).

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "alerts/rule.h"
#include "signals/window_spec.h"

namespace flowscope {

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
