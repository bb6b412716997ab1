#include "ladder_painter.h"

#include <QFontMetrics>
#include <QPainterPath>
#include <QVarLengthArray>
#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

namespace flowscope {
namespace {

// Alphas chosen so that numbers stay readable on top of every fill, in both themes.
constexpr int kSideTintAlpha = 16;
constexpr int kBarAlpha = 95;
constexpr int kBestBarAlpha = 150;
constexpr int kVolumeBarAlpha = 110;
constexpr int kPullStackBarAlpha = 50;
constexpr int kOwnOrderAlpha = 55;
constexpr double kImbalanceThreshold = 0.2;  ///< below this a pair reads as balanced
constexpr int kImbalanceMaxAlpha = 150;

QColor withAlpha(QColor c, int alpha) {
    c.setAlpha(alpha);
    return c;
}

/// `over` at `alpha` on top of an opaque `under`, as an opaque colour. Painting rows with
/// opaque fills instead of translucent layers keeps a frame at memory-fill speed, which matters
/// at a device pixel ratio of 2 where every row is four times the pixels.
QColor blend(const QColor& under, const QColor& over, int alpha) {
    const double a = alpha / 255.0;
    const auto mix = [a](int u, int o) { return static_cast<int>(std::lround(u + (o - u) * a)); };
    return QColor(mix(under.red(), over.red()), mix(under.green(), over.green()),
                  mix(under.blue(), over.blue()));
}

QColor blend(const QColor& under, const QColor& over) {
    return blend(under, over, over.alpha());
}

/// Every opaque colour of a row, for the even and the odd row background.
struct Palette {
    QColor row, bidSide, askSide, bidBest, askBest, priceBest;
    QColor bidBar, bidBarOff, bidBarBest, askBar, askBarOff, askBarBest;
    QColor volumeBuy, volumeSell, stack, pull, ownOrder;

    Palette(const Theme& t, const QColor& background) {
        row = background;
        bidSide = blend(row, t.bid, kSideTintAlpha);
        askSide = blend(row, t.ask, kSideTintAlpha);
        bidBest = blend(bidSide, t.highlight);
        askBest = blend(askSide, t.highlight);
        priceBest = blend(row, t.highlight);
        bidBar = blend(bidSide, t.bid, kBarAlpha);
        bidBarOff = blend(row, t.bid, kBarAlpha);  // a bid above the best bid: crossed data
        bidBarBest = blend(bidBest, t.bid, kBestBarAlpha);
        askBar = blend(askSide, t.ask, kBarAlpha);
        askBarOff = blend(row, t.ask, kBarAlpha);
        askBarBest = blend(askBest, t.ask, kBestBarAlpha);
        volumeBuy = blend(row, t.buy, kVolumeBarAlpha);
        volumeSell = blend(row, t.sell, kVolumeBarAlpha);
        stack = blend(row, t.buy, kPullStackBarAlpha);
        pull = blend(row, t.sell, kPullStackBarAlpha);
        ownOrder = blend(row, t.ownOrder, kOwnOrderAlpha);
    }
};

int col(LadderColumn c) {
    return static_cast<int>(c);
}

class FramePainter {
  public:
    FramePainter(QPainter& p, const LadderPaintInput& in)
        : p_(p),
          in_(in),
          g_(*in.geometry),
          t_(*in.theme),
          palette_{Palette(t_, t_.base), Palette(t_, t_.alternate)},
          bold_(in.font),
          fm_(in.font) {
        bold_.setBold(true);
    }

    void paint() {
        p_.setFont(in_.font);
        if (needs(g_.headerRect())) paintHeader();
        const bool hasRows = in_.frame != nullptr && in_.frame->hasBook && in_.texts != nullptr;
        int rows = 0;
        if (hasRows) {
            const LadderFrame& f = *in_.frame;
            rows = std::min({g_.rowCount(), static_cast<int>(f.rows.size()),
                             static_cast<int>(in_.texts->rows.size())});
            // Usually a frame changes a few rows and only those are repainted.
            todo_.reserve(static_cast<std::size_t>(rows));
            for (int r = 0; r < rows; ++r)
                if (needs(g_.rowRect(r))) todo_.push_back(r);
            for (int r : todo_)
                paintRowBackground(r, f.rows[static_cast<std::size_t>(r)]);
            paintGrid();
            paintTexts();
        }
        // The rows fill their area with opaque colours; only what they leave (no book yet) needs
        // the background, since the widget skips Qt's erase.
        const int top = g_.rowRect(rows).top();
        const int bottom = g_.footerRect().top();
        if (bottom > top)
            p_.fillRect(QRect(0, top, g_.headerRect().width(), bottom - top), t_.base);
        if (hasRows) {
            paintMicroPrice();
            if (in_.hoverRow >= 0 && in_.hoverRow < rows) paintHover(in_.hoverRow);
            if (in_.ghostRow >= 0 && in_.ghostRow < rows) paintGhost(in_.ghostRow);
        } else {
            paintWaiting();
        }
        if (needs(g_.footerRect())) paintFooter();
    }

