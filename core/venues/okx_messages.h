#pragma once
/// OKX v5 public WebSocket frames as text: the JSON structure is checked here, the meaning
/// (numbers, sequence ids, checksums) in OkxAdapter. OKX sends prices and sizes as strings, which
/// are kept exactly as sent (the checksum is defined over them).
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

enum class OkxMessageKind : std::uint8_t {
    Book,       ///< arg.channel "books", action "snapshot" or "update"
    Trade,      ///< arg.channel "trades"
    Event,      ///< {"event": "subscribe"|"unsubscribe"|"error"|"notice"|..., ...}
    Pong,       ///< the bare text "pong" answering our "ping"
    Unknown,    ///< well-formed JSON of a kind the adapter does not use (tickers, ...)
    Malformed,  ///< not JSON, or a known kind missing a field or with a field of a wrong type
};

/// One entry of a book message's "data" array.
struct OkxBookData {
    std::vector<TextLevel> bids;  ///< [px, sz, ...] strings, in message order
    std::vector<TextLevel> asks;
    std::optional<std::int32_t> checksum;
    std::optional<std::int64_t> seqId;  ///< absent in recordings from before OKX added them
    std::optional<std::int64_t> prevSeqId;
    std::string_view ts;  ///< milliseconds since the epoch, as a string
};

/// One entry of a trade message's "data" array.
struct OkxTradeData {
    std::string_view instId;
    std::string_view tradeId;
    std::string_view px;
    std::string_view sz;
    std::string_view side;  ///< "buy" or "sell": the taker's side
    std::string_view ts;
};

struct OkxMessage {
    OkxMessageKind kind = OkxMessageKind::Unknown;
    std::string_view channel;  ///< arg.channel, when there is one
    std::string_view instId;   ///< arg.instId, when there is one
    bool snapshot = false;     ///< Book: action "snapshot" rather than "update"
    std::size_t bookCount = 0;
    std::size_t tradeCount = 0;
    /// Event: its name, and code and msg when present ("error", "60012", "Invalid request").
    std::string_view event;
    std::string_view code;
    std::string_view msg;
    /// Malformed: what is wrong (a literal).
    std::string_view problem;
};

class OkxMessageParser {
  public:
    OkxMessageParser();
    ~OkxMessageParser();
    OkxMessageParser(const OkxMessageParser&) = delete;
    OkxMessageParser& operator=(const OkxMessageParser&) = delete;

    const OkxMessage& parse(std::string_view frame);
    const OkxBookData& book(std::size_t i) const { return books_[i]; }
    const OkxTradeData& trade(std::size_t i) const { return trades_[i]; }

  private:
    /// The simdjson state and the parsing steps. Kept out of this header: simdjson's headers
    /// change its classes' layout with compile definitions (SIMDJSON_THREADS_ENABLED) that only
    /// the core library is built with, so no other target may see them.
    struct Json;
    std::unique_ptr<Json> json_;
    OkxMessage message_;
    std::vector<OkxBookData> books_;
    std::vector<OkxTradeData> trades_;
};

}  // namespace flowscope::venues
