#include "record/recording_reader.h"

#include <sys/stat.h>
#include <zstd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "io/input_limits.h"
#include "record/recording_format.h"

namespace flowscope::record {

namespace fmt = format;

namespace {
constexpr std::size_t kScanChunk = 64 * 1024;

std::string str(std::uint64_t v) {
    return std::to_string(v);
}
}  // namespace

struct RecordingReader::Decompressor {
    ZSTD_DCtx* context = ZSTD_createDCtx();
    ~Decompressor() { ZSTD_freeDCtx(context); }
};

RecordingReader::RecordingReader(std::string path)
    : path_(std::move(path)), zstd_(std::make_unique<Decompressor>()) {
    file_.reset(std::fopen(path_.c_str(), "rb"));
    if (!file_) {
        fail(path_ + ": " + std::strerror(errno));
        return;
    }
    if (!zstd_->context) {
        fail(path_ + ": cannot create a zstd context");
        return;
    }
    if (!readHeader()) done_ = true;
}

RecordingReader::~RecordingReader() = default;

bool RecordingReader::fail(std::string message) {
    if (error_.empty()) error_ = std::move(message);
    done_ = true;
    return false;
}

std::uint64_t RecordingReader::fileSize() const {
    struct stat info {};
    if (::fstat(::fileno(file_.get()), &info) != 0) return 0;
    return static_cast<std::uint64_t>(info.st_size);
}

bool RecordingReader::readAt(std::uint64_t offset, unsigned char* data, std::size_t size,
                             std::size_t& got) {
    got = 0;
    if (filePosition_ != offset) {
        if (::fseeko(file_.get(), static_cast<off_t>(offset), SEEK_SET) != 0)
            return fail(path_ + ": cannot seek to offset " + str(offset) + ": " +
                        std::strerror(errno));
        filePosition_ = offset;
    }
    got = std::fread(data, 1, size, file_.get());
    filePosition_ += got;
    if (got < size && std::ferror(file_.get()))
        return fail(path_ + ": read error at offset " + str(filePosition_) + ": " +
                    std::strerror(errno));
    return true;
}

bool RecordingReader::readHeader() {
    unsigned char fixed[fmt::kFileHeaderFixedBytes];
    std::size_t got = 0;
    if (!readAt(0, fixed, sizeof fixed, got)) return false;
    if (got == 0) return fail(path_ + ": empty file, not a Flowscope recording");
    if (got < fmt::kMagic.size() || std::memcmp(fixed, fmt::kMagic.data(), fmt::kMagic.size()) != 0)
        return fail(path_ + ": not a Flowscope recording (bad magic bytes)");
    if (got < sizeof fixed) return fail(path_ + ": truncated header");
    const std::uint32_t version = fmt::getU32(fixed + 8);
    if (version > fmt::kFormatVersion)
        return fail(path_ + ": recording format version " + str(version) +
                    " is newer than this build reads (up to " + str(fmt::kFormatVersion) +
                    "); update Flowscope");
    if (version == 0) return fail(path_ + ": corrupt header (format version 0)");
    const std::uint32_t bodyLength = fmt::getU32(fixed + 12);
    if (bodyLength > fmt::kMaxHeaderBody)
        return fail(path_ + ": corrupt header (body length " + str(bodyLength) + ")");

    // The whole header in one buffer, as the CRC covers it from the magic on.
    std::vector<unsigned char> bytes(sizeof fixed + bodyLength + 4);
    std::memcpy(bytes.data(), fixed, sizeof fixed);
    if (!readAt(sizeof fixed, bytes.data() + sizeof fixed, bodyLength + 4, got)) return false;
    if (got < bodyLength + 4) return fail(path_ + ": truncated header");
    const std::size_t crcAt = sizeof fixed + bodyLength;
    if (fmt::getU32(bytes.data() + crcAt) != fmt::crc32Of(bytes.data(), crcAt))
        return fail(path_ + ": corrupt header (CRC mismatch)");

    const unsigned char* p = bytes.data() + sizeof fixed;
    const unsigned char* const end = bytes.data() + crcAt;
    const auto readString = [&p, end](std::string& out) {
        if (end - p < 2) return false;
        const std::size_t length = fmt::getU16(p);
        if (static_cast<std::size_t>(end - p - 2) < length) return false;
        out.assign(reinterpret_cast<const char*>(p + 2), length);
        p += 2 + length;
        return true;
    };
    header_.formatVersion = version;
    if (!readString(header_.venue) || !readString(header_.symbol) || end - p < 8)
        return fail(path_ + ": corrupt header (fields overrun the header)");
    header_.createdNs = fmt::getI64(p);
    p += 8;
    if (!readString(header_.software))
        return fail(path_ + ": corrupt header (fields overrun the header)");
    offset_ = crcAt + 4;
    return true;
}

bool RecordingReader::validRecords(std::size_t rawLength, std::uint32_t recordCount) const {
    std::size_t at = 0;
    std::uint32_t count = 0;
    while (rawLength - at >= fmt::kRecordHeaderBytes) {
        const std::size_t payload = fmt::getU32(raw_.data() + at + 9);
        if (rawLength - at - fmt::kRecordHeaderBytes < payload) return false;
        at += fmt::kRecordHeaderBytes + payload;
        ++count;
    }
    return at == rawLength && count == recordCount;
}

void RecordingReader::warnTornTail(std::uint64_t offset) {
    warnings_.push_back(path_ + ": torn tail at offset " + str(offset) + " (" +
                        str(fileSize() - offset) +
                        " bytes after the last complete block): ignored");
}

RecordingReader::FrameResult RecordingReader::tryFrame(std::uint64_t offset, std::string& problem,
                                                       std::uint64_t& resumeAt,
                                                       std::uint32_t& recordsLost) {
    unsigned char frame[fmt::kFrameHeaderBytes];
    std::size_t got = 0;
    if (!readAt(offset, frame, sizeof frame, got)) return FrameResult::End;
    if (got == 0) return FrameResult::End;
    if (got < sizeof frame) {
        warnTornTail(offset);
        return FrameResult::End;
    }
    // Until the frame header checks out its lengths mean nothing: rescan from the next byte.
    resumeAt = offset + 1;
    recordsLost = 0;
    if (!fmt::startsWithSync(frame)) {
        problem = "no sync word";
        return FrameResult::Corrupt;
    }
    if (fmt::getU32(frame + fmt::kFrameCrcOffset) != fmt::crc32Of(frame, fmt::kFrameCrcOffset)) {
        problem = "frame header CRC mismatch";
        return FrameResult::Corrupt;
    }
    const fmt::FrameHeader header = fmt::decodeFrameFields(frame);
    if (!fmt::plausible(header)) {
        problem = "impossible block lengths";
        return FrameResult::Corrupt;
    }
    // A sound frame (its header CRC checks out) holding more than any writer puts in a block is
    // refused before its data is read or decompressed: memory stays bounded by the limit.
    if (header.rawLength > kMaxReadBlockBytes ||
        header.compressedLength > ZSTD_COMPRESSBOUND(kMaxReadBlockBytes)) {
        fail(path_ + ": block at offset " + str(offset) + " holds " + str(header.rawLength) +
             " bytes (" + str(header.compressedLength) + " compressed), more than the " +
             describeBytes(kMaxReadBlockBytes) + " a block may hold");
        return FrameResult::End;
    }
    const std::uint64_t dataAt = offset + fmt::kFrameHeaderBytes;
    if (dataAt + header.compressedLength > fileSize()) {
        warnTornTail(offset);
        return FrameResult::End;
    }

    resumeAt = dataAt + header.compressedLength;
    recordsLost = header.recordCount;
    const std::size_t compressedLength = header.compressedLength;
    if (compressed_.size() < compressedLength) compressed_.resize(compressedLength);
    if (!readAt(dataAt, compressed_.data(), compressedLength, got)) return FrameResult::End;
    if (got < compressedLength) {  // the file shrank under us
        warnTornTail(offset);
        return FrameResult::End;
    }
    if (fmt::crc32Of(compressed_.data(), compressedLength) != header.dataCrc) {
        problem = "data CRC mismatch";
        return FrameResult::Corrupt;
    }
    const std::size_t rawLength = header.rawLength;
    if (raw_.size() < rawLength) raw_.resize(rawLength);
    const std::size_t produced = ZSTD_decompressDCtx(zstd_->context, raw_.data(), rawLength,
                                                     compressed_.data(), compressedLength);
    if (ZSTD_isError(produced)) {
        problem = std::string("zstd: ") + ZSTD_getErrorName(produced);
        return FrameResult::Corrupt;
    }
    if (produced != rawLength) {
        problem = "decompressed to " + str(produced) + " bytes instead of " + str(rawLength);
        return FrameResult::Corrupt;
    }
    if (!validRecords(rawLength, header.recordCount)) {
        problem = "records do not add up to the block";
        return FrameResult::Corrupt;
    }
    cursor_ = 0;
    rawEnd_ = rawLength;
    offset_ = resumeAt;
    ++blocksRead_;
    return FrameResult::Loaded;
}

bool RecordingReader::findNextFrame(std::uint64_t from, std::uint64_t& found) {
    const std::uint64_t size = fileSize();
    if (scan_.size() < kScanChunk) scan_.resize(kScanChunk);
    const std::size_t syncBytes = fmt::kSync.size();
    std::uint64_t position = from;
    while (position + syncBytes <= size) {
        const std::size_t want =
            static_cast<std::size_t>(std::min<std::uint64_t>(kScanChunk, size - position));
        std::size_t got = 0;
        if (!readAt(position, scan_.data(), want, got)) return false;
        if (got < syncBytes) break;
        for (std::size_t i = 0; i + syncBytes <= got; ++i) {
            if (!fmt::startsWithSync(scan_.data() + i)) continue;
            const std::uint64_t candidate = position + i;
            if (candidate + fmt::kFrameHeaderBytes > size) {
                found = candidate;  // maybe a torn frame: tryFrame() will say so
                return true;
            }
            unsigned char frame[fmt::kFrameHeaderBytes];
            std::size_t frameGot = 0;
            if (!readAt(candidate, frame, sizeof frame, frameGot)) return false;
            if (frameGot == sizeof frame &&
                fmt::getU32(frame + fmt::kFrameCrcOffset) ==
                    fmt::crc32Of(frame, fmt::kFrameCrcOffset) &&
                fmt::plausible(fmt::decodeFrameFields(frame))) {
                found = candidate;
                return true;
            }
        }
        // Overlap by syncBytes - 1 so a sync word straddling two chunks is still seen.
        position += got - (syncBytes - 1);
    }
    found = size;
    return true;
}

bool RecordingReader::loadNextBlock() {
    for (;;) {
        const std::uint64_t at = offset_;
        std::string problem;
        std::uint64_t resumeAt = at + 1;
        std::uint32_t recordsLost = 0;
        switch (tryFrame(at, problem, resumeAt, recordsLost)) {
            case FrameResult::Loaded:
                return true;
            case FrameResult::End:
                return false;
            case FrameResult::Corrupt:
                break;
        }
        ++corruptBlocks_;
        std::uint64_t next = 0;
        if (!findNextFrame(resumeAt, next)) return false;
        const std::string what = path_ + ": corrupt block at offset " + str(at) + " (" + problem +
                                 (recordsLost ? ", " + str(recordsLost) + " records lost" : "") +
                                 ")";
        const std::uint64_t size = fileSize();
        if (next >= size) {
            warnings_.push_back(what + ": no intact block in the remaining " + str(size - at) +
                                " bytes: ignored");
            return false;
        }
        warnings_.push_back(what + ": skipped " + str(next - at) +
                            " bytes to the next block at offset " + str(next));
        offset_ = next;
    }
}

bool RecordingReader::next(Record& out) {
    if (done_) return false;
    for (;;) {
        while (cursor_ < rawEnd_) {
            const unsigned char* p = raw_.data() + cursor_;
            const std::uint8_t kind = p[0];
            const std::uint32_t length = fmt::getU32(p + 9);
            cursor_ += fmt::kRecordHeaderBytes + length;
            if (!fmt::isKnownKind(kind)) {
                if (!warnedUnknownKind_)
                    warnings_.push_back(path_ + ": records of unknown kind " + str(kind) +
                                        " skipped (written by a newer version?)");
                warnedUnknownKind_ = true;
                continue;
            }
            out.kind = static_cast<RecordKind>(kind);
            out.receiveNs = fmt::getI64(p + 1);
            out.payload = std::string_view(
                reinterpret_cast<const char*>(p) + fmt::kRecordHeaderBytes, length);
            return true;
        }
        if (!loadNextBlock()) {
            done_ = true;
            return false;
        }
    }
}

}  // namespace flowscope::record
