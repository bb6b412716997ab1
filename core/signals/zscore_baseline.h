#pragma once
/// The "normal" distribution of a signal: mean and standard deviation of its last K samples,
/// so that an alert can say "10 s OFI is 3 sigma above normal".

#include <cmath>
#include <cstddef>
#include <vector>

#include "signals/book_measures.h"

namespace flowscope {

class ZScoreBaseline {
  public:
    explicit ZScoreBaseline(std::size_t lookback) : samples_(lookback > 0 ? lookback : 1, 0.0) {}

    /// NaN samples (an undefined signal) are not recorded.
    void push(double x) {
        if (std::isnan(x)) return;
        samples_[next_] = x;
        next_ = next_ + 1 == samples_.size() ? 0 : next_ + 1;
        if (count_ < samples_.size()) ++count_;
        dirty_ = true;
    }
    /// n samples of zero: windows in which nothing happened are part of "normal".
    void pushZeros(std::size_t n) {
        for (std::size_t i = 0; i < n && i < samples_.size(); ++i)
            push(0.0);
    }

    std::size_t count() const { return count_; }
    std::size_t capacity() const { return samples_.size(); }
    double mean() const {
        refresh();
        return mean_;
    }
    double stddev() const {
        refresh();
        return stddev_;
    }
    /// (x - mean) / stddev of the sample (n - 1); NaN until two samples exist or if they are equal.
    double z(double x) const {
        refresh();
        if (count_ < 2 || !(stddev_ > 0.0) || std::isnan(x)) return kUndefined;
        return (x - mean_) / stddev_;
    }

  private:
    // Recomputed from the samples (K is small and samples arrive once per window), which avoids
    // the drift of running sums of squares.
    void refresh() const {
        if (!dirty_) return;
        dirty_ = false;
        double sum = 0.0;
        for (std::size_t i = 0; i < count_; ++i)
            sum += samples_[i];
        mean_ = count_ ? sum / static_cast<double>(count_) : kUndefined;
        double ss = 0.0;
        for (std::size_t i = 0; i < count_; ++i)
            ss += (samples_[i] - mean_) * (samples_[i] - mean_);
        stddev_ = count_ > 1 ? std::sqrt(ss / static_cast<double>(count_ - 1)) : kUndefined;
    }

    std::vector<double> samples_;
    std::size_t next_ = 0;
    std::size_t count_ = 0;
    mutable bool dirty_ = false;
    mutable double mean_ = kUndefined;
    mutable double stddev_ = kUndefined;
};

}  // namespace flowscope
