#pragma once
/// Latest-value hand-off between threads: the producer publishes immutable snapshots, the consumer
/// takes the newest one. The lock covers a pointer swap only, so neither side ever waits on the
/// other's work, and a slow consumer simply skips snapshots instead of falling behind.

#include <memory>
#include <mutex>

namespace flowscope {

template <typename T>
class Mailbox {
  public:
    void publish(std::shared_ptr<const T> value) {
        std::lock_guard lock(mutex_);
        latest_.swap(value);
        // `value` now holds the previous snapshot and is released outside the lock's hot part.
    }
    std::shared_ptr<const T> latest() const {
        std::lock_guard lock(mutex_);
        return latest_;
    }

  private:
    mutable std::mutex mutex_;
    std::shared_ptr<const T> latest_;
};

}  // namespace flowscope
