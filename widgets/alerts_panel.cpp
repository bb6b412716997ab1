#include "alerts_panel.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSignalBlocker>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <numbers>

#include "feed/feed_thread.h"

namespace flowscope {
namespace {

enum Column { kTime, kRule, kAction, kValues, kOutcome, kColumns };

constexpr int kPulseTickMs = 50;
constexpr int kCountdownTickMs = 250;
constexpr int kPulsePeriodMs = 1000;

QString actionText(AlertActionKind kind) {
    switch (kind) {
        case AlertActionKind::Alert:
            return QObject::tr("alert");
        case AlertActionKind::Propose:
            return QObject::tr("propose");
        case AlertActionKind::Auto:
            return QObject::tr("auto");
    }
    return {};
}

QString eventTimeText(TimeNs t) {
    return QDateTime::fromMSecsSinceEpoch(t / 1'000'000, Qt::UTC).toString("HH:mm:ss.zzz");
}

}  // namespace

AlertsPanel::AlertsPanel(QWidget* parent) : QWidget(parent), now_([] { return steadyNowNs(); }) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);

    auto* top = new QHBoxLayout;
    semiAuto_ = new QPushButton(this);
    semiAuto_->setObjectName("semiAuto");
    semiAuto_->setCheckable(true);
    semiAuto_->setToolTip(
        tr("When on, 'auto' rules submit orders themselves, within the risk "
           "limits and each rule's budget. One click switches it off."));
    rules_ = new QLabel(this);
    rules_->setObjectName("ruleCount");
    mute_ = new QPushButton(tr("Mute"), this);
    mute_->setObjectName("mute");
    mute_->setCheckable(true);
    mute_->setToolTip(tr("No alert sound or desktop notification; firings are still listed"));
    editRules_ = new QPushButton(tr("Edit rules…"), this);
    editRules_->setObjectName("editRules");
    top->addWidget(semiAuto_);
    top->addWidget(rules_, 1);
    top->addWidget(mute_);
    top->addWidget(editRules_);
    layout->addLayout(top);

    error_ = new QLabel(this);
    error_->setObjectName("deskError");
    error_->setWordWrap(true);
    error_->hide();
    layout->addWidget(error_);

    ticketBox_ = new QWidget(this);
    ticketBox_->setObjectName("tickets");
    ticketLayout_ = new QVBoxLayout(ticketBox_);
    ticketLayout_->setContentsMargins(0, 0, 0, 0);
    ticketBox_->hide();
    layout->addWidget(ticketBox_);

    table_ = new QTableWidget(0, kColumns, this);
    table_->setObjectName("firings");
    table_->setHorizontalHeaderLabels(
        {tr("Time (UTC)"), tr("Rule"), tr("Action"), tr("Signals"), tr("Outcome")});
    table_->verticalHeader()->hide();
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->horizontalHeader()->setStretchLastSection(true);
    table_->horizontalHeader()->setSectionResizeMode(kValues, QHeaderView::Interactive);
    layout->addWidget(table_, 1);

    // Both timers run only while there is something to animate, so an idle panel costs nothing.
    flashTimer_ = new QTimer(this);
    flashTimer_->setInterval(kPulseTickMs);
    connect(flashTimer_, &QTimer::timeout, this, &AlertsPanel::pulse);
    countdownTimer_ = new QTimer(this);
    countdownTimer_->setInterval(kCountdownTickMs);
    connect(countdownTimer_, &QTimer::timeout, this, &AlertsPanel::refreshTickets);

    connect(semiAuto_, &QPushButton::clicked, this, [this](bool on) {
        styleSwitch();
        emit semiAutomaticToggled(on);
    });
    connect(mute_, &QPushButton::clicked, this, &AlertsPanel::muteToggled);
    connect(editRules_, &QPushButton::clicked, this, &AlertsPanel::editRulesRequested);
    setDeskState({});
}

void AlertsPanel::setTheme(const Theme& theme) {
    theme_ = theme;
    styleSwitch();
    error_->setStyleSheet(QString("QLabel { color: %1; }").arg(theme.sell.name()));
}

void AlertsPanel::setInstrument(const Instrument& instrument) {
    // Called with every snapshot; only a different instrument changes the tickets.
    const auto same = [](DecimalStep a, DecimalStep b) {
        return a.mantissa == b.mantissa && a.decimals == b.decimals;
    };
    if (instrument_ && instrument_->symbol() == instrument.symbol() &&
        same(instrument_->tickSize(), instrument.tickSize()) &&
        same(instrument_->lotSize(), instrument.lotSize()))
        return;
    instrument_ = instrument;
    refreshTickets();
}

