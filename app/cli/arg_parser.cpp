#include "arg_parser.h"

#include "book/instrument.h"
#include "io/text_excerpt.h"

#include <charconv>

namespace flowscope::cli {

bool ArgParser::parse(const std::vector<std::string>& args) {
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a.rfind("--", 0) != 0 || a.size() == 2) {
            positional_.push_back(a);
            continue;
        }
        std::string name = a.substr(2);
        std::optional<std::string> inlineValue;
        if (auto eq = name.find('='); eq != std::string::npos) {
            inlineValue = name.substr(eq + 1);
            name = name.substr(0, eq);
        }
        if (flags_.count(name)) {
            if (inlineValue) {
                error_ = "option " + textExcerpt("--" + name) + " takes no value";
                return false;
            }
            setFlags_.insert(name);
            continue;
        }
        if (!valued_.count(name)) {
            error_ = "unknown option " + textExcerpt("--" + name);
            return false;
        }
        if (values_.count(name)) {
            error_ = "option " + textExcerpt("--" + name) + " given twice";
            return false;
        }
        if (inlineValue) {
            values_[name] = *inlineValue;
        } else if (i + 1 < args.size()) {
            values_[name] = args[++i];
        } else {
            error_ = "option " + textExcerpt("--" + name) + " needs a value";
            return false;
        }
    }
    return true;
}

std::optional<std::string> ArgParser::value(const std::string& name) const {
    auto it = values_.find(name);
    if (it == values_.end()) return std::nullopt;
    return it->second;
}

std::optional<long long> parsePositive(const std::string& name, const std::string& text,
                                       std::string& error) {
    long long v = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || ptr != text.data() + text.size() || v <= 0) {
        error = "--" + name + " must be a positive integer, got " + quoteExcerpt(text);
        return std::nullopt;
    }
    return v;
}

std::optional<long long> parseSeconds(const std::string& name, const std::string& text,
                                      std::string& error) {
    const auto ns = parseScaledDecimal(text, 9);
    if (!ns || *ns <= 0) {
        error = "--" + name + " must be a positive number of seconds (at most 9 decimals), got " +
                quoteExcerpt(text);
        return std::nullopt;
    }
    return *ns;
}

}  // namespace flowscope::cli
