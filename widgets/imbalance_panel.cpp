#include "imbalance_panel.h"

#include <qcustomplot.h>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

#include "signal_gauges.h"

namespace flowscope {

ImbalancePanel::ImbalancePanel(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->setSpacing(4);
    auto* header = new QHBoxLayout;
    header->addWidget(new QLabel(tr("Window"), this));
    windowBox_ = new QComboBox(this);
    windowBox_->setObjectName("windowBox");
    header->addWidget(windowBox_);
    header->addStretch(1);
    layout->addLayout(header);
    gauges_ = new SignalGauges(this);
    layout->addWidget(gauges_);
    plot_ = new QCustomPlot(this);
    plot_->setMinimumHeight(140);
    plot_->setNotAntialiasedElements(QCP::aeAll);  // crisp bars, cheaper repaints
    ofiBars_ = new QCPBars(plot_->xAxis, plot_->yAxis);
    ofiBars_->setWidth(static_cast<double>(kSampleNs) / 1e9 * 0.8);
    ofiBars_->setName(tr("OFI"));
    mlofiLine_ = plot_->addGraph(plot_->xAxis, plot_->yAxis);
    mlofiLine_->setName(tr("Multi-level OFI"));
    cvdLine_ = plot_->addGraph(plot_->xAxis, plot_->yAxis2);
    cvdLine_->setName(tr("Cum. delta"));
    plot_->yAxis2->setVisible(true);
    auto ticker = QSharedPointer<QCPAxisTickerDateTime>::create();
    ticker->setDateTimeFormat("HH:mm:ss");
    plot_->xAxis->setTicker(ticker);
    plot_->legend->setVisible(true);
    plot_->legend->setFont(QFont(font().family(), 8));
    plot_->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignLeft);
    layout->addWidget(plot_, 1);
    connect(windowBox_, &QComboBox::currentIndexChanged, this, [this](int i) {
        if (i >= 0 && static_cast<std::size_t>(i) < choiceToWindow_.size())
            setWindow(choiceToWindow_[i]);
    });
    setTheme(theme_);
}

void ImbalancePanel::setTheme(const Theme& theme) {
    theme_ = theme;
    gauges_->setTheme(theme);
    plot_->setBackground(theme.base);
    for (QCPAxis* axis : {plot_->xAxis, plot_->yAxis, plot_->yAxis2}) {
        axis->setBasePen(QPen(theme.grid));
        axis->setTickPen(QPen(theme.grid));
        axis->setSubTickPen(QPen(theme.grid));
        axis->setTickLabelColor(theme.mutedText);
        axis->setLabelColor(theme.mutedText);
        axis->grid()->setPen(QPen(theme.grid, 0, Qt::DotLine));
    }
    plot_->yAxis->setLabel(tr("OFI"));
    plot_->yAxis2->setLabel(tr("Cum. delta"));
    plot_->legend->setBrush(theme.window);
    plot_->legend->setTextColor(theme.text);
    plot_->legend->setBorderPen(QPen(theme.grid));
    ofiBars_->setPen(Qt::NoPen);
    ofiBars_->setBrush(theme.bid);
    mlofiLine_->setPen(QPen(theme.microPrice, 1.5));
    cvdLine_->setPen(QPen(theme.lastTrade, 1.5));
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void ImbalancePanel::rebuildWindowChoices(const MarketSnapshot& s) {
    QSignalBlocker block(windowBox_);
    windowBox_->clear();
    choiceToWindow_.clear();
    for (std::size_t i = 0; i < s.windows.size(); ++i) {
        if (s.windows[i].clock != WindowSpec::Clock::Time) continue;  // clock windows read best
        choiceToWindow_.push_back(i);
        windowBox_->addItem(QString::fromStdString(s.windows[i].label()));
        if (i == window_) windowBox_->setCurrentIndex(windowBox_->count() - 1);
    }
}

void ImbalancePanel::setWindow(std::size_t index) {
    if (index == window_) return;
    window_ = index;
    for (std::size_t c = 0; c < choiceToWindow_.size(); ++c)
        if (choiceToWindow_[c] == index) {
            QSignalBlocker block(windowBox_);
            windowBox_->setCurrentIndex(static_cast<int>(c));
        }
    if (snapshot_) gauges_->setRows(gaugeRows(*snapshot_, window_));
    chartDirty_ = true;
    refreshChart();
    emit windowChanged(index);
}

void ImbalancePanel::setSnapshot(std::shared_ptr<const MarketSnapshot> snapshot) {
    if (!snapshot || (snapshot_ && snapshot_->serial == snapshot->serial)) return;
    const bool firstOrNewInstrument =
        !snapshot_ || snapshot_->instrument.displayName() != snapshot->instrument.displayName();
    snapshot_ = std::move(snapshot);
    const MarketSnapshot& s = *snapshot_;
    if (firstOrNewInstrument) {
        history_.clear();
        if (window_ >= s.windows.size()) window_ = 0;
        rebuildWindowChoices(s);
        lotSize_ = s.instrument.lot.value();
    }
    gauges_->setRows(gaugeRows(s, window_));
    // One history sample per fixed slice of event time.
    const TimeNs slice = s.eventTimeNs / kSampleNs * kSampleNs;
    if (history_.empty() || slice > history_.back().timeNs) {
        Sample sample{slice, {}, {}, s.imbalance.cumulativeDelta};
        for (std::size_t w = 0; w < s.imbalance.windowCount; ++w) {
            sample.ofi.push_back(s.imbalance.windows[w].ofi);
            sample.mlofi.push_back(s.imbalance.windows[w].mlofi);
        }
        history_.push_back(std::move(sample));
        while (history_.size() > kMaxSamples)
            history_.pop_front();
        chartDirty_ = true;
        refreshChart();
    }
}

void ImbalancePanel::refreshChart() {
    if (!chartDirty_) return;
    chartDirty_ = false;
    QVector<double> keys, ofi, mlofi, cvd;
    keys.reserve(static_cast<int>(history_.size()));
    for (const Sample& s : history_) {
        if (window_ >= s.ofi.size()) continue;
        keys.push_back(static_cast<double>(s.timeNs) / 1e9);
        ofi.push_back(static_cast<double>(s.ofi[window_]) * lotSize_);
        mlofi.push_back(static_cast<double>(s.mlofi[window_]) * lotSize_);
        cvd.push_back(static_cast<double>(s.cvd) * lotSize_);
    }
    ofiBars_->setData(keys, ofi, true);
    mlofiLine_->setData(keys, mlofi, true);
    cvdLine_->setData(keys, cvd, true);
    if (!keys.isEmpty()) {
        plot_->xAxis->setRange(keys.back() - static_cast<double>(kMaxSamples) * kSampleNs / 1e9 / 2,
                               keys.back() + 1);
        bool found = false;
        plot_->yAxis->setRange(
            mlofiLine_->getValueRange(found).expanded(ofiBars_->getValueRange(found)));
        plot_->yAxis2->setRange(cvdLine_->getValueRange(found));
        plot_->yAxis->scaleRange(1.1);
        plot_->yAxis2->scaleRange(1.1);
    }
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

}  // namespace flowscope
