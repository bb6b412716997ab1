#include <fcntl.h>
#include <unistd.h>
#include <zstd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "io/input_limits.h"
#include "record/recording_file.h"
#include "record/recording_format.h"

namespace flowscope::record {

namespace fmt = format;

struct RecordingWriter::Impl {
    std::string path;
    RecordingWriterOptions options;
    int fd = -1;
    ZSTD_CCtx* zstd = nullptr;
    std::vector<unsigned char> block;  ///< raw records of the block being filled (reused)
    std::vector<unsigned char> frame;  ///< frame header + compressed block (reused)
    std::uint32_t blockRecords = 0;
    TimeNs blockFirstNs = 0;
    TimeNs blockLastNs = 0;
    std::uint64_t records = 0;
    std::uint64_t savedRecords = 0;  ///< records of blocks written whole
    std::uint64_t bytes = 0;
    std::string failure;  ///< the first write error; nothing is written after it
    bool closed = false;

    ~Impl() {
        if (fd >= 0) ::close(fd);
        ZSTD_freeCCtx(zstd);
    }

    [[noreturn]] void fail(const std::string& reason) {
        failure = path + ": " + reason;
        throw std::runtime_error(failure);
    }

    void throwIfUnusable() const {
        if (!failure.empty()) throw std::runtime_error(failure);
        if (closed) throw std::logic_error(path + ": recording already closed");
    }

    /// One write() per call in the normal case, so a crash leaves whole frames plus at most one
    /// partial frame; loops only for short writes (signals, some file systems).
    void writeAll(const unsigned char* data, std::size_t size) {
        while (size > 0) {
            const ssize_t n = ::write(fd, data, size);
            if (n < 0) {
                if (errno == EINTR) continue;
                fail(std::strerror(errno));
            }
            data += n;
            size -= static_cast<std::size_t>(n);
            bytes += static_cast<std::uint64_t>(n);
        }
    }

    bool blockIsOld(TimeNs nowNs) const {
        // Measured on the records' own receive times: the output depends only on the input, and for
        // a live feed receive time is the wall clock anyway. A large backwards step (a clock reset)
        // also closes the block, or it might never age.
        TimeNs age = 0;
        if (__builtin_sub_overflow(nowNs, blockFirstNs, &age)) return true;  // beyond any interval
        return age >= options.flushIntervalNs || age <= -options.flushIntervalNs;
    }

    void writeBlock() {
        if (blockRecords == 0) return;
        const std::size_t bound = ZSTD_compressBound(block.size());
        if (frame.size() < fmt::kFrameHeaderBytes + bound)
            frame.resize(fmt::kFrameHeaderBytes + bound);
        unsigned char* data = frame.data() + fmt::kFrameHeaderBytes;
        const std::size_t compressed =
            ZSTD_compress2(zstd, data, bound, block.data(), block.size());
        if (ZSTD_isError(compressed)) fail(std::string("zstd: ") + ZSTD_getErrorName(compressed));

        fmt::FrameHeader header;
        header.compressedLength = static_cast<std::uint32_t>(compressed);
        header.rawLength = static_cast<std::uint32_t>(block.size());
        header.recordCount = blockRecords;
        header.firstReceiveNs = blockFirstNs;
        header.lastReceiveNs = blockLastNs;
        header.dataCrc = fmt::crc32Of(data, compressed);
        fmt::encodeFrameFields(frame.data(), header);
        fmt::putU32(frame.data() + fmt::kFrameCrcOffset,
                    fmt::crc32Of(frame.data(), fmt::kFrameCrcOffset));

        const std::uint32_t written = blockRecords;
        block.clear();
        blockRecords = 0;
        writeAll(frame.data(), fmt::kFrameHeaderBytes + compressed);
        savedRecords += written;
    }

