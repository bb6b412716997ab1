#pragma once
/// Reads the venue recordings kept as gzip text under tests/data: one message per line,
/// "<receive ns> <raw JSON>" (the format ../shared/data/README.md describes).

#include <zlib.h>

#include <string>
#include <vector>

#include "book/types.h"

namespace flowscope::testing {

struct CaptureLine {
    TimeNs receiveNs = 0;
    std::string json;
};

/// Every line of `path`, in order; empty when the file cannot be opened.
inline std::vector<CaptureLine> readCaptureLines(const char* path) {
    std::vector<CaptureLine> lines;
    gzFile file = gzopen(path, "rb");
    if (file == nullptr) return lines;
    std::vector<char> buffer(1 << 20);
    std::string line;
    while (gzgets(file, buffer.data(), static_cast<int>(buffer.size())) != nullptr) {
        line += buffer.data();
        if (line.empty() || line.back() != '\n') {
            if (!gzeof(file)) continue;  // longer than the buffer: keep reading
        } else {
            line.pop_back();
        }
        const std::size_t space = line.find(' ');
        CaptureLine parsed;
        parsed.receiveNs = space == std::string::npos ? 0 : std::stoll(line.substr(0, space));
        parsed.json = space == std::string::npos ? std::string() : line.substr(space + 1);
        lines.push_back(std::move(parsed));
        line.clear();
    }
    gzclose(file);
    return lines;
}

/// The REST depth snapshot the recorder stored among the stream's messages.
inline bool isRestSnapshot(const std::string& json) {
    return json.rfind(R"({"lastUpdateId")", 0) == 0;
}

}  // namespace flowscope::testing
