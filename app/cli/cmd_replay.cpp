// flowscope-cli replay: a recording through the venue adapter, ending with the book as JSON.
#include <chrono>
#include <ostream>
#include <thread>

#include "arg_parser.h"
#include "book/clock.h"
#include "book_json.h"
#include "commands.h"
#include "io/text_excerpt.h"
#include "record/replay_driver.h"
#include "replay_input.h"
#include "venues/adapter_factory.h"

namespace flowscope::cli {
namespace {

constexpr const char* kHelp =
    R"(usage: flowscope-cli replay FILE [--venue binance-spot|binance-usdm|kraken|okx|coinbase|bybit]
                           [--symbol S] [--speed X] [--depth N] [--tick T --lot L]

Replays a recording (flowscope-cli record) or a plain capture (gzip text, "<receive ns> <json>"
a line) through the same adapter as the live feed. --speed 1 is real time, 10 ten times faster;
without it, as fast as possible. Venue and symbol come from the recording's header; captures
need --venue. When it ends, prints one JSON object:
  {"venue", "symbol", "synced", "bids": [["price", "size"], ...], "asks": [...],
   "counters": {"messages", "applied_events", "snapshots", "dropped_before_sync", "gaps",
                "resyncs", "checksum_failures", "parse_errors", "unknown_messages", "trades"}}
with prices and sizes as the venue's decimal strings, top --depth levels (default 10).
)";

}  // namespace

int runReplay(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    auto names = venueOptionNames();
    names.insert({"speed", "depth"});
    ArgParser parser(names, {"help"});
    const auto usage = [&](const std::string& message) {
        err << "flowscope-cli replay: " << message << "\n" << kHelp;
        return kExitBadInput;
    };
    if (!parser.parse(args)) return usage(parser.error());
    if (parser.flag("help")) {
        out << kHelp;
        return kExitOk;
    }
    if (parser.positional().size() != 1) return usage("give exactly one recording FILE");
    std::string error;
    long long depth = 10;
    if (const auto text = parser.value("depth")) {
        const auto n = parsePositive("depth", *text, error);
        if (!n) return usage(error);
        depth = *n;
    }
    double speed = 0.0;
    if (const auto text = parser.value("speed")) {
        const auto milli = parseScaledDecimal(*text, 3);
        if (!milli || *milli <= 0)
            return usage("--speed must be a positive number (1 = real time), got " +
                         quoteExcerpt(*text));
        speed = static_cast<double>(*milli) / 1000.0;
    }
    auto input = openReplayInput(parser.positional()[0], parser, error);
    if (!input) {
        err << "flowscope-cli replay: " << error << "\n";
        return kExitBadInput;
    }

    venues::NullVenueListener listener;
    auto adapter = venues::makeAdapter(input->choice.venue, input->choice.symbol,
                                       input->choice.instrument, listener);
    record::ReplayDriver driver(*input->recording, *adapter, speed);
    if (speed > 0.0) {
        while (driver.step(steadyNowNs()))
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
    } else {
        driver.runToEnd();
    }
    for (const std::string& warning : input->recording->warnings()) {
        err << "flowscope-cli replay: warning: " << warning << "\n";
    }
    for (const std::string& problem : adapter->problemSamples()) {
        err << "flowscope-cli replay: " << problem << "\n";
    }
    if (!input->recording->error().empty()) {
        err << "flowscope-cli replay: " << input->recording->error() << "\n";
        return kExitBadInput;
    }
    writeBookReport(out, *adapter, static_cast<int>(depth));
    return kExitOk;  // main() reports a failed write on stdout
}

}  // namespace flowscope::cli
