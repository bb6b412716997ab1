#pragma once
/// Minimal "--name value" / "--flag" parser with the CLI's error rules: an unknown option, a
/// missing value or a repeated option is a usage error (exit 2) that names the option.

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace flowscope::cli {

class ArgParser {
  public:
    /// `valued` options take a value, `flags` do not.
    ArgParser(std::set<std::string> valued, std::set<std::string> flags)
        : valued_(std::move(valued)), flags_(std::move(flags)) {}

    /// False on a usage error; error() says what.
    bool parse(const std::vector<std::string>& args);
    const std::string& error() const { return error_; }

    std::optional<std::string> value(const std::string& name) const;
    bool flag(const std::string& name) const { return setFlags_.count(name) > 0; }
    const std::vector<std::string>& positional() const { return positional_; }

  private:
    std::set<std::string> valued_, flags_;
    std::map<std::string, std::string> values_;
    std::set<std::string> setFlags_;
    std::vector<std::string> positional_;
    std::string error_;
};

/// Parses a positive integer option; on failure writes a usage message to `error`.
std::optional<long long> parsePositive(const std::string& name, const std::string& text,
                                       std::string& error);

/// Parses a positive number of seconds (at most 9 decimals, exact) into nanoseconds; on failure
/// writes a usage message naming the option to `error`.
std::optional<long long> parseSeconds(const std::string& name, const std::string& text,
                                      std::string& error);

}  // namespace flowscope::cli
