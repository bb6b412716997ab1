// openRecording(): picks the reader by the file's first bytes, not by its name, so a renamed or
// extension-less file still opens with the right reader.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

#include "record/capture_reader.h"
#include "record/recording_file.h"
#include "record/recording_format.h"
#include "record/recording_reader.h"

namespace flowscope::record {

namespace {
constexpr unsigned char kGzipMagic[2] = {0x1f, 0x8b};
}

std::unique_ptr<RecordSource> openRecording(const std::string& path) {
    std::FILE* file = std::fopen(path.c_str(), "rb");
    if (!file) throw std::runtime_error(path + ": " + std::strerror(errno));
    unsigned char magic[format::kMagic.size()] = {};
    const std::size_t got = std::fread(magic, 1, sizeof magic, file);
    const bool readFailed = std::ferror(file) != 0;
    const int readErrno = errno;
    std::fclose(file);
    if (readFailed) throw std::runtime_error(path + ": " + std::strerror(readErrno));

    std::unique_ptr<RecordSource> source;
    if (got == sizeof magic && std::memcmp(magic, format::kMagic.data(), sizeof magic) == 0)
        source = std::make_unique<RecordingReader>(path);
    else if (got >= sizeof kGzipMagic && std::memcmp(magic, kGzipMagic, sizeof kGzipMagic) == 0)
        source = std::make_unique<CaptureReader>(path);
    else
        throw std::runtime_error(path + ": neither a Flowscope recording nor a gzip capture");
    // A header that cannot be read (a newer version, damage) means the file cannot be opened.
    if (!source->error().empty()) throw std::runtime_error(source->error());
    return source;
}

}  // namespace flowscope::record
