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
    : QCPColorMap(keyAxis, valueAxis) {
    setInterpolate(false);
    setTightBoundary(false);
}

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

void HeatmapColorMap::clearMap() {
    grid_ = nullptr;
    data()->clear();
    mMapImage = QImage();
    fullPending_ = true;
    dirtyFirst_ = 1;
    dirtyLast_ = 0;
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
    for (int r = 0; r < g.rows; ++r) {
        const float* row = grid.row(r);
        for (int k = 0; k < g.cells; ++k)
            d->setCell(k, r, row[k]);
    }
    fullPending_ = true;
    dirtyFirst_ = 1;
    dirtyLast_ = 0;
}

void HeatmapColorMap::loadColumns(const HeatmapGrid& grid, int k0, int k1) {
    if (grid_ != &grid || k0 > k1) return;
    const GridGeometry& g = grid.geometry();
    if (data()->keySize() != g.cells || data()->valueSize() != g.rows) return;
    k0 = std::max(k0, 0);
    k1 = std::min(k1, g.cells - 1);
    QCPColorMapData* d = data();
    for (int k = k0; k <= k1; ++k)
        for (int r = 0; r < g.rows; ++r)
            d->setCell(k, r, grid.value(k, r));
    if (dirtyFirst_ > dirtyLast_) {
        dirtyFirst_ = k0;
        dirtyLast_ = k1;
    } else {
        dirtyFirst_ = std::min(dirtyFirst_, k0);
        dirtyLast_ = std::max(dirtyLast_, k1);
    }
}

double HeatmapColorMap::sanitise(float v) const {
    if (mDataScaleType == QCPAxis::stLogarithmic && !(v > mDataRange.lower) && !std::isnan(v))
        return mDataRange.lower;
    return v;
}

void HeatmapColorMap::colourAll() {
    const GridGeometry& g = grid_->geometry();
    line_.resize(static_cast<std::size_t>(g.cells));
    const bool log = mDataScaleType == QCPAxis::stLogarithmic;
    for (int r = 0; r < g.rows; ++r) {
        const float* row = grid_->row(r);
        for (int k = 0; k < g.cells; ++k)
            line_[static_cast<std::size_t>(k)] = sanitise(row[k]);
        // QImage scan lines run top-down, price rows bottom-up.
        auto* pixels = reinterpret_cast<QRgb*>(mMapImage.scanLine(g.rows - 1 - r));
        mGradient.colorize(line_.data(), mDataRange, pixels, g.cells, 1, log);
    }
}

void HeatmapColorMap::colourColumn(int k) {
    const GridGeometry& g = grid_->geometry();
    const auto rows = static_cast<std::size_t>(g.rows);
    line_.resize(std::max(line_.size(), rows));
    rgb_.resize(rows);
    for (int r = 0; r < g.rows; ++r)
        line_[static_cast<std::size_t>(r)] = sanitise(grid_->value(k, r));
    mGradient.colorize(line_.data(), mDataRange, rgb_.data(), g.rows, 1,
                       mDataScaleType == QCPAxis::stLogarithmic);
    for (int r = 0; r < g.rows; ++r)
        reinterpret_cast<QRgb*>(mMapImage.scanLine(g.rows - 1 - r))[k] =
            rgb_[static_cast<std::size_t>(r)];
}

void HeatmapColorMap::updateMapImage() {
    // QCustomPlot calls this on every draw once any cell was set (its "modified" flag is private
    // to QCPColorMap), so an update with nothing dirty must cost nothing.
    lastRecoloured_ = 0;
    if (!grid_ || data()->isEmpty()) return;
    const GridGeometry& g = grid_->geometry();
    if (data()->keySize() != g.cells || data()->valueSize() != g.rows) return;
    if (mMapImage.width() != g.cells || mMapImage.height() != g.rows ||
        mMapImage.format() != QImage::Format_ARGB32_Premultiplied) {
        mMapImage = QImage(g.cells, g.rows, QImage::Format_ARGB32_Premultiplied);
        fullPending_ = true;
    }
    if (!mUndersampledMapImage.isNull()) mUndersampledMapImage = QImage();
    if (fullPending_ || mMapImageInvalidated) {
        colourAll();
        lastRecoloured_ = g.cells;
    } else if (dirtyFirst_ <= dirtyLast_) {
        for (int k = dirtyFirst_; k <= dirtyLast_; ++k)
            colourColumn(k);
        lastRecoloured_ = dirtyLast_ - dirtyFirst_ + 1;
    } else {
        return;
    }
    fullPending_ = false;
    mMapImageInvalidated = false;
    dirtyFirst_ = 1;
    dirtyLast_ = 0;
}

}  // namespace flowscope
