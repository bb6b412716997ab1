// flowscope-cli record: every raw message of a venue feed, with receive times, to a recording.
#include <filesystem>
#include <ostream>

#include "arg_parser.h"
#include "book/clock.h"
#include "commands.h"
#include "io/text_excerpt.h"
#include "live_session.h"
#include "record/recording_file.h"
#include "text_format.h"
#include "venues/adapter_factory.h"

namespace flowscope::cli {
namespace {

constexpr const char* kHelp =
    R"(usage: flowscope-cli record --venue V --symbol S --out FILE [--force] [--duration SECONDS]
                           [--ws-url URL] [--rest-url URL] [--ca-file PEM] [--tick T --lot L]

Records every WebSocket message and REST snapshot as received, with its receive time, to FILE
(Flowscope's recording format: CRC-checked zstd blocks; a crash loses at most the last second).
Runs for --duration seconds, or until Ctrl-C. The adapter runs too, so problems show on stderr.
An existing FILE is refused (exit 2) unless --force is given.
A write error (a full disk) is reported at once on stderr and ends the recording; the summary
then counts what the file holds (whole blocks) and adds "error", and the exit is 1.
Prints one JSON object when done: {"file", "records", "bytes", "seconds", "synced"}.
Replay it with: flowscope-cli replay FILE
)";

}  // namespace

int runRecord(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    auto names = venueOptionNames();
    names.insert({"out", "duration"});
    ArgParser parser(names, {"help", "force"});
    const auto usage = [&](const std::string& message) {
        err << "flowscope-cli record: " << message << "\n" << kHelp;
        return kExitBadInput;
    };
    if (!parser.parse(args)) return usage(parser.error());
    if (parser.flag("help")) {
        out << kHelp;
        return kExitOk;
    }
    if (!parser.positional().empty())
        return usage("unexpected argument " + quoteExcerpt(parser.positional()[0]));
    std::string error;
    const auto choice = readVenueOptions(parser, error, {}, {}, true);
    if (!choice) return usage(error);
    if (!parser.value("out")) return usage("missing --out FILE");
    TimeNs durationNs = 0;
    if (const auto text = parser.value("duration")) {
        const auto ns = parseSeconds("duration", *text, error);
        if (!ns) return usage(error);
        durationNs = *ns;
    }

    record::RecordingHeader header;
    header.venue = venues::venueName(choice->venue);
    header.symbol = choice->symbol;
    header.createdNs = wallNowNs();
    header.software = "flowscope-cli 0.1.0";
    const std::string path = *parser.value("out");
    record::RecordingWriterOptions options;
    options.replaceExisting = parser.flag("force");
    std::unique_ptr<record::RecordingWriter> writer;
    // Asked before the writer creates the file: a header that then fails to write (a full disk)
    // leaves a file this run made, which is a write failure, not "already exists".
    std::error_code existsError;
    const bool existedBefore = std::filesystem::exists(path, existsError);
    try {
        writer = std::make_unique<record::RecordingWriter>(path, header, options);
    } catch (const std::exception& e) {
        std::error_code ec;
        const bool exists = std::filesystem::exists(path, ec);
        if (!options.replaceExisting && existedBefore)
            return usage("--out " + quoteExcerpt(path) +
                         " already exists; give --force to replace it");
        // No file: a path that cannot be created is bad input. A file (opened, then its header
        // could not be written: a full disk, /dev/full) is a write failure, summarised as such;
        // one this run created holds nothing readable and goes.
        if (!exists) return usage(e.what());
        if (!existedBefore) std::filesystem::remove(path, ec);
        err << "flowscope-cli record: write failed: " << e.what() << "; nothing recorded\n";
        out << "{\"file\": " << jsonString(path)
            << ", \"records\": 0, \"bytes\": 0, \"seconds\": 0, \"synced\": false, \"error\": "
            << jsonString(e.what()) << "}\n";
        return kExitFailure;
    }

    std::string writeError;
    // Said the moment it happens, not at the end: the feed may run for hours more.
    const auto failed = [&](const std::exception& e) {
        writeError = e.what();
        err << "flowscope-cli record: write failed: " << writeError << "; recording stopped ("
            << writer->recordsSaved() << " records, " << writer->bytesWritten() << " bytes kept)\n";
        err.flush();
    };
    venues::NullVenueListener listener;
    auto adapter = venues::makeAdapter(choice->venue, choice->symbol, choice->instrument, listener);
    const LiveSessionResult run = runLiveSession(
        *choice, *adapter, durationNs, err, "record",
        [&](record::RecordKind kind, TimeNs receiveNs, std::string_view payload) {
            if (!writer || !writeError.empty()) return;
            try {
                writer->append(kind, receiveNs, payload);
            } catch (const std::exception& e) {
                failed(e);
            }
        },
        [&] {
            // A quiet feed's last block reaches the disk within a second.
            if (!writer || !writeError.empty()) return;
            try {
                writer->flush();
            } catch (const std::exception& e) {
                failed(e);
            }
        },
        [&] { return !writeError.empty(); });
    if (!run.startError.empty()) {
        // Nothing ran: the file this run created (never one it was allowed to replace) goes, so
        // the corrected command does not need --force.
        writer.reset();
        std::error_code ec;
        if (!options.replaceExisting) std::filesystem::remove(path, ec);
        return usage(run.startError);
    }
    if (writeError.empty()) {
        try {
            writer->close();
        } catch (const std::exception& e) {
            failed(e);
        }
    }
    // What the file holds, also after a write error: the blocks written whole.
    out << "{\"file\": " << jsonString(path) << ", \"records\": " << writer->recordsSaved()
        << ", \"bytes\": " << writer->bytesWritten() << ", \"seconds\": " << jsonNumber(run.seconds)
        << ", \"synced\": " << (adapter->counters().snapshots > 0 ? "true" : "false");
    if (!writeError.empty()) out << ", \"error\": " << jsonString(writeError);
    out << "}\n";
    return writeError.empty() ? kExitOk : kExitFailure;  // main() reports a failed stdout
}

}  // namespace flowscope::cli
