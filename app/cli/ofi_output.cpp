#include "ofi_output.h"

#include <cmath>

#include "book_json.h"
#include "text_format.h"

namespace flowscope::cli {

std::string OfiUnits::midChange(std::int64_t twiceTicks) const {
    if (!decimal) return formatHalves(twiceTicks);
    // twice * tick / 2 = twice * mantissa * 5 at one more decimal: exact, no rounding.
    return formatScaled(twiceTicks * tick.mantissa * 5, tick.decimals + 1, 0);
}

std::string OfiUnits::quantity(Lots lots) const {
    if (!decimal) return std::to_string(lots);
    return formatScaled(lots * lot.mantissa, lot.decimals, 0);
}

void writeOfiCsv(std::ostream& os, const std::vector<OfiWindow>& windows, int levels,
                 const OfiUnits& units) {
    os << "start,end,events,mid_change";
    for (int m = 1; m <= levels; ++m)
        os << ",ofi_" << m;
    os << '\n';
    std::string line;
    for (const OfiWindow& w : windows) {
        line.clear();
        line += formatSeconds(w.startNs);
        line += ',';
        line += formatSeconds(w.endNs);
        line += ',';
        line += std::to_string(w.events);
        line += ',';
        line += w.midDefined ? units.midChange(w.midChangeTwice) : "nan";
        for (Lots v : w.ofi) {
            line += ',';
            line += units.quantity(v);
        }
        line += '\n';
        os << line;
    }
}

void writeOfiSummary(std::ostream& os, const OfiRegression& r, const OfiUnits& units) {
    os << "{\"windows\": " << r.windows << ", \"levels\": [";
    for (std::size_t m = 0; m < r.perLevel.size(); ++m) {
        const OlsFit& f = r.perLevel[m];
        // A level whose OFI never varies has no slope to estimate: null, not a fake 0.
        const bool identified = f.ok && f.rank == 2;
        os << (m ? ", " : "") << "{\"level\": " << m + 1 << ", \"beta\": "
           << jsonNumber(identified ? f.coefficients[1] * units.slopeScale() : NAN)
           << ", \"r2\": " << jsonNumber(identified ? f.r2 : NAN) << "}";
    }
    os << "], \"mlofi_r2\": " << jsonNumber(r.multiLevel.ok ? r.multiLevel.r2 : NAN) << "}\n";
}

}  // namespace flowscope::cli
