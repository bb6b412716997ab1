#include "heatmap_crosshair.h"

#include <QFontMetrics>

namespace flowscope {

namespace {
constexpr double kOffsetPx = 14.0;
}

HeatmapCrosshair::HeatmapCrosshair(QCustomPlot* plot)
    : vertical_(new QCPItemStraightLine(plot)),
      horizontal_(new QCPItemStraightLine(plot)),
      readout_(new QCPItemText(plot)) {
    for (QCPAbstractItem* item :
         {static_cast<QCPAbstractItem*>(vertical_), static_cast<QCPAbstractItem*>(horizontal_),
          static_cast<QCPAbstractItem*>(readout_)}) {
        item->setLayer(QStringLiteral("overlay"));
        item->setSelectable(false);
        item->setClipToAxisRect(true);
    }
    for (QCPItemPosition* p : {vertical_->point1, vertical_->point2, horizontal_->point1,
                               horizontal_->point2, readout_->position})
        p->setType(QCPItemPosition::ptAbsolute);
    readout_->setPadding(QMargins(6, 4, 6, 4));
    readout_->setTextAlignment(Qt::AlignLeft);
    hide();
}

void HeatmapCrosshair::setTheme(const Theme& theme) {
    QPen line(theme.text, 1.0, Qt::DashLine);
    QColor c = theme.text;
    c.setAlpha(150);
    line.setColor(c);
    vertical_->setPen(line);
    horizontal_->setPen(line);
    QColor box = theme.window;
    box.setAlpha(235);
    readout_->setBrush(box);
    readout_->setPen(QPen(theme.grid));
    readout_->setColor(theme.text);
}

void HeatmapCrosshair::show(const QPointF& pixel, const QString& text, const QRect& area) {
    vertical_->point1->setCoords(pixel.x(), 0);
    vertical_->point2->setCoords(pixel.x(), 1);
    horizontal_->point1->setCoords(0, pixel.y());
    horizontal_->point2->setCoords(1, pixel.y());
    readout_->setText(text);
    // Beside the cursor, flipped to the other side near the right or bottom edge.
    const QFontMetrics fm(readout_->font());
    const QSize size = fm.size(0, text) + QSize(12, 8);
    const bool left = pixel.x() + kOffsetPx + size.width() > area.right();
    const bool up = pixel.y() + kOffsetPx + size.height() > area.bottom();
    readout_->setPositionAlignment((left ? Qt::AlignRight : Qt::AlignLeft) |
                                   (up ? Qt::AlignBottom : Qt::AlignTop));
    readout_->position->setCoords(pixel.x() + (left ? -kOffsetPx : kOffsetPx),
                                  pixel.y() + (up ? -kOffsetPx : kOffsetPx));
    vertical_->setVisible(true);
    horizontal_->setVisible(true);
    readout_->setVisible(true);
}

void HeatmapCrosshair::hide() {
    vertical_->setVisible(false);
    horizontal_->setVisible(false);
    readout_->setVisible(false);
}

}  // namespace flowscope
