#pragma once
// Where the ladder's header, rows, columns and footer are, in logical pixels. Shared by the
// painter and the mouse handling so that a click always lands in the cell that was drawn.

#include <QFontMetrics>
#include <QRect>
#include <QSize>
#include <array>
#include <optional>

#include "ladder_model.h"

namespace flowscope {

enum class LadderColumn : int { Orders, Bid, Price, Ask, Volume, PullStack };
inline constexpr int kLadderColumnCount = 6;
/// Logical pixels between a number and its cell's edges.
inline constexpr int kLadderTextPadding = 6;

class LadderGeometry {
  public:
    /// `priceChars`: characters of the longest price label, so the price column fits it.
    static LadderGeometry compute(QSize size, const QFontMetrics& metrics, int priceChars);
    /// The width at which every column has its natural size, and a height of ~40 rows.
    static QSize preferredSize(const QFontMetrics& metrics, int priceChars);

    QSize size() const { return {width_, height_}; }
    int rowHeight() const { return rowHeight_; }
    int rowCount() const { return rowCount_; }
    QRect headerRect() const { return {0, 0, width_, headerHeight_}; }
    QRect footerRect() const;
    QRect rowRect(int row) const { return {0, rowTop(row), width_, rowHeight_}; }
    QRect cellRect(int row, LadderColumn column) const;
    QRect headerCell(LadderColumn column) const;
    int columnLeft(LadderColumn column) const { return x_[static_cast<std::size_t>(column)]; }
    int columnWidth(LadderColumn column) const;

    /// Row under a y coordinate, or -1 for the header, the footer and outside.
    int rowAt(int y) const;
    std::optional<LadderColumn> columnAt(int x) const;
    /// Vertical centre of a (fractional) price in ticks, e.g. for the micro-price marker.
    double yOfPrice(double priceTicks, const LadderWindow& window) const;

  private:
    int rowTop(int row) const { return headerHeight_ + row * rowHeight_; }

    int width_ = 0;
    int height_ = 0;
    int rowHeight_ = 16;
    int headerHeight_ = 18;
    int rowCount_ = 0;
    std::array<int, kLadderColumnCount + 1> x_{};  ///< column edges, x_[i] .. x_[i + 1]
};

}  // namespace flowscope
