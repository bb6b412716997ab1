#pragma once
/// Colour-bar axis of a view whose values are lots: steps and labels in the instrument's base
/// units (BTC, not 1e-8 BTC lots), with a fixed number of decimals per instrument.

#include <qcustomplot.h>

#include "book/instrument.h"

namespace flowscope {

/// Decimals a heatmap shows for sizes of `instrument`: its lot's decimals, at most 3 (0.001
/// BTC is ~$60; finer reads as noise on a colour bar or a crosshair).
int heatmapSizeDecimals(const Instrument& instrument);
/// `lots` as base units with heatmapSizeDecimals, e.g. "12.345".
QString formatHeatmapSize(const Instrument& instrument, double lots);

class SizeAxisTicker : public QCPAxisTicker {
  public:
    void setInstrument(const Instrument& instrument) { instrument_ = instrument; }

  protected:
    double getTickStep(const QCPRange& range) override;
    QString getTickLabel(double tick, const QLocale& locale, QChar formatChar,
                         int precision) override;

  private:
    double unitsPerLot() const;
    Instrument instrument_{"", DecimalStep{1, 0}, DecimalStep{1, 0}};
};

/// The same labels on a logarithmic colour scale (ticks at powers of ten of lots, which are
/// powers of ten of base units for the usual decimal lots).
class LogSizeAxisTicker : public QCPAxisTickerLog {
  public:
    void setInstrument(const Instrument& instrument) { instrument_ = instrument; }

  protected:
    QString getTickLabel(double tick, const QLocale& locale, QChar formatChar,
                         int precision) override;

  private:
    Instrument instrument_{"", DecimalStep{1, 0}, DecimalStep{1, 0}};
};

}  // namespace flowscope
