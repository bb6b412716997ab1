#pragma once
/// The JSON structure of Bybit v5 public WebSocket frames, without their meaning: which kind of
/// frame it is and the raw text of its fields. BybitAdapter turns the text into ticks and lots
/// and owns the synchronisation rules.
///
/// Every string_view points into the parser's buffers and is valid until the next parse().
/// Buffers are reused, so steady-state parsing does not allocate.
///
/// simdjson stays inside the .cpp: its parser's layout depends on compile definitions
/// (SIMDJSON_THREADS_ENABLED) that only flowscope_core sees, so a header holding one by value would
/// read differently in tests and the app than in the library.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "book/types.h"
#include "venues/field_error.h"

namespace flowscope::venues::bybit {

enum class FrameKind : std::uint8_t {
    Malformed,  ///< not a JSON object
    Topic,      ///< a data push: {"topic": ..., "type": ..., "ts": ..., "data": ...}
    OpReply,    ///< an answer to our request: subscribe, unsubscribe, ping
    Unknown,    ///< a JSON object with neither "topic" nor "op"
};

using venues::describe;
using venues::FieldError;
using venues::FieldProblem;

struct RawLevel {
    Side side;
    std::string_view price;
    std::string_view qty;
};

struct RawTrade {
    std::int64_t timeMs = 0;
    std::string_view takerSide;  ///< "Buy" or "Sell"
    std::string_view price;
    std::string_view qty;
    std::string_view id;
    FieldError error;  ///< set when this one trade is unusable; the others still are
};

struct Frame {
    FrameKind kind = FrameKind::Malformed;
    std::string_view topic;
    std::string_view type;     ///< "snapshot" or "delta"
    std::int64_t eventMs = 0;  ///< cts (matching engine) when present, else ts

    // orderbook.* topics
    std::vector<RawLevel> levels;  ///< bids then asks, in venue order
    std::uint64_t updateId = 0;    ///< u

    // publicTrade.* topics
    std::vector<RawTrade> trades;

    // OpReply
    std::string_view op;
    bool success = true;  ///< Bybit's private-style pong has no "success": treated as success
    std::string_view retMsg;
};

class FrameParser {
  public:
    FrameParser();
    ~FrameParser();
    FrameParser(const FrameParser&) = delete;
    FrameParser& operator=(const FrameParser&) = delete;

    /// Fills `frame` from `text`. The returned error names the first problem; frame.kind says how
    /// far the parse got (a Topic frame with an error is a data push whose content is unusable).
    /// `orderBookTopic` and `tradeTopic` say which topics' data to read; other topics only get
    /// their topic text.
    FieldError parse(std::string_view text, std::string_view orderBookTopic,
                     std::string_view tradeTopic, Frame& frame);

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace flowscope::venues::bybit
