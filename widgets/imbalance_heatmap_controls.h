#pragma once
/// The imbalance heatmap's controls, in a row above its plot where a trader looks: the cell
/// measure, the number of levels shown, and the colour clamp (+-z for the z-score, +-ratio for
/// the two imbalances, each kept separately since they are on different scales). Emits every
/// change; holds no heatmap state. The values live in the settings file under imbalanceHeatmap/.

#include <QWidget>

#include "imbalance_heatmap_model.h"

class QComboBox;
class QDoubleSpinBox;
class QSettings;
class QSpinBox;

namespace flowscope {

struct ImbalanceHeatmapSettings {
    static constexpr int kMinLevels = 2;  ///< QCPColorMap needs two rows to have a height
    ImbalanceMeasure measure = ImbalanceMeasure::OfiZScore;
    int levels = 10;          ///< M: levels 1..M shown (capped at what the feed carries)
    double zClamp = 3.0;      ///< z-scores beyond +-this take the end colours
    double ratioClamp = 1.0;  ///< queue / depth imbalance beyond +-this take the end colours

    double clamp() const { return measure == ImbalanceMeasure::OfiZScore ? zClamp : ratioClamp; }
    friend bool operator==(const ImbalanceHeatmapSettings&,
                           const ImbalanceHeatmapSettings&) = default;
};

/// Short name of a measure, for the legend and the readout.
QString measureName(ImbalanceMeasure measure);

class ImbalanceHeatmapControls : public QWidget {
    Q_OBJECT
  public:
    explicit ImbalanceHeatmapControls(QWidget* parent = nullptr);
    ImbalanceHeatmapSettings values() const { return values_; }
    void setValues(const ImbalanceHeatmapSettings& values);

  signals:
    void changed(const flowscope::ImbalanceHeatmapSettings& values);

  private:
    void showValues();
    void onEdited();

    QComboBox* measure_;
    QSpinBox* levels_;
    QDoubleSpinBox* clamp_;
    ImbalanceHeatmapSettings values_;
    bool updating_ = false;
};

ImbalanceHeatmapSettings loadImbalanceHeatmapSettings(const QSettings& settings,
                                                      const ImbalanceHeatmapSettings& defaults);
void saveImbalanceHeatmapSettings(QSettings& settings, const ImbalanceHeatmapSettings& values);

}  // namespace flowscope
