// libFuzzer target for Flowscope's recording format (RecordingReader through openRecording(),
// which also sniffs the format): any bytes must give records, warnings or one error, never a
// crash, a sanitizer report, or a record that points outside what the reader holds.
#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>

#include "fuzz_file_input.h"
#include "record/recording_file.h"
#include "record/recording_reader.h"

using namespace flowscope;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static fuzz::ScratchFiles files{{fuzz::scratchPath("recording.frec"), {}}};
    const std::string& path = files.paths[0];
    fuzz::writeScratch(path, data, size);

    record::RecordingReader reader(path);
    record::Record r;
    std::size_t payloadBytes = 0;
    while (reader.next(r)) {
        // Touch every payload byte, so ASan checks the view is inside a live buffer.
        for (char c : r.payload)
            payloadBytes += static_cast<unsigned char>(c) & 1;
    }
    if (reader.error().empty() && reader.corruptBlocks() > reader.blocksRead() + size)
        __builtin_trap();

    // The sniffing entry point: throws for foreign or unreadable files, otherwise reads.
    try {
        std::unique_ptr<record::RecordSource> source = record::openRecording(path);
        while (source->next(r))
            payloadBytes += r.payload.size() & 1;
    } catch (const std::exception&) {
    }
    return payloadBytes == SIZE_MAX ? 1 : 0;
}
