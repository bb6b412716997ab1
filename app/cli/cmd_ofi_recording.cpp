// flowscope-cli ofi --recording: the OFI table of a venue recording, where an event is one applied
// book update message (e_n from the book before and after it).
#include <ostream>

#include "analysis/ofi_regression.h"
#include "analysis/ofi_table.h"
#include "book_json.h"
#include "commands.h"
#include "ofi_output.h"
#include "output_sink.h"
#include "record/replay_driver.h"
#include "replay_input.h"
#include "venues/adapter_factory.h"

namespace flowscope::cli {
namespace {

/// Feeds the OFI table from the adapter: the top L levels after each update message; a snapshot
/// (first sync or resync) rebases the table without counting the jump as order flow.
class OfiTableListener final : public venues::VenueListener {
  public:
    OfiTableListener(OfiTableBuilder& table, int levels)
        : table_(table),
          bids_(static_cast<std::size_t>(levels)),
          asks_(static_cast<std::size_t>(levels)) {}

    void onBookSnapshot(const OrderBook& book, TimeNs, TimeNs) override {
        capture(book);
        if (initialised_) {
            table_.rebase(bids_, asks_);
        } else {
            table_.setInitial(bids_, asks_);
            initialised_ = true;
        }
    }
    void onBookLevel(Side, PriceTicks, Lots, TimeNs) override {}
    void onBookUpdateEnd(const OrderBook& book, TimeNs eventNs, TimeNs) override {
        capture(book);
        table_.addEvent(eventNs, bids_, asks_);
    }
    void onTrade(const Trade&, TimeNs) override {}
    void onBookInvalid(std::string_view) override {}

  private:
    void capture(const OrderBook& book) {
        book.bids().top(bids_);
        book.asks().top(asks_);
    }

    OfiTableBuilder& table_;
    std::vector<Level> bids_, asks_;
    bool initialised_ = false;
};

}  // namespace

int runOfiRecording(const ArgParser& parser, std::int64_t levels, TimeNs intervalNs,
                    std::ostream& out, std::ostream& err) {
    std::string error;
    auto input = openReplayInput(*parser.value("recording"), parser, error);
    if (!input) {
        err << "flowscope-cli ofi: " << error << "\n";
        return kExitBadInput;
    }
    OfiTableBuilder table(static_cast<int>(levels), intervalNs);
    OfiTableListener listener(table, static_cast<int>(levels));
    auto adapter = venues::makeAdapter(input->choice.venue, input->choice.symbol,
                                       input->choice.instrument, listener);
    record::ReplayDriver driver(*input->recording, *adapter);
    driver.runToEnd();
    for (const std::string& warning : input->recording->warnings()) {
        err << "flowscope-cli ofi: warning: " << warning << "\n";
    }
    for (const std::string& problem : adapter->problemSamples()) {
        err << "flowscope-cli ofi: " << problem << "\n";
    }
    if (!input->recording->error().empty()) {
        err << "flowscope-cli ofi: " << input->recording->error() << "\n";
        return kExitBadInput;
    }
    if (const auto& overflow = table.overflow()) {
        err << "flowscope-cli ofi: " << *parser.value("recording") << ": the OFI at level "
            << overflow->level << " does not fit in 64 bits at the event received at "
            << overflow->timeNs << " ns (sizes too large)\n";
        return kExitBadInput;
    }
    table.finish();

    const bool summary = parser.flag("summary");
    if (parser.value("out") || !summary) {
        OutputSink csv(out, parser.value("out"));
        if (!csv.open(error)) {
            err << "flowscope-cli ofi: " << error << "\n";
            return kExitBadInput;
        }
        writeOfiCsv(csv.stream(), table.windows(), table.levels(),
                    OfiUnits::venue(adapter->instrument()));
        if (!csv.commit(error)) {
            err << "flowscope-cli ofi: " << error << "\n";
            return kExitFailure;
        }
    }
    if (summary)
        writeOfiSummary(out, regressOfi(table.windows(), table.levels()),
                        OfiUnits::venue(adapter->instrument()));
    return kExitOk;  // main() reports a failed write on stdout, for every subcommand
}

}  // namespace flowscope::cli
