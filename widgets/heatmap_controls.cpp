#include "heatmap_controls.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QSettings>
#include <QSpinBox>

namespace flowscope {

HeatmapControls::HeatmapControls(QWidget* parent) : QWidget(parent) {
    auto* form = new QFormLayout(this);
    form->setContentsMargins(6, 6, 6, 6);
    scale_ = new QComboBox(this);
    scale_->setObjectName("scale");
    scale_->addItem(tr("Linear"));
    scale_->addItem(tr("Logarithmic"));
    scale_->setToolTip(tr("Log shows thin and thick liquidity together"));
    contrast_ = new QDoubleSpinBox(this);
    contrast_->setObjectName("contrast");
    contrast_->setRange(0.2, 5.0);
    contrast_->setSingleStep(0.1);
    contrast_->setToolTip(tr("Gamma of the colour gradient: above 1 lifts thin liquidity"));
    percentile_ = new QDoubleSpinBox(this);
    percentile_->setObjectName("percentile");
    percentile_->setRange(50.0, 100.0);
    percentile_->setSingleStep(0.5);
    percentile_->setSuffix(" %");
    percentile_->setToolTip(
        tr("Sizes above this percentile of what is on screen get the top colour"));
    minTrade_ = new QSpinBox(this);
    minTrade_->setObjectName("minTrade");
    minTrade_->setRange(0, 100'000'000);
    minTrade_->setSuffix(tr(" lots"));
    minTrade_->setToolTip(tr("Trades smaller than this are not drawn as bubbles"));
    largeOrder_ = new QSpinBox(this);
    largeOrder_->setObjectName("largeOrder");
    largeOrder_->setRange(static_cast<int>(HeatmapWidget::kAutoLargeOrders), 100'000'000);
    largeOrder_->setSuffix(tr(" lots"));
    largeOrder_->setSpecialValueText(tr("auto"));
    largeOrder_->setToolTip(
        tr("Resting orders at least this large are outlined; 0 = off, "
           "auto = ten times the median price group on screen"));
    ofi_ = new QCheckBox(tr("Show level-1 OFI"), this);
    ofi_->setObjectName("ofi");
    form->addRow(tr("Colour scale"), scale_);
    form->addRow(tr("Contrast"), contrast_);
    form->addRow(tr("Clamp at"), percentile_);
    form->addRow(tr("Min. trade"), minTrade_);
    form->addRow(tr("Large orders"), largeOrder_);
    form->addRow(tr("Overlay"), ofi_);
    setValues({});
    const auto emitChanged = [this] {
        if (!updating_) emit changed(values());
    };
    connect(scale_, &QComboBox::currentIndexChanged, this, emitChanged);
    connect(contrast_, &QDoubleSpinBox::valueChanged, this, emitChanged);
    connect(percentile_, &QDoubleSpinBox::valueChanged, this, emitChanged);
    connect(minTrade_, &QSpinBox::valueChanged, this, emitChanged);
    connect(largeOrder_, &QSpinBox::valueChanged, this, emitChanged);
    connect(ofi_, &QCheckBox::toggled, this, emitChanged);
}

HeatmapControlValues HeatmapControls::values() const {
    HeatmapControlValues v;
    v.color.scale = scale_->currentIndex() == 1 ? HeatmapColorSettings::Scale::Log
                                                : HeatmapColorSettings::Scale::Linear;
    v.color.contrast = contrast_->value();
    v.color.upperPercentile = percentile_->value();
    v.minTradeSize = minTrade_->value();
    v.largeOrderThreshold = largeOrder_->value();
    v.ofiOverlay = ofi_->isChecked();
    return v;
}

void HeatmapControls::setValues(const HeatmapControlValues& v) {
    updating_ = true;
    scale_->setCurrentIndex(v.color.scale == HeatmapColorSettings::Scale::Log ? 1 : 0);
    contrast_->setValue(v.color.contrast);
    percentile_->setValue(v.color.upperPercentile);
    minTrade_->setValue(static_cast<int>(std::min<Lots>(v.minTradeSize, 100'000'000)));
    largeOrder_->setValue(static_cast<int>(std::min<Lots>(v.largeOrderThreshold, 100'000'000)));
    ofi_->setChecked(v.ofiOverlay);
    updating_ = false;
}

void applyHeatmapControls(HeatmapWidget& heatmap, const HeatmapControlValues& v) {
    heatmap.setColorSettings(v.color);
    heatmap.setMinTradeSize(v.minTradeSize);
    heatmap.setLargeOrderThreshold(v.largeOrderThreshold);
    heatmap.setOfiOverlayVisible(v.ofiOverlay);
}

HeatmapControlValues loadHeatmapControls(const QSettings& settings,
                                         const HeatmapControlValues& defaults) {
    HeatmapControlValues v = defaults;
    const QString scale = settings.value("heatmap/scale").toString();
    if (scale == "log") v.color.scale = HeatmapColorSettings::Scale::Log;
    if (scale == "linear") v.color.scale = HeatmapColorSettings::Scale::Linear;
    v.color.contrast = settings.value("heatmap/contrast", v.color.contrast).toDouble();
    v.color.upperPercentile =
        settings.value("heatmap/clampPercentile", v.color.upperPercentile).toDouble();
    v.minTradeSize =
        settings.value("heatmap/minTradeLots", static_cast<qlonglong>(v.minTradeSize)).toLongLong();
    v.largeOrderThreshold =
        settings.value("heatmap/largeOrderLots", static_cast<qlonglong>(v.largeOrderThreshold))
            .toLongLong();
    v.ofiOverlay = settings.value("heatmap/ofiOverlay", v.ofiOverlay).toBool();
    return v;
}

void saveHeatmapControls(QSettings& settings, const HeatmapControlValues& v) {
    settings.setValue("heatmap/scale",
                      v.color.scale == HeatmapColorSettings::Scale::Log ? "log" : "linear");
    settings.setValue("heatmap/contrast", v.color.contrast);
    settings.setValue("heatmap/clampPercentile", v.color.upperPercentile);
    settings.setValue("heatmap/minTradeLots", static_cast<qlonglong>(v.minTradeSize));
    settings.setValue("heatmap/largeOrderLots", static_cast<qlonglong>(v.largeOrderThreshold));
    settings.setValue("heatmap/ofiOverlay", v.ofiOverlay);
}

}  // namespace flowscope
