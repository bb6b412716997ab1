// `flowscope-cli ofi` over a full LOBSTER day: the same pipeline as app/cli/cmd_ofi.cpp
// (LobsterReader -> OfiTableBuilder, 10 s windows -> regressOfi), timed end to end from files in
// the page cache. items_per_second is events, bytes_per_second is message + book file bytes.
//
//  - SyntheticDay: a generated day of 400,000 events at 10 levels, 09:30 to 16:00, with the AAPL
//    sample's message mix (47% submits, 37% deletes, 10% visible and 6% hidden executions) and
//    size distribution. The book rows are the top 10 levels of an order-by-order book that the
//    messages build, so they are consistent with the messages the way LOBSTER's are. Written once
//    per run, before timing, to a temporary directory removed at exit.
//  - AmznDay: the real AMZN full day at level 1 (57,515 events) from ../shared/data/lobster;
//    skipped with an error if the files are absent.
//  - *ReadOnly: the reader alone, to tell parsing from the table and the regression.
//
// Run from the build tree:
//   tests/bench/bench_ofi_day
//   tests/bench/bench_ofi_day --benchmark_filter=Amzn
// To keep the synthetic day (e.g. to time the real binary on it), either set
//   FLOWSCOPE_SYNTH_DAY_DIR=/some/dir tests/bench/bench_ofi_day
// which writes the files there and leaves them, or only write them and exit with
//   tests/bench/bench_ofi_day --write-day=/some/dir
// then, with D=/some/dir/SYNTH_2012-06-21_34200000_57600000, on one command line:
//   time app/cli/flowscope-cli ofi --levels 10 --interval 10 --summary
//       --messages ${D}_message_10.csv --book ${D}_orderbook_10.csv

#include <benchmark/benchmark.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "analysis/ofi_regression.h"
#include "analysis/ofi_table.h"
#include "lobster/lobster_reader.h"

namespace flowscope {
namespace {

namespace fs = std::filesystem;

constexpr const char* kDayDirEnv = "FLOWSCOPE_SYNTH_DAY_DIR";
constexpr const char* kSynthMessages = "SYNTH_2012-06-21_34200000_57600000_message_10.csv";
constexpr const char* kSynthBook = "SYNTH_2012-06-21_34200000_57600000_orderbook_10.csv";
constexpr const char* kAmznMessages = "AMZN_2012-06-21_34200000_57600000_message_1.csv";
constexpr const char* kAmznBook = "AMZN_2012-06-21_34200000_57600000_orderbook_1.csv";

constexpr std::size_t kDayEvents = 400'000;
constexpr int kDayLevels = 10;
constexpr TimeNs kOpenNs = 34'200'000'000'000;   // 09:30
constexpr TimeNs kCloseNs = 57'600'000'000'000;  // 16:00
constexpr TimeNs kIntervalNs = 10'000'000'000;   // --interval 10
constexpr PriceTicks kTick = 100;                // one cent in LOBSTER's 1/10000 dollar
constexpr PriceTicks kStartBid = 5'853'300;      // the AAPL sample's first best bid
constexpr std::int64_t kFirstOrderId = 16'113'575;

// Book shape limits: enough levels that the file's 10 are nearly always full, and a cap on
// resting orders so that the random walk of submits and deletes cannot grow without bound.
constexpr std::size_t kInitialLevels = 40;
constexpr std::size_t kMinLevels = 12;
constexpr std::size_t kMaxOrders = 600;
// Submits: most join at or near the best, the rest are parked further out (the AAPL sample's
// book has gaps of several ticks past the first levels).
constexpr double kNearSubmitShare = 0.7;
constexpr double kNearSubmitP = 0.3;  ///< geometric distance in ticks behind the best
constexpr double kFarSubmitP = 0.05;
constexpr double kInsideSpreadShare = 0.15;
constexpr double kDeleteNearP = 0.35;    ///< geometric distance, in levels, of a delete
constexpr double kDeleteFarShare = 0.2;  ///< deletes anywhere in the book (stale far orders)
// Most executions fill the whole resting order (in the sample, type 4 sizes are the submit sizes).
constexpr double kFullFillShare = 0.9;

// Size frequencies of the AAPL sample's submits (type 1 among its 999 events), the most common
// first.
constexpr std::pair<Lots, int> kSubmitSizes[] = {
    {18, 226}, {100, 83}, {320, 15}, {8, 12},  {12, 10}, {5, 9},  {4, 8},   {2, 8}, {6, 7},
    {20, 7},   {10, 7},   {16, 6},   {200, 5}, {15, 5},  {50, 4}, {300, 4}, {3, 4}, {14, 4},
    {1, 4},    {7, 3},    {35, 3},   {25, 3},  {169, 3}, {9, 2},  {67, 2}};
// ... and of its hidden executions (type 5), which are mostly round lots.
constexpr std::pair<Lots, int> kHiddenSizes[] = {{100, 22}, {200, 4}, {300, 3}, {77, 2}, {44, 2},
                                                 {26, 2},   {25, 2},  {20, 2},  {11, 2}, {1, 2},
                                                 {86, 1},   {800, 1}, {53, 1},  {5, 1}};

template <std::size_t N>
class SizeTable {
  public:
    explicit SizeTable(const std::pair<Lots, int> (&table)[N]) {
        std::vector<double> weights;
        for (const auto& [size, count] : table) {
            sizes_.push_back(size);
            weights.push_back(count);
        }
        pick_ = std::discrete_distribution<std::size_t>(weights.begin(), weights.end());
    }
    Lots operator()(std::mt19937_64& rng) { return sizes_[pick_(rng)]; }

