#include "record/capture_reader.h"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>

#include "io/input_error.h"
#include "io/input_limits.h"

namespace flowscope::record {

namespace {
constexpr std::size_t kChunk = 256 * 1024;
constexpr unsigned kGzBuffer = 128 * 1024;

gzFile asGz(void* file) {
    return static_cast<gzFile>(file);
}

bool isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

std::string quoteStart(std::string_view line) {
    constexpr std::size_t kShown = 40;
    std::string shown(line.substr(0, kShown));
    if (line.size() > kShown) shown += "...";
    return "\"" + shown + "\"";
}
}  // namespace

void CaptureReader::GzCloser::operator()(void* file) const {
    if (file) gzclose(asGz(file));
}

CaptureReader::CaptureReader(std::string path, std::size_t maxLineBytes)
    : path_(std::move(path)), maxLineBytes_(maxLineBytes) {
    header_.formatVersion = 0;
    errno = 0;
    file_.reset(gzopen(path_.c_str(), "rb"));
    if (!file_) {
        fail(0, errno ? std::strerror(errno) : "cannot open");
        return;
    }
    gzbuffer(asGz(file_.get()), kGzBuffer);
    buffer_.resize(std::min(kChunk, maxLineBytes_ + 2));
}

CaptureReader::~CaptureReader() = default;

bool CaptureReader::fail(std::size_t line, const std::string& message) {
    if (error_.empty()) error_ = InputError{path_, line, message}.toString();
    done_ = true;
    return false;
}

bool CaptureReader::refill() {
    if (eof_) return false;
    // Keep the partial line at the front; grow only for a line longer than the buffer.
    const std::size_t pending = end_ - begin_;
    if (begin_ > 0 && pending > 0) std::memmove(buffer_.data(), buffer_.data() + begin_, pending);
    begin_ = 0;
    end_ = pending;
    // Room for the longest allowed line, its "\r\n" and one chunk at most: nextLine() refuses a
    // longer line before the buffer would have to grow past that.
    if (end_ == buffer_.size())
        buffer_.resize(std::min(buffer_.size() * 2, maxLineBytes_ + 2 + kChunk));
    const int got = gzread(asGz(file_.get()), buffer_.data() + end_,
                           static_cast<unsigned>(buffer_.size() - end_));
    if (got > 0) {
        end_ += static_cast<std::size_t>(got);
        bytesDecompressed_ += static_cast<std::uint64_t>(got);
        return true;
    }
    // gzread() hands out what it decoded before trouble and reports the trouble afterwards.
    eof_ = true;
    int code = Z_OK;
    const char* reason = gzerror(asGz(file_.get()), &code);
    if (code == Z_BUF_ERROR) {
        torn_ = true;  // the stream stops early, as a capture cut by a crash does
        return false;
    }
    if (got < 0 || code != Z_OK) {
        std::string_view what = code == Z_ERRNO ? std::strerror(errno) : reason;
        // zlib puts the path in front of its message; the error names the file once.
        if (what.starts_with(path_ + ": ")) what.remove_prefix(path_.size() + 2);
        return fail(lineNumber_ + 1, "gzip stream damaged: " + std::string(what));
    }
    return false;
}

bool CaptureReader::refuseLongLine() {
    eof_ = true;
    begin_ = end_;
    return fail(lineNumber_ + 1, "line longer than " + describeBytes(maxLineBytes_) +
                                     ", more than any venue sends in one message");
}

bool CaptureReader::nextLine(std::string_view& line) {
    std::size_t scanFrom = begin_;
    for (;;) {
        const void* newline = scanFrom < end_
                                  ? std::memchr(buffer_.data() + scanFrom, '\n', end_ - scanFrom)
                                  : nullptr;
        std::size_t lineEnd = 0;
        std::size_t nextBegin = 0;
        if (newline) {
            lineEnd = static_cast<std::size_t>(static_cast<const char*>(newline) - buffer_.data());
            nextBegin = lineEnd + 1;
        } else {
            const std::size_t scanned = end_ - begin_;
            // No newline yet and already past the limit (plus room for "\r"): refuse the line
            // now rather than decompress the rest of it.
            if (scanned > maxLineBytes_ + 1) return refuseLongLine();
            if (refill()) {
                scanFrom = begin_ + scanned;
                continue;
            }
            if (done_) return false;
            if (torn_) {
                warnings_.push_back(path_ + ": torn tail after line " +
                                    std::to_string(lineNumber_) +
                                    " (the gzip stream ends early; a partial line of " +
                                    std::to_string(end_ - begin_) + " bytes): ignored");
                begin_ = end_;
                return false;
            }
            if (begin_ == end_) return false;
            lineEnd = nextBegin = end_;  // a last line without a newline
        }
        std::size_t length = lineEnd - begin_;
        if (length > 0 && buffer_[begin_ + length - 1] == '\r') --length;
        if (length > maxLineBytes_) return refuseLongLine();
        line = std::string_view(buffer_.data() + begin_, length);
        begin_ = nextBegin;
        ++lineNumber_;
        return true;
    }
}

bool CaptureReader::next(Record& out) {
    if (done_) return false;
    std::string_view line;
    do {
        if (!nextLine(line)) {
            done_ = true;
            return false;
        }
    } while (line.empty());

    const char* const begin = line.data();
    const char* const end = begin + line.size();
    TimeNs receiveNs = 0;
    const auto [afterTime, ec] = std::from_chars(begin, end, receiveNs);
    const bool digitsOnly = afterTime != begin && *begin != '-';
    if (ec == std::errc::result_out_of_range)
        return fail(lineNumber_, "receive time out of range: " + quoteStart(line));
    if (ec != std::errc() || !digitsOnly || afterTime == end || *afterTime != ' ')
        return fail(lineNumber_,
                    "malformed line, expected '<receive ns> <JSON>': " + quoteStart(line));
    std::string_view json(afterTime + 1, static_cast<std::size_t>(end - afterTime - 1));
    while (!json.empty() && isSpace(json.back()))
        json.remove_suffix(1);
    if (json.size() < 2 || json.front() != '{' || json.back() != '}')
        return fail(lineNumber_,
                    "malformed line, the message is not a JSON object: " + quoteStart(line));

    out.kind =
        hasTopLevelKey(json, "lastUpdateId") ? RecordKind::RestSnapshot : RecordKind::WsMessage;
    out.receiveNs = receiveNs;
    out.payload = json;
    return true;
}

bool hasTopLevelKey(std::string_view json, std::string_view key) {
    int depth = 0;
    for (std::size_t i = 0; i < json.size(); ++i) {
        const char c = json[i];
        if (c == '{' || c == '[') {
            ++depth;
        } else if (c == '}' || c == ']') {
            --depth;
        } else if (c == '"') {
            const std::size_t start = i + 1;
            std::size_t close = start;
            while (close < json.size() && json[close] != '"')
                close += json[close] == '\\' ? 2 : 1;
            if (close >= json.size()) return false;
            if (depth == 1 && json.substr(start, close - start) == key) {
                // A key is followed by ':'; a string value never is.
                std::size_t after = close + 1;
                while (after < json.size() && isSpace(json[after]))
                    ++after;
                if (after < json.size() && json[after] == ':') return true;
            }
            i = close;
        }
    }
    return false;
}

}  // namespace flowscope::record
