// Level updates per second through OrderBook and the ImbalanceEngine, on one core.
//
// The target is at least 20 million level updates per second for book + OFI. Three
// streams, all built before any timing so that the timed loops hold no RNG, parsing or allocation:
//  - Synthetic: a random-walk book of ~2,000 levels a side, one tick apart near the touch and
//    sparser behind it; updates land at a geometric distance (in levels) from the touch, about 10%
//    deletes and 10% inserts, 1% touch moves, timestamps ~5 us apart. This is the shape of a deep
//    crypto feed (Binance diff depth) at a busy moment.
//  - Lobster: the real AAPL sample (first 999 events, 10 levels), messages turned into signed
//    level changes with lobsterBookDelta and replayed over and over from book row 0.
//  - Deep: Binance-like diffs (see makeDeepStream) on a 1,000-level book: inserts and deletes
//    thousands of ticks from the touch, a few far outside the book's range.
//
// Run from the build tree:
//   tests/bench/bench_book_ofi                                   all variants
//   tests/bench/bench_book_ofi --benchmark_filter=Synthetic      one stream
//   tests/bench/bench_book_ofi --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
// items_per_second is level updates per second. Counters: beyond_top10 is the share of synthetic
// updates behind the 10th level (the ones onBookUpdate's fast path can skip), touch_moves the
// share that move a best price, end_depth the levels a side at the end; touch_agree is the
// share of LOBSTER rows whose best bid and ask the replayed book reproduces, a check of the
// message-to-update conversion (0.95 on this sample: a few levels enter the book file with no
// message placing them, e.g. bid 5854000 x 50 from row 147, and the replay cannot know them).

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "book/order_book.h"
#include "lobster/lobster_reader.h"
#include "signals/imbalance_engine.h"

