#include "alerts/rule_parser.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>
#include <unordered_map>

namespace flowscope {
namespace {

struct Token {
    enum class Kind : std::uint8_t { Word, Literal, Punct, End };
    Kind kind = Kind::End;
    std::string_view text;
    int column = 0;
};

bool isWordStart(char c) {
    return std::isalpha(static_cast<unsigned char>(c)) || c == '_';
}
bool isWordChar(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}
bool isDigit(char c) {
    return c >= '0' && c <= '9';
}

/// Splits one line (comment already cut) into tokens; false with `bad` at an unexpected char.
bool tokenize(std::string_view line, std::vector<Token>& out, int& badColumn) {
    out.clear();
    std::size_t i = 0;
    while (i < line.size()) {
        const char c = line[i];
        const int column = static_cast<int>(i) + 1;
        std::size_t end = i + 1;
        Token::Kind kind = Token::Kind::Punct;
        if (c == ' ' || c == '\t' || c == '\r') {
            ++i;
            continue;
        }
        if (isWordStart(c)) {
            while (end < line.size() && isWordChar(line[end]))
                ++end;
            kind = Token::Kind::Word;
        } else if (isDigit(c) || c == '.' ||
                   ((c == '-' || c == '+') && i + 1 < line.size() &&
                    (isDigit(line[i + 1]) || line[i + 1] == '.'))) {
            // A number, a duration or a window: "-0.6", "2.5e3", "500ms", "100ev".
            while (end < line.size()) {
                const char d = line[end];
                const bool exponentSign =
                    (d == '-' || d == '+') && (line[end - 1] == 'e' || line[end - 1] == 'E');
                if (!isWordChar(d) && d != '.' && !exponentSign) break;
                ++end;
            }
            kind = Token::Kind::Literal;
        } else if ((c == '>' || c == '<' || c == '=') && i + 1 < line.size() &&
                   line[i + 1] == '=') {
            end = i + 2;
        } else if (c != '>' && c != '<' && c != ':' && c != '(' && c != ')') {
            badColumn = column;
            return false;
        }
        out.push_back({kind, line.substr(i, end - i), column});
        i = end;
    }
    out.push_back({Token::Kind::End, {}, static_cast<int>(line.size()) + 1});
    return true;
}

/// An integer with a unit; nullopt if the text is not one.
std::optional<TimeNs> parseDuration(std::string_view text) {
    std::int64_t n = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc{} || ptr == text.data() || n < 0) return std::nullopt;
    const std::string_view unit(ptr, static_cast<std::size_t>(text.data() + text.size() - ptr));
    std::int64_t scale = 0;
    if (unit == "ns") scale = 1;
    if (unit == "us") scale = 1'000;
    if (unit == "ms") scale = 1'000'000;
    if (unit == "s") scale = 1'000'000'000;
    if (unit == "m") scale = 60'000'000'000;
    if (scale == 0 || n > std::numeric_limits<std::int64_t>::max() / scale) return std::nullopt;
    return n * scale;
}

std::optional<WindowSpec> parseWindow(std::string_view text) {
    if (text.size() > 2 && text.substr(text.size() - 2) == "ev") {
        std::int64_t n = 0;
        const auto body = text.substr(0, text.size() - 2);
        const auto [ptr, ec] = std::from_chars(body.data(), body.data() + body.size(), n);
        if (ec != std::errc{} || ptr != body.data() + body.size() || n <= 0) return std::nullopt;
        return WindowSpec::events(n);
    }
    const auto ns = parseDuration(text);
    if (!ns || *ns <= 0) return std::nullopt;
    return WindowSpec{WindowSpec::Clock::Time, *ns};
}

std::string windowList(std::span<const WindowSpec> windows) {
    std::string out;
    for (const WindowSpec& w : windows)
        out += (out.empty() ? "" : ", ") + w.label();
    return out;
}

class LineParser {
  public:
    LineParser(const std::vector<Token>& tokens, std::span<const WindowSpec> windows)
        : tokens_(tokens), windows_(windows) {}

