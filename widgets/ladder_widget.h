#pragma once
// The depth ladder (DOM): a vertical price ladder centred on the market with own orders, bid and
// ask sizes, price, session volume at price and pulling/stacking, plus click-trading intents.
//
// GUI thread only. setSnapshot() is called from the frame timer with the newest snapshot; the
// rows are recomputed only when the serial changes and the widget repaints only when a visible
// row or marker changed, however fast the feed publishes.

#include <QFont>
#include <QWidget>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "book/instrument.h"
#include "feed/market_snapshot.h"
#include "ladder_geometry.h"
#include "ladder_model.h"
#include "ladder_texts.h"
#include "ladder_viewport.h"
#include "order_intent.h"
#include "pulling_stacking.h"
#include "theme.h"

class QLabel;

namespace flowscope {

class LadderWidget : public QWidget {
    Q_OBJECT

  public:
    /// Row groupings offered by groupCoarser()/groupFiner() and Ctrl+wheel, in ticks.
    static constexpr int kGroupings[] = {1, 2, 5, 10, 25, 50, 100, 250, 500, 1000};
    static constexpr int kWheelRowsPerStep = 3;

    explicit LadderWidget(QWidget* parent = nullptr);

    void setSnapshot(std::shared_ptr<const MarketSnapshot> snapshot);
    void setTheme(const Theme& theme);
    const Theme& theme() const { return theme_; }
    /// Own working orders, aggregated per side and price by the trading layer.
    void setOwnOrders(std::vector<OwnOrderLevel> orders);
    /// Size of the orders that clicks ask for (from the trading panel); <= 0 disables clicks.
    void setOrderSize(Lots lots) { orderSize_ = lots; }
    Lots orderSize() const { return orderSize_; }
    /// N of pulling/stacking: the change shown is size now minus size N seconds ago.
    void setPullStackWindowSeconds(int seconds);
    /// The trader paused the market (simulation, replay): the footer reads "paused".
    void setFeedPaused(bool paused);
    int pullStackWindowSeconds() const;

    int grouping() const { return viewport_.grouping(); }
    bool autoCentre() const { return viewport_.autoCentre(); }
    /// True while the pointer is over the ladder or an order drag is under way: auto-centre
    /// waits (the row under the cursor keeps its price) and catches up when both end.
    bool holdingStill() const { return viewport_.held(); }
    /// Lowest price of the bottom row and highest price of the top row, inclusive.
    std::pair<PriceTicks, PriceTicks> visiblePriceRange() const;
    /// The rows as painted (for tests and for views that align with the ladder).
    const LadderFrame& frame() const { return frame_; }
    const LadderGeometry& geometry() const { return geometry_; }
    /// The footer's left text: instrument, feed state, grouping.
    const QString& footerLeft() const { return footer_; }
    /// The cell of the row showing `price`; empty if that row is not visible.
    QRect cellRect(PriceTicks price, LadderColumn column) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

  public slots:
    /// Ticks per row (>= 1); emits groupingChanged when it changes.
    void setGrouping(int ticks);
    void groupCoarser();
    void groupFiner();
    /// Turns auto-centre on and centres on the market now (bind to a hotkey such as Space).
    void recentre();
    void setAutoCentre(bool on);
    /// Scrolls by whole rows (positive: toward higher prices); turns auto-centre off.
    void scrollRows(int rows);
    /// Centres `price` (axis sync from a neighbouring view); turns auto-centre off.
    void centreOn(flowscope::PriceTicks price);

  signals:
    /// A click asked for an order or a cancel; the trading layer decides what to do with it.
    void orderIntent(const flowscope::OrderIntent& intent);
    /// The own orders at `from` were dragged to `to` (cancel/replace each working order there).
    /// A drag from a grouped row emits once per own price in it, each shifted by the same rows.
    void orderMoveRequested(flowscope::PriceTicks from, flowscope::PriceTicks to);
    void groupingChanged(int ticks);
    void visibleRangeChanged(flowscope::PriceTicks low, flowscope::PriceTicks high);
    void autoCentreChanged(bool on);

  protected:
    bool event(QEvent* event) override;
    void changeEvent(QEvent* event) override;
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void enterEvent(QEnterEvent* event) override;
    void leaveEvent(QEvent* event) override;

  private:
    void updateFont();
    void relayout();
    /// Recomputes the visible rows; repaints only if they differ from what is on screen.
    void rebuild(bool force = false);
    void setAutoCentreState(bool on);
    void invalidateChangedRows(const LadderFrame& before, const LadderFrame& after);
    void emitRangeIfChanged();
    void emitCancels(const LadderRow& row);
    void setHoverRow(int row);
    /// Holds the view while the pointer is over it or a drag is under way, releases otherwise.
    void updateHold();
    void showRowTip(int row);
    void hideRowTip();
    /// Where the row tip goes (global): beside the ladder if the screen has room, otherwise
    /// inside it on the far side of the row from the inside market; never over the best bid or
    /// ask row.
    QPoint rowTipPos(int row, QSize tipSize) const;
    void emitLimitIntent(const LadderRow& row, LadderColumn column);
    /// Row under the dragged order (clamped to the visible rows), -1 before the drag moved.
    int dragTargetRow() const;
    void finishDrag(QPoint releasePos);
    void cancelDrag();
    QString footerText() const;
    QString waitingText() const;

    Theme theme_ = Theme::dark();
    QFont numbersFont_;
    std::shared_ptr<const MarketSnapshot> snapshot_;
    std::optional<Instrument> instrument_;
    PullingStacking pullStack_;
    std::vector<OwnOrderLevel> ownOrders_;
    Lots orderSize_ = 1;
    LadderViewport viewport_;
    LadderGeometry geometry_;
    LadderFrame frame_;
    LadderTexts texts_;
    int priceChars_ = 0;
    int hoverRow_ = -1;
    bool pointerOver_ = false;
    bool feedPaused_ = false;
    QLabel* tip_ = nullptr;  ///< the row's details; placed by rowTipPos, not by QToolTip
    int tipRow_ = -1;
    /// A left press on a row with own orders: a click (an intent on release) until the mouse
    /// moves past the drag distance, then a drag that moves those orders.
    struct OrderDrag {
        QPoint pressPos;
        QPoint pos;
        PriceTicks fromPrice = 0;  ///< the pressed row's base price
        LadderColumn column = LadderColumn::Orders;
        bool moving = false;
        int ghostRow = -1;  ///< where the ghost is painted now
    };
    std::optional<OrderDrag> drag_;
    bool announcedAutoCentre_ = true;
    int wheelRemainder_ = 0;  ///< angle delta not yet turned into rows (high-resolution wheels)
    std::optional<std::pair<PriceTicks, PriceTicks>> emittedRange_;
    QString footer_;   ///< instrument, feed state, grouping: repainted when it changes
    QString waiting_;  ///< the no-book message with the feed state
};

}  // namespace flowscope
