#include "incremental_color_map.h"

#include <algorithm>

namespace flowscope {

IncrementalColorMap::IncrementalColorMap(QCPAxis* keyAxis, QCPAxis* valueAxis)
    : QCPColorMap(keyAxis, valueAxis) {
    setInterpolate(false);
    setTightBoundary(false);
}

void IncrementalColorMap::prepareForGradient(double*, std::size_t) const {}

void IncrementalColorMap::resetDirty() {
    dirtyFirst_ = 1;
    dirtyLast_ = 0;
}

void IncrementalColorMap::clearMap() {
    detachGrid();
    data()->clear();
    mMapImage = QImage();
    fullPending_ = true;
    resetDirty();
}

void IncrementalColorMap::copyAllCells() {
    const int cells = gridCells();
    const int rows = gridRows();
    QCPColorMapData* d = data();
    for (int r = 0; r < rows; ++r) {
        const float* row = gridRow(r);
        for (int k = 0; k < cells; ++k)
            d->setCell(k, r, row[k]);
    }
    fullPending_ = true;
    resetDirty();
}

void IncrementalColorMap::copyColumns(int k0, int k1) {
    if (k0 > k1) return;
    const int cells = gridCells();
    const int rows = gridRows();
    QCPColorMapData* d = data();
    if (d->keySize() != cells || d->valueSize() != rows) return;
    k0 = std::max(k0, 0);
    k1 = std::min(k1, cells - 1);
    for (int k = k0; k <= k1; ++k)
        for (int r = 0; r < rows; ++r)
            d->setCell(k, r, gridValue(k, r));
    if (dirtyFirst_ > dirtyLast_) {
        dirtyFirst_ = k0;
        dirtyLast_ = k1;
    } else {
        dirtyFirst_ = std::min(dirtyFirst_, k0);
        dirtyLast_ = std::max(dirtyLast_, k1);
    }
}

void IncrementalColorMap::colourAll(int cells, int rows) {
    line_.resize(static_cast<std::size_t>(cells));
    const bool log = mDataScaleType == QCPAxis::stLogarithmic;
    for (int r = 0; r < rows; ++r) {
        const float* row = gridRow(r);
        for (int k = 0; k < cells; ++k)
            line_[static_cast<std::size_t>(k)] = row[k];
        prepareForGradient(line_.data(), static_cast<std::size_t>(cells));
        // QImage scan lines run top-down, grid rows bottom-up; QCPColorMap mirrors a reversed
        // axis when it draws.
        auto* pixels = reinterpret_cast<QRgb*>(mMapImage.scanLine(rows - 1 - r));
        mGradient.colorize(line_.data(), mDataRange, pixels, cells, 1, log);
    }
}

void IncrementalColorMap::colourColumn(int k, int rows) {
    const auto count = static_cast<std::size_t>(rows);
    line_.resize(std::max(line_.size(), count));
    rgb_.resize(count);
    for (int r = 0; r < rows; ++r)
        line_[static_cast<std::size_t>(r)] = gridValue(k, r);
    prepareForGradient(line_.data(), count);
    mGradient.colorize(line_.data(), mDataRange, rgb_.data(), rows, 1,
                       mDataScaleType == QCPAxis::stLogarithmic);
    for (int r = 0; r < rows; ++r)
        reinterpret_cast<QRgb*>(mMapImage.scanLine(rows - 1 - r))[k] =
            rgb_[static_cast<std::size_t>(r)];
}

void IncrementalColorMap::updateMapImage() {
    // QCustomPlot calls this on every draw once any cell was set (its "modified" flag is private
    // to QCPColorMap), so an update with nothing dirty must cost nothing.
    lastRecoloured_ = 0;
    const int cells = gridCells();
    const int rows = gridRows();
    if (cells <= 0 || rows <= 0 || data()->isEmpty()) return;
    if (data()->keySize() != cells || data()->valueSize() != rows) return;
    if (mMapImage.width() != cells || mMapImage.height() != rows ||
        mMapImage.format() != QImage::Format_ARGB32_Premultiplied) {
        mMapImage = QImage(cells, rows, QImage::Format_ARGB32_Premultiplied);
        fullPending_ = true;
    }
    if (!mUndersampledMapImage.isNull()) mUndersampledMapImage = QImage();
    if (fullPending_ || mMapImageInvalidated) {
        colourAll(cells, rows);
        lastRecoloured_ = cells;
    } else if (dirtyFirst_ <= dirtyLast_) {
        for (int k = dirtyFirst_; k <= dirtyLast_; ++k)
            colourColumn(k, rows);
        lastRecoloured_ = dirtyLast_ - dirtyFirst_ + 1;
    } else {
        return;
    }
    fullPending_ = false;
    mMapImageInvalidated = false;
    resetDirty();
}

}  // namespace flowscope
