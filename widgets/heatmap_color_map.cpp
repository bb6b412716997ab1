#include "heatmap_color_map.h"

#include <algorithm>
#include <cmath>

namespace flowscope {

namespace {

struct Stop {
    double pos;
    QColor colour;
};

QColor mix(const QColor& a, const QColor& b, double t) {
    return QColor::fromRgbF(static_cast<float>(a.redF() + (b.redF() - a.redF()) * t),
                            static_cast<float>(a.greenF() + (b.greenF() - a.greenF()) * t),
                            static_cast<float>(a.blueF() + (b.blueF() - a.blueF()) * t));
}

QColor sampleStops(const std::vector<Stop>& stops, double pos) {
    if (pos <= stops.front().pos) return stops.front().colour;
    for (std::size_t i = 1; i < stops.size(); ++i) {
        if (pos <= stops[i].pos) {
            const double t = (pos - stops[i - 1].pos) / (stops[i].pos - stops[i - 1].pos);
            return mix(stops[i - 1].colour, stops[i].colour, t);
        }
    }
    return stops.back().colour;
}

}  // namespace

HeatmapColorMap::HeatmapColorMap(QCPAxis* keyAxis, QCPAxis* valueAxis)
    : IncrementalColorMap(keyAxis, valueAxis) {}

QCPColorGradient HeatmapColorMap::makeGradient(const Theme& theme, double contrast) {
    // Empty book blends into the plot background; the thickest liquidity burns white.
    const bool dark = theme.base.lightness() < 128;
    const std::vector<Stop> stops = dark ? std::vector<Stop>{{0.00, theme.base},
                                                             {0.10, QColor(0x0a, 0x1c, 0x45)},
                                                             {0.28, QColor(0x10, 0x46, 0x9c)},
                                                             {0.46, QColor(0x12, 0x9c, 0xcf)},
                                                             {0.60, QColor(0x2c, 0xe6, 0xdc)},
                                                             {0.78, QColor(0xf4, 0xe6, 0x3c)},
                                                             {0.92, QColor(0xff, 0xf6, 0xb4)},
                                                             {1.00, QColor(0xff, 0xff, 0xff)}}
                                         : std::vector<Stop>{{0.00, theme.base},
                                                             {0.18, QColor(0xd6, 0xe6, 0xf5)},
                                                             {0.42, QColor(0x6b, 0xae, 0xd6)},
                                                             {0.62, QColor(0x21, 0x71, 0xb5)},
                                                             {0.80, QColor(0xf1, 0x69, 0x13)},
                                                             {1.00, QColor(0x7f, 0x27, 0x04)}};
    const double gamma = 1.0 / std::clamp(contrast, 0.1, 10.0);
    QMap<double, QColor> sampled;
    constexpr int kSamples = 48;
    for (int i = 0; i < kSamples; ++i) {
        const double pos = static_cast<double>(i) / (kSamples - 1);
        sampled.insert(pos, sampleStops(stops, std::pow(pos, gamma)));
    }
    QCPColorGradient g;
    g.setColorStops(sampled);
    g.setColorInterpolation(QCPColorGradient::ciRGB);
    g.setLevelCount(512);
    g.setNanHandling(QCPColorGradient::nhNanColor);
    g.setNanColor(theme.gap);
    return g;
}

void HeatmapColorMap::loadGrid(const HeatmapGrid& grid) {
    const GridGeometry& g = grid.geometry();
    if (!g.valid() || g.cells < 2 || g.rows < 2) {
        clearMap();
        return;
    }
    grid_ = &grid;
    QCPColorMapData* d = data();
    d->setSize(g.cells, g.rows);
    // QCPColorMapData ranges name the first and last cells' centres, not their edges.
    d->setRange(QCPRange(g.cellCentreSec(0), g.cellCentreSec(g.cells - 1)),
                QCPRange(g.rowCentreTicks(0), g.rowCentreTicks(g.rows - 1)));
    copyAllCells();
}

void HeatmapColorMap::loadColumns(const HeatmapGrid& grid, int k0, int k1) {
    if (grid_ != &grid) return;
    copyColumns(k0, k1);
}

void HeatmapColorMap::prepareForGradient(double* values, std::size_t count) const {
    if (mDataScaleType != QCPAxis::stLogarithmic) return;
    for (std::size_t i = 0; i < count; ++i)
        if (!(values[i] > mDataRange.lower) && !std::isnan(values[i])) values[i] = mDataRange.lower;
}

}  // namespace flowscope
