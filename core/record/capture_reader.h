#pragma once
/// Reads the plain capture format: gzip-compressed text, one input a line,
///     <receive time, ns since the Unix epoch> <space> <JSON as received>
/// A line whose JSON object has "lastUpdateId" as a top-level key is a REST depth snapshot
/// (Binance's /api/v3/depth body, which also carries its receive time); every other line is a
/// WebSocket message (combined-stream envelopes included, even when their "data" has a
/// lastUpdateId, as partial-depth streams do).
///
/// Streaming: zlib's gzread through one reused buffer, so captures of any size are read in constant
/// memory (a buffer grows only for a line longer than it, up to the line limit). Concatenated gzip
/// members are read as one stream; an uncompressed file is read as-is.
///
/// A line longer than the limit (kMaxLineBytes, 16 MiB: no venue sends a message that large) is an
/// error naming its line, found after decompressing at most the limit plus one chunk (256 KiB),
/// so a small gzip bomb of one endless line cannot exhaust memory.
///
/// Bad input stops the stream: a malformed line (no timestamp, garbage, not a JSON object) or
/// corrupt gzip data ends it with error() naming the file and line. A gzip stream that just stops
/// early (what a crash of the capturing process leaves) is a torn tail instead, as in a
/// recording: its partial last line is dropped with one warning and the stream ends cleanly.
/// Blank lines carry nothing and are skipped. Single-threaded.
///
/// gzip checks its CRC only at the end of a member, so lines before a corrupt spot are handed
/// out before the damage is known; Flowscope's own format checks every block before use.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "io/input_limits.h"
#include "record/record.h"

namespace flowscope::record {

class CaptureReader final : public RecordSource {
  public:
    /// Opens `path`. Never throws for file problems: error() says why and next() returns false.
    /// `maxLineBytes` bounds a line (its terminator excluded).
    explicit CaptureReader(std::string path, std::size_t maxLineBytes = kMaxLineBytes);
    ~CaptureReader() override;
    CaptureReader(const CaptureReader&) = delete;
    CaptureReader& operator=(const CaptureReader&) = delete;

    bool next(Record& out) override;
    const std::string& error() const override { return error_; }
    /// At most one line: a torn tail.
    const std::vector<std::string>& warnings() const override { return warnings_; }
    /// formatVersion 0 (the capture format has none); venue, symbol and software unknown.
    const RecordingHeader& header() const override { return header_; }

    const std::string& path() const { return path_; }
    std::size_t lineNumber() const { return lineNumber_; }  ///< of the last line read
    /// Decompressed bytes consumed so far (what the reader took in, not what it handed out).
    std::uint64_t bytesDecompressed() const { return bytesDecompressed_; }

  private:
    struct GzCloser {
        void operator()(void* file) const;
    };
    bool nextLine(std::string_view& line);
    bool refill();
    bool refuseLongLine();
    bool fail(std::size_t line, const std::string& message);

    std::string path_;
    std::unique_ptr<void, GzCloser> file_;  ///< a gzFile, kept out of this header
    RecordingHeader header_;
    std::string error_;
    std::vector<std::string> warnings_;
    std::vector<char> buffer_;
    std::size_t begin_ = 0;  ///< start of unread text in buffer_
    std::size_t end_ = 0;    ///< end of valid text in buffer_
    std::size_t maxLineBytes_;
    std::uint64_t bytesDecompressed_ = 0;
    std::size_t lineNumber_ = 0;
    bool eof_ = false;
    bool torn_ = false;  ///< the gzip stream ended early: drop the partial line, warn
    bool done_ = false;
};

/// True when `json` is an object with `key` among its top-level keys. A small scanner, not a
/// parser: it tracks nesting and strings (with escapes) and assumes otherwise valid JSON.
bool hasTopLevelKey(std::string_view json, std::string_view key);

}  // namespace flowscope::record
