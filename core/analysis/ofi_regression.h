#pragma once
/// The papers' headline regression on an OFI table: mid_change = a + b * ofi_m per level, and the
/// multi-level regression on ofi_1..ofi_L together. Windows whose mid is undefined are left out.

#include <vector>

#include "analysis/least_squares.h"
#include "analysis/ofi_table.h"

namespace flowscope {

struct OfiRegression {
    std::size_t windows = 0;       ///< windows used
    std::vector<OlsFit> perLevel;  ///< index 0 = level 1; coefficients {a, b}
    OlsFit multiLevel;             ///< coefficients {a, b_1..b_L}
};

OfiRegression regressOfi(const std::vector<OfiWindow>& windows, int levels);

}  // namespace flowscope
