#pragma once
// The ladder's cell texts, formatted with the instrument's decimals and laid out once per changed
// frame (not once per paint): QStaticText keeps the shaped glyphs, so a paint only blits them.

#include <QFont>
#include <QStaticText>
#include <QString>
#include <array>
#include <utility>
#include <vector>

#include "book/instrument.h"
#include "ladder_geometry.h"
#include "ladder_model.h"

namespace flowscope {

struct CellText {
    QStaticText text;  ///< empty for an empty cell
    int width = 0;     ///< horizontal advance, to right-align without measuring
    bool bold = false;
    bool isEmpty() const { return width == 0; }
};

struct LadderRowTexts {
    std::array<CellText, kLadderColumnCount> cells;  ///< indexed by LadderColumn
};

struct LadderTexts {
    std::vector<LadderRowTexts> rows;
    std::array<QString, kLadderColumnCount> headers;
};

/// Formats every visible cell. A number wider than its cell falls back to a compact form
/// ("12.4K") rather than being clipped; an empty cell (size 0) has no text. The touch sizes,
/// the last trade's price and own orders are bold (`font` with bold set).
/// With `previous` (the frame on screen and its texts, same grouping, font and geometry), rows
/// that did not change keep their laid-out texts, so a typical frame lays out a few cells only.
LadderTexts formatLadderTexts(
    const LadderFrame& frame, const Instrument& instrument, const QFont& font,
    const LadderGeometry& geometry, int pullStackSeconds,
    const std::pair<const LadderFrame*, const LadderTexts*>& previous = {});

/// Column titles; the pulling/stacking column names its window.
std::array<QString, kLadderColumnCount> ladderHeaders(int pullStackSeconds);

/// Rich text for the row under the mouse: the price range, both sizes, the volume split.
QString ladderTooltip(const LadderRow& row, int grouping, const Instrument& instrument,
                      int pullStackSeconds);

/// The longest price label of the visible range, in characters (sizes the price column).
int ladderPriceChars(const Instrument& instrument, PriceTicks low, PriceTicks high);

}  // namespace flowscope
