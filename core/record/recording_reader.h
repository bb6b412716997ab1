#pragma once
/// Reads Flowscope's recording format (see recording_format.h) block by block in constant memory:
/// one reused buffer for the compressed block, one for the decompressed records. Damage is survived
/// where the format allows it: a torn tail (the file ends inside a frame, as a crash leaves it)
/// ends the stream cleanly with one warning; a corrupt block is reported, skipped, and reading
/// resumes at the next intact frame. Only an unreadable header or an I/O error is an error().
///
/// Single-threaded: one reader, one thread.

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "record/record.h"

namespace flowscope::record {

class RecordingReader final : public RecordSource {
  public:
    /// Opens `path` and reads the header. Never throws for file problems: if the file cannot be
    /// opened or its header is bad, error() says why and next() returns false.
    explicit RecordingReader(std::string path);
    ~RecordingReader() override;
    RecordingReader(const RecordingReader&) = delete;
    RecordingReader& operator=(const RecordingReader&) = delete;

    bool next(Record& out) override;
    const std::string& error() const override { return error_; }
    const std::vector<std::string>& warnings() const override { return warnings_; }
    const RecordingHeader& header() const override { return header_; }

    const std::string& path() const { return path_; }
    std::uint64_t blocksRead() const { return blocksRead_; }
    std::uint64_t corruptBlocks() const { return corruptBlocks_; }  ///< skipped damaged regions

  private:
    struct FileCloser {
        void operator()(std::FILE* f) const {
            if (f) std::fclose(f);
        }
    };
    struct Decompressor;

    bool readHeader();
    bool loadNextBlock();
    /// Reads up to `size` bytes at `offset`; fewer only at the end of the file. False on an I/O
    /// error (error_ set).
    bool readAt(std::uint64_t offset, unsigned char* data, std::size_t size, std::size_t& got);
    /// Outcome of checking the frame at `offset`: a block loaded, the end, or damage to skip.
    enum class FrameResult { Loaded, End, Corrupt };
    FrameResult tryFrame(std::uint64_t offset, std::string& problem, std::uint64_t& resumeAt,
                         std::uint32_t& recordsLost);
    bool validRecords(std::size_t rawLength, std::uint32_t recordCount) const;
    /// First offset >= `from` holding a sync word with a valid frame header, or a sync word too
    /// close to the end for a whole header (a torn frame); the file size when there is none.
    bool findNextFrame(std::uint64_t from, std::uint64_t& found);
    std::uint64_t fileSize() const;
    void warnTornTail(std::uint64_t offset);
    bool fail(std::string message);

    std::string path_;
    std::unique_ptr<std::FILE, FileCloser> file_;
    std::unique_ptr<Decompressor> zstd_;
    RecordingHeader header_;
    std::string error_;
    std::vector<std::string> warnings_;
    std::vector<unsigned char> compressed_;  ///< reused across blocks
    std::vector<unsigned char> raw_;         ///< reused; payload views point here
    std::vector<unsigned char> scan_;        ///< reused by findNextFrame
    std::uint64_t offset_ = 0;               ///< where the next frame starts
    std::uint64_t filePosition_ = 0;         ///< where the FILE* stands, to skip needless seeks
    std::size_t cursor_ = 0;                 ///< next record inside raw_
    std::size_t rawEnd_ = 0;                 ///< end of the current block inside raw_
    std::uint64_t blocksRead_ = 0;
    std::uint64_t corruptBlocks_ = 0;
    bool done_ = false;
    bool warnedUnknownKind_ = false;
};

}  // namespace flowscope::record
