// flowscope-cli signals: every imbalance signal of the engine at each event of a LOBSTER day.
#include <algorithm>
#include <ostream>

#include "arg_parser.h"
#include "commands.h"
#include "io/text_excerpt.h"
#include "lobster/lobster_reader.h"
#include "output_sink.h"
#include "signals/imbalance_engine.h"
#include "text_format.h"

namespace flowscope::cli {
namespace {

constexpr const char* kHelp =
    R"(usage: flowscope-cli signals --messages M.csv --book B.csv [--every N] [--levels M]
                            [--out FILE.csv]

Feeds every LOBSTER message through the imbalance engine and prints its signals after each
message (or after every N-th with --every N), CSV on stdout or to FILE.csv:
  time,row,type,best_bid,bid_size,best_ask,ask_size,mid,micro_price,spread,
  queue_imbalance,depth_imbalance,ofi_event,cvd, then for each window W in 1s,10s,60s,100ev,1000ev:
  ofi_W,mlofi_W,buy_W,sell_W,trade_imbalance_W,ofi_z_W,mlofi_z_W,delta_z_W,qi_z_W,micro_z_W
Prices in the file's units (1/10000 dollar), sizes in shares, time in seconds after midnight.
Book rows are the states; visible and hidden executions are trades (an execution of a sell
order is buyer-initiated). z-scores compare with the last 60 non-overlapping windows; nan until
two exist. --levels sets M for the multi-level OFI (default: the file's levels, at most 10).
)";

void writeHeader(std::ostream& os, const EngineConfig& config) {
    os << "time,row,type,best_bid,bid_size,best_ask,ask_size,mid,micro_price,spread,"
          "queue_imbalance,depth_imbalance,ofi_event,cvd";
    for (const WindowSpec& w : config.windows) {
        const std::string l = w.label();
        os << ",ofi_" << l << ",mlofi_" << l << ",buy_" << l << ",sell_" << l << ",trade_imbalance_"
           << l << ",ofi_z_" << l << ",mlofi_z_" << l << ",delta_z_" << l << ",qi_z_" << l
           << ",micro_z_" << l;
    }
    os << '\n';
}

std::string levelField(const Level& l, bool price) {
    if (isEmptyLevel(l)) return "";
    return std::to_string(price ? l.price : l.qty);
}

// `ofiEvent` is this row's own level-1 e_n: 0 for messages that leave the visible book unchanged
// (hidden executions, crosses, halts), whatever the previous book event was.
void writeRow(std::ostream& os, const LobsterRow& row, const SignalSnapshot& s, Lots ofiEvent,
              std::string& line) {
    line.clear();
    line += formatSeconds(row.message.timeNs) + ',' + std::to_string(row.index) + ',' +
            std::to_string(static_cast<int>(row.message.type)) + ',';
    line += levelField(s.bestBid, true) + ',' + levelField(s.bestBid, false) + ',';
    line += levelField(s.bestAsk, true) + ',' + levelField(s.bestAsk, false) + ',';
    const double spread = isEmptyLevel(s.bestBid) || isEmptyLevel(s.bestAsk)
                              ? kUndefined
                              : static_cast<double>(s.bestAsk.price - s.bestBid.price);
    for (double v : {s.mid, s.microPrice, spread, s.queueImbalance, s.depthImbalance})
        line += formatDouble(v) + ',';
    line += std::to_string(ofiEvent) + ',' + std::to_string(s.cumulativeDelta);
    for (std::size_t i = 0; i < s.windowCount; ++i) {
        const WindowSignals& w = s.windows[i];
        for (Lots v : {w.ofi, w.mlofi, w.buyVolume, w.sellVolume})
            line += ',' + std::to_string(v);
        for (double v :
             {w.tradeImbalance, w.ofiZ, w.mlofiZ, w.deltaZ, w.queueImbalanceZ, w.microOffsetZ})
            line += ',' + formatDouble(v);
    }
    line += '\n';
    os << line;
}

}  // namespace

int runSignals(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    ArgParser parser({"messages", "book", "every", "levels", "out"}, {"help"});
    const auto usage = [&](const std::string& message) {
        err << "flowscope-cli signals: " << message << "\n" << kHelp;
        return kExitBadInput;
    };
    if (!parser.parse(args)) return usage(parser.error());
    if (parser.flag("help")) {
        out << kHelp;
        return kExitOk;
    }
    if (!parser.positional().empty())
        return usage("unexpected argument " + quoteExcerpt(parser.positional()[0]));
    for (const char* required : {"messages", "book"})
        if (!parser.value(required)) return usage(std::string("missing --") + required);
    std::string error;
    long long every = 1;
    if (auto v = parser.value("every")) {
        auto parsed = parsePositive("every", *v, error);
        if (!parsed) return usage(error);
        every = *parsed;
    }
    std::optional<long long> levels;
    if (auto v = parser.value("levels")) {
        levels = parsePositive("levels", *v, error);
        if (!levels) return usage(error);
        if (*levels > EngineConfig::kMaxLevels)
            return usage("--levels must be at most " + std::to_string(EngineConfig::kMaxLevels));
    }

    LobsterReader reader;
    const auto inputError = [&]() {
        err << "flowscope-cli signals: " << reader.error()->toString() << "\n";
        return kExitBadInput;
    };
    if (!reader.open(*parser.value("messages"), *parser.value("book"))) return inputError();
    if (!reader.next()) return inputError();

    EngineConfig config;
    config.ofiLevels = static_cast<int>(levels.value_or(std::min(reader.levels(), 10)));
    config.depthLevels = std::min(reader.levels(), 10);
    if (config.ofiLevels > reader.levels())
        return usage("--levels " + std::to_string(config.ofiLevels) + " but " +
                     *parser.value("book") + " has " + std::to_string(reader.levels()) + " levels");
    ImbalanceEngine engine(config);

    OutputSink sink(out, parser.value("out"));
    if (!sink.open(error)) return usage(error);
    std::ostream& os = sink.stream();
    writeHeader(os, config);
    std::string line;
    do {
        const LobsterRow& row = reader.row();
        // Row 0 is the initial state; later rows change the book only for types 1-4.
        const bool bookEvent = row.index == 0 || lobsterBookDelta(row.message).has_value();
        if (bookEvent) engine.onDepth(row.bids, row.asks, row.message.timeNs);
        Side aggressor{};
        if (lobsterTrade(row.message, aggressor))
            engine.onTrade(
                {row.message.price, row.message.size, aggressor, row.message.timeNs, row.index});
        if (row.index % static_cast<std::size_t>(every) == 0)
            writeRow(os, row, engine.snapshot(), bookEvent ? engine.lastLevelOfi()[0] : 0, line);
    } while (reader.next());
    if (reader.error()) return inputError();
    if (!sink.commit(error)) {
        err << "flowscope-cli signals: " << error << "\n";
        return kExitFailure;
    }
    return kExitOk;
}

}  // namespace flowscope::cli
