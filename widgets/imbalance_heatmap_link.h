#pragma once
/// Links the imbalance heatmap's time axis to the liquidity heatmap's, both ways: the liquidity
/// heatmap's navigator stays the one owner of the time range (follow-live, zoom limits, pans),
/// the imbalance heatmap copies every change of it, and a zoom or drag on the imbalance heatmap
/// is sent to that navigator, so either panel moves both. The imbalance plot area is also kept
/// at the same horizontal pixels as the liquidity heatmap's, so a moment sits at the same x.
///
/// Threading: GUI thread only.

namespace flowscope {

class HeatmapWidget;
class ImbalanceHeatmapWidget;

void linkTimeAxes(HeatmapWidget& heatmap, ImbalanceHeatmapWidget& imbalance);

}  // namespace flowscope
