#pragma once
/// The OFI table's CSV and --summary JSON, shared by the LOBSTER and the recording inputs; they
/// differ only in the units the numbers are printed in.

#include <ostream>
#include <string>
#include <vector>

#include "analysis/ofi_regression.h"
#include "analysis/ofi_table.h"
#include "book/instrument.h"

namespace flowscope::cli {

struct OfiUnits {
    bool decimal = false;  ///< false: raw ticks and lots (LOBSTER price units and shares)
    DecimalStep tick;
    DecimalStep lot;

    static OfiUnits raw() { return {}; }
    /// mid_change in quote currency, OFI in base-asset units, as exact decimals.
    static OfiUnits venue(const Instrument& instrument) {
        return {true, instrument.tickSize(), instrument.lotSize()};
    }
    std::string midChange(std::int64_t twiceTicks) const;
    std::string quantity(Lots lots) const;
    /// Converts a regression slope in ticks per lot to the printed units (quote per base unit).
    double slopeScale() const { return decimal ? tick.value() / lot.value() : 1.0; }
};

void writeOfiCsv(std::ostream& os, const std::vector<OfiWindow>& windows, int levels,
                 const OfiUnits& units);
void writeOfiSummary(std::ostream& os, const OfiRegression& regression, const OfiUnits& units);

}  // namespace flowscope::cli