  private:
    std::vector<Lots> sizes_;
    std::discrete_distribution<std::size_t> pick_;
};

void appendInt(std::string& out, std::int64_t v) {
    char buf[24];
    const auto end = std::to_chars(buf, buf + sizeof buf, v).ptr;
    out.append(buf, end);
}

// An order-by-order book, just enough to produce LOBSTER messages and the level view after each.
class DayBook {
  public:
    struct Order {
        Side side;
        PriceTicks price;
        Lots size;
    };

    bool empty(Side s) const { return levels(s).empty(); }
    std::size_t levelCount(Side s) const { return levels(s).size(); }
    std::size_t orderCount(Side s) const { return orderCount_[index(s)]; }
    PriceTicks best(Side s) const { return priceOf(s, levels(s).begin()->first); }
    const Order& order(std::int64_t id) const { return orders_.at(id); }

    void add(std::int64_t id, Side s, PriceTicks price, Lots size) {
        orders_[id] = Order{s, price, size};
        PriceLevel& level = levels(s)[keyOf(s, price)];
        level.total += size;
        level.orders.push_back(id);
        ++orderCount_[index(s)];
    }

    /// Takes `size` off an order; removes it (and its level) when nothing is left.
    void reduce(std::int64_t id, Lots size) {
        auto it = orders_.find(id);
        Order& o = it->second;
        auto level = levels(o.side).find(keyOf(o.side, o.price));
        level->second.total -= size;
        o.size -= size;
        if (o.size > 0) return;
        auto& queue = level->second.orders;
        queue.erase(std::find(queue.begin(), queue.end(), id));
        if (queue.empty()) levels(o.side).erase(level);
        --orderCount_[index(o.side)];
        orders_.erase(it);
    }

    /// A random order at the k-th best level (clamped to the deepest).
    std::int64_t orderAt(Side s, std::size_t k, std::mt19937_64& rng) const {
        auto level = std::next(levels(s).begin(),
                               static_cast<std::ptrdiff_t>(std::min(k, levelCount(s) - 1)));
        const auto& queue = level->second.orders;
        return queue[rng() % queue.size()];
    }
    /// The first order in the queue at the best price: the one an execution fills.
    std::int64_t front(Side s) const { return levels(s).begin()->second.orders.front(); }

    /// Book row: ask price, ask size, bid price, bid size for each of `depth` levels.
    void writeRow(std::string& out, int depth) const {
        auto ask = levels(Side::Ask).begin();
        auto bid = levels(Side::Bid).begin();
        for (int i = 0; i < depth; ++i) {
            if (i) out += ',';
            writeLevel(out, Side::Ask, ask, "9999999999");
            out += ',';
            writeLevel(out, Side::Bid, bid, "-9999999999");
        }
        out += '\n';
    }

  private:
    struct PriceLevel {
        Lots total = 0;
        std::vector<std::int64_t> orders;  ///< time priority
    };
    // Keyed so that begin() is the best level on both sides: bids by negated price.
    using Levels = std::map<PriceTicks, PriceLevel>;

    static std::size_t index(Side s) { return s == Side::Bid ? 0 : 1; }
    static PriceTicks keyOf(Side s, PriceTicks price) { return s == Side::Bid ? -price : price; }
    static PriceTicks priceOf(Side s, PriceTicks key) { return s == Side::Bid ? -key : key; }
    Levels& levels(Side s) { return levels_[index(s)]; }
    const Levels& levels(Side s) const { return levels_[index(s)]; }

