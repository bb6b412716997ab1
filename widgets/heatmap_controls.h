#pragma once
/// The trader's controls of the heatmap: colour scale (linear/log), contrast, the percentile at
/// which colours saturate, the minimum trade size drawn as a bubble, the size above which a
/// resting order is outlined, and the OFI overlay. Emits every change; holds no heatmap state.

#include <QWidget>

#include "heatmap_widget.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QSettings;
class QSpinBox;

namespace flowscope {

struct HeatmapControlValues {
    HeatmapColorSettings color;
    Lots minTradeSize = 0;          ///< lots
    Lots largeOrderThreshold = -1;  ///< lots; 0 = off, -1 = auto (HeatmapWidget::kAutoLargeOrders)
    bool ofiOverlay = false;
    friend bool operator==(const HeatmapControlValues&, const HeatmapControlValues&) = default;
};

class HeatmapControls : public QWidget {
    Q_OBJECT
  public:
    explicit HeatmapControls(QWidget* parent = nullptr);
    HeatmapControlValues values() const;
    void setValues(const HeatmapControlValues& values);

  signals:
    void changed(const flowscope::HeatmapControlValues& values);

  private:
    QComboBox* scale_;
    QDoubleSpinBox* contrast_;
    QDoubleSpinBox* percentile_;
    QSpinBox* minTrade_;
    QSpinBox* largeOrder_;
    QCheckBox* ofi_;
    bool updating_ = false;
};

/// Applies `values` to `heatmap`.
void applyHeatmapControls(HeatmapWidget& heatmap, const HeatmapControlValues& values);
/// The values kept in the settings file under heatmap/, with `defaults` for what is missing.
HeatmapControlValues loadHeatmapControls(const QSettings& settings,
                                         const HeatmapControlValues& defaults);
void saveHeatmapControls(QSettings& settings, const HeatmapControlValues& values);

}  // namespace flowscope