  private:
    bool needs(const QRect& r) const { return in_.dirty.isEmpty() || in_.dirty.intersects(r); }
    PriceTicks groupOfPrice(PriceTicks price) const {
        return groupOf(price, in_.frame->window.grouping);
    }
    bool onBidSide(const LadderRow& row) const {
        return in_.frame->bestBid && groupOfPrice(row.price) <= groupOfPrice(*in_.frame->bestBid);
    }
    bool onAskSide(const LadderRow& row) const {
        return in_.frame->bestAsk && groupOfPrice(row.price) >= groupOfPrice(*in_.frame->bestAsk);
    }
    static QRect inset(const QRect& r) { return r.adjusted(1, 2, -1, -2); }

    void paintHeader() {
        const QRect header = g_.headerRect();
        p_.fillRect(header, t_.window);
        p_.setPen(t_.mutedText);
        if (in_.texts != nullptr) {
            for (int c = 0; c < kLadderColumnCount; ++c) {
                const QRect cell = g_.headerCell(static_cast<LadderColumn>(c))
                                       .adjusted(kLadderTextPadding, 0, -kLadderTextPadding, 0);
                const QString& title = in_.texts->headers[static_cast<std::size_t>(c)];
                p_.drawText(cell, Qt::AlignRight | Qt::AlignVCenter,
                            fm_.elidedText(title, Qt::ElideRight, cell.width()));
            }
        }
        p_.setPen(t_.grid);
        p_.drawLine(header.bottomLeft(), header.bottomRight());
    }

    void paintWaiting() {
        const QRect area(0, g_.headerRect().bottom() + 1, g_.headerRect().width(),
                         g_.footerRect().top() - g_.headerRect().bottom() - 1);
        p_.setPen(t_.mutedText);
        p_.drawText(area, Qt::AlignCenter, in_.waitingText);
    }

    void paintRowBackground(int r, const LadderRow& row) {
        const Palette& c = palette_[r % 2];
        p_.fillRect(g_.rowRect(r), c.row);
        const bool bidSide = onBidSide(row);
        const bool askSide = onAskSide(row);
        const QRect bidCell = g_.cellRect(r, LadderColumn::Bid);
        const QRect askCell = g_.cellRect(r, LadderColumn::Ask);
        const QRect priceCell = g_.cellRect(r, LadderColumn::Price);
        // The touch: the side's size cell and the price cell, so the spread reads as one band.
        if (bidSide) p_.fillRect(bidCell, row.bestBid ? c.bidBest : c.bidSide);
        if (askSide) p_.fillRect(askCell, row.bestAsk ? c.askBest : c.askSide);
        const bool touch = row.bestBid || row.bestAsk;
        if (touch) p_.fillRect(priceCell, c.priceBest);
        paintImbalance(priceCell, row, touch ? c.priceBest : c.row);

        const LadderFrame& f = *in_.frame;
        if (f.maxSize > 0 && row.bid > 0) {
            const QRect cell = inset(bidCell);
            const int w = barWidth(row.bid, f.maxSize, cell.width());
            p_.fillRect(QRect(cell.right() + 1 - w, cell.top(), w, cell.height()),
                        row.bestBid ? c.bidBarBest : (bidSide ? c.bidBar : c.bidBarOff));
        }
        if (f.maxSize > 0 && row.ask > 0) {
            const QRect cell = inset(askCell);
            const int w = barWidth(row.ask, f.maxSize, cell.width());
            p_.fillRect(QRect(cell.left(), cell.top(), w, cell.height()),
                        row.bestAsk ? c.askBarBest : (askSide ? c.askBar : c.askBarOff));
        }
        const Lots traded = row.buyVolume + row.sellVolume;
        if (traded > 0 && f.maxVolume > 0) {
            const QRect cell = inset(g_.cellRect(r, LadderColumn::Volume));
            const int w = barWidth(traded, f.maxVolume, cell.width());
            const int buyW =
                static_cast<int>(std::lround(static_cast<double>(w) * row.buyVolume / traded));
            p_.fillRect(QRect(cell.left(), cell.top(), buyW, cell.height()), c.volumeBuy);
            p_.fillRect(QRect(cell.left() + buyW, cell.top(), w - buyW, cell.height()),
                        c.volumeSell);
        }
        if (row.pullStack != 0 && f.maxPullStack > 0) {
            const QRect cell = inset(g_.cellRect(r, LadderColumn::PullStack));
            const int w = barWidth(std::abs(row.pullStack), f.maxPullStack, cell.width());
            p_.fillRect(QRect(cell.left(), cell.top(), w, cell.height()),
                        row.pullStack > 0 ? c.stack : c.pull);
        }
        if (row.ownBid > 0 || row.ownAsk > 0) {
            const QRect cell = inset(g_.cellRect(r, LadderColumn::Orders));
            p_.fillRect(cell, c.ownOrder);
            p_.fillRect(QRect(cell.left(), cell.top(), 3, cell.height()),
                        row.ownBid > 0 ? t_.bid : t_.ask);
        }
    }

