#include "book_json.h"

#include "text_format.h"

namespace flowscope::cli {

namespace {

/// Ticks (or lots) times the step's mantissa: the value in units of 10^-step.decimals.
std::int64_t scaled(std::int64_t count, const DecimalStep& step) {
    return count * step.mantissa;
}

void writeSide(std::ostream& os, const venues::VenueAdapter& adapter, Side side, int depth) {
    const Instrument& instrument = adapter.instrument();
    const BookSide& levels = adapter.book().side(side);
    os << '[';
    for (int i = 0; i < depth && static_cast<std::size_t>(i) < levels.depth(); ++i) {
        const Level level = levels.level(static_cast<std::size_t>(i));
        os << (i ? ", " : "") << "[\""
           << formatScaled(scaled(level.price, instrument.tickSize()),
                           instrument.tickSize().decimals, adapter.priceDecimalsSeen())
           << "\", \""
           << formatScaled(scaled(level.qty, instrument.lotSize()), instrument.lotSize().decimals,
                           adapter.sizeDecimalsSeen())
           << "\"]";
    }
    os << ']';
}

}  // namespace

std::string formatScaled(std::int64_t value, int valueDecimals, int decimals) {
    const bool negative = value < 0;
    // Unsigned negation: exact even for INT64_MIN.
    const auto magnitude = negative ? 0ull - static_cast<unsigned long long>(value)
                                    : static_cast<unsigned long long>(value);
    std::string digits = std::to_string(magnitude);
    if (static_cast<int>(digits.size()) <= valueDecimals) {
        digits.insert(0, static_cast<std::size_t>(valueDecimals) - digits.size() + 1, '0');
    }
    std::string whole = digits.substr(0, digits.size() - static_cast<std::size_t>(valueDecimals));
    std::string fraction = digits.substr(whole.size());
    // Pad to the venue's decimals, or drop only trailing zeros beyond them.
    while (static_cast<int>(fraction.size()) < decimals)
        fraction += '0';
    while (static_cast<int>(fraction.size()) > decimals && fraction.back() == '0') {
        fraction.pop_back();
    }
    std::string text = negative ? "-" + whole : whole;
    if (!fraction.empty()) text += "." + fraction;
    return text;
}

void writeBookReport(std::ostream& os, const venues::VenueAdapter& adapter, int depth,
                     const BookReportExtras& extras) {
    const venues::AdapterCounters& c = adapter.counters();
    os << "{\"venue\": " << jsonString(venues::venueName(adapter.venue()))
       << ", \"symbol\": " << jsonString(adapter.symbol()) << ", \"synced\": "
       << (extras.synced.value_or(adapter.syncState() == venues::SyncState::Live) ? "true"
                                                                                  : "false");
    if (!extras.state.empty()) os << ", \"state\": " << jsonString(extras.state);
    if (!extras.reason.empty()) os << ", \"reason\": " << jsonString(extras.reason);
    if (extras.seconds >= 0) os << ", \"seconds\": " << jsonNumber(extras.seconds);
    os << ", \"bids\": ";
    writeSide(os, adapter, Side::Bid, depth);
    os << ", \"asks\": ";
    writeSide(os, adapter, Side::Ask, depth);
    os << ", \"counters\": {\"messages\": " << c.messages
       << ", \"applied_events\": " << c.appliedEvents << ", \"snapshots\": " << c.snapshots
       << ", \"dropped_before_sync\": " << c.droppedBeforeSync << ", \"gaps\": " << c.gaps
       << ", \"resyncs\": " << c.resyncs << ", \"checksum_failures\": " << c.checksumFailures
       << ", \"parse_errors\": " << c.parseErrors << ", \"unknown_messages\": " << c.unknownMessages
       << ", \"trades\": " << c.trades << "}}\n";
}

}  // namespace flowscope::cli
