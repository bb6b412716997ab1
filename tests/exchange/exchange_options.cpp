#include "exchange_options.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <string_view>

namespace flowscope::exchange {

namespace {

template <typename T>
bool parseNumber(std::string_view text, T& out) {
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, out);
    return ec == std::errc() && ptr == end;
}

bool validSymbol(std::string_view s) {
    return !s.empty() && s.size() <= 32 && std::all_of(s.begin(), s.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '-' || c == '_';
    });
}

}  // namespace

const char* usage() {
    return "usage: flowscope-exchange --cert PEM --key PEM [--port N (0 = any)] "
           "[--symbol BTCUSDT] [--kraken-symbol BTC/USD]\n"
           "                          [--scenario synthetic|lobster:MESSAGE_CSV,ORDERBOOK_CSV] "
           "[--seed N] [--rate EVENTS_PER_SECOND]\n"
           "                          [--tick 0.01] [--lot 0.00001] [--api-key K --api-secret S]\n"
           "                          [--binance-market spot|usdm]\n";
}

ParsedOptions parseOptions(int argc, const char* const* argv) {
    ParsedOptions result;
    ExchangeOptions options;
    auto fail = [&](std::string message) {
        result.error = std::move(message);
        return result;
    };
    for (int i = 1; i < argc; ++i) {
        const std::string_view name = argv[i];
        if (name == "--help" || name == "-h") {
            result.help = true;
            return result;
        }
        if (i + 1 >= argc) return fail("missing value after " + std::string(name));
        const std::string_view value = argv[++i];
        if (name == "--cert") {
            options.certPath = value;
        } else if (name == "--key") {
            options.keyPath = value;
        } else if (name == "--port") {
            if (!parseNumber(value, options.port)) return fail("--port: not a port number");
        } else if (name == "--symbol") {
            if (!validSymbol(value)) return fail("--symbol: invalid symbol");
            options.symbol.clear();
            for (char c : value)
                options.symbol += static_cast<char>(std::toupper(c));
        } else if (name == "--kraken-symbol") {
            if (!validSymbol(value)) return fail("--kraken-symbol: invalid symbol");
            options.krakenSymbol = value;
        } else if (name == "--scenario") {
            if (value == "synthetic") {
                options.lobster = false;
            } else if (value.starts_with("lobster:")) {
                const std::string_view files = value.substr(8);
                const auto comma = files.find(',');
                if (comma == std::string_view::npos || comma == 0 || comma + 1 == files.size())
                    return fail("--scenario lobster:MESSAGE_CSV,ORDERBOOK_CSV: two files needed");
                options.lobster = true;
                options.lobsterMessages = files.substr(0, comma);
                options.lobsterBook = files.substr(comma + 1);
            } else {
                return fail("--scenario: synthetic or lobster:MESSAGE_CSV,ORDERBOOK_CSV");
            }
        } else if (name == "--binance-market") {
            if (value != "spot" && value != "usdm") return fail("--binance-market: spot or usdm");
            options.usdm = value == "usdm";
        } else if (name == "--api-key") {
            options.apiKey = value;
        } else if (name == "--api-secret") {
            options.apiSecret = value;
        } else if (name == "--seed") {
            if (!parseNumber(value, options.seed)) return fail("--seed: not an unsigned integer");
        } else if (name == "--rate") {
            double rate = 0;
            if (!parseNumber(value, rate) || !std::isfinite(rate) || rate <= 0 || rate > 1e6)
                return fail("--rate: events per second in (0, 1e6]");
            options.ratePerSec = rate;
        } else if (name == "--tick" || name == "--lot") {
            const auto step = DecimalStep::parse(value);
            if (!step || step->decimals > 12)
                return fail(std::string(name) + ": a positive decimal step, at most 12 decimals");
            (name == "--tick" ? options.tick : options.lot) = *step;
        } else {
            return fail("unknown option " + std::string(name));
        }
    }
    if (options.apiKey.empty() != options.apiSecret.empty())
        return fail("--api-key and --api-secret go together");
    if (options.certPath.empty() || options.keyPath.empty())
        return fail("--cert and --key are required");
    result.options = options;
    return result;
}

}  // namespace flowscope::exchange
