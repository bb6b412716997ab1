// flowscope-cli ofi: the OFI table of Cont, Kukanov & Stoikov per clock window and its regression.
#include <ostream>

#include "analysis/ofi_regression.h"
#include "analysis/ofi_table.h"
#include "arg_parser.h"
#include "book/instrument.h"
#include "commands.h"
#include "io/text_excerpt.h"
#include "lobster/lobster_reader.h"
#include "ofi_output.h"
#include "output_sink.h"
#include "text_format.h"

namespace flowscope::cli {
namespace {

constexpr const char* kHelp =
    R"(usage: flowscope-cli ofi --messages M.csv --book B.csv --levels L --interval SECONDS
                        [--out FILE.csv] [--summary]
       flowscope-cli ofi --recording FILE --venue V --levels L --interval SECONDS
                        [--symbol S] [--tick T --lot L] [--out FILE.csv] [--summary]

Windows are [k*S, (k+1)*S) in seconds after midnight (LOBSTER) or of the venue's event time in
epoch seconds (--recording); only windows with events are reported. With --recording an event
is one applied book update message, mid_change is in quote currency and ofi_m in base units.
CSV (stdout, or FILE.csv with --out): start,end,events,mid_change,ofi_1,...,ofi_L
  mid_change  mid at the window's last event minus mid at the last event before the window,
              in the file's price units (1/10000 dollar)
  ofi_m       sum of e_n at level m over the window's events, in shares
--summary prints one JSON object instead of the CSV (the CSV still goes to --out if given):
  {"windows": N, "levels": [{"level": m, "beta": b, "r2": r}, ...], "mlofi_r2": r}
  (beta: mid change per unit of OFI; with --recording in quote currency per base unit)
)";

}  // namespace

int runOfi(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    ArgParser parser({"messages", "book", "levels", "interval", "out", "recording", "venue",
                      "symbol", "tick", "lot"},
                     {"summary", "help"});
    const auto usage = [&](const std::string& message) {
        err << "flowscope-cli ofi: " << message << "\n" << kHelp;
        return kExitBadInput;
    };
    if (!parser.parse(args)) return usage(parser.error());
    if (parser.flag("help")) {
        out << kHelp;
        return kExitOk;
    }
    if (!parser.positional().empty())
        return usage("unexpected argument " + quoteExcerpt(parser.positional()[0]));
    const bool fromRecording = parser.value("recording").has_value();
    if (fromRecording && (parser.value("messages") || parser.value("book")))
        return usage("--recording replaces --messages/--book: give one input");
    if (!fromRecording && parser.value("venue")) return usage("--venue goes with --recording");
    for (const char* required : {"levels", "interval"})
        if (!parser.value(required)) return usage(std::string("missing --") + required);
    if (!fromRecording)
        for (const char* required : {"messages", "book"})
            if (!parser.value(required)) return usage(std::string("missing --") + required);

    std::string error;
    const auto levels = parsePositive("levels", *parser.value("levels"), error);
    if (!levels) return usage(error);
    const auto intervalNs = parseSeconds("interval", *parser.value("interval"), error);
    if (!intervalNs) return usage(error);
    if (fromRecording) return runOfiRecording(parser, *levels, *intervalNs, out, err);

    LobsterReader reader;
    const auto inputError = [&]() {
        err << "flowscope-cli ofi: " << reader.error()->toString() << "\n";
        return kExitBadInput;
    };
    if (!reader.open(*parser.value("messages"), *parser.value("book"))) return inputError();
    if (!reader.next()) return inputError();
    if (*levels > reader.levels())
        return usage("--levels " + std::to_string(*levels) + " but " + *parser.value("book") +
                     " has " + std::to_string(reader.levels()) + " levels");

    OfiTableBuilder table(static_cast<int>(*levels), *intervalNs);
    table.setInitial(reader.row().bids, reader.row().asks);
    while (reader.next()) {
        table.addEvent(reader.row().message.timeNs, reader.row().bids, reader.row().asks);
        if (const auto& overflow = table.overflow()) [[unlikely]] {
            err << "flowscope-cli ofi: "
                << InputError{*parser.value("messages"), reader.row().index + 1,
                              "the OFI at level " + std::to_string(overflow->level) +
                                  " does not fit in 64 bits (sizes too large)"}
                       .toString()
                << "\n";
            return kExitBadInput;
        }
    }
    if (reader.error()) return inputError();
    table.finish();

    // The CSV goes to --out when given, else to stdout unless --summary takes stdout.
    const bool summary = parser.flag("summary");
    if (parser.value("out") || !summary) {
        OutputSink csv(out, parser.value("out"));
        if (!csv.open(error)) return usage(error);
        writeOfiCsv(csv.stream(), table.windows(), table.levels(), OfiUnits::raw());
        if (!csv.commit(error)) {
            err << "flowscope-cli ofi: " << error << "\n";
            return kExitFailure;
        }
    }
    if (summary) writeOfiSummary(out, regressOfi(table.windows(), table.levels()), OfiUnits::raw());
    return kExitOk;  // main() reports a failed write on stdout, for every subcommand
}

}  // namespace flowscope::cli
