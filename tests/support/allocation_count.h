#pragma once
/// Counts this thread's heap allocations over a stretch of a test, to show that steady state
/// allocates nothing or to bound the memory a call takes. It replaces the global operator new and
/// delete, so include it in exactly one translation unit of a test executable (the test's .cpp),
/// never in the support library.

#include <cstddef>
#include <cstdlib>
#include <new>

namespace flowscope::testing::allocation_detail {
inline thread_local bool counting = false;
inline thread_local std::size_t allocations = 0;
inline thread_local std::size_t bytes = 0;
}  // namespace flowscope::testing::allocation_detail

void* operator new(std::size_t size) {
    namespace d = flowscope::testing::allocation_detail;
    if (d::counting) {
        ++d::allocations;
        d::bytes += size;
    }
    if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
    std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
    std::free(p);
}

namespace flowscope::testing {

/// Counts from construction until stop() (or destruction); one at a time per thread. Stop before
/// checking: the test framework's own messages allocate.
class AllocationCount {
  public:
    AllocationCount() {
        allocation_detail::allocations = 0;
        allocation_detail::bytes = 0;
        allocation_detail::counting = true;
    }
    ~AllocationCount() { stop(); }
    AllocationCount(const AllocationCount&) = delete;
    AllocationCount& operator=(const AllocationCount&) = delete;

    void stop() { allocation_detail::counting = false; }
    std::size_t allocations() const { return allocation_detail::allocations; }
    std::size_t bytes() const { return allocation_detail::bytes; }
};

}  // namespace flowscope::testing