    void writeFileHeader(const RecordingHeader& header) {
        for (const std::string* field : {&header.venue, &header.symbol, &header.software}) {
            if (field->size() > fmt::kMaxHeaderString)
                throw std::invalid_argument(path + ": header field longer than 65535 bytes");
        }
        const std::size_t body =
            2 + header.venue.size() + 2 + header.symbol.size() + 8 + 2 + header.software.size();
        std::vector<unsigned char> bytesOut(fmt::kFileHeaderFixedBytes + body + 4);
        unsigned char* p = bytesOut.data();
        std::memcpy(p, fmt::kMagic.data(), fmt::kMagic.size());
        fmt::putU32(p + 8, fmt::kFormatVersion);
        fmt::putU32(p + 12, static_cast<std::uint32_t>(body));
        p += fmt::kFileHeaderFixedBytes;
        const auto putString = [&p](const std::string& s) {
            fmt::putU16(p, static_cast<std::uint16_t>(s.size()));
            std::memcpy(p + 2, s.data(), s.size());
            p += 2 + s.size();
        };
        putString(header.venue);
        putString(header.symbol);
        fmt::putI64(p, header.createdNs);
        p += 8;
        putString(header.software);
        fmt::putU32(p, fmt::crc32Of(bytesOut.data(), bytesOut.size() - 4));
        writeAll(bytesOut.data(), bytesOut.size());
    }
};

RecordingWriter::RecordingWriter(const std::string& path, const RecordingHeader& header,
                                 RecordingWriterOptions options)
    : impl_(std::make_unique<Impl>()) {
    Impl& d = *impl_;
    d.path = path;
    d.options = options;
    // A zero block size means "every record in its own block"; the cap keeps blocks readable.
    d.options.blockBytes = std::clamp<std::size_t>(options.blockBytes, 1, kMaxRecordBytes);
    d.options.flushIntervalNs = std::max<TimeNs>(options.flushIntervalNs, 0);
    d.zstd = ZSTD_createCCtx();
    if (!d.zstd) throw std::runtime_error(path + ": cannot create a zstd context");
    ZSTD_CCtx_setParameter(d.zstd, ZSTD_c_compressionLevel, options.zstdLevel);
    d.block.reserve(std::min<std::size_t>(d.options.blockBytes, std::size_t{1} << 20));
    d.fd =
        ::open(path.c_str(),
               O_WRONLY | O_CREAT | O_CLOEXEC | (options.replaceExisting ? O_TRUNC : O_EXCL), 0644);
    if (d.fd < 0) d.fail(std::strerror(errno));
    d.writeFileHeader(header);
}

RecordingWriter::~RecordingWriter() {
    if (!impl_->closed && impl_->failure.empty()) {
        try {
            impl_->writeBlock();
        } catch (...) {
            // Documented: a destructor cannot report; close() is the checked way to finish.
        }
    }
}

void RecordingWriter::append(RecordKind kind, TimeNs receiveNs, std::string_view payload) {
    Impl& d = *impl_;
    d.throwIfUnusable();
    if (payload.size() > kMaxRecordBytes)
        throw std::length_error(d.path + ": record payload larger than " +
                                describeBytes(kMaxRecordBytes));
    const std::size_t recordBytes = fmt::kRecordHeaderBytes + payload.size();
    // A record that would overflow the block starts a new one; so a record larger than the block
    // size ends up alone in its block.
    if (d.blockRecords > 0 && d.block.size() + recordBytes > d.options.blockBytes) d.writeBlock();

    const std::size_t at = d.block.size();
    d.block.resize(at + recordBytes);
    unsigned char* p = d.block.data() + at;
    p[0] = static_cast<unsigned char>(kind);
    fmt::putI64(p + 1, receiveNs);
    fmt::putU32(p + 9, static_cast<std::uint32_t>(payload.size()));
    if (!payload.empty()) std::memcpy(p + fmt::kRecordHeaderBytes, payload.data(), payload.size());
    if (d.blockRecords == 0) d.blockFirstNs = receiveNs;
    d.blockLastNs = receiveNs;
    ++d.blockRecords;
    ++d.records;

    if (d.block.size() >= d.options.blockBytes || d.blockIsOld(receiveNs)) d.writeBlock();
}

void RecordingWriter::flush() {
    Impl& d = *impl_;
    if (d.closed && d.failure.empty()) return;
    d.throwIfUnusable();
    d.writeBlock();
}

void RecordingWriter::close() {
    Impl& d = *impl_;
    if (d.closed) return;
    d.throwIfUnusable();
    d.writeBlock();
    d.closed = true;
    const int fd = d.fd;
    d.fd = -1;
    if (::close(fd) != 0) d.fail(std::strerror(errno));
}

std::uint64_t RecordingWriter::recordsWritten() const {
    return impl_->records;
}
std::uint64_t RecordingWriter::recordsSaved() const {
    return impl_->savedRecords;
}
std::uint64_t RecordingWriter::bytesWritten() const {
    return impl_->bytes;
}

}  // namespace flowscope::record
