#include "feed_status_bar.h"

#include <QFontMetrics>
#include <QLabel>
#include <QLocale>
#include <cmath>

namespace flowscope {
namespace {

QColor stateColour(FeedState s, const Theme& t) {
    switch (s) {
        case FeedState::Live:
            return t.buy;
        case FeedState::Connecting:
        case FeedState::Syncing:
        case FeedState::Resyncing:
            return t.lastTrade;
        case FeedState::Stale:
        case FeedState::Disconnected:
            return t.sell;
    }
    return t.mutedText;
}

}  // namespace

FeedStatusBar::FeedStatusBar(QWidget* parent) : QStatusBar(parent) {
    const auto make = [this](const char* name) {
        auto* l = new QLabel(this);
        l->setObjectName(name);
        l->setContentsMargins(6, 0, 6, 0);
        return l;
    };
    state_ = make("state");
    instrument_ = make("instrument");
    rate_ = make("rate");
    latency_ = make("latency");
    frames_ = make("frames");
    drops_ = make("drops");
    settings_ = make("settingsProblems");
    addWidget(state_);
    addWidget(instrument_);
    addPermanentWidget(settings_);
    addPermanentWidget(drops_);
    addPermanentWidget(rate_);
    addPermanentWidget(latency_);
    addPermanentWidget(frames_);
    drops_->hide();
    settings_->hide();
    // Fixed widths: a number that changes length must not re-layout the bar at every update.
    const QFontMetrics metrics(font());
    rate_->setMinimumWidth(metrics.horizontalAdvance("000,000 msg/s") + 12);
    latency_->setMinimumWidth(metrics.horizontalAdvance("feed latency n/a") + 12);
    frames_->setMinimumWidth(metrics.horizontalAdvance("00 fps · screen p99 00.0 ms") + 12);
    setFeedStatus({}, {});
}

void FeedStatusBar::setTheme(const Theme& theme) {
    theme_ = theme;
    setFeedStatus(instrumentInfo_, status_);
    setSettingsProblems(settingsProblems_);
}

void FeedStatusBar::setSettingsProblems(const QStringList& problems) {
    settingsProblems_ = problems;
    settings_->setVisible(!problems.isEmpty());
    settings_->setText(tr("settings: %n refused", nullptr, static_cast<int>(problems.size())));
    settings_->setStyleSheet(QString("QLabel { color: %1; }").arg(theme_.sell.name()));
    QString tip = tr("Refused settings values (the defaults are used):");
    for (const QString& p : problems)
        tip += "\n• " + p;
    settings_->setToolTip(problems.isEmpty() ? QString() : tip);
}

void FeedStatusBar::setFeedStatus(const InstrumentInfo& instrument, const FeedStatus& status) {
    instrumentInfo_ = instrument;
    status_ = status;
    QString text = QString::fromLatin1(describe(status.state)).toUpper();
    QColor colour = stateColour(status.state, theme_);
    if (status.finished) {
        // The end of a recording is not a lost connection: the book is the replay's last state.
        // The reason already starts with "replay finished"; only its count is repeated.
        const QString reason = QString::fromStdString(status.reason);
        const QString prefix = QStringLiteral("replay finished");
        const QString rest = reason.startsWith(prefix) ? reason.mid(prefix.size()) : reason;
        text = tr("REPLAY FINISHED");
        if (!rest.isEmpty()) text += " — " + (rest.startsWith(": ") ? rest.mid(2) : rest);
        colour = theme_.mutedText;
    } else if (paused_) {
        // The feed's own state is the one before the pause; it would read LIVE.
        text = tr("PAUSED");
        colour = theme_.lastTrade;
    } else if (!status.reason.empty()) {
        text += " — " + QString::fromStdString(status.reason);
    }
    // A socket the book does not need (Binance USD-M trades): shown beside a live state.
    if (!status.streamProblem.empty()) text += " · " + QString::fromStdString(status.streamProblem);
    state_->setText(text);
    state_->setStyleSheet(QString("QLabel { color: %1; font-weight: bold; }").arg(colour.name()));
    if (!instrument.symbol.empty())
        instrument_->setText(QString::fromStdString(instrument.displayName()));
    const QLocale locale;
    rate_->setText(tr("%1 msg/s").arg(locale.toString(status.messagesPerSecond, 'f', 0)));
    latency_->setText(std::isnan(status.feedLatencyMs)
                          ? tr("feed latency n/a")
                          : tr("feed %1 ms").arg(status.feedLatencyMs, 0, 'f', 1));
    latency_->setToolTip(tr("Receive time minus the venue's event time"));
    // A recording's receive stamps come from another machine and day: no latency to show.
    latency_->setVisible(!status.replay);
    const std::uint64_t dropped = status.droppedTrades + status.droppedColumns;
    drops_->setVisible(dropped > 0 || status.gaps > 0);
    drops_->setText(
        tr("gaps %1 · resyncs %2 · dropped %3").arg(status.gaps).arg(status.resyncs).arg(dropped));
}

void FeedStatusBar::setPaused(bool paused) {
    if (paused == paused_) return;
    paused_ = paused;
    setFeedStatus(instrumentInfo_, status_);
}

void FeedStatusBar::setFrameStats(const FrameStats& stats) {
    frames_->setText(tr("%1 fps · screen p99 %2 ms")
                         .arg(stats.framesPerSecond, 0, 'f', 0)
                         .arg(stats.feedToScreenP99Ms, 0, 'f', 1));
}

QString FeedStatusBar::stateText() const {
    return state_->text();
}
QString FeedStatusBar::rateText() const {
    return rate_->text();
}
QString FeedStatusBar::latencyText() const {
    return latency_->isVisibleTo(const_cast<FeedStatusBar*>(this)) ? latency_->text() : QString();
}
QString FeedStatusBar::dropsText() const {
    return drops_->isVisibleTo(const_cast<FeedStatusBar*>(this)) ? drops_->text() : QString();
}

}  // namespace flowscope