void AlertsPanel::setClock(std::function<TimeNs()> steadyNowNs) {
    now_ = std::move(steadyNowNs);
    refreshTickets();
}

void AlertsPanel::addRecords(const std::vector<AlertRecord>& records) {
    // A burst larger than the table keeps only what the table can show.
    const std::size_t skip = records.size() > kMaxRows ? records.size() - kMaxRows : 0;
    for (std::size_t i = skip; i < records.size(); ++i) {
        const AlertRecord& r = records[i];
        table_->insertRow(0);
        const QString texts[kColumns] = {
            eventTimeText(r.eventTimeNs), QString::fromStdString(r.ruleName), actionText(r.action),
            QString::fromStdString(r.values), QString::fromStdString(r.outcome)};
        for (int c = 0; c < kColumns; ++c) {
            auto* item = new QTableWidgetItem(texts[c]);
            if (c == kOutcome && r.orderSent) item->setForeground(theme_.buy);
            if (c == kOutcome && r.outcome.starts_with("blocked")) item->setForeground(theme_.sell);
            table_->setItem(0, c, item);
        }
        table_->item(0, kTime)->setData(Qt::UserRole, static_cast<qulonglong>(r.sequence));
        flashing_.push_back({table_->item(0, kTime), {}});
        flashing_.back().age.start();
        dropOldestRows();
    }
    if (!flashing_.empty()) {
        pulse();
        flashTimer_->start();
    }
}

void AlertsPanel::dropOldestRows() {
    while (table_->rowCount() > kMaxRows) {
        QTableWidgetItem* anchor = table_->item(table_->rowCount() - 1, kTime);
        std::erase_if(flashing_, [anchor](const Flash& f) { return f.anchor == anchor; });
        table_->removeRow(table_->rowCount() - 1);
    }
}

void AlertsPanel::pulse() {
    const QColor base = theme_.lastTrade;
    std::erase_if(flashing_, [&](const Flash& f) {
        const int row = table_->row(f.anchor);
        const qint64 ms = f.age.elapsed();
        const bool done = ms >= flashMs_;
        QBrush brush;  // an empty brush gives the row its normal background back
        if (!done) {
            // A pulse that fades: bright at the start of each period, fainter as the row ages.
            const double phase = 2.0 * std::numbers::pi * static_cast<double>(ms) / kPulsePeriodMs;
            const double fade = 1.0 - static_cast<double>(ms) / flashMs_;
            QColor c = base;
            c.setAlphaF(static_cast<float>(0.15 + 0.45 * fade * (0.5 + 0.5 * std::cos(phase))));
            brush = QBrush(c);
        }
        for (int col = 0; row >= 0 && col < kColumns; ++col)
            table_->item(row, col)->setBackground(brush);
        return done;
    });
    if (flashing_.empty()) flashTimer_->stop();
}

void AlertsPanel::setDeskState(const AlertDeskState& state) {
    {
        QSignalBlocker block(semiAuto_);
        semiAuto_->setChecked(state.semiAutomatic);
    }
    styleSwitch();
    rules_->setText(tr("%n rule(s)", nullptr, state.rules));
    error_->setText(QString::fromStdString(state.lastError));
    error_->setVisible(!state.lastError.empty());

    std::erase_if(answered_, [&](quint64 id) {
        return std::none_of(state.proposals.begin(), state.proposals.end(),
                            [id](const OrderProposal& p) { return p.id == id; });
    });
    const bool same = std::equal(
        proposals_.begin(), proposals_.end(), state.proposals.begin(), state.proposals.end(),
        [](const OrderProposal& a, const OrderProposal& b) { return a.id == b.id; });
    proposals_ = state.proposals;
    // Rebuilt only when the set of tickets changed, not at every frame.
    if (!same) rebuildTickets();
}

void AlertsPanel::styleSwitch() {
    const bool on = semiAuto_->isChecked();
    const QString text = on ? tr("SEMI-AUTO ON") : tr("Semi-auto off");
    const QString style = on ? QString(
                                   "QPushButton { background: %1; color: white; font-weight: bold; "
                                   "padding: 3px 10px; border: 2px solid %2; }")
                                   .arg(theme_.sell.name(), theme_.lastTrade.name())
                             : QString();
    // setDeskState comes at every frame; a style sheet set again restyles the button again.
    if (semiAuto_->text() != text) semiAuto_->setText(text);
    if (semiAuto_->styleSheet() != style) semiAuto_->setStyleSheet(style);
}

