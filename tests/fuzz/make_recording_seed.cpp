// Seed maker for fuzz_recording_reader: converts the first LINES lines of a gzip capture into
// Flowscope's recording format, in small blocks so a seed holds several frames.
// Usage: make_recording_seed CAPTURE.gz LINES OUT.frec
#include <cstdio>
#include <cstdlib>
#include <exception>

#include "record/capture_reader.h"
#include "record/recording_file.h"

using namespace flowscope;

int main(int argc, char** argv) {
    if (argc != 4) {
        std::fprintf(stderr, "usage: %s CAPTURE.gz LINES OUT.frec\n", argv[0]);
        return 2;
    }
    try {
        record::CaptureReader capture(argv[1]);
        record::RecordingHeader header;
        header.venue = "binance-spot";
        header.symbol = "BTCUSDT";
        header.software = "make_recording_seed";
        record::RecordingWriterOptions options;
        options.blockBytes = 2048;
        record::RecordingWriter writer(argv[3], header, options);
        record::Record r;
        for (long left = std::atol(argv[2]); left > 0 && capture.next(r); --left)
            writer.append(r.kind, r.receiveNs, r.payload);
        writer.close();
        if (!capture.error().empty()) {
            std::fprintf(stderr, "%s\n", capture.error().c_str());
            return 1;
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s\n", e.what());
        return 1;
    }
    return 0;
}
