// Throughput of the Binance spot depth path on the real recording: JSON decode (the compact
// depth scanner, simdjson for what it declines: nothing in this recording), the documented
// snapshot + diff synchronisation, the exact integer book, and, in the first variant, the
// imbalance engine (OFI) fed with every level change.
//
// Input: the recorded combined stream (FLOWSCOPE_SHARED_DATA/binance/spot_btcusdt_20240808.gz,
// or --input=PATH). Only the btcusdt@depth@100ms envelopes (3,451, kept byte for byte as
// received) and the one REST snapshot line are used; bookTicker and trade lines are left out so
// that the ccxt comparison (tests/bench/ccxt/) processes exactly the same bytes. Everything is
// loaded into one buffer before any timing.
//
// One iteration is one full pass, as a reconnect would run it: onConnected, every depth event in
// recorded order (the adapter buffers until the snapshot), the snapshot body at its place in the
// stream, then the rest. Every pass checks the adapter's counters (0 gaps, 0 parse errors, one
// snapshot, 3,449 events applied, as the data README establishes independently) and stops the
// benchmark with an error otherwise, so a broken sync path cannot be timed by mistake.
//
// Variants:
//   BM_BinanceDepth/DecodeSyncBookOfi  ImbalanceEngine.onBook / onBookUpdate on the adapter's book
//                                      per level change (what FeedEngine does), default config.
//   BM_BinanceDepth/DecodeSyncBook     the same adapter with a listener that does nothing.
// bytes_per_second counts the depth messages only (the snapshot is processed but not counted);
// items_per_second is depth messages per second; levels_per_s is level changes handed to the
// listener per second. The engine is rebuilt (untimed) before each pass because its clock only
// moves forward and the recording's times restart with every pass.
//
// Extra flags (before Google Benchmark's own):
//   --input=PATH       another capture in the same format
//   --book_out=PATH    writes the top 20 levels a side after a pass ("bid 1 61685.99 1.008700"),
//                      the format tests/bench/ccxt/ccxt_orderbook_bench.mjs writes for its book
// The input summary (messages, bytes, FNV-1a of the bytes) goes to stderr; scripts/bench-binance
// compares it with the ccxt side's to prove both read the same bytes.
//
// Run from the build tree:
//   tests/bench/bench_binance_depth
//   tests/bench/bench_binance_depth --benchmark_repetitions=5
//   --benchmark_report_aggregates_only=true

#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "book/instrument.h"
#include "record/capture_reader.h"
#include "signals/imbalance_engine.h"
#include "venues/binance_adapter.h"

namespace flowscope {
namespace {

using venues::AdapterCounters;
using venues::BinanceAdapter;
using venues::BinanceMarket;

constexpr std::string_view kDepthPrefix = R"({"stream":"btcusdt@depth@100ms")";
// From /work/shared/data/README.md, checked there against Binance's procedure by hand: 3,451
// events, 2 of them already in the snapshot, every later one continuing the previous u.
constexpr std::uint64_t kExpectedApplied = 3449;
constexpr std::uint64_t kExpectedDropped = 2;
constexpr std::size_t kBookOutLevels = 20;

// Lot 0.000001, not Binance's current BTCUSDT step of 0.00001: three far levels of this recording
// hold sizes finer than that (80000.00 x 244.566304, 74000.00 x 93.756587, 200000.00 x
// 25.426189, resting orders from when the step was finer), and the adapter rightly refuses a
// size that is not a whole number of lots (a gap, then a resync the recording cannot serve).
Instrument btcUsdt() {
    return Instrument("BTCUSDT", *DecimalStep::parse("0.01"), *DecimalStep::parse("0.000001"));
}

// ---------------------------------------------------------------------------------------------
// Input

struct Frame {
    std::size_t offset = 0;
    std::size_t size = 0;
    TimeNs receiveNs = 0;
};

/// The depth events and the snapshot of one capture, in recorded order, in one buffer.
struct DepthStream {
    std::string bytes;          ///< every depth message back to back
    std::vector<Frame> frames;  ///< depth messages
    std::string snapshot;
    TimeNs snapshotReceiveNs = 0;
    std::size_t snapshotAfter = 0;      ///< depth messages recorded before the snapshot
    std::uint32_t fnv1a = 2166136261u;  ///< over every selected message, snapshot in place