    std::optional<Rule> parse() {
        Rule rule;
        if (peek().kind != Token::Kind::Word) return fail(peek(), "expected a rule name");
        rule.name = std::string(next().text);
        if (peek().text != ":") return fail(peek(), "expected ':' after the rule name");
        next();
        auto condition = parseOr();
        if (!condition) return std::nullopt;
        rule.condition = std::move(*condition);
        if (peek().text == "cooldown") {
            next();
            auto d = parseDurationToken();
            if (!d) return std::nullopt;
            rule.cooldownNs = *d;
        }
        if (peek().text == "then") {
            next();
            auto action = parseAction();
            if (!action) return std::nullopt;
            rule.action = std::move(*action);
            if (peek().kind != Token::Kind::End)
                return fail(peek(), rule.action.kind == AlertActionKind::Alert
                                        ? std::string("expected the end of the line")
                                        : optionsExpected(rule.action.kind));
            return rule;
        }
        if (peek().kind != Token::Kind::End)
            return fail(peek(),
                        "expected 'and', 'or', 'for', 'cooldown', 'then' or the end of the line");
        return rule;
    }

    int errorColumn() const { return errorColumn_; }
    const std::string& errorMessage() const { return error_; }

  private:
    const Token& peek() const { return tokens_[pos_]; }
    const Token& next() { return tokens_[pos_ < tokens_.size() - 1 ? pos_++ : pos_]; }

    std::nullopt_t fail(const Token& at, std::string message) {
        errorColumn_ = at.column;
        error_ = std::move(message);
        if (at.kind == Token::Kind::End) {
            error_ += " at the end of the line";
        } else {
            error_ += ", got '" + std::string(at.text) + "'";
        }
        return std::nullopt;
    }
    std::nullopt_t failPlain(const Token& at, std::string message) {
        errorColumn_ = at.column;
        error_ = std::move(message);
        return std::nullopt;
    }

    // Builds an All/Any node, or returns the single operand unchanged.
    std::optional<Condition> parseChain(Condition::Kind kind, std::string_view keyword) {
        auto first = kind == Condition::Kind::Any ? parseAnd() : parseTerm();
        if (!first) return std::nullopt;
        if (peek().text != keyword) return first;
        Condition group;
        group.kind = kind;
        group.children.push_back(std::move(*first));
        while (peek().text == keyword) {
            next();
            auto operand = kind == Condition::Kind::Any ? parseAnd() : parseTerm();
            if (!operand) return std::nullopt;
            group.children.push_back(std::move(*operand));
        }
        return group;
    }
    std::optional<Condition> parseOr() { return parseChain(Condition::Kind::Any, "or"); }
    std::optional<Condition> parseAnd() { return parseChain(Condition::Kind::All, "and"); }

    std::optional<Condition> parseTerm() {
        std::optional<Condition> c;
        if (peek().text == "(") {
            if (depth_ == kMaxRuleNesting)
                return failPlain(peek(), "nesting deeper than " + std::to_string(kMaxRuleNesting));
            next();
            ++depth_;
            c = parseOr();
            --depth_;
            if (!c) return std::nullopt;
            if (peek().text != ")") return fail(peek(), "expected ')'");
            next();
        } else {
            c = parseComparison();
            if (!c) return std::nullopt;
        }
        if (peek().text == "for") {
            const Token& forToken = next();
            auto d = parseDurationToken();
            if (!d) return std::nullopt;
            if (c->holdNs > 0) return failPlain(forToken, "two 'for' durations on one condition");
            c->holdNs = *d;
        }
        return c;
    }

    std::optional<Condition> parseComparison() {
        const Token& nameToken = peek();
        if (nameToken.kind != Token::Kind::Word) return fail(nameToken, "expected a signal");
        next();
        const auto field = findSignal(nameToken.text);
        if (!field)
            return failPlain(nameToken, "unknown signal '" + std::string(nameToken.text) +
                                            "' (known: " + knownSignalNames() + ")");
        Condition c;
        c.signal.field = *field;
        const std::string name(nameToken.text);
        if (peek().text == "(") {
            next();
            if (!isWindowed(*field)) return failPlain(nameToken, "'" + name + "' takes no window");
            const Token& windowToken = next();
            const auto spec = parseWindow(windowToken.text);
            std::size_t index = windows_.size();
            for (std::size_t i = 0; spec && i < windows_.size(); ++i)
                if (windows_[i].clock == spec->clock && windows_[i].length == spec->length)
                    index = i;
            if (index == windows_.size())
                return failPlain(windowToken, "no window '" + std::string(windowToken.text) +
                                                  "' (windows: " + windowList(windows_) + ")");
            c.signal.windowIndex = index;
            c.signal.window = windows_[index];
            if (peek().text != ")") return fail(peek(), "expected ')' after the window");
            next();
        } else if (isWindowed(*field)) {
            return failPlain(nameToken, "'" + name + "' needs a window: " + name +
                                            "(W) with W one of " + windowList(windows_));
        }
        const Token& opToken = peek();
        static constexpr std::pair<std::string_view, CompareOp> kOps[] = {
            {">", CompareOp::Greater},
            {">=", CompareOp::GreaterEqual},
            {"<", CompareOp::Less},
            {"<=", CompareOp::LessEqual},
            {"==", CompareOp::Equal}};
        bool found = false;
        for (const auto& [text, op] : kOps)
            if (opToken.kind == Token::Kind::Punct && opToken.text == text) {
                c.op = op;
                found = true;
            }
        if (!found) return fail(opToken, "expected >, >=, <, <= or == after '" + name + "'");
        next();
        const Token& number = peek();
        const auto value = parseNumber(number.text);
        if (number.kind != Token::Kind::Literal || !value)
            return fail(number, "expected a number after '" + std::string(opToken.text) + "'");
        next();
        c.threshold = *value;
        return c;
    }

