#include "io/line_reader.h"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <sys/stat.h>

namespace flowscope {
namespace {
constexpr std::size_t kChunk = 1 << 20;
}

bool LineReader::open(const std::string& path, std::size_t maxLineBytes) {
    path_ = path;
    maxLineBytes_ = maxLineBytes;
    tooLong_ = false;
    bytesRead_ = 0;
    file_.reset(std::fopen(path.c_str(), "rb"));
    if (!file_) {
        error_ = std::strerror(errno);
        return false;
    }
    struct stat info {};
    if (::fstat(::fileno(file_.get()), &info) == 0 && S_ISDIR(info.st_mode)) {
        error_ = "is a directory";
        file_.reset();
        return false;
    }
    failed_ = false;
    buffer_.assign(std::min(kChunk, maxLineBytes_ + 1), '\0');
    begin_ = end_ = 0;
    eof_ = false;
    lineNumber_ = 0;
    return true;
}

bool LineReader::refill() {
    if (eof_ || !file_) return false;
    // Move the partial line to the front; grow only for a line longer than the buffer.
    const std::size_t pending = end_ - begin_;
    if (begin_ > 0) std::memmove(buffer_.data(), buffer_.data() + begin_, pending);
    begin_ = 0;
    end_ = pending;
    // Room for the longest allowed line, its "\r\n", and one chunk at most: a longer line is
    // refused by next() before the buffer would have to grow past that.
    if (end_ == buffer_.size())
        buffer_.resize(std::min(buffer_.size() * 2, maxLineBytes_ + 2 + kChunk));
    const std::size_t got =
        std::fread(buffer_.data() + end_, 1, buffer_.size() - end_, file_.get());
    end_ += got;
    bytesRead_ += got;
    if (got == 0) {
        eof_ = true;
        if (std::ferror(file_.get())) {
            failed_ = true;
            error_ = std::strerror(errno);
        }
    }
    return got > 0;
}

bool LineReader::refuseLongLine() {
    failed_ = tooLong_ = true;
    error_ = "line longer than " + describeBytes(maxLineBytes_);
    begin_ = end_;
    eof_ = true;
    return false;
}

bool LineReader::next(std::string_view& line) {
    std::size_t scanFrom = begin_;
    for (;;) {
        const char* start = buffer_.data() + scanFrom;
        const void* nl = scanFrom < end_ ? std::memchr(start, '\n', end_ - scanFrom) : nullptr;
        if (nl) {
            const std::size_t pos =
                static_cast<std::size_t>(static_cast<const char*>(nl) - buffer_.data());
            std::size_t len = pos - begin_;
            if (len > 0 && buffer_[begin_ + len - 1] == '\r') --len;
            if (len > maxLineBytes_) return refuseLongLine();
            line = std::string_view(buffer_.data() + begin_, len);
            begin_ = pos + 1;
            ++lineNumber_;
            return true;
        }
        const std::size_t scanned = end_ - begin_;
        // No newline yet: a partial line past the limit (plus room for "\r") is refused now,
        // before reading more of it.
        if (scanned > maxLineBytes_ + 1) return refuseLongLine();
        if (!refill()) {
            if (begin_ == end_) return false;
            std::size_t len = end_ - begin_;
            if (buffer_[begin_ + len - 1] == '\r') --len;
            if (len > maxLineBytes_) return refuseLongLine();
            line = std::string_view(buffer_.data() + begin_, len);
            begin_ = end_;
            ++lineNumber_;
            return true;
        }
        scanFrom = begin_ + scanned;
    }
}

}  // namespace flowscope
