#include "trading_panel.h"

#include <QCheckBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMenu>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QTimer>
#include <QToolButton>
#include <algorithm>

namespace flowscope {
namespace {

constexpr int kMaxBracketTicks = 100'000;
constexpr int kMessageShowMs = 10'000;  ///< a refusal stays this long unless answered sooner

QSpinBox* ticksBox(QWidget* parent, const char* name, const QString& tip) {
    auto* box = new QSpinBox(parent);
    box->setObjectName(name);
    box->setRange(0, kMaxBracketTicks);
    box->setSuffix(QObject::tr(" ticks"));
    box->setSpecialValueText(QObject::tr("off"));  // 0: that leg is not used
    box->setToolTip(tip);
    return box;
}

QPushButton* button(QWidget* parent, const QString& text, const char* name, const QString& tip) {
    auto* b = new QPushButton(text, parent);
    b->setObjectName(name);
    b->setToolTip(tip);
    return b;
}

QString money(double v) {
    return QString("%1%2").arg(v > 0 ? "+" : "").arg(QLocale().toString(v, 'f', 2));
}

}  // namespace

TradingPanel::TradingPanel(QWidget* parent) : QWidget(parent) {
    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(6, 6, 6, 6);
    armed_ = new QCheckBox(tr("Armed"), this);
    armed_->setObjectName("armed");
    armed_->setToolTip(tr("Orders leave only when armed; every order passes the risk limits"));
    buy_ = new QPushButton(tr("Buy market"), this);
    buy_->setObjectName("buyMarket");
    sell_ = new QPushButton(tr("Sell market"), this);
    sell_->setObjectName("sellMarket");
    joinBid_ = button(this, tr("Join bid"), "joinBid",
                      tr("Buy limit at the best bid with the order size"));
    joinAsk_ = button(this, tr("Join ask"), "joinAsk",
                      tr("Sell limit at the best ask with the order size"));
    reverse_ = button(this, tr("Reverse"), "reverse",
                      tr("Close the position at market and open the same size on the other side"));
    confirm_ = new QToolButton(this);
    confirm_->setObjectName("confirmMenu");
    confirm_->setText(tr("Confirm…"));
    confirm_->setToolTip(tr("Actions that ask before anything is sent"));
    confirm_->setPopupMode(QToolButton::InstantPopup);
    auto* confirmMenu = new QMenu(confirm_);
    const QStringList labels{tr("Buy market"), tr("Sell market"),   tr("Join bid"),
                             tr("Join ask"),   tr("Ladder clicks"), tr("Reverse"),
                             tr("Flatten"),    tr("Cancel all")};
    for (int i = 0; i < confirmableActions().size(); ++i) {
        const QString& name = confirmableActions()[i];
        QAction* a = confirmMenu->addAction(labels[i]);
        a->setData(name);
        a->setObjectName("confirm_" + name);
        a->setCheckable(true);
        connect(a, &QAction::toggled, this,
                [this] { emit confirmedActionsChanged(confirmedActions()); });
    }
    confirm_->setMenu(confirmMenu);
    cancelAll_ = new QPushButton(tr("Cancel all"), this);
    cancelAll_->setObjectName("cancelAll");
    flatten_ = new QPushButton(tr("Flatten"), this);
    flatten_->setObjectName("flatten");
    flatten_->setToolTip(tr("Cancel all working orders and close the position at market"));
    bracketOn_ = new QCheckBox(tr("Bracket"), this);
    bracketOn_->setObjectName("bracketOn");
    bracketOn_->setToolTip(
        tr("Orders from the buttons and ladder clicks carry a take-profit and a stop-loss, "
           "each this many ticks from the average fill. The stop waits in Flowscope and is "
           "sent at market when the market reaches it."));
    takeProfitTicks_ = ticksBox(this, "takeProfitTicks", tr("Take-profit distance"));
    stopLossTicks_ = ticksBox(this, "stopLossTicks", tr("Stop-loss distance"));
    auto* bracketRow = new QHBoxLayout;
    bracketRow->addWidget(bracketOn_);
    bracketRow->addWidget(new QLabel(tr("TP"), this));
    bracketRow->addWidget(takeProfitTicks_, 1);
    bracketRow->addWidget(new QLabel(tr("SL"), this));
    bracketRow->addWidget(stopLossTicks_, 1);
    position_ = new QLabel(this);
    position_->setObjectName("position");
    pnl_ = new QLabel(this);
    pnl_->setObjectName("pnl");
    working_ = new QLabel(this);
    message_ = new QLabel(this);
    message_->setObjectName("message");
    message_->setWordWrap(true);
    messageTimer_ = new QTimer(this);
    messageTimer_->setSingleShot(true);
    messageTimer_->setInterval(kMessageShowMs);
    connect(messageTimer_, &QTimer::timeout, this, [this] {
        messageStale_ = true;
        message_->clear();
    });
    banner_ = new QLabel(this);
    banner_->setObjectName("tradingBanner");
    banner_->setWordWrap(true);
    banner_->setAlignment(Qt::AlignCenter);
    banner_->setVisible(false);
    fills_ = new QListWidget(this);
    fills_->setObjectName("fills");
    auto* presetRow = new QHBoxLayout;
    presetRow->addWidget(new QLabel(tr("Size"), this));
    for (int i = 0; i < kMaxSizePresets; ++i) {
        auto* b = new QPushButton(this);
        b->setObjectName(QString("sizePreset%1").arg(i));
        b->setVisible(false);
        connect(b, &QPushButton::clicked, this, [this, i] {
            if (static_cast<std::size_t>(i) < sizePresets_.size())
                emit sizePresetChosen(sizePresets_[static_cast<std::size_t>(i)]);
        });
        presetButtons_.push_back(b);
        presetRow->addWidget(b, 1);
    }
    int row = 0;
    grid->addWidget(banner_, row++, 0, 1, 2);
    grid->addWidget(armed_, row, 0);
    grid->addWidget(working_, row++, 1);
    grid->addLayout(presetRow, row++, 0, 1, 2);
    grid->addWidget(buy_, row, 0);
    grid->addWidget(sell_, row++, 1);
    grid->addWidget(joinBid_, row, 0);
    grid->addWidget(joinAsk_, row++, 1);
    grid->addWidget(reverse_, row, 0);
    grid->addWidget(confirm_, row++, 1);
    grid->addWidget(cancelAll_, row, 0);
    grid->addWidget(flatten_, row++, 1);
    grid->addLayout(bracketRow, row++, 0, 1, 2);
    grid->addWidget(position_, row++, 0, 1, 2);
    grid->addWidget(pnl_, row++, 0, 1, 2);
    grid->addWidget(message_, row++, 0, 1, 2);
    grid->addWidget(new QLabel(tr("Last fills"), this), row++, 0, 1, 2);
    grid->addWidget(fills_, row++, 0, 1, 2);
    connect(armed_, &QCheckBox::toggled, this, &TradingPanel::armedChanged);
    connect(buy_, &QPushButton::clicked, this, [this] { requestMarketOrder(Side::Bid); });
    connect(sell_, &QPushButton::clicked, this, [this] { requestMarketOrder(Side::Ask); });
    connect(bracketOn_, &QCheckBox::toggled, this, &TradingPanel::emitBracketSettings);
    connect(takeProfitTicks_, &QSpinBox::valueChanged, this, &TradingPanel::emitBracketSettings);
    connect(stopLossTicks_, &QSpinBox::valueChanged, this, &TradingPanel::emitBracketSettings);
    connect(joinBid_, &QPushButton::clicked, this, [this] { emit joinRequested(Side::Bid); });
    connect(joinAsk_, &QPushButton::clicked, this, [this] { emit joinRequested(Side::Ask); });
    connect(reverse_, &QPushButton::clicked, this, &TradingPanel::reverseRequested);
    connect(cancelAll_, &QPushButton::clicked, this, &TradingPanel::cancelAllRequested);
    connect(flatten_, &QPushButton::clicked, this, &TradingPanel::flattenRequested);
    setState({}, {});
}

void TradingPanel::setTheme(const Theme& theme) {
    theme_ = theme;
    // Coloured only while enabled: disarmed, they take the style's greyed-out look, so they
    // read as inactive (a green BUY that does nothing invites a click).
    const auto sideButton = [&theme](const QColor& colour, bool bold) {
        return QString(
                   "QPushButton { background: %1; border: 1px solid %2; padding: 3px; }"
                   "QPushButton:enabled { color: %3; border-color: %3; %4 }"
                   "QPushButton:enabled:pressed { background: %2; }"
                   "QPushButton:disabled { color: %5; }")
            .arg(theme.window.name(), theme.grid.name(), colour.name(),
                 bold ? "font-weight: bold;" : "", theme.mutedText.name());
    };
    buy_->setStyleSheet(sideButton(theme.buy, true));
    sell_->setStyleSheet(sideButton(theme.sell, true));
    message_->setStyleSheet(QString("QLabel { color: %1; }").arg(theme.sell.name()));
    joinBid_->setStyleSheet(sideButton(theme.buy, false));
    joinAsk_->setStyleSheet(sideButton(theme.sell, false));
    reverse_->setStyleSheet(sideButton(theme.text, false));  // also waits for the arm toggle
    showBanner();
}

void TradingPanel::showBanner() {
    const bool show = available_ && (!armedState_ || kill_ == Kill::Sent);
    banner_->setVisible(show);
    if (!show) {
        banner_->clear();
        return;
    }
    if (kill_ != Kill::None) {
        banner_->setText(tr("KILLED — orders cancelled, trading disarmed. Tick Armed to trade."));
        banner_->setStyleSheet(QString("QLabel { background: %1; color: white; font-weight: bold;"
                                       " padding: 4px; }")
                                   .arg(theme_.sell.name()));
    } else {
        banner_->setText(tr("DISARMED — no order leaves. Tick Armed to trade."));
        banner_->setStyleSheet(QString("QLabel { color: %1; border: 1px solid %1; "
                                       "font-weight: bold; padding: 4px; }")
                                   .arg(theme_.lastTrade.name()));
    }
}

void TradingPanel::noteKilled() {
    kill_ = Kill::Sent;
    showBanner();
}

void TradingPanel::noteActionSent() {
    // The next state's refusal, if any, is the answer to this action: shown afresh.
    deskMessage_.clear();
    messageStale_ = false;
}

void TradingPanel::setMessageTimeoutMs(int ms) {
    messageTimer_->setInterval(ms);
}

QString TradingPanel::bannerText() const {
    return banner_->isVisibleTo(const_cast<TradingPanel*>(this)) ? banner_->text() : QString();
}

void TradingPanel::setState(const InstrumentInfo& instrument, const trading::TradingState& s) {
    for (QWidget* w : std::initializer_list<QWidget*>{armed_, cancelAll_, flatten_})
        w->setEnabled(s.available);
    {
        QSignalBlocker block(armed_);
        armed_->setChecked(s.armed);
    }
    // What sends a new order waits for the arm toggle; cancels and flatten never do.
    for (QWidget* w : std::initializer_list<QWidget*>{buy_, sell_, joinBid_, joinAsk_, reverse_})
        w->setEnabled(s.available && s.armed);
    reverse_->setEnabled(reverse_->isEnabled() && s.positionQty != 0);
    if (kill_ == Kill::Sent && s.available && !s.armed) kill_ = Kill::Shown;
    if (kill_ == Kill::Shown && s.armed) kill_ = Kill::None;
    const bool armedNow = s.armed && !armedState_;
    available_ = s.available;
    armedState_ = s.armed;
    showBanner();
    if (instrument.symbol != instrument_.symbol || instrument.venue != instrument_.venue ||
        instrument.lot.mantissa != instrument_.lot.mantissa ||
        instrument.lot.decimals != instrument_.lot.decimals) {
        instrument_ = instrument;
        labelPresets();
    }
    if (!s.available) {
        position_->setText(tr("This venue takes no orders"));
        pnl_->clear();
        working_->clear();
        message_->clear();
        fills_->clear();
        return;
    }
    const Instrument inst = instrument.instrument();
    position_->setText(s.positionQty == 0 ? tr("Position: flat")
                                          : tr("Position: %1 %2 @ %3")
                                                .arg(s.positionQty > 0 ? tr("long") : tr("short"))
                                                .arg(QString::fromStdString(
                                                    inst.formatSize(std::llabs(s.positionQty))))
                                                .arg(inst.toPrice(1) * s.averagePriceTicks, 0, 'f',
                                                     inst.tickSize().decimals + 1));
    pnl_->setText(tr("P&L: realised %1 · open %2 · fees %3")
                      .arg(money(s.realisedQuote), money(s.unrealisedQuote), money(-s.feesQuote)));
    // A stop held locally is not at the venue: counted apart, so the trader knows it needs
    // Flowscope running.
    const auto local = static_cast<int>(std::count_if(s.orders.begin(), s.orders.end(),
                                                      [](const auto& o) { return o.heldLocally; }));
    QString working = tr("%n working order(s)", nullptr, static_cast<int>(s.orders.size()) - local);
    if (local > 0) working += tr(", %n local stop(s)", nullptr, local);
    working_->setText(working);
    // A refusal shows until it times out, the trader arms, or the next action leaves; the
    // desk keeps it until its next accepted order, which may be long after it stopped being news.
    if (s.lastMessage != deskMessage_) {
        deskMessage_ = s.lastMessage;
        messageStale_ = false;
        if (!deskMessage_.empty()) messageTimer_->start();
    }
    // Arming answers any refusal made while disarmed ("not armed", the kill switch's).
    if (armedNow) messageStale_ = true;
    message_->setText(deskMessage_.empty() || messageStale_
                          ? QString()
                          : tr("Blocked: %1").arg(QString::fromStdString(deskMessage_)));
    // Rebuilt only when a fill arrived, not at every frame.
    const bool sameFills =
        static_cast<std::size_t>(fills_->count()) == s.lastFills.size() &&
        (s.lastFills.empty() ||
         fills_->item(0)->data(Qt::UserRole).toLongLong() == s.lastFills.front().timeNs);
    if (sameFills) return;
    fills_->clear();
    for (const trading::FillRecord& f : s.lastFills)
        fills_->addItem(tr("%1 %2 @ %3")
                            .arg(f.side == Side::Bid ? tr("bought") : tr("sold"))
                            .arg(QString::fromStdString(inst.formatSize(f.qty)))
                            .arg(QString::fromStdString(inst.formatPrice(f.priceTicks))));
    if (fills_->count())
        fills_->item(0)->setData(Qt::UserRole, static_cast<qlonglong>(s.lastFills.front().timeNs));
}

QString TradingPanel::positionText() const {
    return position_->text();
}
QString TradingPanel::pnlText() const {
    return pnl_->text();
}
QString TradingPanel::messageText() const {
    return message_->text();
}

trading::BracketSpec TradingPanel::bracket() const {
    if (!bracketOn_->isChecked()) return {};
    return {takeProfitTicks_->value(), stopLossTicks_->value()};
}

bool TradingPanel::bracketEnabled() const {
    return !bracket().empty();
}

void TradingPanel::setBracket(bool enabled, int takeProfitTicks, int stopLossTicks) {
    const QSignalBlocker a(bracketOn_), b(takeProfitTicks_), c(stopLossTicks_);
    bracketOn_->setChecked(enabled);
    takeProfitTicks_->setValue(takeProfitTicks);
    stopLossTicks_->setValue(stopLossTicks);
}

void TradingPanel::requestMarketOrder(Side side) {
    const trading::BracketSpec spec = bracket();
    if (spec.empty())
        emit marketOrder(side);
    else
        emit bracketMarketOrder(side, spec);
}

void TradingPanel::emitBracketSettings() {
    emit bracketSettingsChanged(bracketOn_->isChecked(), takeProfitTicks_->value(),
                                stopLossTicks_->value());
}

void TradingPanel::setSizePresets(const std::vector<Lots>& presets) {
    sizePresets_.clear();
    for (Lots lots : presets)
        if (lots > 0 && sizePresets_.size() < static_cast<std::size_t>(kMaxSizePresets))
            sizePresets_.push_back(lots);
    labelPresets();
}

void TradingPanel::labelPresets() {
    const Instrument inst = instrument_.instrument();
    const bool known = !instrument_.symbol.empty();
    for (std::size_t i = 0; i < presetButtons_.size(); ++i) {
        QPushButton* b = presetButtons_[i];
        b->setVisible(i < sizePresets_.size());
        if (i >= sizePresets_.size()) continue;
        const Lots lots = sizePresets_[i];
        // In the instrument's units once it is known; lots before that.
        b->setText(known ? QString::fromStdString(inst.formatSize(lots)) : tr("%1 lots").arg(lots));
        b->setToolTip(tr("Order size %1 (preset %2)").arg(b->text()).arg(i + 1));
    }
}

const QStringList& TradingPanel::confirmableActions() {
    static const QStringList names{"buyMarket",   "sellMarket", "joinBid", "joinAsk",
                                   "ladderOrder", "reverse",    "flatten", "cancelAll"};
    return names;
}

void TradingPanel::setConfirmedActions(const QStringList& names) {
    for (QAction* a : confirm_->menu()->actions()) {
        const QSignalBlocker block(a);
        a->setChecked(names.contains(a->data().toString()));
    }
}

QStringList TradingPanel::confirmedActions() const {
    QStringList names;
    for (QAction* a : confirm_->menu()->actions())
        if (a->isChecked()) names << a->data().toString();
    return names;
}

bool TradingPanel::confirms(const QString& action) const {
    return confirmedActions().contains(action);
}

}  // namespace flowscope
