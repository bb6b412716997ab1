#pragma once
/// One recorded input of a live feed: what arrived, when, and on which path. Recordings and the
/// plain capture files both read as a stream of these, so replay drives the adapters exactly as
/// the live connection did.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "book/types.h"

namespace flowscope::record {

enum class RecordKind : std::uint8_t {
    WsMessage = 1,     ///< a WebSocket text frame as received
    RestSnapshot = 2,  ///< a REST depth snapshot body as received
    Connected = 3,     ///< a new WebSocket connection opened (payload: the URL)
    Disconnected = 4,  ///< the connection ended (payload: the reason)
    /// A market's other socket (not the book's: Binance USD-M trades) opened (payload: "<stream>
    /// <url>") or ended ("<stream>: <reason>"). The book does not depend on it: replay only
    /// counts these. Older readers skip them (unknown kinds are skipped, see recording_format.h).
    StreamConnected = 5,
    StreamDisconnected = 6,
};

/// `payload` stays valid until the next read from the same reader.
struct Record {
    RecordKind kind = RecordKind::WsMessage;
    TimeNs receiveNs = 0;  ///< wall clock, ns since the Unix epoch
    std::string_view payload;
};

/// What a recording says about itself.
struct RecordingHeader {
    std::uint32_t formatVersion = 1;  ///< 0 for a format without versions (a plain capture)
    std::string venue;                ///< venue id ("binance-spot")
    std::string symbol;               ///< venue spelling ("BTCUSDT")
    TimeNs createdNs = 0;
    std::string software;  ///< "flowscope 0.1.0"
};

/// A stream of records read from some file format.
class RecordSource {
  public:
    virtual ~RecordSource() = default;
    /// Next record, or false at the end (see error() to tell a clean end from a failure).
    virtual bool next(Record& out) = 0;
    /// Empty after a clean end; otherwise what went wrong, naming the file and the offset or line.
    virtual const std::string& error() const = 0;
    /// Problems that were skipped (a torn tail after a crash, a corrupt block), one line each.
    virtual const std::vector<std::string>& warnings() const = 0;
    /// The header, as far as the format has one (a capture file has venue and symbol empty).
    virtual const RecordingHeader& header() const = 0;
};

}  // namespace flowscope::record
