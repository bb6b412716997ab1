#pragma once
// Paints one ladder frame. Everything it draws comes from the precomputed frame and texts, so
// a paint is a fixed number of fills and text draws per visible row (no formatting, no book).

#include <QFont>
#include <QPainter>
#include <QRegion>

#include "ladder_geometry.h"
#include "ladder_model.h"
#include "ladder_texts.h"
#include "theme.h"

namespace flowscope {

struct LadderPaintInput {
    const LadderFrame* frame = nullptr;  ///< null: no snapshot yet
    const LadderTexts* texts = nullptr;
    const LadderGeometry* geometry = nullptr;
    const Theme* theme = nullptr;
    QFont font;     ///< the monospace numbers font
    QRegion dirty;  ///< what needs painting; empty: everything
    int hoverRow = -1;
    int ghostRow = -1;  ///< where a dragged own order would go; -1: no drag
    QString ghostText;  ///< the dragged row's own-orders text
    bool autoCentre = true;
    bool feedLive = false;  ///< otherwise the footer's state is drawn as a warning
    QString footerLeft;     ///< instrument and feed state
    QString waitingText;    ///< shown instead of rows when there is no book
};

void paintLadder(QPainter& painter, const LadderPaintInput& in);

}  // namespace flowscope