    void writeLevel(std::string& out, Side s, Levels::const_iterator& it,
                    const char* emptyPrice) const {
        if (it == levels(s).end()) {
            out += emptyPrice;
            out += ",0";
            return;
        }
        appendInt(out, priceOf(s, it->first));
        out += ',';
        appendInt(out, it->second.total);
        ++it;
    }

    Levels levels_[2];
    std::unordered_map<std::int64_t, Order> orders_;
    std::size_t orderCount_[2] = {0, 0};
};

// Seconds after midnight with up to 9 decimals and no trailing zeros, as LOBSTER writes them.
void appendSeconds(std::string& out, TimeNs ns) {
    appendInt(out, ns / 1'000'000'000);
    std::int64_t frac = ns % 1'000'000'000;
    if (frac == 0) return;
    int digits = 9;
    while (frac % 10 == 0) {
        frac /= 10;
        --digits;
    }
    char buf[10];
    for (int i = digits - 1; i >= 0; --i, frac /= 10)
        buf[i] = static_cast<char>('0' + frac % 10);
    out += '.';
    out.append(buf, static_cast<std::size_t>(digits));
}

// Streams a large text file out through one string buffer.
class FileWriter {
  public:
    explicit FileWriter(const fs::path& path) : file_(std::fopen(path.string().c_str(), "wb")) {}
    bool ok() const { return file_ != nullptr && !failed_; }
    std::string& buffer() { return buffer_; }
    void flushIfFull() {
        if (buffer_.size() >= (std::size_t{1} << 20)) flush();
    }
    bool close() {
        flush();
        const bool closed = file_ && std::fclose(file_.release()) == 0;
        return closed && !failed_;
    }

  private:
    void flush() {
        if (file_ && std::fwrite(buffer_.data(), 1, buffer_.size(), file_.get()) != buffer_.size())
            failed_ = true;
        buffer_.clear();
    }
    struct Closer {
        void operator()(std::FILE* f) const {
            if (f) std::fclose(f);
        }
    };
    std::unique_ptr<std::FILE, Closer> file_;
    std::string buffer_;
    bool failed_ = false;
};

struct DayFiles {
    std::string error;
    fs::path messages, book;
    std::uintmax_t bytes = 0;
    std::array<std::size_t, 8> typeCounts{};  ///< messages per LOBSTER type (synthetic day only)
};

DayFiles writeSyntheticDay(const fs::path& dir) {
    DayFiles day{{}, dir / kSynthMessages, dir / kSynthBook, 0};
    std::error_code ec;
    fs::create_directories(dir, ec);
    FileWriter messages(day.messages);
    FileWriter book(day.book);
    if (!messages.ok() || !book.ok()) {
        day.error = "cannot write the synthetic day into " + dir.string();
        return day;
    }

    std::mt19937_64 rng(20120621);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    std::discrete_distribution<int> typeDist({47.0, 37.0, 10.0, 6.0});
    constexpr LobsterType kTypes[] = {LobsterType::Submit, LobsterType::Delete,
                                      LobsterType::VisibleExecution, LobsterType::HiddenExecution};
    std::geometric_distribution<PriceTicks> nearDist(kNearSubmitP);
    std::geometric_distribution<PriceTicks> farDist(kFarSubmitP);
    std::geometric_distribution<std::size_t> deleteDist(kDeleteNearP);
    SizeTable submitSize(kSubmitSizes);
    SizeTable hiddenSize(kHiddenSizes);

    // Event times: exponential gaps, stretched over the trading day.
    std::vector<double> cumulative(kDayEvents);
    std::exponential_distribution<double> gapDist(1.0);
    double sum = 0.0;
    for (double& c : cumulative)
        c = sum += gapDist(rng);
    const auto dayNs = static_cast<double>(kCloseNs - kOpenNs - 1);

    DayBook orders;
    std::int64_t nextId = kFirstOrderId;
    for (std::size_t k = 0; k < kInitialLevels; ++k) {
        const auto d = static_cast<PriceTicks>(k) * kTick;
        for (std::uint64_t n = 1 + rng() % 4; n > 0; --n) {
            orders.add(nextId++, Side::Bid, kStartBid - d, submitSize(rng));
            orders.add(nextId++, Side::Ask, kStartBid + kTick + d, submitSize(rng));
        }
    }

    for (std::size_t i = 0; i < kDayEvents; ++i) {
        const TimeNs t = kOpenNs + static_cast<TimeNs>(cumulative[i] / sum * dayNs);
        const Side side = (rng() & 1) ? Side::Bid : Side::Ask;
        LobsterType type = kTypes[typeDist(rng)];
        if ((type == LobsterType::Delete || type == LobsterType::VisibleExecution) &&
            orders.levelCount(side) <= kMinLevels)
            type = LobsterType::Submit;
        else if (type == LobsterType::Submit && orders.orderCount(side) >= kMaxOrders)
            type = LobsterType::Delete;

        std::int64_t id = 0;
        Lots size = 0;
        PriceTicks price = 0;
        const PriceTicks bestBid = orders.best(Side::Bid);
        const PriceTicks bestAsk = orders.best(Side::Ask);
        switch (type) {
            case LobsterType::Submit: {
                const PriceTicks spreadTicks = (bestAsk - bestBid) / kTick;
                const PriceTicks own = side == Side::Bid ? bestBid : bestAsk;
                if (spreadTicks > 1 && unit(rng) < kInsideSpreadShare) {
                    const auto into = 1 + static_cast<PriceTicks>(
                                              rng() % static_cast<std::uint64_t>(spreadTicks - 1));
                    price = side == Side::Bid ? own + into * kTick : own - into * kTick;
                } else {
                    const PriceTicks away =
                        (unit(rng) < kNearSubmitShare ? nearDist(rng) : farDist(rng)) * kTick;
                    price = side == Side::Bid ? own - away : own + away;
                }
                id = nextId++;
                size = submitSize(rng);
                orders.add(id, side, price, size);
                break;
            }
            case LobsterType::Delete: {
                const std::size_t k =
                    unit(rng) < kDeleteFarShare ? rng() % orders.levelCount(side) : deleteDist(rng);
                id = orders.orderAt(side, k, rng);
                size = orders.order(id).size;
                price = orders.order(id).price;
                orders.reduce(id, size);
                break;
            }
            case LobsterType::VisibleExecution: {
                id = orders.front(side);
                const Lots resting = orders.order(id).size;
                size = resting == 1 || unit(rng) < kFullFillShare
                           ? resting
                           : 1 + static_cast<Lots>(rng() % static_cast<std::uint64_t>(resting - 1));
                price = orders.order(id).price;
                orders.reduce(id, size);
                break;
            }
            default: {
                // A hidden order somewhere in the spread; the visible book does not change.
                const auto spreadTicks = static_cast<std::uint64_t>((bestAsk - bestBid) / kTick);
                price = bestBid + static_cast<PriceTicks>(rng() % (spreadTicks + 1)) * kTick;
                size = hiddenSize(rng);
                break;
            }
        }

        std::string& m = messages.buffer();
        appendSeconds(m, t);
        m += ',';
        appendInt(m, static_cast<std::int64_t>(type));
        m += ',';
        appendInt(m, id);
        m += ',';
        appendInt(m, size);
        m += ',';
        appendInt(m, price);
        m += side == Side::Bid ? ",1\n" : ",-1\n";
        ++day.typeCounts[static_cast<std::size_t>(type)];
        orders.writeRow(book.buffer(), kDayLevels);
        messages.flushIfFull();
        book.flushIfFull();
    }
    if (!messages.close() || !book.close()) {
        day.error = "cannot write the synthetic day into " + dir.string();
        return day;
    }
    day.bytes = fs::file_size(day.messages) + fs::file_size(day.book);
    return day;
}

// Where the synthetic day lives for this run: the user's directory, kept, or a temporary one
// removed when the program exits.
class SyntheticDay {
  public:
    static const DayFiles& files() {
        static SyntheticDay day;
        return day.files_;
    }

  private:
    SyntheticDay() {
        fs::path dir;
        if (const char* userDir = std::getenv(kDayDirEnv); userDir && *userDir) {
            dir = userDir;
        } else {
            const auto stamp = std::chrono::steady_clock::now().time_since_epoch().count();
            dir = fs::temp_directory_path() / ("flowscope-bench-day-" + std::to_string(stamp));
            temporary_ = dir;
        }
        files_ = writeSyntheticDay(dir);
    }
    ~SyntheticDay() {
        std::error_code ec;
        if (!temporary_.empty()) fs::remove_all(temporary_, ec);
    }

    DayFiles files_;
    fs::path temporary_;
};

DayFiles amznDay() {
    const fs::path dir = fs::path(FLOWSCOPE_SHARED_DATA) / "lobster";
    DayFiles day{{}, dir / kAmznMessages, dir / kAmznBook, 0};
    std::error_code ec;
    if (!fs::exists(day.messages, ec) || !fs::exists(day.book, ec)) {
        day.error = "AMZN full day not found in " + dir.string();
        return day;
    }
    day.bytes = fs::file_size(day.messages) + fs::file_size(day.book);
    return day;
}

// ---------------------------------------------------------------------------------------------
// The timed pipeline

struct PipelineResult {
    std::string error;
    std::uint64_t events = 0;
    std::size_t windows = 0;
    double mlofiR2 = std::nan("");
};

// What `flowscope-cli ofi --levels L --interval 10 --summary` does between parsing its arguments
// and printing the JSON (app/cli/cmd_ofi.cpp): keep the two in step.
PipelineResult runOfi(const DayFiles& day, int levels, bool regress) {
    PipelineResult result;
    LobsterReader reader;
    if (!reader.open(day.messages.string(), day.book.string()) || !reader.next()) {
        result.error = reader.error() ? reader.error()->toString() : "empty input";
        return result;
    }
    if (levels > reader.levels()) {
        result.error = "the book has only " + std::to_string(reader.levels()) + " levels";
        return result;
    }
    OfiTableBuilder table(levels, kIntervalNs);
    table.setInitial(reader.row().bids, reader.row().asks);
    while (reader.next()) {
        table.addEvent(reader.row().message.timeNs, reader.row().bids, reader.row().asks);
        ++result.events;
    }
    if (reader.error()) {
        result.error = reader.error()->toString();
        return result;
    }
    table.finish();
    result.windows = table.windows().size();
    if (regress) {
        const OfiRegression r = regressOfi(table.windows(), table.levels());
        result.mlofiR2 = r.multiLevel.ok ? r.multiLevel.r2 : std::nan("");
    }
    return result;
}

// The reader alone: what parsing costs out of the whole.
PipelineResult readOnly(const DayFiles& day) {
    PipelineResult result;
    LobsterReader reader;
    if (!reader.open(day.messages.string(), day.book.string())) {
        result.error = reader.error()->toString();
        return result;
    }
    Lots checksum = 0;
    while (reader.next()) {
        checksum += reader.row().bids[0].qty;
        ++result.events;
    }
    benchmark::DoNotOptimize(checksum);
    if (reader.error()) result.error = reader.error()->toString();
    return result;
}

void runDay(benchmark::State& state, const DayFiles& day, int levels, bool tableAndRegression) {
    if (!day.error.empty()) {
        state.SkipWithError(day.error.c_str());
        return;
    }
    PipelineResult last;
    for (auto _ : state) {
        last = tableAndRegression ? runOfi(day, levels, true) : readOnly(day);
        if (!last.error.empty()) {
            state.SkipWithError(last.error.c_str());
            return;
        }
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * last.events));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * day.bytes));
    state.counters["events"] = static_cast<double>(last.events);
    state.counters["file_MB"] = static_cast<double>(day.bytes) / 1e6;
    if (tableAndRegression) {
        state.counters["windows"] = static_cast<double>(last.windows);
        state.counters["mlofi_r2"] = last.mlofiR2;
    }
}

