#include "imbalance_heatmap_controls.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSettings>
#include <QSpinBox>
#include <algorithm>
#include <cmath>

namespace flowscope {

namespace {

const char* const kMeasureKeys[] = {"ofiZ", "queue", "depth"};

}  // namespace

QString measureName(ImbalanceMeasure measure) {
    switch (measure) {
        case ImbalanceMeasure::OfiZScore:
            return QObject::tr("MLOFI z-score");
        case ImbalanceMeasure::QueueImbalance:
            return QObject::tr("Queue imbalance");
        case ImbalanceMeasure::DepthImbalance:
            return QObject::tr("Depth imbalance 1..m");
    }
    return {};
}

ImbalanceHeatmapControls::ImbalanceHeatmapControls(QWidget* parent) : QWidget(parent) {
    auto* row = new QHBoxLayout(this);
    row->setContentsMargins(6, 2, 6, 2);
    measure_ = new QComboBox(this);
    measure_->setObjectName("imbalanceMeasure");
    for (auto m : {ImbalanceMeasure::OfiZScore, ImbalanceMeasure::QueueImbalance,
                   ImbalanceMeasure::DepthImbalance})
        measure_->addItem(measureName(m));
    measure_->setToolTip(
        tr("MLOFI z-score: order flow at each level against its last minute\n"
           "Queue imbalance: (bid_m - ask_m) / (bid_m + ask_m)\n"
           "Depth imbalance: the same over levels 1..m summed"));
    levels_ = new QSpinBox(this);
    levels_->setObjectName("imbalanceLevels");
    levels_->setRange(ImbalanceHeatmapSettings::kMinLevels, ImbalanceHeatmapModel::kMaxLevels);
    levels_->setToolTip(tr("Book levels shown, from the touch down"));
    clamp_ = new QDoubleSpinBox(this);
    clamp_->setObjectName("imbalanceClamp");
    clamp_->setPrefix(QStringLiteral("\u00b1"));
    clamp_->setToolTip(tr("Values beyond this take the strongest colour"));
    auto* title = new QLabel(tr("Imbalance by level"), this);
    QFont bold = title->font();
    bold.setBold(true);
    title->setFont(bold);
    row->addWidget(title);
    row->addStretch(1);
    row->addWidget(new QLabel(tr("Cells"), this));
    row->addWidget(measure_);
    row->addWidget(new QLabel(tr("Levels"), this));
    row->addWidget(levels_);
    row->addWidget(new QLabel(tr("Clamp"), this));
    row->addWidget(clamp_);
    showValues();
    connect(measure_, &QComboBox::currentIndexChanged, this, [this] { onEdited(); });
    connect(levels_, &QSpinBox::valueChanged, this, [this] { onEdited(); });
    connect(clamp_, &QDoubleSpinBox::valueChanged, this, [this] { onEdited(); });
}

void ImbalanceHeatmapControls::setValues(const ImbalanceHeatmapSettings& values) {
    values_ = values;
    showValues();
}

void ImbalanceHeatmapControls::showValues() {
    updating_ = true;
    measure_->setCurrentIndex(static_cast<int>(values_.measure));
    levels_->setValue(values_.levels);
    // The clamp shown is the current measure's: sigmas, or a share of the book.
    const bool z = values_.measure == ImbalanceMeasure::OfiZScore;
    clamp_->setDecimals(z ? 1 : 2);
    clamp_->setRange(z ? 0.5 : 0.05, z ? 20.0 : 1.0);
    clamp_->setSingleStep(z ? 0.5 : 0.05);
    clamp_->setSuffix(z ? QStringLiteral(" \u03c3") : QString());
    clamp_->setValue(values_.clamp());
    updating_ = false;
}

void ImbalanceHeatmapControls::onEdited() {
    if (updating_) return;
    const auto measure = static_cast<ImbalanceMeasure>(measure_->currentIndex());
    if (measure != values_.measure) {
        values_.measure = measure;
        showValues();  // the clamp box switches to this measure's clamp
    } else {
        (measure == ImbalanceMeasure::OfiZScore ? values_.zClamp : values_.ratioClamp) =
            clamp_->value();
    }
    values_.levels = levels_->value();
    emit changed(values_);
}

ImbalanceHeatmapSettings loadImbalanceHeatmapSettings(const QSettings& settings,
                                                      const ImbalanceHeatmapSettings& defaults) {
    ImbalanceHeatmapSettings v = defaults;
    const QString key = settings.value("imbalanceHeatmap/measure").toString();
    for (int i = 0; i < 3; ++i)
        if (key == QLatin1String(kMeasureKeys[i])) v.measure = static_cast<ImbalanceMeasure>(i);
    v.levels = std::clamp(settings.value("imbalanceHeatmap/levels", v.levels).toInt(),
                          ImbalanceHeatmapSettings::kMinLevels, ImbalanceHeatmapModel::kMaxLevels);
    // A hand-edited file may say anything: keep clamps positive and in the controls' ranges.
    v.zClamp =
        std::clamp(settings.value("imbalanceHeatmap/zClamp", v.zClamp).toDouble(), 0.5, 20.0);
    v.ratioClamp = std::clamp(
        settings.value("imbalanceHeatmap/ratioClamp", v.ratioClamp).toDouble(), 0.05, 1.0);
    if (std::isnan(v.zClamp)) v.zClamp = defaults.zClamp;
    if (std::isnan(v.ratioClamp)) v.ratioClamp = defaults.ratioClamp;
    return v;
}

void saveImbalanceHeatmapSettings(QSettings& settings, const ImbalanceHeatmapSettings& v) {
    settings.setValue("imbalanceHeatmap/measure",
                      QLatin1String(kMeasureKeys[static_cast<int>(v.measure)]));
    settings.setValue("imbalanceHeatmap/levels", v.levels);
    settings.setValue("imbalanceHeatmap/zClamp", v.zClamp);
    settings.setValue("imbalanceHeatmap/ratioClamp", v.ratioClamp);
}

}  // namespace flowscope
