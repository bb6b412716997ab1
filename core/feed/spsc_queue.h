#pragma once
/// Bounded single-producer single-consumer queue for what must not be lost between the feed thread
/// and the GUI (trades for the tape and bubbles, heatmap columns). Lock-free; when full, push()
/// refuses and counts the overflow so the GUI can show that something was dropped.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace flowscope {

template <typename T>
class SpscQueue {
  public:
    explicit SpscQueue(std::size_t capacity) : slots_(capacity + 1) {}

    /// Producer thread only. False (and counted) when the queue is full.
    bool push(T value) {
        const std::size_t head = head_.load(std::memory_order_relaxed);
        const std::size_t next = (head + 1) % slots_.size();
        if (next == tail_.load(std::memory_order_acquire)) {
            overflows_.fetch_add(1, std::memory_order_relaxed);
            return false;
        }
        slots_[head] = std::move(value);
        head_.store(next, std::memory_order_release);
        return true;
    }

    /// Consumer thread only.
    std::optional<T> pop() {
        const std::size_t tail = tail_.load(std::memory_order_relaxed);
        if (tail == head_.load(std::memory_order_acquire)) return std::nullopt;
        T value = std::move(slots_[tail]);
        tail_.store((tail + 1) % slots_.size(), std::memory_order_release);
        return value;
    }

    std::uint64_t overflows() const { return overflows_.load(std::memory_order_relaxed); }
    std::size_t capacity() const { return slots_.size() - 1; }

  private:
    std::vector<T> slots_;
    alignas(64) std::atomic<std::size_t> head_{0};
    alignas(64) std::atomic<std::size_t> tail_{0};
    std::atomic<std::uint64_t> overflows_{0};
};

}  // namespace flowscope
