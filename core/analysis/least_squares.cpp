#include "analysis/least_squares.h"

#include <cmath>

namespace flowscope {
namespace {

double dot(const std::vector<double>& a, const std::vector<double>& b) {
    double s = 0.0;
    for (std::size_t i = 0; i < a.size(); ++i)
        s += a[i] * b[i];
    return s;
}

// A column whose part orthogonal to the previous ones is below this fraction of its norm is
// treated as a linear combination of them (e.g. an OFI level that is always zero).
constexpr double kRankTolerance = 1e-10;

}  // namespace

OlsFit fitOls(std::span<const double> y, const std::vector<std::vector<double>>& columns) {
    OlsFit fit;
    const std::size_t n = y.size();
    const std::size_t p = columns.size() + 1;
    fit.observations = n;
    fit.coefficients.assign(p, 0.0);
    if (n < p) return fit;
    for (const auto& c : columns)
        if (c.size() != n) return fit;

    std::vector<std::vector<double>> q;  // orthonormal basis of the kept columns
    std::vector<std::size_t> kept;       // which design column each basis vector came from
    std::vector<std::vector<double>> r;  // r[k][j]: coefficient of q_j in design column kept[k]
    for (std::size_t j = 0; j < p; ++j) {
        std::vector<double> v = j == 0 ? std::vector<double>(n, 1.0) : columns[j - 1];
        const double norm0 = std::sqrt(dot(v, v));
        std::vector<double> coeffs(q.size(), 0.0);
        for (int pass = 0; pass < 2; ++pass) {
            for (std::size_t k = 0; k < q.size(); ++k) {
                const double c = dot(q[k], v);
                coeffs[k] += c;
                for (std::size_t i = 0; i < n; ++i)
                    v[i] -= c * q[k][i];
            }
        }
        const double norm = std::sqrt(dot(v, v));
        if (norm0 == 0.0 || norm <= kRankTolerance * norm0) continue;
        for (double& x : v)
            x /= norm;
        coeffs.push_back(norm);
        q.push_back(std::move(v));
        kept.push_back(j);
        r.push_back(std::move(coeffs));
    }
    fit.rank = kept.size();

    const std::vector<double> yv(y.begin(), y.end());
    std::vector<double> c(q.size());
    std::vector<double> residual = yv;
    for (std::size_t k = 0; k < q.size(); ++k) {
        c[k] = dot(q[k], residual);  // projecting the running residual is the stable (MGS) form
        for (std::size_t i = 0; i < n; ++i)
            residual[i] -= c[k] * q[k][i];
    }
    // Back substitution: column kept[k] = sum_{j<=k} r[k][j] q_j, so R is lower-indexed by k.
    std::vector<double> b(q.size(), 0.0);
    for (std::size_t kk = q.size(); kk-- > 0;) {
        double s = c[kk];
        for (std::size_t k = kk + 1; k < q.size(); ++k)
            s -= r[k][kk] * b[k];
        b[kk] = s / r[kk][kk];
    }
    for (std::size_t k = 0; k < kept.size(); ++k)
        fit.coefficients[kept[k]] = b[k];

    double mean = 0.0;
    for (double v : yv)
        mean += v;
    mean /= static_cast<double>(n);
    double sst = 0.0;
    for (double v : yv)
        sst += (v - mean) * (v - mean);
    const double ssr = dot(residual, residual);
    if (sst <= 0.0) return fit;
    fit.r2 = 1.0 - ssr / sst;
    fit.ok = true;
    return fit;
}

}  // namespace flowscope
