#include "price_axis_ticker.h"

#include <cmath>

namespace flowscope {

PriceAxisTicker::PriceAxisTicker() : instrument_("", DecimalStep{1, 0}, DecimalStep{1, 0}) {
    setTickCount(8);
}

double PriceAxisTicker::getTickStep(const QCPRange& range) {
    // Whole groups of ticks in 1-2-5 steps: a fraction of a tick has no price, and a label
    // between two groups would name no row. (QCPAxisTicker's 2.5 steps would do both.)
    const double groups = range.size() / grouping_ / std::max(1, tickCount());
    if (!(groups > 1.0)) return grouping_;
    const double magnitude = std::pow(10.0, std::floor(std::log10(groups)));
    const double mantissa = groups / magnitude;
    const double nice = mantissa <= 1.0   ? 1.0
                        : mantissa <= 2.0 ? 2.0
                        : mantissa <= 5.0 ? 5.0
                                          : 10.0;
    return nice * magnitude * grouping_;
}

QString PriceAxisTicker::getTickLabel(double tick, const QLocale&, QChar, int) {
    return QString::fromStdString(instrument_.formatPrice(std::llround(tick)));
}

}  // namespace flowscope
