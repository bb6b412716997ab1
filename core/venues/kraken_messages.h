#pragma once
/// Kraken WebSocket v2 frames as text: the JSON structure is checked here, the meaning (numbers,
/// sequencing, checksums) in KrakenAdapter. Prices and quantities are JSON numbers; their raw
/// token text is kept so that no value ever goes through a double.
///
/// Every string_view in a parsed message points into the parser's buffers and stays valid until
/// the next parse(). Buffers are reused: parsing does not allocate once they have grown to the
/// largest frame seen.

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "venues/text_level.h"

namespace flowscope::venues {

enum class KrakenMessageKind : std::uint8_t {
    Book,            ///< channel "book", type "snapshot" or "update"
    Trade,           ///< channel "trade"
    Heartbeat,       ///< channel "heartbeat"
    Status,          ///< channel "status" (system online, ...)
    MethodResponse,  ///< {"method": "subscribe"|"unsubscribe"|"pong"|..., "success": ...}
    Unknown,         ///< well-formed JSON of a kind the adapter does not use
    Malformed,       ///< not JSON, or a known kind missing a field or with a field of a wrong type
};

/// One entry of a book message's "data" array.
struct KrakenBookData {
    std::string_view symbol;
    std::vector<TextLevel> bids;  ///< raw number tokens, in message order
    std::vector<TextLevel> asks;
    std::optional<std::uint32_t> checksum;
    std::string_view timestamp;  ///< RFC 3339, empty when absent (snapshots)
};

/// One entry of a trade message's "data" array.
struct KrakenTradeData {
    std::string_view symbol;
    std::string_view side;  ///< "buy" or "sell": the taker's side
    std::string_view price;
    std::string_view qty;
    std::uint64_t tradeId = 0;
    std::string_view timestamp;
};

struct KrakenMessage {
    KrakenMessageKind kind = KrakenMessageKind::Unknown;
    bool snapshot = false;  ///< Book and Trade: type "snapshot" rather than "update"
    /// Book: entries [0, bookCount) of `books`; Trade: entries [0, tradeCount) of `trades`.
    std::size_t bookCount = 0;
    std::size_t tradeCount = 0;
    /// MethodResponse: the method, its success flag, the channel it concerns (if any) and the
    /// venue's error text.
    std::string_view method;
    bool success = true;
    std::string_view channel;
    std::string_view error;
    /// Malformed: what is wrong (a literal, e.g. "book level without 'qty'").
    std::string_view problem;
};

class KrakenMessageParser {
  public:
    KrakenMessageParser();
    ~KrakenMessageParser();
    KrakenMessageParser(const KrakenMessageParser&) = delete;
    KrakenMessageParser& operator=(const KrakenMessageParser&) = delete;

    /// Parses one text frame. The returned reference, and the views it holds, are valid until the
    /// next call.
    const KrakenMessage& parse(std::string_view frame);
    const KrakenBookData& book(std::size_t i) const { return books_[i]; }
    const KrakenTradeData& trade(std::size_t i) const { return trades_[i]; }

  private:
    /// The simdjson state and the parsing steps. Kept out of this header: simdjson's headers
    /// change its classes' layout with compile definitions (SIMDJSON_THREADS_ENABLED) that only
    /// the core library is built with, so no other target may see them.
    struct Json;
    std::unique_ptr<Json> json_;
    KrakenMessage message_;
    std::vector<KrakenBookData> books_;
    std::vector<KrakenTradeData> trades_;
};

}  // namespace flowscope::venues
