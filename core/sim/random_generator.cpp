#include "sim/random_generator.h"

#include <bit>
#include <limits>

// Fused multiply-add would change results between targets; keep every product rounded.
#if defined(__clang__)
#pragma clang fp contract(off)
#endif

namespace flowscope::sim {
namespace {

constexpr double kLn2 = 0.693147180559945309417232121458176568;
constexpr double kSqrtHalf = 0.707106781186547524400844362104849039;

std::uint64_t splitmix64(std::uint64_t& state) {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

constexpr std::uint64_t rotl(std::uint64_t x, int k) {
    return (x << k) | (x >> (64 - k));
}

}  // namespace

double portableLog(double x) {
    if (!(x > 0.0))
        return x == 0.0 ? -std::numeric_limits<double>::infinity()
                        : std::numeric_limits<double>::quiet_NaN();
    if (x == std::numeric_limits<double>::infinity()) return x;
    // x = m * 2^e with m in [sqrt(1/2), sqrt(2)), so that s = (m-1)/(m+1) stays below 0.172 and
    // the atanh series ln m = 2(s + s^3/3 + s^5/5 + ...) converges to double precision in 11 terms.
    std::uint64_t bits = std::bit_cast<std::uint64_t>(x);
    int exponent = static_cast<int>((bits >> 52) & 0x7FF);
    if (exponent == 0) {  // subnormal: scale into the normal range first
        bits = std::bit_cast<std::uint64_t>(x * 0x1.0p54);
        exponent = static_cast<int>((bits >> 52) & 0x7FF) - 54;
    }
    exponent -= 1023;
    double m = std::bit_cast<double>((bits & 0x000FFFFFFFFFFFFFull) | 0x3FF0000000000000ull);
    if (m > 2.0 * kSqrtHalf) {
        m *= 0.5;
        ++exponent;
    }
    const double s = (m - 1.0) / (m + 1.0);
    const double s2 = s * s;
    double sum = 0.0;
    for (int k = 21; k >= 3; k -= 2)
        sum = (sum + 1.0 / k) * s2;
    const double lnM = 2.0 * s * (1.0 + sum);
    return static_cast<double>(exponent) * kLn2 + lnM;
}

RandomGenerator::RandomGenerator(std::uint64_t seed) {
    for (std::uint64_t& word : s_)
        word = splitmix64(seed);
}

std::uint64_t RandomGenerator::nextU64() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
}

std::uint64_t RandomGenerator::below(std::uint64_t n) {
    // Rejecting the lowest (2^64 mod n) values leaves a range that is a whole multiple of n, so the
    // modulo is unbiased; the loop almost never repeats for the small n the simulator uses.
    const std::uint64_t threshold = (0 - n) % n;
    std::uint64_t r = nextU64();
    while (r < threshold)
        r = nextU64();
    return r % n;
}

std::int64_t RandomGenerator::geometric(double mean) {
    if (mean <= 1.0) return 1;
    const double rate = -portableLog(1.0 - 1.0 / mean);  // -ln(1 - p)
    const double trials = exponential(1.0) / rate;
    // Caps absurd draws (probability ~ e^-60 at any sane mean) instead of overflowing.
    constexpr double kCap = 1e15;
    return 1 + static_cast<std::int64_t>(trials < kCap ? trials : kCap);
}

}  // namespace flowscope::sim
