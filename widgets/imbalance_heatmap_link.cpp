#include "imbalance_heatmap_link.h"

#include <qcustomplot.h>

#include "heatmap_navigator.h"
#include "heatmap_widget.h"
#include "imbalance_heatmap_widget.h"

namespace flowscope {

void linkTimeAxes(HeatmapWidget& heatmap, ImbalanceHeatmapWidget& imbalance) {
    imbalance.setLinked(true);
    QCPAxis* source = heatmap.timeAxis();
    QCPAxis* target = imbalance.timeAxis();
    target->setRange(source->range());
    // QCPAxis::setRange does nothing (and emits nothing) for an unchanged range: no loop.
    QObject::connect(source, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), target,
                     qOverload<const QCPRange&>(&QCPAxis::setRange));
    HeatmapNavigator* navigator = &heatmap.navigator();
    QObject::connect(
        &imbalance, &ImbalanceHeatmapWidget::timeZoomRequested, navigator,
        [navigator](double factor, double anchorSec) { navigator->zoomTime(factor, anchorSec); });
    QObject::connect(&imbalance, &ImbalanceHeatmapWidget::timePanRequested, navigator,
                     [navigator](double fraction) { navigator->panTime(fraction); });
    // Line the plot areas up after every layout of the liquidity heatmap (resize, axis labels).
    QCustomPlot* plot = heatmap.plot();
    QObject::connect(plot, &QCustomPlot::afterLayout, &imbalance, [plot, &imbalance] {
        const QRect r = plot->axisRect()->rect();
        imbalance.alignPlotArea(plot->mapToGlobal(r.topLeft()).x(),
                                plot->mapToGlobal(r.topRight()).x());
    });
}

}  // namespace flowscope