    static std::optional<double> parseNumber(std::string_view text) {
        if (!text.empty() && text.front() == '+') text.remove_prefix(1);
        double v = 0;
        const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
        if (ec != std::errc{} || ptr != text.data() + text.size() || !std::isfinite(v))
            return std::nullopt;
        return v;
    }

    /// "'text'", built by appending: GCC 12 warns (-Wrestrict, falsely) on "'" + std::string.
    static std::string quoted(std::string_view text) {
        std::string out(1, '\'');
        out += text;
        out += '\'';
        return out;
    }

    static std::string optionsExpected(AlertActionKind kind) {
        return kind == AlertActionKind::Propose
                   ? "expected 'market', 'limit', 'expire' or the end of the line"
                   : "expected 'market', 'limit', 'max_orders', 'max_position' or the end of the "
                     "line";
    }

    /// action := 'alert' | ('propose' | 'auto') ('buy' | 'sell') SIZE option*;
    /// option := 'market' | 'limit' 'at' ('bid' | 'ask' | 'mid') | 'expire' DURATION (propose)
    ///         | 'max_orders' N | 'max_position' SIZE (auto); each option at most once.
    std::optional<RuleAction> parseAction() {
        RuleAction action;
        const Token& kindToken = next();
        if (kindToken.text == "alert") return action;
        if (kindToken.text == "propose") {
            action.kind = AlertActionKind::Propose;
        } else if (kindToken.text == "auto") {
            action.kind = AlertActionKind::Auto;
        } else {
            return fail(kindToken, "expected 'alert', 'propose' or 'auto' after 'then'");
        }
        const Token& sideToken = next();
        if (sideToken.text == "buy") {
            action.side = Side::Bid;
        } else if (sideToken.text == "sell") {
            action.side = Side::Ask;
        } else {
            return fail(sideToken, "expected 'buy' or 'sell'");
        }
        auto size = parseSizeToken();
        if (!size) return std::nullopt;
        action.size = std::move(*size);
        bool priced = false;
        bool expire = false;
        bool maxOrders = false;
        bool maxPosition = false;
        const auto once = [&](bool& seen, const Token& at) -> bool {
            if (seen) {
                failPlain(at, quoted(at.text) + " given twice");
                return false;
            }
            seen = true;
            return true;
        };
        const auto only = [&](AlertActionKind kind, const Token& at) -> bool {
            if (action.kind == kind) return true;
            failPlain(at, quoted(at.text) + " applies to " +
                              (kind == AlertActionKind::Propose ? "propose" : "auto") +
                              " actions only");
            return false;
        };
        while (peek().kind == Token::Kind::Word) {
            const Token& option = next();
            if (option.text == "market" || option.text == "limit") {
                if (!once(priced, option)) return std::nullopt;
                if (option.text == "market") continue;
                if (peek().text != "at") return fail(peek(), "expected 'at' after 'limit'");
                next();
                const Token& where = next();
                if (where.text == "bid") {
                    action.price = ActionPrice::Bid;
                } else if (where.text == "ask") {
                    action.price = ActionPrice::Ask;
                } else if (where.text == "mid") {
                    action.price = ActionPrice::Mid;
                } else {
                    return fail(where, "expected 'bid', 'ask' or 'mid'");
                }
            } else if (option.text == "expire") {
                if (!only(AlertActionKind::Propose, option) || !once(expire, option))
                    return std::nullopt;
                auto d = parseDurationToken();
                if (!d) return std::nullopt;
                action.expireNs = *d;
            } else if (option.text == "max_orders") {
                if (!only(AlertActionKind::Auto, option) || !once(maxOrders, option))
                    return std::nullopt;
                const Token& n = peek();
                int value = 0;
                const auto [ptr, ec] =
                    std::from_chars(n.text.data(), n.text.data() + n.text.size(), value);
                if (n.kind != Token::Kind::Literal || ec != std::errc{} ||
                    ptr != n.text.data() + n.text.size() || value <= 0)
                    return fail(n, "expected a positive whole number of orders");
                next();
                action.maxOrders = value;
            } else if (option.text == "max_position") {
                if (!only(AlertActionKind::Auto, option) || !once(maxPosition, option))
                    return std::nullopt;
                auto limit = parseSizeToken();
                if (!limit) return std::nullopt;
                action.maxPosition = std::move(*limit);
            } else {
                return fail(option, optionsExpected(action.kind));
            }
        }
        return action;
    }

