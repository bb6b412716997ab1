#pragma once
/// Size limits on what Flowscope reads from files. No venue sends a message of more than a few
/// MiB, and no LOBSTER row is longer than a few KiB, so anything larger is bad input: readers stop
/// at the limit (they never buffer the whole line or block first) and report the file and line,
/// which keeps memory constant whatever the file holds.

#include <cstddef>
#include <string>

namespace flowscope {

/// Longest line of a text recording (gzip capture) or of a generic text file: 16 MiB.
inline constexpr std::size_t kMaxLineBytes = std::size_t{16} << 20;
/// Longest LOBSTER CSV row: 1 MiB (a 200-level book row is about 10 KiB).
inline constexpr std::size_t kMaxLobsterLineBytes = std::size_t{1} << 20;
/// Largest record (one venue message) in a Flowscope recording: 16 MiB.
inline constexpr std::size_t kMaxRecordBytes = std::size_t{16} << 20;
/// Largest decompressed block a recording reader accepts: 32 MiB (the writer closes a block at
/// 16 MiB, and a record larger than its block gets one of its own).
inline constexpr std::size_t kMaxReadBlockBytes = std::size_t{32} << 20;

/// "16 MiB", "1 MiB", "512 KiB", "100 bytes": a limit as the error messages quote it.
inline std::string describeBytes(std::size_t bytes) {
    if (bytes >= (std::size_t{1} << 20) && bytes % (std::size_t{1} << 20) == 0)
        return std::to_string(bytes >> 20) + " MiB";
    if (bytes >= 1024 && bytes % 1024 == 0) return std::to_string(bytes >> 10) + " KiB";
    return std::to_string(bytes) + " bytes";
}

}  // namespace flowscope
