#pragma once
/// The feed thread: owns one MarketSource and its FeedEngine, polls the source, and publishes a
/// MarketSnapshot at most once per frame interval. The GUI reads latest() and drains the queues on
/// its frame timer; it never waits for the feed and the feed never waits for it.
///
/// Threading: construct, start(), post() and stop() from the GUI thread; latest() and the queues'
/// pop() from the GUI thread; everything else runs on the feed thread.

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "feed/mailbox.h"
#include "feed/market_source.h"

namespace flowscope {

struct FeedThreadConfig {
    TimeNs pollIntervalNs = 2'000'000;       ///< how often a busy source is polled
    TimeNs idlePollIntervalNs = 32'000'000;  ///< how often a quiet one is
    /// A fresh snapshot every 4 ms, so the GUI's 16 ms frame picks up one at most 4 ms old.
    TimeNs publishIntervalNs = 4'000'000;
};

class FeedThread {
  public:
    using Command = std::function<void(MarketSource&, FeedEngine&)>;

    FeedThread(std::unique_ptr<MarketSource> source, FeedEngineConfig engineConfig = {},
               FeedThreadConfig config = {});
    ~FeedThread();
    FeedThread(const FeedThread&) = delete;
    FeedThread& operator=(const FeedThread&) = delete;

    void start();
    /// Stops the source and joins the thread. Idempotent.
    void stop();

    /// Runs `command` on the feed thread before its next poll (pause, speed, orders).
    void post(Command command);

    std::shared_ptr<const MarketSnapshot> latest() const { return mailbox_.latest(); }
    SpscQueue<HeatmapColumn>& columns() { return engine_.columns(); }
    SpscQueue<TradePrint>& trades() { return engine_.trades(); }
    InstrumentInfo instrument() const { return instrument_; }

    /// Steady clock in ns: the time base of polls and snapshot stamps.
    static TimeNs steadyNowNs();

  private:
    void run();
    void runCommands();
    /// A command is waiting or stop() was called.
    bool hasWork();
    void publish(TimeNs now);

    std::unique_ptr<MarketSource> source_;
    InstrumentInfo instrument_;
    FeedEngine engine_;
    FeedThreadConfig config_;
    Mailbox<MarketSnapshot> mailbox_;
    std::mutex commandsMutex_;
    std::condition_variable wake_;
    std::vector<Command> commands_;
    std::atomic<bool> running_{false};
    std::thread thread_;
    static constexpr TimeNs kQuietPublishIntervalNs = 250'000'000;
    std::uint64_t publishedMessages_ = ~0ull;
    TimeNs publishedNs_ = 0;
    FeedState publishedState_ = FeedState::Connecting;
};

}  // namespace flowscope
