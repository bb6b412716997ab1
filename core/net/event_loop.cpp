#include "net/event_loop.h"

#include <chrono>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "net/asio_impl.h"

namespace flowscope::net {

EventLoop::EventLoop() : impl_(std::make_unique<Impl>()) {}

// Destroying the io_context destroys every pending handler; connections that are still closing are
// owned by those handlers (shared_ptr) and go with them.
EventLoop::~EventLoop() = default;

std::size_t EventLoop::poll() {
    if (impl_->io.stopped()) impl_->io.restart();
    return impl_->io.poll();
}

std::size_t EventLoop::runFor(TimeNs maxNs) {
    if (maxNs <= 0) return poll();  // run_one_until() with a past deadline would run nothing
    auto& io = impl_->io;
    if (io.stopped()) io.restart();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::nanoseconds(maxNs);
    // Returns as soon as something ran (and whatever else was ready with it): the caller acts on
    // what arrived (a touch reaching a stop, a rule's signal) now, not at the end of its slice.
    if (impl_->wakeRequested.exchange(false, std::memory_order_acq_rel)) return 0;
    const std::size_t ran = io.run_one_until(deadline);
    if (ran == 0) return 0;  // deadline passed (or the context was stopped)
    // A wake() meanwhile stays set: the next runFor() returns at once, so it is never lost.
    return ran + io.poll();
}

void EventLoop::wake() {
    impl_->wakeRequested.store(true, std::memory_order_release);
    // The no-op handler is what makes a blocked run_one_until() return and see the flag.
    boost::asio::post(impl_->io, [] {});
}

void EventLoop::post(std::function<void()> fn) {
    boost::asio::post(impl_->io, std::move(fn));
}

struct Timer::Impl {
    explicit Impl(boost::asio::io_context& io) : timer(io) {}
    boost::asio::steady_timer timer;
    /// Bumped by every start, cancel and the destructor. A wait that completed just before cancel()
    /// (its handler already queued, so cancelling cannot abort it) sees a newer value and stays
    /// silent; shared with the handlers so they can check it after the Timer is gone.
    std::shared_ptr<std::uint64_t> generation = std::make_shared<std::uint64_t>(0);
};

Timer::Timer(EventLoop& loop) : impl_(std::make_unique<Impl>(loop.impl().io)) {}

Timer::~Timer() {
    cancel();
}

void Timer::startAfter(TimeNs delayNs, std::function<void()> onExpiry) {
    cancel();
    impl_->timer.expires_after(std::chrono::nanoseconds(delayNs));
    impl_->timer.async_wait([generation = impl_->generation, expected = *impl_->generation,
                             fn = std::move(onExpiry)](const boost::system::error_code& ec) {
        if (ec || *generation != expected) return;
        fn();
    });
}

void Timer::cancel() {
    ++*impl_->generation;
    impl_->timer.cancel();
}

}  // namespace flowscope::net
