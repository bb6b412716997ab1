#pragma once
/// Colours of the terminal, dark by default. Views take a Theme by value and repaint when it
/// changes; nothing else in the views hard-codes a colour.

#include <QColor>
#include <QString>

namespace flowscope {

struct Theme {
    QString name;
    QColor window;     ///< panel backgrounds
    QColor base;       ///< plot and ladder background
    QColor alternate;  ///< alternate ladder rows
    QColor text;
    QColor mutedText;
    QColor grid;
    QColor bid;   ///< resting bids, bid sizes
    QColor ask;   ///< resting asks, ask sizes
    QColor buy;   ///< buyer-initiated trades, buy pressure
    QColor sell;  ///< seller-initiated trades, sell pressure
    QColor lastTrade;
    QColor microPrice;
    QColor highlight;  ///< best bid/ask rows, crosshair
    QColor ownOrder;
    QColor gap;  ///< missing data on the heatmaps

    static Theme dark();
    static Theme light();
    /// "dark" or "light"; anything else gives dark.
    static Theme byName(const QString& name);
};

}  // namespace flowscope
