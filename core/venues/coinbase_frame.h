#pragma once
/// The JSON structure of Coinbase Advanced Trade market-data frames, without their meaning:
/// the envelope {"channel", "timestamp", "sequence_num", "events"} and the raw text of the
/// level2 ("l2_data") and market_trades fields. CoinbaseAdapter owns what they mean.
///
/// Every string_view points into the parser's buffers and is valid until the next parse().
/// Buffers are reused, so steady-state parsing does not allocate.
///
/// simdjson stays inside the .cpp: its parser's layout depends on compile definitions
/// (SIMDJSON_THREADS_ENABLED) that only flowscope_core sees.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "venues/field_error.h"
namespace flowscope::venues::coinbase {

enum class FrameKind : std::uint8_t {
    Malformed,  ///< not a JSON object, or a channel frame whose envelope is unreadable
    Channel,    ///< {"channel": ..., ...}
    Error,      ///< {"type": "error", "message": ...}
    Unknown,    ///< a JSON object with no "channel" that is not an error
};

enum class Channel : std::uint8_t { L2Data, MarketTrades, Heartbeats, Subscriptions, Other };

using venues::describe;
using venues::FieldError;
using venues::FieldProblem;

struct RawLevel {
    std::string_view side;  ///< "bid" or "offer"
    std::string_view price;
    std::string_view qty;
};

/// One entry of an l2_data frame's "events": levels [firstLevel, endLevel) of Frame::levels.
struct BookEvent {
    std::string_view type;  ///< "snapshot" or "update"
    std::string_view productId;
    std::size_t firstLevel = 0;
    std::size_t endLevel = 0;
};

struct RawTrade {
    std::string_view tradeId;
    std::string_view productId;
    std::string_view price;
    std::string_view size;
    std::string_view side;  ///< "BUY" or "SELL"
    std::string_view time;
    FieldError error;  ///< set when this one trade is unusable; the others still are
};

/// One entry of a market_trades frame's "events": trades [firstTrade, endTrade).
struct TradeEvent {
    std::string_view type;  ///< "snapshot" (recent history, sent on subscribe) or "update"
    std::size_t firstTrade = 0;
    std::size_t endTrade = 0;
};

struct Frame {
    FrameKind kind = FrameKind::Malformed;
    Channel channel = Channel::Other;
    bool hasSequence = false;
    std::uint64_t sequence = 0;  ///< sequence_num: one per message on the connection
    std::string_view timestamp;
    std::vector<BookEvent> bookEvents;
    std::vector<RawLevel> levels;
    std::vector<TradeEvent> tradeEvents;
    std::vector<RawTrade> trades;
    std::string_view errorMessage;  ///< FrameKind::Error
};

class FrameParser {
  public:
    FrameParser();
    ~FrameParser();
    FrameParser(const FrameParser&) = delete;
    FrameParser& operator=(const FrameParser&) = delete;

    /// Fills `frame` from `text`; the returned error names the first problem. The sequence number
    /// is read before the events, so a frame with unusable events still has hasSequence set.
    FieldError parse(std::string_view text, Frame& frame);

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// {"type":"subscribe","product_ids":["BTC-USD"],"channel":"level2"}. Coinbase takes one channel
/// per subscribe message. Market-data channels need no authentication today; a CDP key's JWT
/// (a fresh one per message, they expire after 2 minutes) goes in as "jwt" when `jwt` is given.
std::string subscriptionFrame(std::string_view channel, std::string_view productId,
                              std::string_view jwt = {});

}  // namespace flowscope::venues::coinbase