namespace flowscope {
namespace {

// One level change. `qty` is the new absolute size for OrderBook::apply (synthetic stream) or
// the signed change for OrderBook::applyDelta (LOBSTER stream).
struct LevelUpdate {
    TimeNs timeNs = 0;
    PriceTicks price = 0;
    Lots qty = 0;
    Side side = Side::Bid;
};

// Large enough that neither the benchmark book nor the generator ever grows its vectors.
constexpr std::size_t kReserveLevels = 8192;
constexpr std::size_t kTopLevels = 10;

// ---------------------------------------------------------------------------------------------
// Synthetic stream

constexpr std::size_t kSyntheticLevels = 2000;  ///< target depth per side
constexpr std::size_t kDenseLevels = 200;       ///< levels one tick apart behind the touch
constexpr std::size_t kSyntheticUpdates = std::size_t{1} << 20;
constexpr double kNearTouchP = 0.15;  ///< geometric parameter of the distance in levels
constexpr double kTouchMoveShare = 0.01;
constexpr double kDeleteShare = 0.10;
constexpr double kInsertShare = 0.10;
constexpr double kMeanGapNs = 5000.0;
constexpr double kMeanSize = 200.0;
constexpr PriceTicks kStartBid = 1'000'000;
constexpr TimeNs kStartNs = 34'200'000'000'000;  // 09:30 after midnight
// Depth is kept within this band around the target by trimming or extending the far tail, which
// is what the deep end of a real book does (far orders cancelled, new ones parked far away).
constexpr std::size_t kDepthBand = 100;

PriceTicks behind(Side s, PriceTicks price, PriceTicks ticks) {
    return s == Side::Bid ? price - ticks : price + ticks;
}

struct SyntheticStream {
    std::vector<Level> bids, asks;  ///< initial book, best first
    std::vector<LevelUpdate> updates;
    double beyondTop10 = 0.0;  ///< share of updates behind the 10th level
    double touchMoves = 0.0;   ///< share of updates that move the best bid or ask
    std::size_t endDepth = 0;  ///< levels a side after the last update
};

SyntheticStream makeSyntheticStream() {
    std::mt19937_64 rng(20240808);
    std::exponential_distribution<double> sizeDist(1.0 / kMeanSize);
    std::exponential_distribution<double> gapDist(1.0 / kMeanGapNs);
    std::geometric_distribution<std::size_t> distanceDist(kNearTouchP);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    const auto size = [&] { return 1 + static_cast<Lots>(sizeDist(rng)); };

    SyntheticStream s;
    PriceTicks distance = 0;
    for (std::size_t k = 0; k < kSyntheticLevels; ++k) {
        // The gap between levels widens by one tick every kDenseLevels levels past the dense part.
        if (k > 0) distance += k < kDenseLevels ? 1 : 1 + static_cast<PriceTicks>(k / kDenseLevels);
        s.bids.push_back({kStartBid - distance, size()});
        s.asks.push_back({kStartBid + 1 + distance, size()});
    }

    OrderBook book(kReserveLevels);
    if (book.applySnapshot(s.bids, s.asks, 0, kStartNs) != BookError::None) std::abort();
    s.updates.reserve(kSyntheticUpdates);
    TimeNs t = kStartNs;
    std::uint64_t seq = 1;
    std::size_t beyond = 0, moves = 0;
    while (s.updates.size() < kSyntheticUpdates) {
        t += 1 + static_cast<TimeNs>(gapDist(rng));
        const Side side = (rng() & 1) ? Side::Bid : Side::Ask;
        const BookSide& own = book.side(side);
        const std::size_t depth = own.depth();
        const std::size_t k = std::min(distanceDist(rng), depth - 1);
        const PriceTicks worst = own.worstToBest().front().price;
        const double r = unit(rng);
        LevelUpdate u{t, own.level(k).price, size(), side};
        if (r < kTouchMoveShare) {
            const PriceTicks spread = book.bestAsk().price - book.bestBid().price;
            if (spread > 1 && (rng() & 1)) {
                // A new best level inside the spread.
                const auto into =
                    1 + static_cast<PriceTicks>(rng() % static_cast<std::uint64_t>(spread - 1));
                u.price = behind(side, own.best().price, -into);
            } else {
                u.price = own.best().price;
                u.qty = 0;
            }
        } else if (r < kTouchMoveShare + kDeleteShare) {
            if (depth + kDepthBand < kSyntheticLevels)
                u.price = behind(side, worst, 1 + static_cast<PriceTicks>(rng() % 10));
            else
                u.qty = 0;
        } else if (r < kTouchMoveShare + kDeleteShare + kInsertShare) {
            if (depth > kSyntheticLevels + kDepthBand) {
                u.price = worst;
                u.qty = 0;
            } else {
                // The first free tick behind level k: near the touch that is usually a gap left
                // by an earlier delete.
                std::size_t j = k;
                while (j + 1 < depth &&
                       own.level(j + 1).price == behind(side, own.level(j).price, 1))
                    ++j;
                u.price = behind(side, own.level(j).price, 1);
            }
        }
        if (depth >= kTopLevels && isBetter(side, own.level(kTopLevels - 1).price, u.price))
            ++beyond;
        const PriceTicks touch = own.best().price;
        if (book.apply(u.side, u.price, u.qty, seq++, u.timeNs) != BookError::None) std::abort();
        moves += own.best().price != touch;
        s.updates.push_back(u);
    }
    const auto n = static_cast<double>(s.updates.size());
    s.beyondTop10 = static_cast<double>(beyond) / n;
    s.touchMoves = static_cast<double>(moves) / n;
    s.endDepth = (book.bids().depth() + book.asks().depth()) / 2;
    return s;
}

const SyntheticStream& syntheticStream() {
    static const SyntheticStream stream = makeSyntheticStream();
    return stream;
}

// ---------------------------------------------------------------------------------------------
// Deep stream: the shape of Binance's BTCUSDT diff depth (tests/data/binance): a book of ~1,000
// levels a side over ~20,000 ticks, and updates anywhere in it -- the distance from the touch is
// exponential with a mean of 4,000 ticks (median ~2,800), 2% land 100,000 to 3,000,000 ticks away
// -- about 40% deletes of the level nearest the drawn price, 40% new levels, 20% resizes.

constexpr std::size_t kDeepLevels = 1000;
constexpr std::size_t kDeepUpdates = std::size_t{1} << 20;

struct DeepStream {
    std::vector<Level> bids, asks;  ///< initial book, best first
    std::vector<LevelUpdate> updates;
};

DeepStream makeDeepStream() {
    std::mt19937_64 rng(20240809);
    std::exponential_distribution<double> distanceDist(1.0 / 4000.0);
    std::exponential_distribution<double> sizeDist(1.0 / kMeanSize);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    const auto size = [&] { return 1 + static_cast<Lots>(sizeDist(rng)); };
    DeepStream s;
    std::map<PriceTicks, Lots> model[2];  // by distance from the touch, per side
    PriceTicks d = 0;
    for (std::size_t k = 0; k < kDeepLevels; ++k, d += 1 + static_cast<PriceTicks>(rng() % 40)) {
        model[0][d] = size();
        model[1][d + static_cast<PriceTicks>(rng() % 2)] = size();
    }
    for (const auto& [dist, qty] : model[0])
        s.bids.push_back({kStartBid - dist, qty});
    for (const auto& [dist, qty] : model[1])
        s.asks.push_back({kStartBid + 1 + dist, qty});
    s.updates.reserve(kDeepUpdates);
    TimeNs t = kStartNs;
    while (s.updates.size() < kDeepUpdates) {
        t += 3000;
        const int sideIndex = static_cast<int>(rng() & 1);
        auto& m = model[sideIndex];
        auto dist = static_cast<PriceTicks>(distanceDist(rng));
        if (unit(rng) < 0.02) dist = 100'000 + static_cast<PriceTicks>(rng() % 2'900'000);
        const double r = unit(rng);
        Lots qty = size();
        if (r < 0.6 && !m.empty()) {
            // The level nearest the drawn distance: deleted or resized.
            auto it = m.lower_bound(dist);
            if (it == m.end()) --it;
            dist = it->first;
            if (r < 0.4) qty = 0;
        }
        if (qty == 0)
            m.erase(dist);
        else
            m[dist] = qty;
        const Side side = sideIndex == 0 ? Side::Bid : Side::Ask;
        s.updates.push_back(
            {t, side == Side::Bid ? kStartBid - dist : kStartBid + 1 + dist, qty, side});
    }
    return s;
}

const DeepStream& deepStream() {
    static const DeepStream stream = makeDeepStream();
    return stream;
}

// ---------------------------------------------------------------------------------------------
// LOBSTER stream

constexpr const char* kAaplMessages = "AAPL_2012-06-21_34200000_57600000_message_10.first999.csv";
constexpr const char* kAaplBook = "AAPL_2012-06-21_34200000_57600000_orderbook_10.first999.csv";

std::filesystem::path lobsterDir() {
    const std::filesystem::path shared = std::filesystem::path(FLOWSCOPE_SHARED_DATA) / "lobster";
    if (std::filesystem::exists(shared / kAaplMessages)) return shared;
    return std::filesystem::path(FLOWSCOPE_TEST_DATA) / "lobster";
}

struct LobsterStream {
    std::string error;
    std::vector<Level> bids, asks;  ///< book row 0, the state the replay starts from
    TimeNs startNs = 0;
    std::vector<LevelUpdate> updates;  ///< signed changes, for applyDelta
    double touchAgree = 0.0;
};

bool sameTouch(const OrderBook& book, const LobsterRow& row) {
    return book.bestBid() == row.bids[0] && book.bestAsk() == row.asks[0];
}

LobsterStream loadLobsterStream() {
    LobsterStream s;
    const std::filesystem::path dir = lobsterDir();
    LobsterReader reader;
    if (!reader.open((dir / kAaplMessages).string(), (dir / kAaplBook).string(), 10) ||
        !reader.next()) {
        s.error = reader.error() ? reader.error()->toString() : "empty LOBSTER sample";
        return s;
    }
    s.bids = reader.row().bids;
    s.asks = reader.row().asks;
    s.startNs = reader.row().message.timeNs;

    // Replay once here to check the conversion: the book should reproduce the file's touch except
    // where a level that no message placed surfaces (LOBSTER shows a few).
    OrderBook book(kReserveLevels);
    if (book.applySnapshot(s.bids, s.asks, 0, s.startNs) != BookError::None) {
        s.error = "book row 0 is not a valid snapshot";
        return s;
    }
    std::size_t agree = 0;
    while (reader.next()) {
        const LobsterRow& row = reader.row();
        const auto delta = lobsterBookDelta(row.message);
        if (!delta) continue;
        const LevelUpdate u{row.message.timeNs, row.message.price, *delta, row.message.side};
        if (book.applyDelta(u.side, u.price, u.qty, row.index, u.timeNs) != BookError::None) {
            s.error = "rejected update at row " + std::to_string(row.index);
            return s;
        }
        s.updates.push_back(u);
        agree += sameTouch(book, row);
    }
    if (reader.error()) s.error = reader.error()->toString();
    if (!s.updates.empty())
        s.touchAgree = static_cast<double>(agree) / static_cast<double>(s.updates.size());
    return s;
}

const LobsterStream& lobsterStream() {
    static const LobsterStream stream = loadLobsterStream();
    return stream;
}

// ---------------------------------------------------------------------------------------------
// Benchmarks

enum class EngineUse { None, OnBookUpdate, OnBook };

EngineConfig noWindowsConfig() {
    EngineConfig c;
    c.windows.clear();
    return c;
}

// The default's windows split by clock, to tell their costs apart.
EngineConfig timeWindowsConfig() {
    EngineConfig c;
    c.windows = {WindowSpec::seconds(1), WindowSpec::seconds(10), WindowSpec::seconds(60)};
    return c;
}
EngineConfig eventWindowsConfig() {
    EngineConfig c;
    c.windows = {WindowSpec::events(100), WindowSpec::events(1000)};
    return c;
}

// The cheapest engine there is: level-1 OFI and queue imbalance, no rolling windows.
EngineConfig minimalConfig() {
    EngineConfig c = noWindowsConfig();
    c.ofiLevels = 1;
    c.depthLevels = 1;
    return c;
}

// One pass over a stream (initial book + updates) per iteration, each from a fresh book and
// engine built with the timer paused (a stream is only consistent from its initial book).
// Returns the number of updates the book rejected (none expected).
template <EngineUse kUse, typename Stream>
std::uint64_t runStream(benchmark::State& state, const EngineConfig& config, const Stream& stream) {
    std::uint64_t rejected = 0;
    for (auto _ : state) {
        state.PauseTiming();
        OrderBook book(kReserveLevels);
        ImbalanceEngine engine(config);
        if (book.applySnapshot(stream.bids, stream.asks, 0, kStartNs) != BookError::None)
            ++rejected;
        if constexpr (kUse != EngineUse::None) engine.onBook(book, kStartNs);
        state.ResumeTiming();

        std::uint64_t seq = 1;
        for (const LevelUpdate& u : stream.updates) {
            rejected += book.apply(u.side, u.price, u.qty, seq++, u.timeNs) != BookError::None;
            if constexpr (kUse == EngineUse::OnBookUpdate)
                engine.onBookUpdate(book, u.side, u.price, u.timeNs);
            else if constexpr (kUse == EngineUse::OnBook)
                engine.onBook(book, u.timeNs);
        }
        const Lots lastOfi = engine.lastLevelOfi()[0];
        benchmark::DoNotOptimize(lastOfi);
        benchmark::DoNotOptimize(book.bestBid());
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * stream.updates.size()));
    return rejected;
}

template <EngineUse kUse>
void runSynthetic(benchmark::State& state, const EngineConfig& config) {
    const SyntheticStream& stream = syntheticStream();
    if (runStream<kUse>(state, config, stream))
        state.SkipWithError("the book rejected updates of the synthetic stream");
    state.counters["beyond_top10"] = stream.beyondTop10;
    state.counters["touch_moves"] = stream.touchMoves;
    state.counters["end_depth"] = static_cast<double>(stream.endDepth);
}

void BM_SyntheticBook(benchmark::State& state) {
    runSynthetic<EngineUse::None>(state, minimalConfig());
}
void BM_SyntheticBookOfi(benchmark::State& state, const EngineConfig& config) {
    runSynthetic<EngineUse::OnBookUpdate>(state, config);
}
void BM_SyntheticBookOfiOnBook(benchmark::State& state, const EngineConfig& config) {
    runSynthetic<EngineUse::OnBook>(state, config);
}

// The Binance-shaped deep stream: updates all over a 1,000-level side.
template <EngineUse kUse>
void runDeep(benchmark::State& state, const EngineConfig& config) {
    if (runStream<kUse>(state, config, deepStream()))
        state.SkipWithError("the book rejected updates of the deep stream");
}

void BM_DeepBook(benchmark::State& state) {
    runDeep<EngineUse::None>(state, minimalConfig());
}
void BM_DeepBookOfi(benchmark::State& state, const EngineConfig& config) {
    runDeep<EngineUse::OnBookUpdate>(state, config);
}

// One pass over the sample per iteration, starting with the reset to book row 0 (timed: a
// snapshot of 10 levels a side is cheap next to ~950 updates). Each pass is shifted in time past
// the previous one so that the engine's windows keep rolling as in a live session.
template <EngineUse kUse>
void runLobster(benchmark::State& state, const EngineConfig& config) {
    const LobsterStream& stream = lobsterStream();
    if (!stream.error.empty()) {
        state.SkipWithError(stream.error.c_str());
        return;
    }
    if (stream.updates.empty()) {
        state.SkipWithError("the LOBSTER sample has no book updates");
        return;
    }
    const TimeNs passNs = stream.updates.back().timeNs - stream.startNs + 1'000'000;
    OrderBook book(kReserveLevels);
    ImbalanceEngine engine(config);
    TimeNs offset = 0;
    std::uint64_t seq = 0;
    std::uint64_t rejected = 0;
    for (auto _ : state) {
        rejected += book.applySnapshot(stream.bids, stream.asks, ++seq, stream.startNs + offset) !=
                    BookError::None;
        if constexpr (kUse != EngineUse::None) {
            engine.resetBook();
            engine.onBook(book, stream.startNs + offset);
        }
        for (const LevelUpdate& u : stream.updates) {
            const TimeNs t = u.timeNs + offset;
            rejected += book.applyDelta(u.side, u.price, u.qty, ++seq, t) != BookError::None;
            if constexpr (kUse == EngineUse::OnBookUpdate)
                engine.onBookUpdate(book, u.side, u.price, t);
            else if constexpr (kUse == EngineUse::OnBook)
                engine.onBook(book, t);
        }
        offset += passNs;
        const Lots lastOfi = engine.lastLevelOfi()[0];
        benchmark::DoNotOptimize(lastOfi);
    }
    if (rejected) state.SkipWithError("the book rejected updates of the LOBSTER sample");
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * stream.updates.size()));
    state.counters["updates_per_pass"] = static_cast<double>(stream.updates.size());
    state.counters["touch_agree"] = stream.touchAgree;
}

