#pragma once
/// Binance market-data JSON to plain fields: diff-depth events, trades, REST depth snapshots. The
/// numbers stay as the venue's exact text (the adapter turns them into ticks and lots through its
/// instrument), so this layer knows JSON and Binance's field names and nothing about the book.
///
/// Formats followed (Binance docs, spot and USD-M futures): combined-stream envelope
/// {"stream":"btcusdt@depth@100ms","data":{...}} or the bare event (a /ws/<stream> connection);
/// depthUpdate {e,E,[T],s,U,u,[pu],b,a} with [price, qty] string pairs; trade {e,E,s,t,p,q,T,m};
/// aggTrade {e,E,s,a,p,q,f,l,T,m}; REST depth {lastUpdateId,[E,T],bids,asks}; errors
/// {"code":..,"msg":..}; serverShutdown {e,E} (its combined stream is "!serverShutdown"). Fields
/// are looked up in the documented order, which makes each lookup a forward step; a different order
/// still parses, only slower.
///
/// Two decoders: a single-pass scanner for the compact shape Binance actually prints depth events
/// and snapshots in (binance_depth_scanner.h), and simdjson for everything else. The scanner only
/// accepts what simdjson reads to the same result and declines the rest, so simdjson stays the
/// reference: it reads trades, errors, other shapes, and reports every malformed frame.
///
/// Threading: one parser per adapter. Views in a result point into the parser's buffers or the
/// parsed text and stay valid until its next parse call, while that text lives. No allocation
/// once buffers have grown to the largest message.

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "venues/binance_sequence.h"

namespace flowscope::venues {

/// One [price, quantity] pair exactly as sent.
struct BinanceLevelText {
    std::string_view price;
    std::string_view qty;
};

enum class BinanceMessageKind : std::uint8_t {
    Depth,    ///< a diff-depth event
    Trade,    ///< a trade or aggregate trade
    Ignored,  ///< well formed, of a kind the adapter does not use (bookTicker, a result ack)
    /// {"e":"serverShutdown","E":..}, bare or in the envelope {"stream":"!serverShutdown",..}:
    /// the server will close this connection; open a new one now (spot, since 2026-05-08)
    ServerShutdown,
    VenueError,  ///< {"code":..,"msg":..}: `problem` holds the venue's message
    Malformed,   ///< `problemField` and `problem` say what is wrong
};

struct BinanceDepthText {
    BinanceDepthIds ids;
    std::uint64_t eventMs = 0;        ///< E
    std::uint64_t transactionMs = 0;  ///< T (USD-M only)
    std::span<const BinanceLevelText> bids;
    std::span<const BinanceLevelText> asks;
};

struct BinanceTradeText {
    std::uint64_t id = 0;  ///< t (trade) or a (aggTrade)
    std::string_view price;
    std::string_view qty;
    std::uint64_t tradeMs = 0;  ///< T
    bool buyerIsMaker = false;  ///< m
};

struct BinanceMessage {
    BinanceMessageKind kind = BinanceMessageKind::Ignored;
    std::string_view symbol;  ///< "s" of a depth event or trade
    BinanceDepthText depth;
    BinanceTradeText trade;
    std::string_view problemField;  ///< Malformed: the field at fault, empty for the document
    std::string_view problem;       ///< Malformed: what is wrong; VenueError: the venue's text
};

struct BinanceSnapshotText {
    BinanceMessageKind kind = BinanceMessageKind::Malformed;  ///< Depth on success
    std::uint64_t lastUpdateId = 0;
    std::uint64_t timeMs = 0;  ///< T, else E (USD-M); 0 when absent (spot sends neither)
    std::span<const BinanceLevelText> bids;
    std::span<const BinanceLevelText> asks;
    std::string_view problemField;
    std::string_view problem;
};

/// Which decoders a parser runs.
enum class BinanceDecoder : std::uint8_t {
    ScannerFirst,  ///< the compact scanner, simdjson for what it declines (production)
    SimdjsonOnly,  ///< the reference alone: what the differential tests compare the scanner with
};

class BinanceMessageParser {
  public:
    explicit BinanceMessageParser(BinanceMarket market,
                                  BinanceDecoder decoder = BinanceDecoder::ScannerFirst);
    ~BinanceMessageParser();
    BinanceMessageParser(const BinanceMessageParser&) = delete;
    BinanceMessageParser& operator=(const BinanceMessageParser&) = delete;

    /// One WebSocket text frame (combined-stream envelope or bare event).
    const BinanceMessage& parseStream(std::string_view frame);
    /// One REST /depth response body.
    const BinanceSnapshotText& parseSnapshot(std::string_view body);

  private:
    /// simdjson's parser and document live in the .cpp: their layout depends on compile
    /// definitions (SIMDJSON_THREADS_ENABLED) that only flowscope_core is built with, so a
    /// simdjson member in this header would give other targets a different BinanceAdapter.
    class Json;
    std::unique_ptr<Json> json_;
};

}  // namespace flowscope::venues
