// flowscope-cli: subcommand dispatch. Each subcommand lives in its own cmd_*.cpp.
#include <iostream>
#include <string>
#include <vector>

#include "commands.h"
#include "io/text_excerpt.h"

namespace {

constexpr const char* kUsage = R"(usage: flowscope-cli <command> [options]

commands:
  checksum  a venue's book checksum (kraken, okx) of a JSON book read from stdin
  ofi       OFI table per clock window (level 1..L) from LOBSTER files, with --summary regression
  signals   imbalance signals at every event of LOBSTER files, CSV
  alerts    when alert rules would have fired over LOBSTER files or a recording, CSV
  watch     a live venue book for a while, as JSON (--venue, --symbol, --depth, --duration)
  record    a venue's raw feed to a recording file (--venue, --symbol, --out, --duration)
  replay    a recording or capture through the venue adapter, final book and counters as JSON
  order     place a Binance spot order (signed REST; keys from the environment), answer as JSON
  cancel    cancel a Binance spot order by --order-id or --client-order-id
  open-orders  the open Binance spot orders of a symbol, as JSON

Run 'flowscope-cli <command> --help' for a command's options.
Exit codes: 0 success, 1 runtime failure, 2 bad input or usage.
)";

/// Every subcommand's results go to stdout; a write that failed there (a full disk, a closed
/// pipe) loses them, so whatever the subcommand returned it is reported here, in one place, and
/// the exit is 1 (2 stays 2: the usage problem came first).
int finishStandardOutput(const std::string& command, int code) {
    if (std::cout.flush()) return code;
    std::cerr << "flowscope-cli " << command << ": standard output: write failed\n";
    return code == flowscope::cli::kExitBadInput ? code : flowscope::cli::kExitFailure;
}

int dispatch(const std::string& command, const std::vector<std::string>& args);

}  // namespace

int main(int argc, char** argv) {
    using namespace flowscope::cli;
    std::ios::sync_with_stdio(false);
    if (argc < 2) {
        std::cerr << kUsage;
        return kExitBadInput;
    }
    const std::string command = argv[1];
    const std::vector<std::string> args(argv + 2, argv + argc);
    return finishStandardOutput(command, dispatch(command, args));
}

namespace {

int dispatch(const std::string& command, const std::vector<std::string>& args) {
    using namespace flowscope::cli;
    try {
        if (command == "ofi") return runOfi(args, std::cout, std::cerr);
        if (command == "checksum") return runChecksum(args, std::cin, std::cout, std::cerr);
        if (command == "signals") return runSignals(args, std::cout, std::cerr);
        if (command == "alerts") return runAlerts(args, std::cout, std::cerr);
        if (command == "watch") return runWatch(args, std::cout, std::cerr);
        if (command == "record") return runRecord(args, std::cout, std::cerr);
        if (command == "replay") return runReplay(args, std::cout, std::cerr);
        if (command == "order") return runOrder(args, std::cout, std::cerr);
        if (command == "cancel") return runCancel(args, std::cout, std::cerr);
        if (command == "open-orders") return runOpenOrders(args, std::cout, std::cerr);

    } catch (const std::exception& e) {
        std::cerr << "flowscope-cli " << command << ": " << e.what() << "\n";
        return kExitFailure;
    }
    if (command == "--help" || command == "-h" || command == "help") {
        std::cout << kUsage;
        return kExitOk;
    }
    if (command == "--version") {
        std::cout << "flowscope-cli 0.1.0\n";
        return kExitOk;
    }
    std::cerr << "flowscope-cli: unknown command " << flowscope::quoteExcerpt(command) << "\n"
              << kUsage;
    return kExitBadInput;
}

}  // namespace
