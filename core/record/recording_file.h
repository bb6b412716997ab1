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
    /// Raw bytes that close a block (0 means one record a block; at most 16 MiB). A record that
    /// would overflow the block starts a new one, so a record larger than this gets a block of its
    /// own.
    std::size_t blockBytes = 64 * 1024;
    /// A block whose first record is older than this, measured on the records' receive times,
    /// is flushed by the append that finds it so (0: every append flushes). Nothing flushes a
    /// quiet feed's last block until the next append: call flush() on a timer for that.
    TimeNs flushIntervalNs = 1'000'000'000;
    int zstdLevel = 3;
    /// False: an existing file is never touched; the constructor throws "<path>: File exists"
    /// (O_EXCL, so nothing can slip in between a check and the open).
    bool replaceExisting = true;
};

/// Writes the format specified in record/recording_format.h. Used from one thread. After a write
/// error every call throws that same error: the file stays readable up to the last whole block.
class RecordingWriter {
  public:
    /// Creates (truncates) `path` and writes the header. Throws std::runtime_error naming the
    /// file and the reason when it cannot.
    RecordingWriter(const std::string& path, const RecordingHeader& header,
                    RecordingWriterOptions options = {});
    ~RecordingWriter();  ///< flushes; errors there are swallowed (call close() to see them)
    RecordingWriter(const RecordingWriter&) = delete;
    RecordingWriter& operator=(const RecordingWriter&) = delete;

    /// Appends one record (any payload, empty included); flushes the block when full or old.
    /// Throws std::runtime_error on a write error, std::length_error for a payload over
    /// kMaxRecordBytes (16 MiB, io/input_limits.h),
    /// std::logic_error after close().
    void append(RecordKind kind, TimeNs receiveNs, std::string_view payload);
    /// Compresses the pending block and hands it to the OS in one write() (no user-space
    /// buffering, so kill -9 right after loses nothing). No fsync: a power cut can lose what
    /// the OS has not written yet. Throws "<path>: <strerror>" on a write error.
    void flush();
    /// Flushes and closes; throws on a write error.
    void close();

    std::uint64_t recordsWritten() const;  ///< records appended, the unflushed block included
    /// Records in blocks handed to the OS whole: after a write error, what the file holds.
    std::uint64_t recordsSaved() const;
    std::uint64_t bytesWritten() const;  ///< file size so far (whole blocks only)

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// Opens a recording by its first bytes: Flowscope's format (RecordingReader) or the plain
/// capture format (gzip magic: CaptureReader; gzip text, one "<receive ns> <raw JSON>" per line; a
/// line whose JSON object has a top-level "lastUpdateId" is a REST snapshot). Throws
/// std::runtime_error naming the file when it cannot be opened, is neither format, or its header
/// cannot be read (e.g. a newer format version).
std::unique_ptr<RecordSource> openRecording(const std::string& path);

}  // namespace flowscope::record
