#include "feed/replay_source.h"

#include "venues/adapter_factory.h"

namespace flowscope {

namespace {
constexpr std::uint64_t kRecordsPerPoll = 20'000;
}  // namespace

ReplaySource::ReplaySource(ReplaySourceConfig config) : config_(std::move(config)) {
    recording_ = record::openRecording(config_.path);
    adapter_ = venues::makeAdapter(config_.venue, config_.instrument.symbol,
                                   config_.instrument.instrument(), listener_);
    driver_ = std::make_unique<record::ReplayDriver>(*recording_, *adapter_, config_.speed);
}

ReplaySource::~ReplaySource() = default;

void ReplaySource::start(FeedEngine& feed, TimeNs /*steadyNowNs*/) {
    listener_.attach(&feed);
    feed.markReplay();
    feed.onState(FeedState::Syncing, "replaying " + config_.path);
}

void ReplaySource::poll(FeedEngine& feed, TimeNs steadyNowNs) {
    if (paused_ || reportedEnd_) return;
    // A bounded slice per poll: a full-speed replay must still let the thread publish frames.
    if (driver_->step(steadyNowNs, kRecordsPerPoll)) {
        listener_.syncCounters(adapter_->counters());
        return;
    }
    listener_.syncCounters(adapter_->counters());
    reportedEnd_ = true;
    const std::string& error = recording_->error();
    if (error.empty())
        feed.onReplayFinished("replay finished: " + std::to_string(driver_->records()) +
                              " records");
    else
        feed.onState(FeedState::Disconnected, "replay stopped: " + error);
}

void ReplaySource::setSpeed(double speed) {
    config_.speed = speed;
    driver_->setSpeed(speed);
}

void ReplaySource::setPaused(bool paused) {
    paused_ = paused;
    // Resuming continues from where the replay stood, not where the wall clock went meanwhile.
    if (!paused) driver_->setSpeed(config_.speed);
}

}  // namespace flowscope