    void paintImbalance(const QRect& priceCell, const LadderRow& row, const QColor& under) {
        const double strength = std::abs(row.imbalance);
        if (strength < kImbalanceThreshold) return;
        const double scaled = (strength - kImbalanceThreshold) / (1.0 - kImbalanceThreshold);
        const int alpha = 25 + static_cast<int>(scaled * (kImbalanceMaxAlpha - 25));
        p_.fillRect(inset(priceCell), blend(under, row.imbalance > 0 ? t_.bid : t_.ask, alpha));
    }

    static int barWidth(Lots value, Lots max, int width) {
        // At least one pixel, so a tiny level is still visibly there.
        const double frac = static_cast<double>(value) / static_cast<double>(max);
        return std::clamp(static_cast<int>(std::lround(frac * width)), 1, width);
    }

    void paintGrid() {
        QVarLengthArray<QLine, 128> lines;
        const int right = g_.headerRect().width();
        for (int r : todo_) {
            const int y = g_.rowRect(r).bottom();
            lines.append(QLine(0, y, right, y));
        }
        const int bottom = g_.footerRect().top() - 1;
        for (int c = 1; c < kLadderColumnCount; ++c) {
            const int x = g_.columnLeft(static_cast<LadderColumn>(c)) - 1;
            lines.append(QLine(x, 0, x, bottom));
        }
        p_.setPen(QPen(t_.grid, 0));
        p_.drawLines(lines.constData(), static_cast<int>(lines.size()));
    }

    void drawRight(int r, LadderColumn c, const QColor& color) {
        const CellText& cell = in_.texts->rows[static_cast<std::size_t>(r)].cells[col(c)];
        if (cell.isEmpty()) return;
        const QRect rect = g_.cellRect(r, c);
        const int x = rect.right() + 1 - kLadderTextPadding - cell.width;
        const int y = rect.top() + (rect.height() - fm_.height()) / 2;
        // The static text was laid out in this font; drawing it in another would re-shape it.
        if (cell.bold != boldActive_) {
            p_.setFont(cell.bold ? bold_ : in_.font);
            boldActive_ = cell.bold;
        }
        if (color.rgba() != penRgba_) {
            p_.setPen(color);
            penRgba_ = color.rgba();
        }
        p_.drawStaticText(QPoint(std::max(rect.left() + 1, x), y), cell.text);
    }

    // Column by column rather than row by row: the pen and the font change a few times per
    // frame instead of several times per row.
    void paintTexts() {
        const std::vector<LadderRow>& rs = in_.frame->rows;
        const auto row = [&](int r) -> const LadderRow& { return rs[static_cast<std::size_t>(r)]; };
        p_.setBrush(Qt::NoBrush);
        p_.setPen(QPen(t_.lastTrade, 1));
        for (int r : todo_)
            if (row(r).lastTrade)
                p_.drawRect(g_.cellRect(r, LadderColumn::Price).adjusted(1, 1, -2, -2));
        penRgba_ = t_.lastTrade.rgba();
        for (int r : todo_)
            if (row(r).ownBid > 0 || row(r).ownAsk > 0)
                drawRight(r, LadderColumn::Orders, t_.ownOrder);
        for (int r : todo_)
            drawRight(r, LadderColumn::Bid, t_.text);
        for (int r : todo_)
            drawRight(r, LadderColumn::Ask, t_.text);
        for (int r : todo_)
            drawRight(r, LadderColumn::Volume, t_.text);
        for (int r : todo_) {
            const LadderRow& x = row(r);
            const bool hasLevel = x.bid > 0 || x.ask > 0;
            drawRight(r, LadderColumn::Price,
                      x.lastTrade ? t_.lastTrade : (hasLevel ? t_.text : t_.mutedText));
        }
        for (int r : todo_)
            if (row(r).pullStack != 0)
                drawRight(r, LadderColumn::PullStack, row(r).pullStack > 0 ? t_.buy : t_.sell);
    }

