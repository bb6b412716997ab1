// flowscope-cli alerts: when each alert rule would have fired over a LOBSTER day or a recording,
// so a rule can be tested on history before it is armed.
#include <algorithm>
#include <fstream>
#include <ostream>
#include <sstream>

#include "alerts/rule_evaluator.h"
#include "alerts/rule_parser.h"
#include "alerts/rule_printer.h"
#include "arg_parser.h"
#include "commands.h"
#include "feed/feed_engine.h"
#include "feed/feed_venue_listener.h"
#include "lobster/lobster_reader.h"
#include "record/replay_driver.h"
#include "replay_input.h"
#include "text_format.h"
#include "venues/adapter_factory.h"

namespace flowscope::cli {
namespace {

constexpr const char* kHelp =
    R"(usage: flowscope-cli alerts --rules RULES.txt --messages M.csv --book B.csv
       flowscope-cli alerts --rules RULES.txt --replay FILE [--venue V] [--symbol S]
                            [--tick T --lot L]

Runs alert rules over the imbalance engine's signals after every event of a LOBSTER day
(--messages/--book) or a recording or capture (--replay, through the venue adapter as the live
feed) and prints each firing, CSV on stdout:
  time,rule,values
time: seconds after midnight for LOBSTER, epoch seconds (venue event time) for recordings;
values: the signals the rule reads at that instant, "name=value;name=value".

RULES.txt holds one rule a line ('#' starts a comment):
  ofi_push: ofi_z(10s) > 2.5 for 3s and spread <= 1 cooldown 30s
  sell_wall: queue_imbalance < -0.6 for 500ms or mlofi_z(1s) < -3
'and' binds tighter than 'or'; parentheses group. 'for D': the condition held at every event
for D of event time; 'cooldown D': no new firing within D. A rule fires when its condition
becomes true. Durations: ns, us, ms, s, m. Undefined values (nan) compare false.
An action may follow ('then alert', 'then propose buy 0.01 expire 10s', 'then auto sell 0.02
limit at ask max_orders 3 max_position 0.05'): the terminal's alert desk carries it out; here
it is checked and every firing is listed as an alert.
Signals: mid, micro_offset, spread (ticks), queue_imbalance, depth_imbalance, cum_delta,
last_ofi (lots); per window W in 1s, 10s, 60s, 100ev, 1000ev: ofi(W), mlofi(W),
buy_volume(W), sell_volume(W), trade_imbalance(W), ofi_z(W), mlofi_z(W), delta_z(W),
queue_imbalance_z(W), micro_offset_z(W). Prices in ticks (LOBSTER: 1/10000 dollar).
)";

constexpr const char* kName = "flowscope-cli alerts: ";

/// Writes firings as CSV lines, reusing one line buffer.
class FiringWriter {
  public:
    FiringWriter(std::ostream& out, const RuleEvaluator& evaluator)
        : out_(out), evaluator_(evaluator) {
        for (std::size_t r = 0; r < evaluator.rules().size(); ++r) {
            std::vector<std::string> names;
            for (const SignalRef& s : evaluator.signalsOf(r))
                names.push_back(signalText(s));
            labels_.push_back(std::move(names));
        }
    }

    void write(std::span<const AlertFiring> firings) {
        for (const AlertFiring& f : firings) {
            line_ = formatSeconds(f.timeNs);
            line_ += ',';
            line_ += evaluator_.rules()[f.ruleIndex].name;
            line_ += ',';
            for (std::size_t k = 0; k < f.values.size(); ++k) {
                if (k) line_ += ';';
                line_ += labels_[f.ruleIndex][k] + '=' + formatNumber(f.values[k]);
            }
            line_ += '\n';
            out_ << line_;
        }
    }

  private:
    std::ostream& out_;
    const RuleEvaluator& evaluator_;
    std::vector<std::vector<std::string>> labels_;
    std::string line_;
};

/// Feeds the adapter's events into a FeedEngine exactly as the live feed does, and evaluates the
/// rules once the engine has taken each complete message (never between the levels of one
/// update: the book can be crossed halfway through).
class AlertsListener final : public venues::VenueListener {
  public:
    AlertsListener(FeedEngine& feed, RuleEvaluator& evaluator, FiringWriter& writer)
        : feed_(feed), evaluator_(evaluator), writer_(writer) {
        forward_.attach(&feed);
    }

    void onBookSnapshot(const OrderBook& book, TimeNs eventNs, TimeNs receiveNs) override {
        forward_.onBookSnapshot(book, eventNs, receiveNs);
        evaluate();
    }
    void onBookLevel(Side side, PriceTicks price, Lots qty, TimeNs eventNs) override {
        forward_.onBookLevel(side, price, qty, eventNs);
    }
    void onBookUpdateEnd(const OrderBook& book, TimeNs eventNs, TimeNs receiveNs) override {
        forward_.onBookUpdateEnd(book, eventNs, receiveNs);
        evaluate();
    }
    void onTrade(const Trade& trade, TimeNs receiveNs) override {
        forward_.onTrade(trade, receiveNs);
        evaluate();
    }
    void onBookInvalid(std::string_view reason) override {
        forward_.onBookInvalid(reason);
        // Holds must not span the time the feed was blind; cooldowns still count.
        evaluator_.interrupt();
    }

