#include "analysis/ofi_regression.h"

namespace flowscope {

OfiRegression regressOfi(const std::vector<OfiWindow>& windows, int levels) {
    OfiRegression result;
    const auto l = static_cast<std::size_t>(levels);
    std::vector<double> y;
    std::vector<std::vector<double>> x(l);
    for (const OfiWindow& w : windows) {
        if (!w.midDefined) continue;
        y.push_back(w.midChange());
        for (std::size_t m = 0; m < l; ++m)
            x[m].push_back(static_cast<double>(w.ofi[m]));
    }
    result.windows = y.size();
    result.perLevel.reserve(l);
    for (std::size_t m = 0; m < l; ++m)
        result.perLevel.push_back(fitOls(y, {x[m]}));
    result.multiLevel = fitOls(y, x);
    return result;
}

}  // namespace flowscope
