#include "live_session.h"

#include <atomic>
#include <csignal>
#include <ostream>

#include "book/clock.h"
#include "feed/market_snapshot.h"
#include "net/event_loop.h"

namespace flowscope::cli {

namespace {

std::atomic<bool> gInterrupted{false};

extern "C" void onSignal(int) {
    gInterrupted.store(true);
}

}  // namespace

LiveSessionResult runLiveSession(
    const VenueChoice& choice, venues::VenueAdapter& adapter, TimeNs durationNs, std::ostream& err,
    const std::string& command,
    std::function<void(record::RecordKind, TimeNs, std::string_view)> onRaw,
    std::function<void()> everySecond, std::function<bool()> stopNow) {
    LiveSessionResult result;
    net::EventLoop loop;
    std::size_t problemsShown = 0;
    net::VenueConnection connection(
        loop, adapter, choice.endpoints,
        net::VenueConnection::Callbacks{
            [&](FeedState state, std::string_view reason) {
                err << "flowscope-cli " << command << ": " << describe(state);
                if (!reason.empty()) err << ": " << reason;
                err << "\n";
            },
            std::move(onRaw),
            // A market's other sockets (Binance USD-M trades).
            [&](std::string_view stream, FeedState state, std::string_view reason) {
                err << "flowscope-cli " << command << ": " << stream << " stream "
                    << describe(state);
                if (!reason.empty()) err << ": " << reason;
                err << "\n";
            }});
    if (std::string error = connection.start(); !error.empty()) {
        result.startError = std::move(error);
        return result;
    }
    gInterrupted.store(false);
    auto previousInt = std::signal(SIGINT, onSignal);
    auto previousTerm = std::signal(SIGTERM, onSignal);

    const TimeNs start = steadyNowNs();
    TimeNs lastSecond = start;
    // Short slices so Ctrl-C and the deadline are noticed promptly while messages flow.
    constexpr TimeNs kSliceNs = 50'000'000;
    while (!gInterrupted.load() && !(stopNow && stopNow())) {
        const TimeNs now = steadyNowNs();
        if (durationNs > 0 && now - start >= durationNs) break;
        const TimeNs left = durationNs > 0 ? durationNs - (now - start) : kSliceNs;
        loop.runFor(std::min(kSliceNs, left));
        if (everySecond && steadyNowNs() - lastSecond >= 1'000'000'000) {
            lastSecond = steadyNowNs();
            everySecond();
        }
        for (const auto& problems = adapter.problemSamples(); problemsShown < problems.size();
             ++problemsShown) {
            err << "flowscope-cli " << command << ": " << problems[problemsShown] << "\n";
        }
    }
    result.interrupted = gInterrupted.load();
    std::signal(SIGINT, previousInt);
    std::signal(SIGTERM, previousTerm);
    result.state = connection.state();
    result.synced = adapter.syncState() == venues::SyncState::Live;
    result.reason = connection.reason();
    result.seconds = static_cast<double>(steadyNowNs() - start) / 1e9;
    connection.stop();
    loop.poll();
    return result;
}

}  // namespace flowscope::cli
