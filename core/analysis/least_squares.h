#pragma once
/// Ordinary least squares with an intercept, solved by a QR factorisation (Gram-Schmidt with
/// re-orthogonalisation) rather than the normal equations, which lose half the digits on the nearly
/// collinear regressors that adjacent OFI levels are.

#include <cstddef>
#include <span>
#include <vector>

namespace flowscope {

struct OlsFit {
    bool ok = false;                   ///< false with fewer observations than unknowns, or SST = 0
    std::vector<double> coefficients;  ///< intercept first, then one per regressor
    double r2 = 0.0;
    std::size_t observations = 0;
    std::size_t rank = 0;  ///< columns kept; exactly collinear columns get coefficient 0
};

/// Fits y = b0 + sum_j b_j x_j. `columns[j][i]` is regressor j of observation i.
OlsFit fitOls(std::span<const double> y, const std::vector<std::vector<double>>& columns);

}  // namespace flowscope
