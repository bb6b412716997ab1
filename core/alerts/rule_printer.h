#pragma once
/// Writes rules back as canonical rule text: what parseRules() reads back to an equal Rule, so
/// rules saved with the settings stay editable by hand.

#include <span>
#include <string>

#include "alerts/rule.h"

namespace flowscope {

/// "ofi_push: ofi_z(10s) > 2.5 for 3s and spread <= 1 cooldown 30s"
std::string formatRule(const Rule& rule);
/// One rule a line.
std::string formatRules(std::span<const Rule> rules);
std::string formatCondition(const Condition& c);
/// The largest exact unit: 90000000000 -> "90s", 120000000000 -> "2m", 1500000 -> "1500us".
std::string formatDuration(TimeNs ns);
/// Shortest text that reads back to the same double; whole numbers without exponent; "nan".
std::string formatNumber(double v);
std::string_view operatorText(CompareOp op);
/// "propose buy 0.01 limit at ask expire 5s", "alert": the text after 'then'.
std::string formatAction(const RuleAction& action);
/// "market", "limit at bid", ...
std::string_view actionPriceText(ActionPrice price);

}  // namespace flowscope