    std::string_view frame(std::size_t i) const {
        return std::string_view(bytes).substr(frames[i].offset, frames[i].size);
    }
    void hash(std::string_view text) {
        for (const char c : text) {
            fnv1a ^= static_cast<unsigned char>(c);
            fnv1a *= 16777619u;
        }
    }
};

/// Empty optional (and a message on stderr) when the capture cannot be read or has no snapshot.
std::optional<DepthStream> loadDepthStream(const std::string& path) {
    record::CaptureReader reader(path);
    DepthStream stream;
    bool haveSnapshot = false;
    record::Record r;
    while (reader.next(r)) {
        if (r.kind == record::RecordKind::RestSnapshot) {
            if (haveSnapshot) {
                std::fprintf(stderr, "%s: more than one snapshot; this bench expects one\n",
                             path.c_str());
                return std::nullopt;
            }
            haveSnapshot = true;
            stream.snapshot.assign(r.payload);
            stream.snapshotReceiveNs = r.receiveNs;
            stream.snapshotAfter = stream.frames.size();
            stream.hash(r.payload);
        } else if (r.kind == record::RecordKind::WsMessage && r.payload.starts_with(kDepthPrefix)) {
            stream.frames.push_back({stream.bytes.size(), r.payload.size(), r.receiveNs});
            stream.bytes.append(r.payload);
            stream.hash(r.payload);
        }
    }
    if (!reader.error().empty() || !haveSnapshot || stream.frames.empty()) {
        std::fprintf(
            stderr, "%s: %s\n", path.c_str(),
            reader.error().empty() ? "no depth events or no snapshot" : reader.error().c_str());
        return std::nullopt;
    }
    return stream;
}

// ---------------------------------------------------------------------------------------------
// Listeners

/// Feeds the imbalance engine from the adapter's own book, as FeedEngine does with its book.
class OfiListener final : public venues::VenueListener {
  public:
    /// A fresh engine for the next pass (allocates: call it outside the timed region).
    void restartEngine() {
        engine_ = std::make_unique<ImbalanceEngine>();
        book_ = nullptr;
    }
    const ImbalanceEngine& engine() const { return *engine_; }
    std::uint64_t levels() const { return levels_; }

    void onBookSnapshot(const OrderBook& book, TimeNs eventNs, TimeNs) override {
        book_ = &book;
        engine_->resetBook();
        engine_->onBook(book, eventNs);
    }
    void onBookLevel(Side side, PriceTicks price, Lots, TimeNs eventNs) override {
        ++levels_;
        if (book_) engine_->onBookUpdate(*book_, side, price, eventNs);
    }
    void onBookUpdateEnd(const OrderBook&, TimeNs, TimeNs) override {}
    void onTrade(const Trade& trade, TimeNs) override { engine_->onTrade(trade); }
    void onBookInvalid(std::string_view) override {
        book_ = nullptr;
        engine_->resetBook();
    }

