#include "time_axis_ticker.h"

#include <algorithm>
#include <cmath>

namespace flowscope {

namespace {
constexpr double kStepsSec[] = {0.1, 0.2, 0.5, 1,    2,    5,    10,    15,    30,    60,   120,
                                300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400};
}

TimeAxisTicker::TimeAxisTicker() {
    setDateTimeSpec(Qt::UTC);
    setDateTimeFormat(QStringLiteral("HH:mm:ss"));
    setTickCount(7);
}

double TimeAxisTicker::getTickStep(const QCPRange& range) {
    const double wanted = range.size() / std::max(1, tickCount());
    double step = kStepsSec[std::size(kStepsSec) - 1];
    for (double s : kStepsSec) {
        if (s >= wanted) {
            step = s;
            break;
        }
    }
    // The label format follows the step, so a 0.5 s step does not print five equal labels.
    setDateTimeFormat(step < 1.0 ? QStringLiteral("HH:mm:ss.zzz") : QStringLiteral("HH:mm:ss"));
    return step;
}

int TimeAxisTicker::getSubTickCount(double tickStep) {
    // Sub-ticks on whole sub-units: fifths of 1-5-10 steps, thirds of 15, sixths of 30.
    const double mantissa = tickStep / std::pow(10.0, std::floor(std::log10(tickStep)));
    if (std::abs(tickStep - 15) < 1e-9 || std::abs(tickStep - 900) < 1e-9) return 2;
    if (std::abs(tickStep - 30) < 1e-9 || std::abs(tickStep - 1800) < 1e-9) return 5;
    return std::abs(mantissa - 2) < 1e-9 ? 1 : 4;
}

}  // namespace flowscope
