#include "ladder_geometry.h"

#include <algorithm>
#include <cmath>

namespace flowscope {
namespace {

// Natural widths in digit widths; sizes and volumes leave room for lot decimals and the bars.
constexpr std::array<int, kLadderColumnCount> kNaturalChars = {6, 10, 0, 10, 11, 7};
// How extra width is shared: the size and volume columns carry bars, so they profit most.
constexpr std::array<int, kLadderColumnCount> kStretch = {0, 3, 0, 3, 3, 1};
constexpr int kCellPaddingChars = 2;
constexpr int kPreferredRows = 40;

int rowHeightFor(const QFontMetrics& metrics) {
    // Room above and below the glyphs so that bars and highlights do not touch the text.
    return metrics.height() + std::max(4, metrics.height() / 4);
}

std::array<int, kLadderColumnCount> naturalWidths(const QFontMetrics& metrics, int priceChars) {
    const int digit = metrics.horizontalAdvance(QLatin1Char('0'));
    std::array<int, kLadderColumnCount> w{};
    for (int i = 0; i < kLadderColumnCount; ++i) {
        const int chars =
            i == static_cast<int>(LadderColumn::Price) ? std::max(6, priceChars) : kNaturalChars[i];
        w[static_cast<std::size_t>(i)] = (chars + kCellPaddingChars) * digit;
    }
    return w;
}

}  // namespace

QSize LadderGeometry::preferredSize(const QFontMetrics& metrics, int priceChars) {
    int width = 0;
    for (int w : naturalWidths(metrics, priceChars))
        width += w;
    const int rowHeight = rowHeightFor(metrics);
    return {width, rowHeight * (kPreferredRows + 2)};
}

LadderGeometry LadderGeometry::compute(QSize size, const QFontMetrics& metrics, int priceChars) {
    LadderGeometry g;
    g.width_ = std::max(0, size.width());
    g.height_ = std::max(0, size.height());
    g.rowHeight_ = rowHeightFor(metrics);
    g.headerHeight_ = g.rowHeight_ + 2;
    // Whole rows only; what is left over below them goes to the footer (at least one row high).
    g.rowCount_ = std::max(0, (g.height_ - g.headerHeight_ - g.rowHeight_) / g.rowHeight_);

    std::array<int, kLadderColumnCount> w = naturalWidths(metrics, priceChars);
    int natural = 0;
    for (int v : w)
        natural += v;
    if (natural > 0 && g.width_ < natural) {
        // Too narrow: shrink every column alike rather than clip the right-most ones.
        const double scale = static_cast<double>(g.width_) / natural;
        for (int& v : w)
            v = static_cast<int>(std::floor(v * scale));
    } else {
        int stretchTotal = 0;
        for (int s : kStretch)
            stretchTotal += s;
        const int extra = g.width_ - natural;
        for (int i = 0; i < kLadderColumnCount; ++i)
            w[static_cast<std::size_t>(i)] += extra * kStretch[i] / stretchTotal;
    }
    g.x_[0] = 0;
    for (int i = 0; i < kLadderColumnCount; ++i)
        g.x_[static_cast<std::size_t>(i) + 1] = g.x_[static_cast<std::size_t>(i)] + w[i];
    g.x_[kLadderColumnCount] = g.width_;  // rounding leftovers go to the last column
    return g;
}

QRect LadderGeometry::footerRect() const {
    const int top = rowTop(rowCount_);
    return {0, top, width_, std::max(0, height_ - top)};
}

int LadderGeometry::columnWidth(LadderColumn column) const {
    const auto i = static_cast<std::size_t>(column);
    return x_[i + 1] - x_[i];
}

QRect LadderGeometry::cellRect(int row, LadderColumn column) const {
    return {columnLeft(column), rowTop(row), columnWidth(column), rowHeight_};
}

QRect LadderGeometry::headerCell(LadderColumn column) const {
    return {columnLeft(column), 0, columnWidth(column), headerHeight_};
}

int LadderGeometry::rowAt(int y) const {
    if (y < headerHeight_) return -1;
    const int row = (y - headerHeight_) / rowHeight_;
    return row < rowCount_ ? row : -1;
}

std::optional<LadderColumn> LadderGeometry::columnAt(int x) const {
    for (int i = 0; i < kLadderColumnCount; ++i)
        if (x >= x_[static_cast<std::size_t>(i)] && x < x_[static_cast<std::size_t>(i) + 1])
            return static_cast<LadderColumn>(i);
    return std::nullopt;
}

double LadderGeometry::yOfPrice(double priceTicks, const LadderWindow& window) const {
    // Row k spans [k G, (k + 1) G): tick p sits at fraction (p - k G + 0.5) / G up from the
    // row's bottom edge, so at G = 1 every tick is at its row's centre.
    const double g = std::max(1, window.grouping);
    const double rowsFromTop = static_cast<double>(window.topGroup + 1) - (priceTicks + 0.5) / g;
    return headerHeight_ + rowsFromTop * rowHeight_;
}

}  // namespace flowscope
