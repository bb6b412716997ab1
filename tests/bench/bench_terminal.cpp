// The terminal under load, measured the way a trader experiences it: the real main window on the
// simulated market at a given book-update rate, with an hour of heatmap history already loaded.
// Reports frames per second, GUI-thread busy time per 16 ms frame (p50/p99), feed-to-screen
// latency (snapshot published on the feed thread -> its first paint finished; p50/p99), the
// feed's message rate, heatmap history memory and the process's resident memory.
//
// Needs a display; run under Xvfb:
//   xvfb-run -a -s "-screen 0 1600x1000x24" build/tests/bench/bench_terminal [--seconds 20]
//       [--activity 600] [--no-prefill]
// --activity 600 makes the simulator produce about 200,000 book updates per second.
#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTimer>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

#include <qcustomplot.h>

#include "feed/simulated_source.h"
#include "heatmap_widget.h"
#include "ladder_widget.h"
#include "main_window.h"
#include "sim_instruments.h"

using namespace flowscope;

namespace {

constexpr TimeNs kFrameNs = 16'000'000;

// Every event the GUI thread handles is timed and charged to the 16 ms frame slot it ran in.
class TimingApplication : public QApplication {
  public:
    using QApplication::QApplication;
    bool notify(QObject* receiver, QEvent* event) override {
        const TimeNs start = steadyNowNs();
        ++depth_;  // events sent from inside another are already inside its time
        const bool result = QApplication::notify(receiver, event);
        --depth_;
        if (depth_ == 0 && recording) {
            const TimeNs end = steadyNowNs();
            busyNs[(start / kFrameNs)] += end - start;
        }
        return result;
    }
    bool recording = false;
    std::map<TimeNs, TimeNs> busyNs;

  private:
    int depth_ = 0;
};

// Records when the heatmap and ladder finish painting, to measure feed-to-screen latency.
class PaintProbe : public QObject {
  public:
    bool eventFilter(QObject* watched, QEvent* event) override {
        if (event->type() == QEvent::Paint && latest && latest->serial != paintedSerial) {
            // The filter runs before the paint; the app's next event is after it. Good enough:
            // the paint itself is charged to the frame's busy time above.
            pendingSerial = latest->serial;
            pendingPublished = latest->publishedSteadyNs;
            QTimer::singleShot(0, this, [this] {
                if (pendingSerial == paintedSerial) return;
                paintedSerial = pendingSerial;
                latenciesMs.push_back(static_cast<double>(steadyNowNs() - pendingPublished) / 1e6);
                ++framesPainted;
            });
        }
        return QObject::eventFilter(watched, event);
    }
    std::shared_ptr<const MarketSnapshot> latest;
    std::uint64_t paintedSerial = 0, pendingSerial = 0;
    TimeNs pendingPublished = 0;
    std::vector<double> latenciesMs;
    int framesPainted = 0;
};

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    const auto k = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1));
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
    return v[k];
}

long residentKb() {
    QFile f("/proc/self/status");
    if (!f.open(QIODevice::ReadOnly)) return -1;
    for (const QByteArray& line : f.readAll().split('\n'))
        if (line.startsWith("VmRSS:")) return line.mid(6).trimmed().split(' ').first().toLong();
    return -1;
}

// An hour of simulated history, cut into heatmap columns by the same feed code as live, ending
// where the live market begins.
std::vector<HeatmapColumn> hourOfHistory(TimeNs endEpochNs) {
    constexpr TimeNs kHour = 3600LL * 1'000'000'000;
    sim::SimulatedSource source(simulatedInstrument("BTC-USD", 99), 1.0, endEpochNs - kHour);
    FeedEngineConfig config;
    config.columnQueueCapacity = 40'000;
    FeedEngine feed(source.instrument(), config);
    source.start(feed, 0);
    std::vector<HeatmapColumn> columns;
    for (TimeNs t = 0; t <= kHour; t += 1'000'000'000) {
        source.poll(feed, t);
        while (auto c = feed.columns().pop())
            columns.push_back(std::move(*c));
    }
    return columns;
}

}  // namespace

int main(int argc, char** argv) {
    TimingApplication app(argc, argv);
    double seconds = 20, activity = 600;
    bool prefill = true;
    for (int i = 1; i < argc; ++i) {
        const QString a = argv[i];
        if (a == "--seconds" && i + 1 < argc)
            seconds = QString(argv[++i]).toDouble();
        else if (a == "--activity" && i + 1 < argc)
            activity = QString(argv[++i]).toDouble();
        else if (a == "--no-prefill")
            prefill = false;
    }
    QTemporaryDir dir;
    QSettings settings(dir.filePath("bench.ini"), QSettings::IniFormat);
    AppOptions options;
    options.activity = activity;
    options.seed = 11;

    const TimeNs epochNow = std::chrono::duration_cast<std::chrono::nanoseconds>(
                                std::chrono::system_clock::now().time_since_epoch())
                                .count();
    std::vector<HeatmapColumn> history;
    if (prefill) history = hourOfHistory(epochNow);

    MainWindow window(options, settings);
    window.resize(1600, 1000);
    window.show();
    if (!history.empty()) window.heatmap()->appendColumns(std::move(history));

    PaintProbe probe;
    window.heatmap()->plot()->installEventFilter(&probe);
    window.ladder()->installEventFilter(&probe);
    QObject::connect(
        &window.bridge(), &FeedBridge::snapshotReady, &probe,
        [&probe](std::shared_ptr<const MarketSnapshot> s) { probe.latest = std::move(s); });

    // Warm up for two seconds, then measure.
    double messagesPerSecond = 0;
    QTimer::singleShot(2000, [&] {
        app.recording = true;
        probe.latenciesMs.clear();
        probe.framesPainted = 0;
    });
    QTimer::singleShot(static_cast<int>((2 + seconds) * 1000), [&] {
        app.recording = false;
        if (probe.latest) messagesPerSecond = probe.latest->status.messagesPerSecond;
        app.quit();
    });
    QApplication::exec();

    std::vector<double> busyMs;
    for (auto& [slot, ns] : app.busyNs)
        busyMs.push_back(static_cast<double>(ns) / 1e6);
    const double framesPerSecond = probe.framesPainted / seconds;
    std::printf(
        "{\"seconds\": %.0f, \"activity\": %.0f, \"feed_messages_per_s\": %.0f, "
        "\"frames_per_s\": %.1f, \"gui_busy_ms_per_frame_p50\": %.2f, "
        "\"gui_busy_ms_per_frame_p99\": %.2f, \"feed_to_screen_ms_p50\": %.2f, "
        "\"feed_to_screen_ms_p99\": %.2f, \"heatmap_columns\": %zu, "
        "\"heatmap_history_mb\": %.1f, \"resident_mb\": %.1f}\n",
        seconds, activity, messagesPerSecond, framesPerSecond, percentile(busyMs, 0.5),
        percentile(busyMs, 0.99), percentile(probe.latenciesMs, 0.5),
        percentile(probe.latenciesMs, 0.99), window.heatmap()->history().columnCount(),
        static_cast<double>(window.heatmap()->history().bytesUsed()) / 1e6,
        static_cast<double>(residentKb()) / 1024.0);
    return 0;
}
