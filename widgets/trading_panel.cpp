#include "trading_panel.h"

#include <QCheckBox>
#include <QGridLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSignalBlocker>

namespace flowscope {
namespace {

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
    cancelAll_ = new QPushButton(tr("Cancel all"), this);
    cancelAll_->setObjectName("cancelAll");
    flatten_ = new QPushButton(tr("Flatten"), this);
    flatten_->setObjectName("flatten");
    flatten_->setToolTip(tr("Cancel all working orders and close the position at market"));
    position_ = new QLabel(this);
    position_->setObjectName("position");
    pnl_ = new QLabel(this);
    pnl_->setObjectName("pnl");
    working_ = new QLabel(this);
    message_ = new QLabel(this);
    message_->setObjectName("message");
    message_->setWordWrap(true);
    fills_ = new QListWidget(this);
    fills_->setObjectName("fills");
    grid->addWidget(armed_, 0, 0);
    grid->addWidget(working_, 0, 1);
    grid->addWidget(buy_, 1, 0);
    grid->addWidget(sell_, 1, 1);
    grid->addWidget(cancelAll_, 2, 0);
    grid->addWidget(flatten_, 2, 1);
    grid->addWidget(position_, 3, 0, 1, 2);
    grid->addWidget(pnl_, 4, 0, 1, 2);
    grid->addWidget(message_, 5, 0, 1, 2);
    grid->addWidget(new QLabel(tr("Last fills"), this), 6, 0, 1, 2);
    grid->addWidget(fills_, 7, 0, 1, 2);
    connect(armed_, &QCheckBox::toggled, this, &TradingPanel::armedChanged);
    connect(buy_, &QPushButton::clicked, this, [this] { emit marketOrder(Side::Bid); });
    connect(sell_, &QPushButton::clicked, this, [this] { emit marketOrder(Side::Ask); });
    connect(cancelAll_, &QPushButton::clicked, this, &TradingPanel::cancelAllRequested);
    connect(flatten_, &QPushButton::clicked, this, &TradingPanel::flattenRequested);
    setState({}, {});
}

void TradingPanel::setTheme(const Theme& theme) {
    theme_ = theme;
    buy_->setStyleSheet(
        QString("QPushButton { color: %1; font-weight: bold; }").arg(theme.buy.name()));
    sell_->setStyleSheet(
        QString("QPushButton { color: %1; font-weight: bold; }").arg(theme.sell.name()));
    message_->setStyleSheet(QString("QLabel { color: %1; }").arg(theme.sell.name()));
}

void TradingPanel::setState(const InstrumentInfo& instrument, const trading::TradingState& s) {
    for (QWidget* w : std::initializer_list<QWidget*>{armed_, buy_, sell_, cancelAll_, flatten_})
        w->setEnabled(s.available);
    {
        QSignalBlocker block(armed_);
        armed_->setChecked(s.armed);
    }
    buy_->setEnabled(s.available && s.armed);
    sell_->setEnabled(s.available && s.armed);
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
    working_->setText(tr("%n working order(s)", nullptr, static_cast<int>(s.orders.size())));
    message_->setText(s.lastMessage.empty()
                          ? QString()
                          : tr("Blocked: %1").arg(QString::fromStdString(s.lastMessage)));
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

}  // namespace flowscope
