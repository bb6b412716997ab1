#include "imbalance_heatmap_color_map.h"

#include <algorithm>
#include <cmath>

namespace flowscope {

namespace {

QColor mix(const QColor& a, const QColor& b, double t) {
    return QColor::fromRgbF(static_cast<float>(a.redF() + (b.redF() - a.redF()) * t),
                            static_cast<float>(a.greenF() + (b.greenF() - a.greenF()) * t),
                            static_cast<float>(a.blueF() + (b.blueF() - a.blueF()) * t));
}

}  // namespace

ImbalanceColorMap::ImbalanceColorMap(QCPAxis* keyAxis, QCPAxis* valueAxis)
    : IncrementalColorMap(keyAxis, valueAxis) {
    setDataRange(QCPRange(-3.0, 3.0));
}

QCPColorGradient ImbalanceColorMap::makeGradient(const Theme& theme) {
    // Linear towards the hue, so bucket-to-bucket noise (|z| around 1) stays dim and the eye goes
    // to real pressure; the last quarter brightens the hue, so the clamp itself stands out.
    const bool dark = theme.base.lightness() < 128;
    const QColor buyEnd = dark ? theme.buy.lighter(125) : theme.buy.darker(120);
    const QColor sellEnd = dark ? theme.sell.lighter(125) : theme.sell.darker(120);
    QMap<double, QColor> stops;
    constexpr int kHalfSamples = 24;
    for (int i = 0; i <= kHalfSamples; ++i) {
        const double t = static_cast<double>(i) / kHalfSamples;  // 0 at neutral, 1 at the end
        const QColor buy = t < 0.75 ? mix(theme.base, theme.buy, t / 0.75)
                                    : mix(theme.buy, buyEnd, (t - 0.75) / 0.25);
        const QColor sell = t < 0.75 ? mix(theme.base, theme.sell, t / 0.75)
                                     : mix(theme.sell, sellEnd, (t - 0.75) / 0.25);
        stops.insert(0.5 + 0.5 * t, buy);
        stops.insert(0.5 - 0.5 * t, sell);
    }
    QCPColorGradient g;
    g.setColorStops(stops);
    g.setColorInterpolation(QCPColorGradient::ciRGB);
    g.setLevelCount(511);  // odd: one level sits exactly on zero
    g.setNanHandling(QCPColorGradient::nhNanColor);
    g.setNanColor(theme.gap);
    return g;
}

void ImbalanceColorMap::setClamp(double clamp) {
    const double c = std::max(1e-6, std::abs(clamp));
    setDataRange(QCPRange(-c, c));
}

void ImbalanceColorMap::loadGrid(const ImbalanceGrid& grid) {
    const ImbalanceGridGeometry& g = grid.geometry();
    if (!g.valid() || g.cells < 2) {
        clearMap();
        return;
    }
    grid_ = &grid;
    QCPColorMapData* d = data();
    d->setSize(g.cells, g.levels);
    // Ranges name the first and last cells' centres; a single level still needs a span.
    d->setRange(QCPRange(g.cellCentreSec(0), g.cellCentreSec(g.cells - 1)),
                QCPRange(1.0, g.levels > 1 ? static_cast<double>(g.levels) : 1.0 + 1e-9));
    copyAllCells();
}

void ImbalanceColorMap::loadColumns(const ImbalanceGrid& grid, int k0, int k1) {
    if (grid_ != &grid) return;
    copyColumns(k0, k1);
}

}  // namespace flowscope
