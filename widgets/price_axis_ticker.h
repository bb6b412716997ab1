#pragma once
/// Price axis of a view whose coordinates are ticks: steps are whole ticks (a multiple of the
/// price grouping), labels are the instrument's decimal text, exactly as the venue prints it.

#include <qcustomplot.h>

#include "book/instrument.h"

namespace flowscope {

class PriceAxisTicker : public QCPAxisTicker {
  public:
    PriceAxisTicker();

    void setInstrument(const Instrument& instrument) { instrument_ = instrument; }
    const Instrument& instrument() const { return instrument_; }
    /// Steps become multiples of this many ticks.
    void setGrouping(int ticks) { grouping_ = std::max(1, ticks); }

  protected:
    double getTickStep(const QCPRange& range) override;
    QString getTickLabel(double tick, const QLocale& locale, QChar formatChar,
                         int precision) override;

  private:
    Instrument instrument_;
    int grouping_ = 1;
};

}  // namespace flowscope
