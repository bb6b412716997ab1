#include "ladder_widget.h"

#include <QApplication>
#include <QFontDatabase>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QLabel>
#include <QLoggingCategory>
#include <QMouseEvent>
#include <QPaintEvent>
#include <QPainter>
#include <QScreen>
#include <QToolTip>
#include <QWheelEvent>
#include <algorithm>
#include <iterator>

#include "ladder_painter.h"

namespace flowscope {

Q_LOGGING_CATEGORY(lcLadder, "flowscope.ladder")

namespace {

constexpr int kWheelStepAngle = 120;  ///< one notch of a classic wheel, in eighths of a degree

}  // namespace

LadderWidget::LadderWidget(QWidget* parent) : QWidget(parent) {
    setMouseTracking(true);
    setAttribute(Qt::WA_OpaquePaintEvent);  // every pixel is painted: skip the background erase
    setFocusPolicy(Qt::ClickFocus);
    updateFont();
}

void LadderWidget::setSnapshot(std::shared_ptr<const MarketSnapshot> snapshot) {
    if (!snapshot || snapshot == snapshot_) return;
    if (snapshot_ && snapshot->serial == snapshot_->serial) return;
    const bool newFeed = snapshot_ && snapshot->serial < snapshot_->serial;
    const InstrumentInfo& info = snapshot->instrument;
    const bool newInstrument = !instrument_ || instrument_->symbol() != info.symbol ||
                               instrument_->tickSize().mantissa != info.tick.mantissa ||
                               instrument_->tickSize().decimals != info.tick.decimals ||
                               instrument_->lotSize().mantissa != info.lot.mantissa ||
                               instrument_->lotSize().decimals != info.lot.decimals;
    if (newInstrument) {
        instrument_ = info.instrument();
        priceChars_ = 0;
    }
    if (newFeed || newInstrument) pullStack_.clear();
    snapshot_ = std::move(snapshot);
    pullStack_.add(*snapshot_);
    viewport_.follow(ladderAnchorPrice(*snapshot_));
    rebuild(newInstrument);
}

void LadderWidget::setTheme(const Theme& theme) {
    theme_ = theme;
    update();
}

void LadderWidget::setOwnOrders(std::vector<OwnOrderLevel> orders) {
    if (orders == ownOrders_) return;
    ownOrders_ = std::move(orders);
    rebuild();
}

void LadderWidget::setPullStackWindowSeconds(int seconds) {
    pullStack_.setWindowNs(static_cast<TimeNs>(std::max(1, seconds)) * 1'000'000'000);
    rebuild(true);  // the header shows N
}

void LadderWidget::setFeedPaused(bool paused) {
    feedPaused_ = paused;
    rebuild();  // the footer
}

int LadderWidget::pullStackWindowSeconds() const {
    return static_cast<int>(pullStack_.windowNs() / 1'000'000'000);
}

std::pair<PriceTicks, PriceTicks> LadderWidget::visiblePriceRange() const {
    return {viewport_.lowPrice(), viewport_.highPrice()};
}

QRect LadderWidget::cellRect(PriceTicks price, LadderColumn column) const {
    const int row = frame_.window.rowOfPrice(price);
    if (row < 0 || row >= static_cast<int>(frame_.rows.size())) return {};
    return geometry_.cellRect(row, column);
}

QSize LadderWidget::sizeHint() const {
    return LadderGeometry::preferredSize(QFontMetrics(numbersFont_), std::max(priceChars_, 8));
}

QSize LadderWidget::minimumSizeHint() const {
    const QSize preferred = sizeHint();
    return {preferred.width() * 2 / 3, preferred.height() / 4};
}

void LadderWidget::setGrouping(int ticks) {
    if (!viewport_.setGrouping(ticks)) return;
    // A new grouping moves every row: centre on the market again if auto-centre is on.
    if (viewport_.autoCentre()) viewport_.recentre();
    rebuild(true);
    emit groupingChanged(ticks);
}

void LadderWidget::groupCoarser() {
    const auto* next = std::upper_bound(std::begin(kGroupings), std::end(kGroupings), grouping());
    if (next != std::end(kGroupings)) setGrouping(*next);
}

void LadderWidget::groupFiner() {
    const auto* first = std::lower_bound(std::begin(kGroupings), std::end(kGroupings), grouping());
    if (first != std::begin(kGroupings)) setGrouping(*std::prev(first));
}

void LadderWidget::recentre() {
    viewport_.recentre();
    setAutoCentreState(true);
    rebuild();
}

void LadderWidget::setAutoCentre(bool on) {
    if (on) {
        recentre();
    } else {
        viewport_.setAutoCentre(false);
        setAutoCentreState(false);
    }
}

void LadderWidget::scrollRows(int rows) {
    viewport_.scrollRows(rows);
    setAutoCentreState(false);
    rebuild();
}

void LadderWidget::centreOn(PriceTicks price) {
    viewport_.centreOn(price);
    setAutoCentreState(false);
    rebuild();
}

void LadderWidget::setAutoCentreState(bool on) {
    // The viewport holds the state; this tells listeners once per change and redraws the footer.
    if (announcedAutoCentre_ == on) return;
    announcedAutoCentre_ = on;
    update(geometry_.footerRect());
    emit autoCentreChanged(on);
}

void LadderWidget::updateFont() {
    numbersFont_ = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    numbersFont_.setStyleHint(QFont::Monospace);
    if (font().pointSizeF() > 0)
        numbersFont_.setPointSizeF(font().pointSizeF());
    else if (font().pixelSize() > 0)
        numbersFont_.setPixelSize(font().pixelSize());
    relayout();
    rebuild(true);
}

void LadderWidget::relayout() {
    geometry_ = LadderGeometry::compute(size(), QFontMetrics(numbersFont_), priceChars_);
    viewport_.setRowCount(geometry_.rowCount());
    // With another row count the middle third moved: let auto-centre look again.
    if (snapshot_) viewport_.follow(ladderAnchorPrice(*snapshot_));
}

void LadderWidget::rebuild(bool force) {
    // A hidden widget gets its resize event only when shown; the rows must fit the size now.
    if (geometry_.size() != size()) {
        relayout();
        force = true;
    }
    if (snapshot_ && instrument_) {
        // The price column follows the longest label in view; it only grows, so the columns do
        // not shift back and forth when the price crosses a power of ten.
        const int chars =
            ladderPriceChars(*instrument_, viewport_.lowPrice(), viewport_.highPrice());
        if (chars > priceChars_) {
            priceChars_ = chars;
            relayout();
            force = true;
        }
    }
    LadderFrame next;
    if (snapshot_)
        next = buildLadderFrame(*snapshot_, viewport_.window(), pullStack_.changes(), ownOrders_);
    if (force || next != frame_) {
        if (instrument_) {
            // Texts of unchanged rows are kept unless the font, widths or window length changed.
            const auto previous = force ? std::pair<const LadderFrame*, const LadderTexts*>{}
                                        : std::pair{&frame_, &texts_};
            texts_ = formatLadderTexts(next, *instrument_, numbersFont_, geometry_,
                                       pullStackWindowSeconds(), previous);
        } else {
            texts_ = LadderTexts{{}, ladderHeaders(pullStackWindowSeconds())};
        }
        if (force)
            update();
        else
            invalidateChangedRows(frame_, next);
        frame_ = std::move(next);
    }
    // The feed state can change while the book stays the same (a stale feed): repaint the
    // footer and the waiting message for it too.
    QString footer = footerText();
    QString waiting = waitingText();
    if (footer != footer_ || waiting != waiting_) {
        footer_ = std::move(footer);
        waiting_ = std::move(waiting);
        update();
    }
    emitRangeIfChanged();
}

void LadderWidget::invalidateChangedRows(const LadderFrame& before, const LadderFrame& after) {
    // What scales or tints every row (bar maxima, the touch, the window) repaints everything;
    // otherwise only the rows that changed and the micro-price marker's old and new place.
    const bool everything =
        before.window != after.window || before.rows.size() != after.rows.size() ||
        before.hasBook != after.hasBook || before.maxSize != after.maxSize ||
        before.maxVolume != after.maxVolume || before.maxPullStack != after.maxPullStack ||
        before.bestBid != after.bestBid || before.bestAsk != after.bestAsk;
    if (everything) {
        update();
        return;
    }
    QRegion dirty;
    for (std::size_t i = 0; i < after.rows.size(); ++i)
        if (before.rows[i] != after.rows[i]) dirty += geometry_.rowRect(static_cast<int>(i));
    if (before.microPrice != after.microPrice) {
        for (const auto& micro : {before.microPrice, after.microPrice}) {
            if (!micro) continue;
            const int y = static_cast<int>(geometry_.yOfPrice(*micro, after.window));
            dirty += QRect(0, y - geometry_.rowHeight(), width(), 2 * geometry_.rowHeight());
        }
    }
    if (!dirty.isEmpty()) update(dirty);
}

void LadderWidget::emitRangeIfChanged() {
    if (!viewport_.hasCentre()) return;
    const auto range = visiblePriceRange();
    if (emittedRange_ == range) return;
    emittedRange_ = range;
    emit visibleRangeChanged(range.first, range.second);
}

void LadderWidget::paintEvent(QPaintEvent* event) {
    QPainter painter(this);
    LadderPaintInput in;
    in.dirty = event->region();
    in.frame = snapshot_ ? &frame_ : nullptr;
    in.texts = &texts_;
    in.geometry = &geometry_;
    in.theme = &theme_;
    in.font = numbersFont_;
    in.hoverRow = hoverRow_;
    if (drag_ && drag_->moving) {
        in.ghostRow = drag_->ghostRow;
        const int from = frame_.window.rowOfPrice(drag_->fromPrice);
        if (from >= 0 && from < static_cast<int>(texts_.rows.size()))
            in.ghostText = texts_.rows[static_cast<std::size_t>(from)]
                               .cells[static_cast<int>(LadderColumn::Orders)]
                               .text.text();
    }
    in.autoCentre = viewport_.autoCentre();
    in.footerLeft = footer_;
    in.waitingText = waiting_;
    in.feedLive = snapshot_ && snapshot_->status.state == FeedState::Live;
    paintLadder(painter, in);
}

QString LadderWidget::footerText() const {
    if (!snapshot_) return {};
    // The feed's state before a pause reads "live"; the end of a replay is no disconnection.
    const QString state = snapshot_->status.finished ? tr("replay finished")
                          : feedPaused_              ? tr("paused")
                                        : QString::fromLatin1(describe(snapshot_->status.state));
    QString text = QStringLiteral("%1 \u00b7 %2")
                       .arg(QString::fromStdString(snapshot_->instrument.displayName()), state);
    // The grouping lives here rather than in the price header, which is too narrow for it.
    if (grouping() > 1) text += QStringLiteral(" \u00b7 \u00d7%1 ticks").arg(grouping());
    return text;
}

QString LadderWidget::waitingText() const {
    QString text = tr("Waiting for market data\u2026");
    if (snapshot_ && snapshot_->status.state != FeedState::Live) {
        text += QStringLiteral("\n") + QString::fromLatin1(describe(snapshot_->status.state));
        if (!snapshot_->status.reason.empty())
            text += QStringLiteral(": ") + QString::fromStdString(snapshot_->status.reason);
    }
    return text;
}

void LadderWidget::resizeEvent(QResizeEvent*) {
    relayout();
    rebuild(true);
}

void LadderWidget::changeEvent(QEvent* event) {
    if (event->type() == QEvent::FontChange) updateFont();
    QWidget::changeEvent(event);
}

void LadderWidget::wheelEvent(QWheelEvent* event) {
    wheelRemainder_ += event->angleDelta().y();
    const int steps = wheelRemainder_ / kWheelStepAngle;
    wheelRemainder_ -= steps * kWheelStepAngle;
    event->accept();
    hideRowTip();
    if (steps == 0) return;
    if (event->modifiers() & Qt::ControlModifier) {
        for (int i = 0; i < std::abs(steps); ++i)
            steps > 0 ? groupFiner() : groupCoarser();
        return;
    }
    // Wheel away from the user moves the view toward higher prices, like every chart.
    scrollRows(steps * kWheelRowsPerStep);
}

void LadderWidget::mousePressEvent(QMouseEvent* event) {
    hideRowTip();
    const QPoint pos = event->position().toPoint();
    const int row = geometry_.rowAt(pos.y());
    const auto column = geometry_.columnAt(pos.x());
    if (row < 0 || row >= static_cast<int>(frame_.rows.size()) || !column || !frame_.hasBook) {
        QWidget::mousePressEvent(event);
        return;
    }
    const LadderRow& r = frame_.rows[static_cast<std::size_t>(row)];
    const bool orderCell = *column == LadderColumn::Orders || *column == LadderColumn::Bid ||
                           *column == LadderColumn::Ask;
    if (event->button() == Qt::RightButton) {
        cancelDrag();
        emitCancels(r);
    } else if (event->button() == Qt::LeftButton && orderCell && (r.ownBid > 0 || r.ownAsk > 0)) {
        // Own orders here may be dragged: whether this is a click is known only on release.
        drag_ = OrderDrag{pos, pos, r.price, *column, false, -1};
        updateHold();
    } else if (event->button() == Qt::LeftButton) {
        emitLimitIntent(r, *column);
    }
    event->accept();
}

void LadderWidget::emitLimitIntent(const LadderRow& r, LadderColumn column) {
    if (orderSize_ <= 0 || (column != LadderColumn::Bid && column != LadderColumn::Ask)) return;
    // The row's base price for both sides: the price the trader reads on the row. With a
    // grouping it may cross the spread; the trading layer's checks decide, not the view.
    const Side side = column == LadderColumn::Bid ? Side::Bid : Side::Ask;
    const OrderIntent intent{OrderIntent::Kind::Limit, side, r.price, orderSize_};
    qCInfo(lcLadder) << "limit intent" << (side == Side::Bid ? "buy" : "sell") << orderSize_
                     << "lots at" << r.price << "ticks";
    emit orderIntent(intent);
}

int LadderWidget::dragTargetRow() const {
    if (!drag_ || !drag_->moving || frame_.rows.empty()) return -1;
    // Above the first or below the last row the ghost sticks to the edge row: the trader sees
    // where the order would go instead of losing the ghost.
    const int rows = static_cast<int>(frame_.rows.size());
    const int top = geometry_.rowRect(0).top();
    if (drag_->pos.y() < top) return 0;
    const int row = geometry_.rowAt(drag_->pos.y());
    return row < 0 || row >= rows ? rows - 1 : row;
}

void LadderWidget::mouseReleaseEvent(QMouseEvent* event) {
    if (drag_ && event->button() == Qt::LeftButton) {
        finishDrag(event->position().toPoint());
        event->accept();
        return;
    }
    QWidget::mouseReleaseEvent(event);
}

void LadderWidget::finishDrag(QPoint releasePos) {
    OrderDrag d = *drag_;
    drag_->pos = releasePos;
    const int target = dragTargetRow();
    // The target's price before the drag ends: ending it may let auto-centre move the rows.
    const std::optional<PriceTicks> targetPrice =
        target >= 0 ? std::optional(frame_.rows[static_cast<std::size_t>(target)].price)
                    : std::nullopt;
    cancelDrag();
    if (!d.moving) {
        // A plain click: what a press on the cell did before dragging existed.
        const int row = frame_.window.rowOfPrice(d.fromPrice);
        if (row >= 0 && row < static_cast<int>(frame_.rows.size()))
            emitLimitIntent(frame_.rows[static_cast<std::size_t>(row)], d.column);
        return;
    }
    if (!targetPrice) return;
    const PriceTicks toPrice = *targetPrice;
    if (toPrice == d.fromPrice) return;  // released where it started: nothing moves
    const int g = frame_.window.grouping;
    const PriceTicks shift = toPrice - d.fromPrice;
    std::vector<PriceTicks> sources;
    for (const OwnOrderLevel& o : ownOrders_)
        if (groupOf(o.price, g) == groupOf(d.fromPrice, g) &&
            std::find(sources.begin(), sources.end(), o.price) == sources.end())
            sources.push_back(o.price);
    std::sort(sources.begin(), sources.end());
    for (PriceTicks from : sources) {
        qCInfo(lcLadder) << "move intent from" << from << "to" << from + shift << "ticks";
        emit orderMoveRequested(from, from + shift);
    }
}

void LadderWidget::cancelDrag() {
    if (!drag_) return;
    if (drag_->ghostRow >= 0) update(geometry_.rowRect(drag_->ghostRow));
    drag_.reset();
    updateHold();
}

void LadderWidget::keyPressEvent(QKeyEvent* event) {
    if (drag_ && event->key() == Qt::Key_Escape) {
        cancelDrag();
        event->accept();
        return;
    }
    QWidget::keyPressEvent(event);
}

void LadderWidget::emitCancels(const LadderRow& row) {
    // One cancel per own (side, price) in the row, so a grouped row cancels everything it
    // shows; with no own order the intent still goes out (the trading layer may know more).
    const PriceTicks group = groupOf(row.price, frame_.window.grouping);
    std::vector<OwnOrderLevel> targets;
    for (const OwnOrderLevel& o : ownOrders_) {
        if (groupOf(o.price, frame_.window.grouping) != group) continue;
        const bool seen = std::any_of(targets.begin(), targets.end(), [&](const auto& t) {
            return t.side == o.side && t.price == o.price;
        });
        if (!seen) targets.push_back(o);
    }
    if (targets.empty()) targets.push_back({Side::Bid, row.price, 0});
    for (const OwnOrderLevel& t : targets) {
        qCInfo(lcLadder) << "cancel intent" << (t.side == Side::Bid ? "buy" : "sell") << "at"
                         << t.price << "ticks";
        emit orderIntent(OrderIntent{OrderIntent::Kind::CancelAtPrice, t.side, t.price, 0});
    }
}

void LadderWidget::mouseMoveEvent(QMouseEvent* event) {
    const QPoint pos = event->position().toPoint();
    pointerOver_ = true;  // also when the widget appeared under a resting pointer (no enter)
    updateHold();
    setHoverRow(geometry_.rowAt(pos.y()));
    if (tipRow_ >= 0 && geometry_.rowAt(pos.y()) != tipRow_) hideRowTip();
    if (drag_ && (event->buttons() & Qt::LeftButton)) {
        drag_->pos = pos;
        if ((pos - drag_->pressPos).manhattanLength() >= QApplication::startDragDistance())
            drag_->moving = true;
        const int ghost = dragTargetRow();
        if (ghost != drag_->ghostRow) {
            if (drag_->ghostRow >= 0) update(geometry_.rowRect(drag_->ghostRow));
            drag_->ghostRow = ghost;
            if (ghost >= 0) update(geometry_.rowRect(ghost));
        }
    }
    QWidget::mouseMoveEvent(event);
}

void LadderWidget::enterEvent(QEnterEvent* event) {
    pointerOver_ = true;
    updateHold();
    QWidget::enterEvent(event);
}

void LadderWidget::leaveEvent(QEvent* event) {
    setHoverRow(-1);
    hideRowTip();
    pointerOver_ = false;
    updateHold();
    QWidget::leaveEvent(event);
}

void LadderWidget::updateHold() {
    // Auto-centre under the cursor would change the price of the row about to be clicked.
    if (viewport_.setHeld(pointerOver_ || drag_.has_value())) rebuild();
}

void LadderWidget::showRowTip(int row) {
    if (!tip_) {
        tip_ = new QLabel(this, Qt::ToolTip);
        tip_->setObjectName("ladderTip");
        tip_->setMargin(4);
        tip_->setFrameStyle(QFrame::Box | QFrame::Plain);
        tip_->setPalette(QToolTip::palette());
        tip_->setFont(QToolTip::font());
        tip_->setAutoFillBackground(true);
    }
    tip_->setText(ladderTooltip(frame_.rows[static_cast<std::size_t>(row)], frame_.window.grouping,
                                *instrument_, pullStackWindowSeconds()));
    tip_->adjustSize();
    tip_->move(rowTipPos(row, tip_->size()));
    tip_->show();
    tipRow_ = row;
}

void LadderWidget::hideRowTip() {
    if (tip_) tip_->hide();
    tipRow_ = -1;
}

QPoint LadderWidget::rowTipPos(int row, QSize tipSize) const {
    constexpr int kGap = 4;
    const QRect ladder(mapToGlobal(QPoint(0, 0)), size());
    const QRect local = geometry_.rowRect(row);
    const QRect rowRect(mapToGlobal(local.topLeft()), local.size());
    const QScreen* s = screen();
    const QRect area = s ? s->availableGeometry() : ladder.adjusted(-4096, -4096, 4096, 4096);
    const int w = tipSize.width();
    const int h = tipSize.height();
    const int y =
        std::clamp(rowRect.top(), area.top(), std::max(area.top(), area.bottom() + 1 - h));
    // Beside the ladder, the whole ladder stays readable.
    if (ladder.right() + kGap + w <= area.right()) return {ladder.right() + kGap, y};
    if (ladder.left() - kGap - w >= area.left()) return {ladder.left() - kGap - w, y};
    // No room beside it: over the ladder, but on the hovered row's side of the inside market.
    const int x = std::max(area.left(), std::min(ladder.right(), area.right()) - w);
    const int rows = static_cast<int>(frame_.rows.size());
    int first = rows;  // top and bottom row index of the best ask and best bid rows in view
    int last = -1;
    for (const auto& best : {frame_.bestAsk, frame_.bestBid}) {
        if (!best) continue;
        const int r = frame_.window.rowOfPrice(*best);
        if (r < 0 || r >= rows) continue;
        first = std::min(first, r);
        last = std::max(last, r);
    }
    if (last < 0) return {x, y};
    const int insideTop = mapToGlobal(geometry_.rowRect(first).topLeft()).y();
    const int insideBottom = mapToGlobal(geometry_.rowRect(last).bottomLeft()).y() + 1;
    const int above = insideTop - kGap - h;
    const int below = insideBottom + kGap;
    const bool fitsAbove = above >= area.top();
    const bool fitsBelow = below + h <= area.bottom() + 1;
    const bool preferAbove = row < first;
    if (preferAbove ? fitsAbove || !fitsBelow : !fitsBelow && fitsAbove) return {x, above};
    return {x, below};
}

void LadderWidget::setHoverRow(int row) {
    if (row == hoverRow_) return;
    if (hoverRow_ >= 0) update(geometry_.rowRect(hoverRow_));
    hoverRow_ = row;
    if (hoverRow_ >= 0) update(geometry_.rowRect(hoverRow_));
}

bool LadderWidget::event(QEvent* event) {
    // Esc is also a window shortcut (Cancel all in the terminal); during a drag the key is the
    // ladder's, so that it abandons the drag and nothing else.
    if (event->type() == QEvent::ShortcutOverride && drag_ &&
        static_cast<QKeyEvent*>(event)->key() == Qt::Key_Escape) {
        event->accept();
        return true;
    }
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const int row = geometry_.rowAt(help->pos().y());
        if (row >= 0 && row < static_cast<int>(frame_.rows.size()) && frame_.hasBook && instrument_)
            showRowTip(row);
        else
            hideRowTip();
        return true;
    }
    return QWidget::event(event);
}

}  // namespace flowscope
