#pragma once
/// Clock-time axis for a view whose coordinates are seconds since the epoch, shown in UTC (a
/// LOBSTER after-midnight time then reads as the session's clock time). Steps are ones a clock
/// has (0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30 s, 1, 2, 5, 10, 15, 30 min, 1, 2, 3, 6 h), never
/// QCPAxisTickerDateTime's 2.5 s, and labels carry milliseconds only when a step needs them.

#include <qcustomplot.h>

namespace flowscope {

class TimeAxisTicker : public QCPAxisTickerDateTime {
  public:
    TimeAxisTicker();

  protected:
    double getTickStep(const QCPRange& range) override;
    int getSubTickCount(double tickStep) override;
};

}  // namespace flowscope
