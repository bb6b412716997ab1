#pragma once
/// Streaming reader of a LOBSTER message file and its order-book file, row by row in lockstep.
/// Book row k is the state after message k. Prices stay in the file's units (1/10000 dollar) as
/// ticks, sizes in shares as lots; LOBSTER's empty-level markers become the book's empty levels.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "book/types.h"
#include "io/input_error.h"
#include "io/line_reader.h"

namespace flowscope {

/// Largest size (shares) and price magnitude (1/10000 dollar) the reader accepts. Both far above
/// any real value (the empty-level markers are +-9999999999), and low enough that every sum the
/// book measures and the OFI form over a row stays exact in 64 bits: larger values are refused
/// with the file and line rather than wrapping.
inline constexpr std::int64_t kMaxLobsterSize = 1'000'000'000'000;       // 10^12
inline constexpr std::int64_t kMaxLobsterPrice = 1'000'000'000'000'000;  // 10^15

enum class LobsterType : std::uint8_t {
    Submit = 1,
    PartialCancel = 2,
    Delete = 3,
    VisibleExecution = 4,
    HiddenExecution = 5,
    Cross = 6,
    Halt = 7,
};

struct LobsterMessage {
    TimeNs timeNs = 0;  ///< after midnight, exact to the nanosecond
    LobsterType type = LobsterType::Submit;
    std::int64_t orderId = 0;
    Lots size = 0;
    PriceTicks price = 0;
    Side side = Side::Bid;  ///< side of the limit order the message is about (direction 1 = Bid)
};

/// One message and the book after it. bids/asks hold `levels` entries, best first.
struct LobsterRow {
    std::size_t index = 0;  ///< 0-based row number (line = index + 1)
    LobsterMessage message;
    std::vector<Level> bids;
    std::vector<Level> asks;
};

class LobsterReader {
  public:
    /// `levels` = 0 reads the level count from the first book row (columns / 4).
    /// False on error (see error()).
    bool open(const std::string& messagesPath, const std::string& bookPath, int levels = 0);

    /// Reads the next pair of rows. False at the end or on error; error() tells which.
    bool next();
    const LobsterRow& row() const { return row_; }
    const std::optional<InputError>& error() const { return error_; }
    int levels() const { return levels_; }
    /// Bytes consumed from both files so far: bounded by the line limit even for a file with no
    /// newline at all.
    std::uint64_t bytesRead() const { return messages_.bytesRead() + book_.bytesRead(); }

  private:
    bool fail(const LineReader& file, std::string message);
    bool parseMessage(std::string_view line);
    bool parseBook(std::string_view line);

    LineReader messages_;
    LineReader book_;
    int levels_ = 0;
    LobsterRow row_;
    bool first_ = true;
    std::optional<InputError> error_;
};

/// How a message changes the visible book: the signed size change at its price, if any.
/// Types 1 (+size), 2, 3, 4 (-size) change it; 5 (hidden), 6 (cross) and 7 (halt) do not.
std::optional<Lots> lobsterBookDelta(const LobsterMessage& m);

/// The trade a message reports, if any: visible and hidden executions. An execution of a sell
/// limit order is a buyer-initiated trade, so the aggressor is the opposite of the order's side.
/// Crosses (type 6) are auction prints with no aggressor and are not counted as flow.
bool lobsterTrade(const LobsterMessage& m, Side& aggressor);

}  // namespace flowscope