void BM_LobsterBook(benchmark::State& state) {
    runLobster<EngineUse::None>(state, minimalConfig());
}
void BM_LobsterBookOfi(benchmark::State& state, const EngineConfig& config) {
    runLobster<EngineUse::OnBookUpdate>(state, config);
}
void BM_LobsterBookOfiOnBook(benchmark::State& state, const EngineConfig& config) {
    runLobster<EngineUse::OnBook>(state, config);
}

// A full snapshot of the synthetic book, best level first as venues send it (a resync).
void BM_SnapshotBestFirst(benchmark::State& state) {
    const SyntheticStream& stream = syntheticStream();
    OrderBook book(kReserveLevels);
    std::uint64_t rejected = 0;
    for (auto _ : state)
        rejected += book.applySnapshot(stream.bids, stream.asks, 0, kStartNs) != BookError::None;
    if (rejected) state.SkipWithError("snapshot rejected");
    state.SetItemsProcessed(
        static_cast<std::int64_t>(state.iterations() * (stream.bids.size() + stream.asks.size())));
}

BENCHMARK(BM_SyntheticBook)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_SyntheticBookOfi, default_10lvl_5win, EngineConfig{})
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_SyntheticBookOfi, 10lvl_3timewin, timeWindowsConfig())
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_SyntheticBookOfi, 10lvl_2eventwin, eventWindowsConfig())
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_SyntheticBookOfi, 10lvl_nowin, noWindowsConfig())
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_SyntheticBookOfi, 1lvl_nowin, minimalConfig())->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_SyntheticBookOfiOnBook, default_10lvl_5win, EngineConfig{})
    ->Unit(benchmark::kMillisecond);

BENCHMARK(BM_DeepBook)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_DeepBookOfi, default_10lvl_5win, EngineConfig{})
    ->Unit(benchmark::kMillisecond);

BENCHMARK(BM_LobsterBook)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_LobsterBookOfi, default_10lvl_5win, EngineConfig{})
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_LobsterBookOfi, 10lvl_3timewin, timeWindowsConfig())
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_LobsterBookOfi, 10lvl_2eventwin, eventWindowsConfig())
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_LobsterBookOfi, 10lvl_nowin, noWindowsConfig())->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_LobsterBookOfi, 1lvl_nowin, minimalConfig())->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_LobsterBookOfiOnBook, default_10lvl_5win, EngineConfig{})
    ->Unit(benchmark::kMicrosecond);

BENCHMARK(BM_SnapshotBestFirst)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace flowscope

BENCHMARK_MAIN();
