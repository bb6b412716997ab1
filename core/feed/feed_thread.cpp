#include "feed/feed_thread.h"

#include <chrono>

namespace flowscope {

FeedThread::FeedThread(std::unique_ptr<MarketSource> source, FeedEngineConfig engineConfig,
                       FeedThreadConfig config)
    : source_(std::move(source)),
      instrument_(source_->instrument()),
      engine_(instrument_, engineConfig),
      alertDesk_(instrument_.instrument(), engineConfig.imbalance.windows),
      config_(config) {
    engine_.setObserver(&alertDesk_);
}

FeedThread::~FeedThread() {
    stop();
}

void FeedThread::start() {
    if (running_.exchange(true)) return;
    thread_ = std::thread([this] { run(); });
}

void FeedThread::stop() {
    {
        // Under the lock, so the wake-up cannot fall between the feed thread's check and its wait.
        std::lock_guard lock(commandsMutex_);
        if (!running_.exchange(false)) return;
    }
    wake_.notify_all();
    source_->wakeUp();
    if (thread_.joinable()) thread_.join();
}

void FeedThread::post(Command command) {
    {
        std::lock_guard lock(commandsMutex_);
        commands_.push_back(std::move(command));
    }
    wake_.notify_all();
    source_->wakeUp();
}

void FeedThread::setAlertRules(std::string text) {
    post([this, text = std::move(text)](MarketSource&, FeedEngine&) {
        (void)alertDesk_.setRules(text);  // an error lands in the state's lastError
    });
}

void FeedThread::setSemiAutomatic(bool on) {
    post([this, on](MarketSource&, FeedEngine&) { alertDesk_.setSemiAutomatic(on); });
}

void FeedThread::confirmProposal(std::uint64_t id) {
    post([this, id](MarketSource&, FeedEngine&) { (void)alertDesk_.confirmProposal(id); });
}

void FeedThread::rejectProposal(std::uint64_t id) {
    post([this, id](MarketSource&, FeedEngine&) { (void)alertDesk_.rejectProposal(id); });
}

bool FeedThread::hasWork() {
    std::lock_guard lock(commandsMutex_);
    return !running_.load() || !commands_.empty();
}

void FeedThread::runCommands() {
    std::vector<Command> pending;
    {
        std::lock_guard lock(commandsMutex_);
        pending.swap(commands_);
    }
    for (Command& c : pending)
        c(*source_, engine_);
}

void FeedThread::publish(TimeNs now) {
    // Nothing new, nothing to paint: a quiet market costs the GUI no repaint.
    // A quiet market still gets a snapshot a few times a second: windowed signals decay.
    // An alert desk change (a proposal, the semi-auto switch) is news even in a quiet market.
    const std::uint64_t messages = engine_.status().messages;
    if (messages == publishedMessages_ && engine_.state() == publishedState_ &&
        alertDesk_.version() == publishedAlertVersion_ &&
        now - publishedNs_ < kQuietPublishIntervalNs)
        return;
    publishedNs_ = now;
    publishedMessages_ = messages;
    publishedState_ = engine_.state();
    publishedAlertVersion_ = alertDesk_.version();
    std::shared_ptr<MarketSnapshot> snapshot = engine_.makeSnapshot(now);
    if (trading::OrderEntry* entry = source_->orderEntry()) snapshot->trading = entry->state();
    snapshot->alerts = alertDesk_.state();
    mailbox_.publish(std::move(snapshot));
}

void FeedThread::run() {
    // Exceptions must not cross the thread boundary: report them as a disconnect instead.
    try {
        alertDesk_.setOrderEntry(source_->orderEntry());
        alertDesk_.setSteadyNow(steadyNowNs());
        source_->start(engine_, steadyNowNs());
        engine_.endUpdate();
        TimeNs nextPublish = 0;
        TimeNs sleepNs = config_.pollIntervalNs;
        while (running_.load()) {
            runCommands();
            const TimeNs now = steadyNowNs();
            const std::uint64_t before = engine_.status().messages;
            alertDesk_.setSteadyNow(now);  // proposals made in this poll expire from here
            source_->poll(engine_, now);
            // A venue message's levels end within one poll: its rules run on the whole update.
            engine_.endUpdate();
            alertDesk_.expireProposals(now);
            // A quiet source is polled less and less often (up to the idle interval), so an idle
            // market costs almost nothing; any message brings the fast interval straight back.
            sleepNs = engine_.status().messages != before
                          ? config_.pollIntervalNs
                          : std::min(sleepNs * 2, config_.idlePollIntervalNs);
            if (now >= nextPublish) {
                publish(now);
                nextPublish = now + config_.publishIntervalNs;
            }
            const TimeNs waitNs = std::min(sleepNs, std::max<TimeNs>(nextPublish - now, 0));
            if (!hasWork() && source_->waitForInput(waitNs)) {
                engine_.endUpdate();  // messages handled while waiting
                continue;
            }
            std::unique_lock lock(commandsMutex_);
            wake_.wait_for(lock, std::chrono::nanoseconds(sleepNs),
                           [this] { return !running_.load() || !commands_.empty(); });
        }
        source_->stop(engine_);
    } catch (const std::exception& e) {
        engine_.onState(FeedState::Disconnected, std::string("feed thread error: ") + e.what());
    } catch (...) {
        engine_.onState(FeedState::Disconnected, "feed thread error");
    }
    try {
        publishedMessages_ = ~0ull;
        publish(steadyNowNs());
    } catch (...) {
        // Out of memory while reporting the failure: the GUI keeps the last snapshot it had.
    }
}

}  // namespace flowscope
