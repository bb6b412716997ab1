#pragma once
/// The feed thread: owns one MarketSource and its FeedEngine, polls the source, and publishes a
/// MarketSnapshot at most once per frame interval. The GUI reads latest() and drains the queues on
/// its frame timer; it never waits for the feed and the feed never waits for it.
///
/// It also owns the AlertDesk: rules run after every event the engine applies (FeedEngine
/// observer), their records go to alerts(), their state rides in MarketSnapshot::alerts.
///
/// Threading: construct, start(), post(), stop() and the alert commands (setAlertRules() ...) from
/// the GUI thread; latest() and the queues' pop() from the GUI thread; everything else runs on the
/// feed thread.

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "book/clock.h"
#include "feed/alert_desk.h"
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
    /// Every alert firing and outcome, oldest first: drain it each frame.
    SpscQueue<AlertRecord>& alerts() { return alertDesk_.records(); }

    // Alert desk commands: each posts to the feed thread and returns at once. Results show in
    // alerts() and in the next snapshot's `alerts` (AlertDeskState).
    /// Replaces the rules; on a parse error the old rules stay and the error is in lastError.
    void setAlertRules(std::string text);
    /// Semi-automatic mode: 'auto' rules may submit orders (within risk limits and budgets).
    void setSemiAutomatic(bool on);
    /// Submits the waiting proposal `id` (OrderProposal::id) as proposed.
    void confirmProposal(std::uint64_t id);
    void rejectProposal(std::uint64_t id);
    InstrumentInfo instrument() const { return instrument_; }

  private:
    void run();
    void runCommands();
    /// A command is waiting or stop() was called.
    bool hasWork();
    void publish(TimeNs now);

    std::unique_ptr<MarketSource> source_;
    InstrumentInfo instrument_;
    FeedEngine engine_;
    AlertDesk alertDesk_;  ///< feed thread only (its records' pop() excepted)
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
    std::uint64_t publishedAlertVersion_ = ~0ull;
};

}  // namespace flowscope
