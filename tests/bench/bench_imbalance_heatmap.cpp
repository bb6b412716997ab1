// The imbalance heatmap's cost. Columns come from the simulated market at the terminal's full rate
// (activity 600: about 200,000 book updates per second), cut by the same feed engine as live.
//  - BM_ModelAppend/levels/historyBuckets: one bucket into the model (OFI, z-score, sizes); flat
//    in the history length and linear in the levels: O(M), no recompute.
//  - BM_PanelFrame: what a frame with a new bucket costs the GUI thread: appendColumns (model,
//    grid, colour map cells) plus the replot, 1600 x 250 px, three minutes on screen, an hour of
//    history behind it. Buckets are 100 ms and frames 16 ms, so at most one frame in six has
//    one; the counters give the per-frame mean, p99 and max over the run (window rebuilds, every
//    half screen of live scrolling, included).
//
// Offscreen, no display needed: build with -DFLOWSCOPE_BUILD_BENCH=ON, then
//   build/tests/bench/bench_imbalance_heatmap
#include <benchmark/benchmark.h>
#include <qcustomplot.h>
#include <QApplication>
#include <algorithm>
#include <chrono>
#include <random>
#include <vector>

#include "feed/feed_engine.h"
#include "feed/simulated_source.h"
#include "imbalance_heatmap_widget.h"

using namespace flowscope;

namespace {

constexpr TimeNs kBucketNs = 100'000'000;
constexpr TimeNs kT0 = 1'700'000'000'000'000'000;

/// `seconds` of the simulated market at `activity`, as heatmap columns with `levels` levels.
std::vector<HeatmapColumn> simulatedColumns(double seconds, double activity, int levels) {
    sim::SimulatedMarketConfig config;
    config.seed = 11;
    config.flow.limitRatePerSec *= activity;
    config.flow.insideSpreadRatePerSec *= activity;
    config.flow.cancelRatePerOrderPerSec *= activity;
    config.flow.deepCancelRatePerOrderPerSec *= activity;
    config.flow.marketRatePerSec *= activity;
    sim::SimulatedSource source(config, 1.0, kT0);
    FeedEngineConfig feedConfig;
    feedConfig.heatmap.levels = levels;
    feedConfig.imbalance.ofiLevels = std::max(levels, feedConfig.imbalance.ofiLevels);
    feedConfig.columnQueueCapacity = 1 << 16;
    FeedEngine feed(source.instrument(), feedConfig);
    source.start(feed, 0);
    std::vector<HeatmapColumn> columns;
    for (TimeNs t = 0; t <= static_cast<TimeNs>(seconds * 1e9); t += 10'000'000) {
        source.poll(feed, t);
        while (auto c = feed.columns().pop())
            if (!c->gap) columns.push_back(std::move(*c));
    }
    return columns;
}

/// The i-th column of an endless stream cut from `pool`, at bucket i.
HeatmapColumn streamColumn(const std::vector<HeatmapColumn>& pool, std::int64_t i) {
    HeatmapColumn c = pool[static_cast<std::size_t>(i) % pool.size()];
    c.startNs = kT0 + i * kBucketNs;
    c.endNs = c.startNs + kBucketNs;
    return c;
}

void BM_ModelAppend(benchmark::State& state) {
    const int levels = static_cast<int>(state.range(0));
    const auto history = static_cast<std::int64_t>(state.range(1));
    static std::vector<std::vector<HeatmapColumn>> pools(65);
    auto& pool = pools[static_cast<std::size_t>(levels)];
    if (pool.empty()) pool = simulatedColumns(20, 600, levels);
    ImbalanceHeatmapModel model;
    std::int64_t i = 0;
    for (; i < history; ++i)
        model.append(streamColumn(pool, i));
    std::vector<HeatmapColumn> next(4096);
    std::size_t n = next.size();
    for (auto _ : state) {
        if (n == next.size()) {  // columns made outside the timing
            state.PauseTiming();
            for (auto& c : next)
                c = streamColumn(pool, i++);
            n = 0;
            state.ResumeTiming();
        }
        model.append(next[n++]);
        benchmark::DoNotOptimize(model.size());
    }
    state.counters["levels"] = levels;
}
BENCHMARK(BM_ModelAppend)
    ->ArgNames({"levels", "history"})
    ->Args({10, 0})
    ->Args({10, 36'000})
    ->Args({10, 72'000})
    ->Args({20, 72'000})
    ->Args({40, 72'000})
    ->Args({64, 72'000});

void BM_PanelFrame(benchmark::State& state) {
    static const std::vector<HeatmapColumn> pool = simulatedColumns(20, 600, 10);
    ImbalanceHeatmapWidget panel;
    panel.resize(1600, 250);
    panel.show();
    std::int64_t i = 0;
    std::vector<HeatmapColumn> hour;
    for (; i < 36'000; ++i)
        hour.push_back(streamColumn(pool, i));
    panel.appendColumns(hour);
    panel.renderFrame();
    std::vector<double> frameUs;
    for (auto _ : state) {
        std::vector<HeatmapColumn> batch{streamColumn(pool, i++)};
        const auto start = std::chrono::steady_clock::now();
        panel.appendColumns(batch);
        panel.renderFrame();
        frameUs.push_back(
            std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start)
                .count());
    }
    std::sort(frameUs.begin(), frameUs.end());
    double sum = 0;
    for (double v : frameUs)
        sum += v;
    const auto at = [&](double p) {
        return frameUs[static_cast<std::size_t>(p * static_cast<double>(frameUs.size() - 1))];
    };
    state.counters["frame_us_mean"] = sum / static_cast<double>(frameUs.size());
    state.counters["frame_us_p50"] = at(0.5);
    state.counters["frame_us_p99"] = at(0.99);
    state.counters["frame_us_max"] = frameUs.back();
    state.counters["rebuilds"] = static_cast<double>(panel.frameStats().rebuilds);
    // One frame in six carries a bucket (16 ms frames, 100 ms buckets).
    state.counters["per_16ms_frame_us"] = sum / static_cast<double>(frameUs.size()) * 16.0 / 100.0;
}
BENCHMARK(BM_PanelFrame)->Unit(benchmark::kMicrosecond)->Iterations(3000);

}  // namespace

int main(int argc, char** argv) {
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