void BM_SyntheticDay(benchmark::State& state) {
    runDay(state, SyntheticDay::files(), kDayLevels, true);
}
void BM_SyntheticDayReadOnly(benchmark::State& state) {
    runDay(state, SyntheticDay::files(), kDayLevels, false);
}
void BM_AmznDay(benchmark::State& state) {
    runDay(state, amznDay(), 1, true);
}
void BM_AmznDayReadOnly(benchmark::State& state) {
    runDay(state, amznDay(), 1, false);
}

// Wall-clock time, because that is what a user waiting for the CLI sees.
BENCHMARK(BM_SyntheticDay)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(3.0);
BENCHMARK(BM_SyntheticDayReadOnly)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(3.0);
BENCHMARK(BM_AmznDay)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_AmznDayReadOnly)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace flowscope

int main(int argc, char** argv) {
    constexpr std::string_view kWriteDay = "--write-day=";
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg.substr(0, kWriteDay.size()) != kWriteDay) continue;
        const auto day = flowscope::writeSyntheticDay(std::string(arg.substr(kWriteDay.size())));
        if (!day.error.empty()) {
            std::cerr << day.error << "\n";
            return 1;
        }
        std::cout << day.messages.string() << "\n" << day.book.string() << "\n";
        for (std::size_t type = 1; type < day.typeCounts.size(); ++type)
            if (day.typeCounts[type])
                std::cout << "type " << type << ": " << day.typeCounts[type] << " messages\n";
        return 0;
    }
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
