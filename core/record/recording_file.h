#pragma once
/// Flowscope's recording format: an append-only file of framed, CRC-checked, zstd-compressed
/// blocks of records, after a header naming venue, symbol and version.
///
/// Why blocks: compressing each message alone wastes most of zstd's ratio, and one stream for the
/// whole file would make a crash lose everything after the last complete frame anyway. A block
/// (flushed every ~64 KiB of input or every second) is the unit of loss: kill -9 loses at most the
/// block being filled, and the reader reports and skips a torn or corrupt tail.

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "record/record.h"

namespace flowscope::record {

struct RecordingWriterOptions {
    std::size_t blockBytes = 64 * 1024;      ///< raw bytes that close a block
    TimeNs flushIntervalNs = 1'000'000'000;  ///< a block older than this is flushed on append
    int zstdLevel = 3;
};

class RecordingWriter {
  public:
    /// Creates (truncates) `path` and writes the header. Throws std::runtime_error naming the
    /// file and the reason when it cannot.
    RecordingWriter(const std::string& path, const RecordingHeader& header,
                    RecordingWriterOptions options = {});
    ~RecordingWriter();  ///< flushes; errors there are swallowed (call close() to see them)
    RecordingWriter(const RecordingWriter&) = delete;
    RecordingWriter& operator=(const RecordingWriter&) = delete;

    /// Appends one record; flushes the block when full or old. Throws on a write error.
    void append(RecordKind kind, TimeNs receiveNs, std::string_view payload);
    /// Compresses and writes the pending block now (and fflush()es it to the OS).
    void flush();
    /// Flushes and closes; throws on a write error.
    void close();

    std::uint64_t recordsWritten() const;
    std::uint64_t bytesWritten() const;  ///< file size so far

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// Opens a recording: Flowscope's format (by its magic bytes) or the plain capture format
/// (gzip text, one "<receive ns> <raw JSON>" per line; a bare JSON line holding "lastUpdateId" is
/// a REST snapshot). Throws std::runtime_error naming the file when it cannot be opened or is
/// neither format.
std::unique_ptr<RecordSource> openRecording(const std::string& path);

}  // namespace flowscope::record
