#pragma once
/// Streams a text file line by line through a fixed buffer, so files of any size (a full LOBSTER
/// day is ~100 MB) are read in constant memory. A line longer than the reader's limit is an
/// error found after reading at most limit + one chunk (1 MiB): the line is never buffered whole.

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "io/input_limits.h"

namespace flowscope {

class LineReader {
  public:
    LineReader() = default;
    /// False if the file cannot be opened; errorMessage() says why. Lines longer than
    /// `maxLineBytes` (terminator excluded) are refused (see tooLong()).
    bool open(const std::string& path, std::size_t maxLineBytes = kMaxLineBytes);

    /// Next line without its terminator ("\n" or "\r\n"). The view is valid until the next call.
    /// A last line without a newline is returned too. False at the end of the file.
    bool next(std::string_view& line);
    std::size_t lineNumber() const { return lineNumber_; }
    const std::string& path() const { return path_; }
    const std::string& errorMessage() const { return error_; }
    /// True after a read error (not end of file): what was returned so far is incomplete.
    /// Also true when line lineNumber() + 1 is longer than the limit; tooLong() tells which.
    bool failed() const { return failed_; }
    /// True when the read stopped at a line longer than maxLineBytes(); errorMessage() says so.
    bool tooLong() const { return tooLong_; }
    std::size_t maxLineBytes() const { return maxLineBytes_; }
    /// Bytes read from the file so far (what the reader has consumed, not what it returned).
    std::uint64_t bytesRead() const { return bytesRead_; }

  private:
    bool refill();
    bool refuseLongLine();

    struct FileCloser {
        void operator()(std::FILE* f) const {
            if (f) std::fclose(f);
        }
    };
    std::unique_ptr<std::FILE, FileCloser> file_;
    std::string path_;
    std::string error_;
    std::vector<char> buffer_;
    std::size_t begin_ = 0;  ///< start of unread data in buffer_
    std::size_t end_ = 0;    ///< end of valid data in buffer_
    bool eof_ = false;
    bool failed_ = false;
    bool tooLong_ = false;
    std::size_t maxLineBytes_ = kMaxLineBytes;
    std::uint64_t bytesRead_ = 0;
    std::size_t lineNumber_ = 0;
};

}  // namespace flowscope
