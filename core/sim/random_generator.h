#pragma once
/// Seeded pseudo-random numbers for the simulator, bit-reproducible on every platform.
///
/// Why not <random>: the engines are portable but std::*_distribution are implementation-defined,
/// so the same seed would give a different market on libstdc++, libc++ and MSVC. Everything here
/// is integer arithmetic or IEEE basic operations (+ - * /), which are exactly rounded everywhere;
/// the logarithm is our own for the same reason (libm results may differ in the last bit).
/// Assumes IEEE double arithmetic without extended precision (any x86-64 or ARM64 build; 32-bit x86
/// needs SSE2 math).

#include <cstdint>

namespace flowscope::sim {

/// ln(x) for x > 0 from basic IEEE operations only, accurate to a few ulps; deterministic.
double portableLog(double x);

/// xoshiro256** (Blackman & Vigna), seeded through splitmix64 so that any 64-bit seed, 0 included,
/// gives a well-mixed state.
class RandomGenerator {
  public:
    explicit RandomGenerator(std::uint64_t seed);

    std::uint64_t nextU64();
    /// Uniform in [0, 1) with 53 random bits.
    double uniform() { return static_cast<double>(nextU64() >> 11) * 0x1.0p-53; }
    /// Uniform integer in [0, n) for n > 0, without modulo bias.
    std::uint64_t below(std::uint64_t n);
    /// Exponential with the given mean (> 0), by inversion.
    double exponential(double mean) { return -portableLog(1.0 - uniform()) * mean; }
    /// Geometric on {1, 2, ...} with the given mean (>= 1): the number of trials to the first
    /// success with p = 1 / mean, sampled as 1 + floor(Exp / -ln(1 - p)).
    std::int64_t geometric(double mean);

  private:
    std::uint64_t s_[4];
};

}  // namespace flowscope::sim