void AlertsPanel::rebuildTickets() {
    for (Ticket& t : tickets_) {
        t.row->hide();
        t.row->deleteLater();  // a signal of one of its buttons may be on the stack
    }
    tickets_.clear();
    for (const OrderProposal& p : proposals_) {
        if (answered_.contains(p.id)) continue;
        Ticket t{p};
        t.row = new QWidget(ticketBox_);
        auto* h = new QHBoxLayout(t.row);
        h->setContentsMargins(0, 0, 0, 0);
        t.text = new QLabel(t.row);
        t.text->setObjectName("ticketText");
        t.confirm = new QPushButton(tr("Confirm"), t.row);
        t.confirm->setObjectName("confirm");
        auto* reject = new QPushButton(tr("Reject"), t.row);
        reject->setObjectName("reject");
        h->addWidget(t.text, 1);
        h->addWidget(t.confirm);
        h->addWidget(reject);
        const quint64 id = p.id;
        connect(t.confirm, &QPushButton::clicked, this, [this, id] { answer(id, true); });
        connect(reject, &QPushButton::clicked, this, [this, id] { answer(id, false); });
        ticketLayout_->addWidget(t.row);
        tickets_.push_back(t);
    }
    ticketBox_->setVisible(!tickets_.empty());
    refreshTickets();
}

void AlertsPanel::refreshTickets() {
    for (Ticket& t : tickets_) {
        t.text->setText(ticketText(t.proposal));
        t.confirm->setEnabled(t.proposal.expiresSteadyNs > now_());
    }
    if (tickets_.empty())
        countdownTimer_->stop();
    else if (!countdownTimer_->isActive())
        countdownTimer_->start();
}

QString AlertsPanel::ticketText(const OrderProposal& p) const {
    const QString size = instrument_ ? QString::fromStdString(instrument_->formatSize(p.qty))
                                     : QString::number(p.qty);
    const QString price =
        p.market ? tr("market")
                 : (instrument_ ? QString::fromStdString(instrument_->formatPrice(p.priceTicks))
                                : QString::number(p.priceTicks));
    const TimeNs leftNs = p.expiresSteadyNs - now_();
    // Whole seconds, rounded up: "1 s left" until the very end, then "expired".
    const QString left =
        leftNs > 0 ? tr("%1 s left").arg((leftNs + 999'999'999) / 1'000'000'000) : tr("expired");
    return tr("%1: %2 %3 @ %4 — %5")
        .arg(QString::fromStdString(p.ruleName), p.side == Side::Bid ? tr("BUY") : tr("SELL"), size,
             price, left);
}

void AlertsPanel::answer(quint64 id, bool confirmed) {
    answered_.insert(id);
    const auto it = std::find_if(tickets_.begin(), tickets_.end(),
                                 [id](const Ticket& t) { return t.proposal.id == id; });
    if (it != tickets_.end()) {
        // Later: the clicked button belongs to this row.
        it->row->hide();
        it->row->deleteLater();
        tickets_.erase(it);
    }
    ticketBox_->setVisible(!tickets_.empty());
    refreshTickets();
    if (confirmed)
        emit proposalConfirmed(id);
    else
        emit proposalRejected(id);
}

void AlertsPanel::confirmNewestProposal() {
    const TimeNs now = now_();
    for (auto it = tickets_.rbegin(); it != tickets_.rend(); ++it)
        if (it->proposal.expiresSteadyNs > now) return answer(it->proposal.id, true);
}

int AlertsPanel::rowCount() const {
    return table_->rowCount();
}

QString AlertsPanel::cellText(int row, int column) const {
    const QTableWidgetItem* item = table_->item(row, column);
    return item ? item->text() : QString();
}

void AlertsPanel::setMuted(bool muted) {
    QSignalBlocker block(mute_);
    mute_->setChecked(muted);
}

bool AlertsPanel::isMuted() const {
    return mute_->isChecked();
}

bool AlertsPanel::semiAutomatic() const {
    return semiAuto_->isChecked();
}

QStringList AlertsPanel::proposalTexts() const {
    QStringList texts;
    for (const Ticket& t : tickets_)
        texts << t.text->text();
    return texts;
}

}  // namespace flowscope
