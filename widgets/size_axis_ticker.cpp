#include "size_axis_ticker.h"

#include <algorithm>
#include <cmath>

namespace flowscope {

int heatmapSizeDecimals(const Instrument& instrument) {
    return std::clamp(instrument.lotSize().decimals, 0, 3);
}

QString formatHeatmapSize(const Instrument& instrument, double lots) {
    return QString::number(lots * instrument.lotSize().value(), 'f',
                           heatmapSizeDecimals(instrument));
}

double SizeAxisTicker::unitsPerLot() const {
    const double v = instrument_.lotSize().value();
    return v > 0.0 ? v : 1.0;
}

double SizeAxisTicker::getTickStep(const QCPRange& range) {
    // A nice step in base units, back in lots.
    const double k = unitsPerLot();
    return QCPAxisTicker::getTickStep(QCPRange(range.lower * k, range.upper * k)) / k;
}

QString SizeAxisTicker::getTickLabel(double tick, const QLocale&, QChar, int) {
    return formatHeatmapSize(instrument_, tick);
}

QString LogSizeAxisTicker::getTickLabel(double tick, const QLocale&, QChar, int) {
    // Powers of ten below the fixed decimals would all read 0.000: give them their digits.
    const double units = tick * instrument_.lotSize().value();
    const int decimals =
        std::max(heatmapSizeDecimals(instrument_),
                 units > 0.0 ? static_cast<int>(std::ceil(-std::log10(units))) : 0);
    return QString::number(units, 'f', std::clamp(decimals, 0, 12));
}

}  // namespace flowscope
