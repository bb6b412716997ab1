// Shared by the file-reader fuzz targets: the readers take paths, so each input is written to a
// per-process scratch file first (in /dev/shm when there is one, to stay off the disk).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <unistd.h>

namespace fuzz {

inline std::string scratchPath(const char* name) {
    const char* dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    return std::string(dir) + "/flowscope-fuzz-" + std::to_string(getpid()) + "-" + name;
}

inline void writeScratch(const std::string& path, const std::uint8_t* data, std::size_t size) {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) std::abort();
    if (size && std::fwrite(data, 1, size, f) != size) std::abort();
    std::fclose(f);
}

/// Removes the scratch files when the fuzzer exits.
struct ScratchFiles {
    std::string paths[2];
    ~ScratchFiles() {
        for (const std::string& p : paths)
            if (!p.empty()) std::remove(p.c_str());
    }
};

}  // namespace fuzz
