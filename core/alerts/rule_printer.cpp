#include "alerts/rule_printer.h"

#include <charconv>
#include <cmath>
#include <cstdint>

namespace flowscope {
namespace {

void write(const Condition& c, std::string& out);

// An operand of `and` needs parentheses when it is an `or` (and binds tighter), and a nested group
// of the same kind keeps them so the tree reads back unchanged. A group with a hold already has
// its own: write() prints "(...) for D".
void writeOperand(const Condition& c, Condition::Kind parent, std::string& out) {
    const bool group = c.kind != Condition::Kind::Compare && c.holdNs == 0;
    const bool paren =
        group &&
        (c.kind == parent || (parent == Condition::Kind::All && c.kind == Condition::Kind::Any));
    if (paren) out += '(';
    write(c, out);
    if (paren) out += ')';
}

void writeBody(const Condition& c, std::string& out) {
    if (c.kind == Condition::Kind::Compare) {
        out += signalText(c.signal);
        out += ' ';
        out += operatorText(c.op);
        out += ' ';
        out += formatNumber(c.threshold);
        return;
    }
    const char* joiner = c.kind == Condition::Kind::All ? " and " : " or ";
    for (std::size_t i = 0; i < c.children.size(); ++i) {
        if (i) out += joiner;
        writeOperand(c.children[i], c.kind, out);
    }
}

void write(const Condition& c, std::string& out) {
    if (c.holdNs > 0 && c.kind != Condition::Kind::Compare) {
        out += '(';
        writeBody(c, out);
        out += ')';
    } else {
        writeBody(c, out);
    }
    if (c.holdNs > 0) out += " for " + formatDuration(c.holdNs);
}

}  // namespace

std::string_view operatorText(CompareOp op) {
    switch (op) {
        case CompareOp::Greater:
            return ">";
        case CompareOp::GreaterEqual:
            return ">=";
        case CompareOp::Less:
            return "<";
        case CompareOp::LessEqual:
            return "<=";
        case CompareOp::Equal:
            return "==";
    }
    return "?";
}

std::string formatNumber(double v) {
    // Whole numbers (sizes in lots, spreads in ticks) as integers, not "2e+06".
    if (std::isfinite(v) && v == std::trunc(v) && std::fabs(v) < 1e15)
        return std::to_string(static_cast<std::int64_t>(v));
    char buffer[32];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, v);
    return std::string(buffer, result.ptr);
}

std::string formatDuration(TimeNs ns) {
    struct Unit {
        TimeNs ns;
        const char* suffix;
    };
    static constexpr Unit kUnits[] = {
        {60'000'000'000, "m"}, {1'000'000'000, "s"}, {1'000'000, "ms"}, {1'000, "us"}, {1, "ns"}};
    for (const Unit& u : kUnits)
        if (ns % u.ns == 0) return std::to_string(ns / u.ns) + u.suffix;
    return std::to_string(ns) + "ns";
}

std::string formatCondition(const Condition& c) {
    std::string out;
    write(c, out);
    return out;
}

std::string_view actionPriceText(ActionPrice price) {
    switch (price) {
        case ActionPrice::Market:
            return "market";
        case ActionPrice::Bid:
            return "limit at bid";
        case ActionPrice::Ask:
            return "limit at ask";
        case ActionPrice::Mid:
            return "limit at mid";
    }
    return "?";
}

std::string formatAction(const RuleAction& action) {
    if (action.kind == AlertActionKind::Alert) return "alert";
    std::string out = action.kind == AlertActionKind::Propose ? "propose " : "auto ";
    out += action.side == Side::Bid ? "buy " : "sell ";
    out += action.size;
    // Market is the default: canonical text leaves it out.
    if (action.price != ActionPrice::Market) (out += ' ') += actionPriceText(action.price);
    if (action.expireNs > 0) out += " expire " + formatDuration(action.expireNs);
    if (action.maxOrders > 0) out += " max_orders " + std::to_string(action.maxOrders);
    if (!action.maxPosition.empty()) out += " max_position " + action.maxPosition;
    return out;
}

std::string formatRule(const Rule& rule) {
    std::string out = rule.name + ": " + formatCondition(rule.condition);
    if (rule.cooldownNs > 0) out += " cooldown " + formatDuration(rule.cooldownNs);
    // 'then alert' is what no action means: canonical text leaves it out.
    if (rule.action.kind != AlertActionKind::Alert) out += " then " + formatAction(rule.action);
    return out;
}

std::string formatRules(std::span<const Rule> rules) {
    std::string out;
    for (const Rule& r : rules)
        out += formatRule(r) + '\n';
    return out;
}

}  // namespace flowscope