    /// A positive plain decimal ("0.01", "2", ".5"): no sign, no exponent, so that the desk can
    /// convert it to lots exactly.
    std::optional<std::string> parseSizeToken() {
        const Token& t = peek();
        bool digit = false;
        bool nonZero = false;
        int dots = 0;
        bool plain = t.kind == Token::Kind::Literal;
        for (const char c : t.text) {
            if (c == '.') {
                ++dots;
            } else if (isDigit(c)) {
                digit = true;
                nonZero = nonZero || c != '0';
            } else {
                plain = false;
            }
        }
        if (!plain || !digit || dots > 1)
            return fail(t,
                        "expected a size as a plain decimal in the instrument's units (e.g. "
                        "0.01)");
        if (!nonZero) return failPlain(t, "size must be positive");
        next();
        return std::string(t.text);
    }

    std::optional<TimeNs> parseDurationToken() {
        const Token& t = peek();
        const auto d = t.kind == Token::Kind::Literal ? parseDuration(t.text) : std::nullopt;
        if (!d || *d <= 0)
            return fail(t, "expected a positive duration with a unit (e.g. 500ms, 3s, 1m)");
        next();
        return d;
    }

    const std::vector<Token>& tokens_;
    std::span<const WindowSpec> windows_;
    std::size_t pos_ = 0;
    int depth_ = 0;  ///< open parentheses around the current term
    int errorColumn_ = 0;
    std::string error_;
};

}  // namespace

std::string RuleParseError::format(std::string_view source) const {
    return std::string(source) + ':' + std::to_string(line) + ':' + std::to_string(column) + ": " +
           message;
}

ParsedRules parseRules(std::string_view text, std::span<const WindowSpec> windows) {
    ParsedRules result;
    std::vector<Token> tokens;
    std::unordered_map<std::string, int> nameLines;  // a name's line: no quadratic search
    std::size_t nodes = 0;
    int lineNumber = 0;
    while (!text.empty()) {
        ++lineNumber;
        const std::size_t newline = text.find('\n');
        std::string_view line = text.substr(0, newline);
        text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
        line = line.substr(0, line.find('#'));
        int badColumn = 0;
        if (!tokenize(line, tokens, badColumn)) {
            result.error = RuleParseError{
                lineNumber, badColumn,
                "unexpected character '" +
                    std::string(1, line[static_cast<std::size_t>(badColumn - 1)]) + "'"};
            return result;
        }
        if (tokens.size() == 1) continue;  // blank or comment only
        if (result.rules.size() == kMaxRules) {
            result.error = RuleParseError{lineNumber, tokens.front().column,
                                          "more than " + std::to_string(kMaxRules) + " rules"};
            return result;
        }
        LineParser parser(tokens, windows);
        auto rule = parser.parse();
        if (!rule) {
            result.error = RuleParseError{lineNumber, parser.errorColumn(), parser.errorMessage()};
            return result;
        }
        nodes += nodeCount(rule->condition);
        if (nodes > kMaxRuleNodes) {
            result.error =
                RuleParseError{lineNumber, tokens.front().column,
                               "more than " + std::to_string(kMaxRuleNodes) + " conditions in all"};
            return result;
        }
        if (const auto [it, added] = nameLines.try_emplace(rule->name, lineNumber); !added) {
            result.error =
                RuleParseError{lineNumber, tokens.front().column,
                               "duplicate rule name '" + rule->name + "' (first on line " +
                                   std::to_string(it->second) + ")"};
            return result;
        }
        result.rules.push_back(std::move(*rule));
    }
    return result;
}

}  // namespace flowscope
