#pragma once
/// What an EventLoop is underneath: one io_context. Private to core/net/*.cpp, the only files that
/// may compile Asio's headers.

#include <atomic>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include "net/event_loop.h"

namespace flowscope::net {

struct EventLoop::Impl {
    /// Run by one thread only (the hint enables Asio's single-thread fast paths; post() and wake()
    /// from other threads stay safe, the hint is not BOOST_ASIO_CONCURRENCY_HINT_UNSAFE).
    boost::asio::io_context io{1};
    /// Keeps run_one_until() waiting for I/O instead of returning at once when nothing is pending
    /// (no connection yet): runFor() must sleep, not spin.
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work{
        io.get_executor()};
    /// Set by wake(), consumed by runFor(): a wake that arrives just before runFor() starts still
    /// makes it return, so the owner's "check inbox, then sleep" loop cannot miss a command.
    std::atomic<bool> wakeRequested{false};
};

}  // namespace flowscope::net
