#pragma once
/// The I/O event loop of one feed thread (a boost::asio::io_context behind a small interface, so
/// that only core/net/*.cpp compile Asio's headers).
///
/// Threading: poll() and runFor() on the owning thread; wake() from any thread.

#include <functional>
#include <memory>

#include "book/types.h"

namespace flowscope::net {

class EventLoop {
  public:
    EventLoop();
    ~EventLoop();
    EventLoop(const EventLoop&) = delete;
    EventLoop& operator=(const EventLoop&) = delete;

    /// Runs every handler that is ready; never blocks. Returns how many ran.
    std::size_t poll();
    /// Waits up to `maxNs` for work; once a handler has run, runs every other ready one and
    /// returns. Also returns early after wake(). Returns how many ran.
    std::size_t runFor(TimeNs maxNs);
    /// Makes a runFor() in progress return (from any thread).
    void wake();
    /// Runs `fn` on the loop's thread at its next poll (from any thread).
    void post(std::function<void()> fn);

    struct Impl;
    Impl& impl() { return *impl_; }

  private:
    std::unique_ptr<Impl> impl_;
};

/// A one-shot timer on an EventLoop; restarting cancels the previous wait.
class Timer {
  public:
    explicit Timer(EventLoop& loop);
    ~Timer();
    Timer(const Timer&) = delete;
    Timer& operator=(const Timer&) = delete;

    void startAfter(TimeNs delayNs, std::function<void()> onExpiry);
    void cancel();

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace flowscope::net