  private:
    std::unique_ptr<ImbalanceEngine> engine_;
    const OrderBook* book_ = nullptr;
    std::uint64_t levels_ = 0;
};

// ---------------------------------------------------------------------------------------------
// One pass and its check

void runPass(BinanceAdapter& adapter, const DepthStream& stream) {
    adapter.onConnected(stream.frames.front().receiveNs);
    for (std::size_t i = 0; i < stream.snapshotAfter; ++i)
        adapter.onMessage(stream.frame(i), stream.frames[i].receiveNs);
    // The transport fetches when asked; the recording holds the body it got.
    (void)adapter.takeSnapshotRequest();
    adapter.onSnapshotResponse(stream.snapshot, stream.snapshotReceiveNs);
    for (std::size_t i = stream.snapshotAfter; i < stream.frames.size(); ++i)
        adapter.onMessage(stream.frame(i), stream.frames[i].receiveNs);
}

/// Empty when the pass between `before` and the adapter's counters now was the expected one.
std::string passProblem(const BinanceAdapter& adapter, const AdapterCounters& before) {
    const AdapterCounters& now = adapter.counters();
    const auto delta = [](std::uint64_t a, std::uint64_t b) { return std::to_string(a - b); };
    if (now.gaps != before.gaps) return "gaps: " + delta(now.gaps, before.gaps);
    if (now.parseErrors != before.parseErrors)
        return "parse errors: " + delta(now.parseErrors, before.parseErrors);
    if (now.snapshots - before.snapshots != 1)
        return "snapshots applied: " + delta(now.snapshots, before.snapshots);
    if (now.appliedEvents - before.appliedEvents != kExpectedApplied)
        return "events applied: " + delta(now.appliedEvents, before.appliedEvents) + ", expected " +
               std::to_string(kExpectedApplied);
    if (now.droppedBeforeSync - before.droppedBeforeSync != kExpectedDropped)
        return "events dropped before sync: " +
               delta(now.droppedBeforeSync, before.droppedBeforeSync);
    if (adapter.syncState() != venues::SyncState::Live) return "not live at the end of the pass";
    return {};
}

void setRates(benchmark::State& state, const DepthStream& stream, std::uint64_t levelsPerPass) {
    const auto passes = static_cast<std::int64_t>(state.iterations());
    state.SetBytesProcessed(passes * static_cast<std::int64_t>(stream.bytes.size()));
    state.SetItemsProcessed(passes * static_cast<std::int64_t>(stream.frames.size()));
    state.counters["levels_per_s"] =
        benchmark::Counter(static_cast<double>(passes) * static_cast<double>(levelsPerPass),
                           benchmark::Counter::kIsRate);
}

void benchWithOfi(benchmark::State& state, const DepthStream& stream, std::uint64_t levels) {
    OfiListener listener;
    BinanceAdapter adapter(BinanceMarket::Spot, "BTCUSDT", btcUsdt(), listener);
    for (auto _ : state) {
        state.PauseTiming();
        listener.restartEngine();
        const AdapterCounters before = adapter.counters();
        state.ResumeTiming();
        runPass(adapter, stream);
        if (const std::string problem = passProblem(adapter, before); !problem.empty()) {
            state.SkipWithError(problem.c_str());
            break;
        }
    }
    setRates(state, stream, levels);
}

void benchWithoutOfi(benchmark::State& state, const DepthStream& stream, std::uint64_t levels) {
    venues::NullVenueListener listener;
    BinanceAdapter adapter(BinanceMarket::Spot, "BTCUSDT", btcUsdt(), listener);
    for (auto _ : state) {
        const AdapterCounters before = adapter.counters();
        runPass(adapter, stream);
        if (const std::string problem = passProblem(adapter, before); !problem.empty()) {
            state.SkipWithError(problem.c_str());
            break;
        }
    }
    setRates(state, stream, levels);
}

// ---------------------------------------------------------------------------------------------
// Untimed check pass, input summary and the book for the ccxt comparison

bool writeTopLevels(const std::string& path, const OrderBook& book, const Instrument& instrument) {
    std::ofstream out(path);
    const auto writeSide = [&](const char* name, const BookSide& side) {
        for (std::size_t i = 0; i < kBookOutLevels && i < side.depth(); ++i) {
            const Level level = side.level(i);
            out << name << ' ' << (i + 1) << ' ' << instrument.formatPrice(level.price) << ' '
                << instrument.formatSize(level.qty) << '\n';
        }
    };
    writeSide("bid", book.bids());
    writeSide("ask", book.asks());
    return static_cast<bool>(out);
}

/// One pass with the OFI listener outside any timing: the level count for the rates, the
/// counters check, and the final book. 0 on failure (reported on stderr).
std::uint64_t checkPass(const DepthStream& stream, const std::string& bookOut) {
    OfiListener listener;
    listener.restartEngine();
    BinanceAdapter adapter(BinanceMarket::Spot, "BTCUSDT", btcUsdt(), listener);
    runPass(adapter, stream);
    if (const std::string problem = passProblem(adapter, {}); !problem.empty()) {
        std::fprintf(stderr, "check pass failed: %s\n", problem.c_str());
        for (const std::string& sample : adapter.problemSamples())
            std::fprintf(stderr, "  %s\n", sample.c_str());
        return 0;
    }
    std::fprintf(stderr,
                 "check: %llu events applied, %llu dropped before sync, 0 gaps, %llu level "
                 "changes, %llu OFI events, book %zu bids x %zu asks\n",
                 static_cast<unsigned long long>(adapter.counters().appliedEvents),
                 static_cast<unsigned long long>(adapter.counters().droppedBeforeSync),
                 static_cast<unsigned long long>(listener.levels()),
                 static_cast<unsigned long long>(listener.engine().events()),
                 adapter.book().bids().depth(), adapter.book().asks().depth());
    if (!bookOut.empty() && !writeTopLevels(bookOut, adapter.book(), adapter.instrument())) {
        std::fprintf(stderr, "cannot write %s\n", bookOut.c_str());
        return 0;
    }
    return listener.levels();
}

/// Removes `--name=value` from argv and returns value (empty when absent).
std::string takeFlag(int& argc, char** argv, std::string_view name) {
    std::string value;
    int kept = 1;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg.starts_with("--") && arg.substr(2).starts_with(name) &&
            arg.substr(2 + name.size()).starts_with('=')) {
            value = arg.substr(3 + name.size());
        } else {
            argv[kept++] = argv[i];
        }
    }
    argc = kept;
    return value;
}

}  // namespace
}  // namespace flowscope

int main(int argc, char** argv) {
    using namespace flowscope;
    std::string input = takeFlag(argc, argv, "input");
    if (input.empty()) input = FLOWSCOPE_TEST_DATA "/binance/spot_btcusdt_20240808.gz";
    const std::string bookOut = takeFlag(argc, argv, "book_out");
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;

    const std::optional<DepthStream> stream = loadDepthStream(input);
    if (!stream) return 1;
    std::fprintf(stderr,
                 "input: depth_messages=%zu depth_bytes=%zu snapshot_bytes=%zu "
                 "snapshot_after=%zu fnv1a32=%08x\n",
                 stream->frames.size(), stream->bytes.size(), stream->snapshot.size(),
                 stream->snapshotAfter, stream->fnv1a);
    const std::uint64_t levels = checkPass(*stream, bookOut);
    if (levels == 0) return 1;

    benchmark::RegisterBenchmark("BM_BinanceDepth/DecodeSyncBookOfi",
                                 [&](benchmark::State& s) { benchWithOfi(s, *stream, levels); })
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
    benchmark::RegisterBenchmark("BM_BinanceDepth/DecodeSyncBook",
                                 [&](benchmark::State& s) { benchWithoutOfi(s, *stream, levels); })
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