    void paintMicroPrice() {
        const LadderFrame& f = *in_.frame;
        if (!f.microPrice) return;
        const double y = g_.yOfPrice(*f.microPrice, f.window);
        const int top = g_.headerRect().bottom() + 1;
        if (y < top || y >= g_.footerRect().top()) return;
        // A triangle on the price cell's left edge with a short stem into the cell's empty left
        // part (prices are right-aligned): it marks a fractional price without covering digits.
        const QRect cell = g_.cellRect(0, LadderColumn::Price);
        const double h = std::max(3.5, g_.rowHeight() * 0.32);
        const double left = cell.left();
        QPainterPath path;
        path.moveTo(left, y - h);
        path.lineTo(left + h * 1.5, y);
        path.lineTo(left, y + h);
        path.closeSubpath();
        p_.save();
        p_.setRenderHint(QPainter::Antialiasing, true);
        p_.setPen(QPen(t_.microPrice, 1.5));
        p_.drawLine(QPointF(left + h, y), QPointF(left + cell.width() * 0.3, y));
        p_.setPen(Qt::NoPen);
        p_.setBrush(t_.microPrice);
        p_.drawPath(path);
        p_.restore();
    }

    void paintHover(int r) {
        const QRect rect = g_.rowRect(r);
        p_.fillRect(rect, withAlpha(t_.text, 14));
        p_.setPen(QPen(withAlpha(t_.text, 70), 0));
        p_.setBrush(Qt::NoBrush);
        p_.drawRect(rect.adjusted(0, 0, -1, -1));
    }

    /// The dragged order where it would go: translucent with a dashed outline, so it reads as
    /// a proposal rather than a working order.
    void paintGhost(int r) {
        const QRect cell = inset(g_.cellRect(r, LadderColumn::Orders));
        p_.fillRect(cell, withAlpha(t_.ownOrder, 90));
        p_.setPen(QPen(t_.ownOrder, 1, Qt::DashLine));
        p_.setBrush(Qt::NoBrush);
        p_.drawRect(cell.adjusted(0, 0, -1, -1));
        if (in_.ghostText.isEmpty()) return;
        p_.setFont(bold_);
        boldActive_ = true;
        p_.setPen(t_.text);
        penRgba_ = t_.text.rgba();
        p_.drawText(cell.adjusted(0, 0, -kLadderTextPadding, 0), Qt::AlignRight | Qt::AlignVCenter,
                    in_.ghostText);
    }

    void paintFooter() {
        const QRect footer = g_.footerRect();
        if (footer.height() <= 0) return;
        p_.fillRect(footer, t_.window);
        p_.setFont(in_.font);
        boldActive_ = false;
        p_.setPen(QPen(t_.grid, 0));
        p_.drawLine(footer.topLeft(), footer.topRight());
        const QRect text = QRect(footer.left(), footer.top(), footer.width(), g_.rowHeight())
                               .adjusted(kLadderTextPadding, 0, -kLadderTextPadding, 0);
        p_.setPen(in_.feedLive ? t_.mutedText : t_.lastTrade);
        p_.drawText(text, Qt::AlignLeft | Qt::AlignVCenter, in_.footerLeft);
        p_.setPen(t_.mutedText);
        if (in_.autoCentre) {
            p_.drawText(text, Qt::AlignRight | Qt::AlignVCenter, QStringLiteral("AUTO-CENTRE"));
        } else {
            p_.setPen(t_.lastTrade);
            p_.drawText(text, Qt::AlignRight | Qt::AlignVCenter, QStringLiteral("SCROLLED"));
        }
    }

    QPainter& p_;
    const LadderPaintInput& in_;
    const LadderGeometry& g_;
    const Theme& t_;
    std::array<Palette, 2> palette_;  ///< even and odd rows
    QFont bold_;
    QFontMetrics fm_;
    std::vector<int> todo_;  ///< rows to paint, top to bottom
    bool boldActive_ = false;
    QRgb penRgba_ = 0;  ///< colour of the pen last set by drawRight (0: none yet)
};

}  // namespace

void paintLadder(QPainter& painter, const LadderPaintInput& in) {
    if (in.geometry == nullptr || in.theme == nullptr) return;
    FramePainter(painter, in).paint();
}

}  // namespace flowscope
