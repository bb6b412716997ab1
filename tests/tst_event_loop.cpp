// EventLoop and Timer, the single-threaded loop every connection runs on: posted work runs in
// order at the next poll, runFor sleeps when idle and wake() ends it early (even a wake() that
// comes just before), timers fire once, restart, cancel and may be destroyed at any time.
#include <QtTest>

#include <chrono>
#include <memory>
#include <thread>
#include <vector>

#include "loopback_tls_server.h"
#include "net/event_loop.h"

using namespace flowscope;
using namespace flowscope::net;
using flowscope::testing::runLoopFor;
using flowscope::testing::runLoopUntil;

namespace {
constexpr TimeNs kMs = 1000000;
}  // namespace

class TestEventLoop : public QObject {
    Q_OBJECT

  private slots:
    void postedWorkRunsAtTheNextPollInOrder() {
        EventLoop loop;
        std::string order;
        loop.post([&] { order += 'a'; });
        loop.post([&] { order += 'b'; });
        std::thread([&] { loop.post([&] { order += 'c'; }); }).join();
        QVERIFY(order.empty());  // nothing runs inside post()
        QCOMPARE(loop.poll(), std::size_t{3});
        QCOMPARE(order, std::string("abc"));
        QCOMPARE(loop.poll(), std::size_t{0});
    }

    void runForSleepsWhenIdleAndWakeEndsItEarly() {
        EventLoop loop;
        auto start = std::chrono::steady_clock::now();
        QCOMPARE(loop.runFor(60 * kMs), std::size_t{0});
        QVERIFY(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(55));

        std::thread waker([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            loop.wake();
        });
        start = std::chrono::steady_clock::now();
        loop.runFor(5'000 * kMs);
        const auto elapsed = std::chrono::steady_clock::now() - start;
        waker.join();
        QVERIFY(elapsed >= std::chrono::milliseconds(15));
        QVERIFY(elapsed < std::chrono::milliseconds(1000));
    }

    void runForReturnsOnceWorkHasRun() {
        // A message that arrives early in a long wait is acted on at once, not at the deadline.
        EventLoop loop;
        int ran = 0;
        std::thread poster([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            loop.post([&] {
                ++ran;
                loop.post([&] { ++ran; });  // ready by then: runs in the same call
            });
        });
        const auto start = std::chrono::steady_clock::now();
        const std::size_t handlers = loop.runFor(5'000 * kMs);
        const auto elapsed = std::chrono::steady_clock::now() - start;
        poster.join();
        QCOMPARE(handlers, std::size_t{2});
        QCOMPARE(ran, 2);
        QVERIFY(elapsed < std::chrono::milliseconds(1000));
    }

    void wakeJustBeforeRunForIsNotLost() {
        EventLoop loop;
        loop.wake();
        const auto start = std::chrono::steady_clock::now();
        loop.runFor(5'000 * kMs);
        QVERIFY(std::chrono::steady_clock::now() - start < std::chrono::milliseconds(1000));
    }

    void timerFiresOnceAndRestartReplacesTheWait() {
        EventLoop loop;
        Timer timer(loop);
        std::vector<int> fired;
        timer.startAfter(10 * kMs, [&] { fired.push_back(1); });
        timer.startAfter(20 * kMs, [&] { fired.push_back(2); });  // cancels the first
        QVERIFY(runLoopUntil(loop, [&] { return !fired.empty(); }));
        runLoopFor(loop, 40 * kMs);
        QCOMPARE(fired, std::vector<int>{2});
    }

    void cancelledTimerStaysSilentEvenWhenAlreadyDue() {
        EventLoop loop;
        Timer timer(loop);
        bool fired = false;
        timer.startAfter(1 * kMs, [&] { fired = true; });
        std::this_thread::sleep_for(std::chrono::milliseconds(5));  // expired, handler not yet run
        timer.cancel();
        runLoopFor(loop, 20 * kMs);
        QVERIFY(!fired);
    }

    void timerMayBeDestroyedPendingOrFromItsCallback() {
        EventLoop loop;
        bool fired = false;
        {
            Timer pending(loop);
            pending.startAfter(1 * kMs, [&] { fired = true; });
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        auto timer = std::make_unique<Timer>(loop);
        timer->startAfter(1 * kMs, [&] { timer.reset(); });
        QVERIFY(runLoopUntil(loop, [&] { return !timer; }));
        runLoopFor(loop, 10 * kMs);
        QVERIFY(!fired);
    }
};

QTEST_GUILESS_MAIN(TestEventLoop)
#include "tst_event_loop.moc"
