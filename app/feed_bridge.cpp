#include "feed_bridge.h"

#include <algorithm>

namespace flowscope {
namespace {
constexpr int kFrameMs = 16;
constexpr int kIdleFrameMs = 50;  ///< nothing new for a while: a quiet market wakes us less
constexpr int kIdleAfterFrames = 30;
constexpr int kBackgroundFrameMs = 250;
}  // namespace

FeedBridge::FeedBridge(QObject* parent) : QObject(parent) {
    timer_.setTimerType(Qt::PreciseTimer);
    timer_.setInterval(kFrameMs);
    connect(&timer_, &QTimer::timeout, this, &FeedBridge::onFrame);
    statsClock_.start();
}

FeedBridge::~FeedBridge() {
    stop();
}

void FeedBridge::start(std::unique_ptr<FeedThread> thread) {
    stop();
    thread_ = std::move(thread);
    lastSerial_ = 0;
    thread_->start();
    timer_.start();
}

void FeedBridge::stop() {
    timer_.stop();
    if (thread_) thread_->stop();
    thread_.reset();
}

void FeedBridge::setBackground(bool background) {
    background_ = background;
    timer_.setInterval(background ? kBackgroundFrameMs : kFrameMs);
}

void FeedBridge::notePainted(TimeNs publishedSteadyNs) {
    latenciesMs_.push_back(static_cast<double>(steadyNowNs() - publishedSteadyNs) / 1e6);
}

void FeedBridge::onFrame() {
    if (!thread_) return;
    // History first (it must not be lost), then the newest state.
    std::vector<HeatmapColumn> columns;
    while (auto c = thread_->columns().pop())
        columns.push_back(std::move(*c));
    std::vector<TradePrint> trades;
    while (auto t = thread_->trades().pop())
        trades.push_back(*t);
    if (!columns.empty()) emit columnsReady(columns);
    if (!trades.empty()) emit tradesReady(trades);
    std::vector<AlertRecord> alerts;
    while (auto a = thread_->alerts().pop())
        alerts.push_back(std::move(*a));
    if (!alerts.empty()) emit alertsReady(alerts);
    auto snapshot = thread_->latest();
    bool marketMoved = !trades.empty();
    if (snapshot && snapshot->serial != lastSerial_) {
        lastSerial_ = snapshot->serial;
        marketMoved = marketMoved || snapshot->status.messages != lastMessages_;
        lastMessages_ = snapshot->status.messages;
        emit snapshotReady(snapshot);
    }
    // Back to full frame rate at the first market message; after half a second without one
    // (quiet heatmap columns and clock-only snapshots do not count), wake up less often.
    if (!background_) {
        const bool news = marketMoved;
        idleFrames_ = news ? 0 : idleFrames_ + 1;
        const int interval = idleFrames_ >= kIdleAfterFrames ? kIdleFrameMs : kFrameMs;
        if (timer_.interval() != interval) timer_.setInterval(interval);
    }
    ++framesSinceStats_;
    if (statsClock_.elapsed() >= 1000) {
        FrameStats stats;
        stats.framesPerSecond =
            framesSinceStats_ * 1000.0 / static_cast<double>(statsClock_.restart());
        if (!latenciesMs_.empty()) {
            const std::size_t k = latenciesMs_.size() * 99 / 100;
            std::nth_element(latenciesMs_.begin(),
                             latenciesMs_.begin() + static_cast<std::ptrdiff_t>(k),
                             latenciesMs_.end());
            stats.feedToScreenP99Ms = latenciesMs_[k];
            latenciesMs_.clear();
        }
        framesSinceStats_ = 0;
        emit frameStats(stats);
    }
}

}  // namespace flowscope
