// flowscope-cli watch: a live book from a venue for a while, printed as one JSON object.
#include <ostream>

#include "arg_parser.h"
#include "book_json.h"
#include "commands.h"
#include "feed/market_snapshot.h"
#include "io/text_excerpt.h"
#include "live_session.h"
#include "venues/adapter_factory.h"

namespace flowscope::cli {
namespace {

constexpr const char* kHelp =
    R"(usage: flowscope-cli watch --venue V --symbol S [--depth N] [--duration SECONDS]
                          [--ws-url URL] [--rest-url URL] [--ca-file PEM] [--tick T --lot L]

Connects, keeps the venue's book in sync (snapshot + diffs, sequence and checksum checks,
reconnects), and when the duration ends (default 10 s; Ctrl-C ends early) prints one JSON object:
  {"venue", "symbol", "synced", "state", "reason", "seconds", "bids": [["price", "size"], ...],
   "asks": [...], "counters": {"messages", "applied_events", "snapshots", "dropped_before_sync",
   "gaps", "resyncs", "checksum_failures", "parse_errors", "unknown_messages", "trades"}}
Prices and sizes are the venue's decimal strings. Connection states go to stderr.
Exit 0 when the book is live at the end, 1 when it is not (the reason on stderr), 2 for bad usage.
)";

}  // namespace

int runWatch(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    auto names = venueOptionNames();
    names.insert({"depth", "duration"});
    ArgParser parser(names, {"help"});
    const auto usage = [&](const std::string& message) {
        err << "flowscope-cli watch: " << message << "\n" << kHelp;
        return kExitBadInput;
    };
    if (!parser.parse(args)) return usage(parser.error());
    if (parser.flag("help")) {
        out << kHelp;
        return kExitOk;
    }
    if (!parser.positional().empty())
        return usage("unexpected argument " + quoteExcerpt(parser.positional()[0]));
    std::string error;
    const auto choice = readVenueOptions(parser, error, {}, {}, true);
    if (!choice) return usage(error);
    long long depth = 10;
    if (const auto text = parser.value("depth")) {
        const auto n = parsePositive("depth", *text, error);
        if (!n) return usage(error);
        depth = *n;
    }
    TimeNs durationNs = 10'000'000'000;
    if (const auto text = parser.value("duration")) {
        const auto ns = parseSeconds("duration", *text, error);
        if (!ns) return usage(error);
        durationNs = *ns;
    }

    venues::NullVenueListener listener;
    auto adapter = venues::makeAdapter(choice->venue, choice->symbol, choice->instrument, listener);
    const LiveSessionResult run = runLiveSession(*choice, *adapter, durationNs, err, "watch");
    if (!run.startError.empty()) return usage(run.startError);
    writeBookReport(out, *adapter, static_cast<int>(depth),
                    {describe(run.state), run.reason, run.seconds, run.synced});
    out.flush();
    if (!run.synced) {
        err << "flowscope-cli watch: the book is not live at the end: "
            << (run.reason.empty() ? describe(run.state) : run.reason) << "\n";
        return kExitFailure;
    }
    return kExitOk;
}

}  // namespace flowscope::cli