  private:
    void evaluate() {
        if (feed_.state() != FeedState::Live) return;  // no firing on a book being resynced
        // The engine's own clock (never backwards, although trade and depth streams interleave
        // their venue times) is the rules' event time.
        const SignalSnapshot s = feed_.imbalanceSignals();
        writer_.write(evaluator_.evaluate(s, s.timeNs));
    }

    FeedEngine& feed_;
    RuleEvaluator& evaluator_;
    FiringWriter& writer_;
    FeedVenueListener forward_;
};

int runOnLobster(const ArgParser& parser, std::vector<Rule> rules, std::ostream& out,
                 std::ostream& err) {
    LobsterReader reader;
    const auto inputError = [&]() {
        err << kName << reader.error()->toString() << "\n";
        return kExitBadInput;
    };
    if (!reader.open(*parser.value("messages"), *parser.value("book"))) return inputError();
    if (!reader.next()) return inputError();
    // The same engine settings as `flowscope-cli signals`, so its CSV shows what rules read.
    EngineConfig config;
    config.ofiLevels = std::min(reader.levels(), 10);
    config.depthLevels = std::min(reader.levels(), 10);
    ImbalanceEngine engine(config);
    RuleEvaluator evaluator(std::move(rules));
    FiringWriter writer(out, evaluator);
    do {
        const LobsterRow& row = reader.row();
        if (row.index == 0 || lobsterBookDelta(row.message))
            engine.onDepth(row.bids, row.asks, row.message.timeNs);
        Side aggressor{};
        if (lobsterTrade(row.message, aggressor))
            engine.onTrade(
                {row.message.price, row.message.size, aggressor, row.message.timeNs, row.index});
        writer.write(evaluator.evaluate(engine.snapshot(), row.message.timeNs));
    } while (reader.next());
    if (reader.error()) return inputError();
    return kExitOk;
}

int runOnRecording(const ArgParser& parser, std::vector<Rule> rules, std::ostream& out,
                   std::ostream& err) {
    std::string error;
    auto input = openReplayInput(*parser.value("replay"), parser, error);
    if (!input) {
        err << kName << error << "\n";
        return kExitBadInput;
    }
    const Instrument& instrument = input->choice.instrument;
    FeedEngine feed({venues::venueName(input->choice.venue), input->choice.symbol,
                     instrument.tickSize(), instrument.lotSize()});
    RuleEvaluator evaluator(std::move(rules));
    FiringWriter writer(out, evaluator);
    AlertsListener listener(feed, evaluator, writer);
    auto adapter =
        venues::makeAdapter(input->choice.venue, input->choice.symbol, instrument, listener);
    record::ReplayDriver driver(*input->recording, *adapter);
    driver.runToEnd();
    for (const std::string& warning : input->recording->warnings())
        err << kName << "warning: " << warning << "\n";
    for (const std::string& problem : adapter->problemSamples())
        err << kName << problem << "\n";
    if (!input->recording->error().empty()) {
        err << kName << input->recording->error() << "\n";
        return kExitBadInput;
    }
    return kExitOk;
}

}  // namespace

int runAlerts(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    auto names = venueOptionNames();
    names.insert({"rules", "replay", "messages", "book"});
    ArgParser parser(names, {"help"});
    const auto usage = [&](const std::string& message) {
        err << kName << message << "\n" << kHelp;
        return kExitBadInput;
    };
    if (!parser.parse(args)) return usage(parser.error());
    if (parser.flag("help")) {
        out << kHelp;
        return kExitOk;
    }
    if (!parser.positional().empty())
        return usage("unexpected argument '" + parser.positional()[0] + "'");
    if (!parser.value("rules")) return usage("missing --rules");
    const bool lobster = parser.value("messages") || parser.value("book");
    if (lobster == parser.value("replay").has_value())
        return usage("give either --replay FILE or --messages M.csv --book B.csv");
    if (lobster && !(parser.value("messages") && parser.value("book")))
        return usage(std::string("missing --") + (parser.value("book") ? "messages" : "book"));

    const std::string rulesPath = *parser.value("rules");
    std::ifstream file(rulesPath, std::ios::binary);
    std::ostringstream text;
    if (file.is_open()) text << file.rdbuf();
    if (!file.is_open() || file.bad()) {
        err << kName << "cannot read rules file '" << rulesPath << "'\n";
        return kExitBadInput;
    }
    ParsedRules parsed = parseRules(text.str(), EngineConfig{}.windows);
    if (parsed.error) {
        err << kName << parsed.error->format(rulesPath) << "\n";
        return kExitBadInput;
    }
    if (parsed.rules.empty()) {
        err << kName << rulesPath << ": no rules\n";
        return kExitBadInput;
    }

    out << "time,rule,values\n";
    const int code = lobster ? runOnLobster(parser, std::move(parsed.rules), out, err)
                             : runOnRecording(parser, std::move(parsed.rules), out, err);
    return code;  // main() reports a failed write on stdout, for every subcommand
}

}  // namespace flowscope::cli
