// libFuzzer target for the plain capture format (CaptureReader): gzip or plain text lines
// "<receive ns> <JSON>". Any bytes must give records, a torn-tail warning or one error naming a
// line, never a crash or a sanitizer report. A small line limit (4 KiB) lets the fuzzer reach the
// oversized-line path with short inputs.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_file_input.h"
#include "record/capture_reader.h"

using namespace flowscope;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static fuzz::ScratchFiles files{{fuzz::scratchPath("capture.gz"), {}}};
    const std::string& path = files.paths[0];
    fuzz::writeScratch(path, data, size);

    const bool smallLimit = size > 0 && (data[0] & 1);
    record::CaptureReader reader(path, smallLimit ? 4096 : kMaxLineBytes);
    record::Record r;
    std::size_t lines = 0;
    while (reader.next(r)) {
        ++lines;
        // The payload is a JSON object: it starts with '{' and ends with '}'.
        if (r.payload.size() < 2 || r.payload.front() != '{' || r.payload.back() != '}')
            __builtin_trap();
        if (smallLimit && r.payload.size() > 4096) __builtin_trap();
    }
    if (lines > reader.lineNumber()) __builtin_trap();
    // What the reader took in is bounded by the limit plus its chunk even for a gzip bomb.
    (void)record::hasTopLevelKey(std::string_view(reinterpret_cast<const char*>(data), size),
                                 "lastUpdateId");
    return 0;
}
