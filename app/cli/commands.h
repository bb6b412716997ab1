#pragma once
/// Subcommands of flowscope-cli. Each returns the process exit code: 0 success, 1 runtime failure,
/// 2 bad input or usage (see ../shared/CLI.md). Results go to `out`, diagnostics to `err`.

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

namespace flowscope::cli {

int runOfi(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int runChecksum(const std::vector<std::string>& args, std::istream& in, std::ostream& out,
                std::ostream& err);
int runWatch(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int runRecord(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int runReplay(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int runSignals(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
/// Binance spot order entry (cmd_order.cpp).
int runOrder(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int runCancel(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int runOpenOrders(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int runAlerts(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

class ArgParser;
/// `ofi --recording`: the options are parsed and checked by runOfi.
int runOfiRecording(const ArgParser& parser, std::int64_t levels, std::int64_t intervalNs,
                    std::ostream& out, std::ostream& err);

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitBadInput = 2;

}  // namespace flowscope::cli
