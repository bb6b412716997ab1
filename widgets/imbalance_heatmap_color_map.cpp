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
    : QCPColorMap(keyAxis, valueAxis) {
    setInterpolate(false);
    setTightBoundary(false);
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

void ImbalanceColorMap::clearMap() {
    grid_ = nullptr;
    data()->clear();
    mMapImage = QImage();
    fullPending_ = true;
    dirtyFirst_ = 1;
    dirtyLast_ = 0;
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
    for (int m = 0; m < g.levels; ++m) {
        const float* row = grid.row(m);
        for (int k = 0; k < g.cells; ++k)
            d->setCell(k, m, row[k]);
    }
    fullPending_ = true;
    dirtyFirst_ = 1;
    dirtyLast_ = 0;
}

void ImbalanceColorMap::loadColumns(const ImbalanceGrid& grid, int k0, int k1) {
    if (grid_ != &grid || k0 > k1) return;
    const ImbalanceGridGeometry& g = grid.geometry();
    if (data()->keySize() != g.cells || data()->valueSize() != g.levels) return;
    k0 = std::max(k0, 0);
    k1 = std::min(k1, g.cells - 1);
    for (int k = k0; k <= k1; ++k)
        for (int m = 0; m < g.levels; ++m)
            data()->setCell(k, m, grid.value(k, m));
    if (dirtyFirst_ > dirtyLast_) {
        dirtyFirst_ = k0;
        dirtyLast_ = k1;
    } else {
        dirtyFirst_ = std::min(dirtyFirst_, k0);
        dirtyLast_ = std::max(dirtyLast_, k1);
    }
}

void ImbalanceColorMap::colourAll() {
    const ImbalanceGridGeometry& g = grid_->geometry();
    line_.resize(static_cast<std::size_t>(g.cells));
    for (int m = 0; m < g.levels; ++m) {
        const float* row = grid_->row(m);
        for (int k = 0; k < g.cells; ++k)
            line_[static_cast<std::size_t>(k)] = row[k];
        // Scan lines run top-down, value rows bottom-up; QCPColorMap mirrors a reversed axis.
        auto* pixels = reinterpret_cast<QRgb*>(mMapImage.scanLine(g.levels - 1 - m));
        mGradient.colorize(line_.data(), mDataRange, pixels, g.cells, 1, false);
    }
}

void ImbalanceColorMap::colourColumn(int k) {
    const ImbalanceGridGeometry& g = grid_->geometry();
    const auto rows = static_cast<std::size_t>(g.levels);
    line_.resize(std::max(line_.size(), rows));
    rgb_.resize(rows);
    for (int m = 0; m < g.levels; ++m)
        line_[static_cast<std::size_t>(m)] = grid_->value(k, m);
    mGradient.colorize(line_.data(), mDataRange, rgb_.data(), g.levels, 1, false);
    for (int m = 0; m < g.levels; ++m)
        reinterpret_cast<QRgb*>(mMapImage.scanLine(g.levels - 1 - m))[k] =
            rgb_[static_cast<std::size_t>(m)];
}

void ImbalanceColorMap::updateMapImage() {
    // Called on every draw once a cell was set; with nothing dirty it must cost nothing.
    lastRecoloured_ = 0;
    if (!grid_ || data()->isEmpty()) return;
    const ImbalanceGridGeometry& g = grid_->geometry();
    if (data()->keySize() != g.cells || data()->valueSize() != g.levels) return;
    if (mMapImage.width() != g.cells || mMapImage.height() != g.levels ||
        mMapImage.format() != QImage::Format_ARGB32_Premultiplied) {
        mMapImage = QImage(g.cells, g.levels, QImage::Format_ARGB32_Premultiplied);
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
