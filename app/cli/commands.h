#pragma once
/// Subcommands of flowscope-cli. Each returns the process exit code: 0 success, 1 runtime failure,
/// 2 bad input or usage (see ../shared/CLI.md). Results go to `out`, diagnostics to `err`.

#include <iosfwd>
#include <string>
#include <vector>

namespace flowscope::cli {

int runOfi(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int runSignals(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitBadInput = 2;

}  // namespace flowscope::cli
