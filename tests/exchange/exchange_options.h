#pragma once
// The command line of flowscope-exchange (documented in main.cpp and README.md).

#include <cstdint>
#include <optional>
#include <string>

#include "book/instrument.h"

namespace flowscope::exchange {

struct ExchangeOptions {
    std::string certPath;
    std::string keyPath;
    std::uint16_t port = 0;  ///< 0: any free port
    std::string symbol = "BTCUSDT";
    std::string krakenSymbol = "BTC/USD";
    bool lobster = false;  ///< false: synthetic
    std::string lobsterMessages;
    std::string lobsterBook;
    std::uint64_t seed = 1;
    double ratePerSec = 100.0;  ///< source events per second
    DecimalStep tick{1, 2};     ///< 0.01
    DecimalStep lot{1, 5};      ///< 0.00001
    std::string apiKey;         ///< signed endpoints accept only this X-MBX-APIKEY (empty: none)
    std::string apiSecret;      ///< the HMAC key their signatures must be made with
    /// --binance-market usdm: the Binance side is USD-M futures (fstream/fapi routing since
    /// 2026-03-06: /public, /market; legacy root paths silent); spot (default) otherwise.
    bool usdm = false;
};

/// Either the options or what is wrong with the arguments (for stderr, then exit 2).
struct ParsedOptions {
    std::optional<ExchangeOptions> options;
    std::string error;
    bool help = false;
};

ParsedOptions parseOptions(int argc, const char* const* argv);
const char* usage();

}  // namespace flowscope::exchange
