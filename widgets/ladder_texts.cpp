#include "ladder_texts.h"

#include <algorithm>
#include <cmath>

#include "own_order_level.h"

namespace flowscope {
namespace {

QString compact(double value) {
    const double a = std::abs(value);
    if (a >= 1e9) return QString::number(value / 1e9, 'f', 1) + QLatin1Char('G');
    if (a >= 1e6) return QString::number(value / 1e6, 'f', 1) + QLatin1Char('M');
    if (a >= 1e3) return QString::number(value / 1e3, 'f', 1) + QLatin1Char('K');
    return QString::number(value, 'g', 4);
}

class Formatter {
  public:
    Formatter(const Instrument& instrument, const QFont& font, const LadderGeometry& geometry)
        : instrument_(instrument),
          regular_(font),
          bold_(boldOf(font)),
          regularMetrics_(regular_),
          boldMetrics_(bold_),
          geometry_(geometry) {}

    CellText size(Lots lots, LadderColumn column, bool bold = false, bool sign = false,
                  const QString& prefix = {}) const {
        if (lots == 0) return {};
        QString text = prefix + QString::fromStdString(instrument_.formatSize(lots));
        if (sign && lots > 0) text.prepend(QLatin1Char('+'));
        const QFontMetrics& m = bold ? boldMetrics_ : regularMetrics_;
        if (m.horizontalAdvance(text) > geometry_.columnWidth(column) - 2 * kLadderTextPadding) {
            const double value = instrument_.toSize(lots);
            text = prefix + compact(value);
            if (sign && value > 0) text.prepend(QLatin1Char('+'));
        }
        return make(text, bold);
    }
    CellText price(PriceTicks ticks, bool bold) const {
        return make(QString::fromStdString(instrument_.formatPrice(ticks)), bold);
    }

  private:
    static QFont boldOf(QFont f) {
        f.setBold(true);
        return f;
    }
    CellText make(const QString& text, bool bold) const {
        CellText cell;
        cell.text.setText(text);
        cell.text.setTextFormat(Qt::PlainText);
        cell.text.setPerformanceHint(QStaticText::AggressiveCaching);
        cell.text.prepare(QTransform(), bold ? bold_ : regular_);
        cell.width = (bold ? boldMetrics_ : regularMetrics_).horizontalAdvance(text);
        cell.bold = bold;
        return cell;
    }

    const Instrument& instrument_;
    QFont regular_;
    QFont bold_;
    QFontMetrics regularMetrics_;
    QFontMetrics boldMetrics_;
    const LadderGeometry& geometry_;
};

}  // namespace

LadderTexts formatLadderTexts(const LadderFrame& frame, const Instrument& instrument,
                              const QFont& font, const LadderGeometry& geometry,
                              int pullStackSeconds,
                              const std::pair<const LadderFrame*, const LadderTexts*>& previous) {
    const Formatter f(instrument, font, geometry);
    const auto [oldFrame, oldTexts] = previous;
    const bool reuse = oldFrame != nullptr && oldTexts != nullptr &&
                       oldFrame->window.grouping == frame.window.grouping &&
                       oldTexts->rows.size() == oldFrame->rows.size();
    LadderTexts t;
    t.rows.resize(frame.rows.size());
    for (std::size_t i = 0; i < frame.rows.size(); ++i) {
        const LadderRow& row = frame.rows[i];
        if (reuse) {
            // The same price's row in the previous frame, which may have scrolled.
            const PriceTicks j =
                oldFrame->window.topGroup - frame.window.topGroup + static_cast<PriceTicks>(i);
            if (j >= 0 && j < static_cast<PriceTicks>(oldFrame->rows.size()) &&
                oldFrame->rows[static_cast<std::size_t>(j)] == row) {
                t.rows[i] = oldTexts->rows[static_cast<std::size_t>(j)];  // implicitly shared
                continue;
            }
        }
        auto& cells = t.rows[i].cells;
        // The side is drawn as a coloured marker; both sides at one price only happen
        // transiently (a fill racing a cancel) and the tooltip shows both.
        // A bracket leg is named, so a take-profit or a stop is not read as an entry.
        const QString role =
            QLatin1String(rolePrefix(row.ownStopLoss     ? trading::OrderRole::StopLoss
                                     : row.ownTakeProfit ? trading::OrderRole::TakeProfit
                                                         : trading::OrderRole::Entry));
        cells[static_cast<int>(LadderColumn::Orders)] = f.size(
            row.ownBid > 0 ? row.ownBid : row.ownAsk, LadderColumn::Orders, true, false, role);
        cells[static_cast<int>(LadderColumn::Bid)] =
            f.size(row.bid, LadderColumn::Bid, row.bestBid);
        cells[static_cast<int>(LadderColumn::Price)] = f.price(row.price, row.lastTrade);
        cells[static_cast<int>(LadderColumn::Ask)] =
            f.size(row.ask, LadderColumn::Ask, row.bestAsk);
        cells[static_cast<int>(LadderColumn::Volume)] =
            f.size(row.buyVolume + row.sellVolume, LadderColumn::Volume);
        cells[static_cast<int>(LadderColumn::PullStack)] =
            f.size(row.pullStack, LadderColumn::PullStack, false, true);
    }
    t.headers = ladderHeaders(pullStackSeconds);
    return t;
}

std::array<QString, kLadderColumnCount> ladderHeaders(int pullStackSeconds) {
    return {QStringLiteral("Orders"), QStringLiteral("Bid"),
            QStringLiteral("Price"),  QStringLiteral("Ask"),
            QStringLiteral("Volume"), QStringLiteral("\u0394 %1s").arg(pullStackSeconds)};
}

QString ladderTooltip(const LadderRow& row, int grouping, const Instrument& instrument,
                      int pullStackSeconds) {
    const auto size = [&](Lots l) { return QString::fromStdString(instrument.formatSize(l)); };
    QString text =
        QStringLiteral("<b>%1</b>").arg(QString::fromStdString(instrument.formatPrice(row.price)));
    if (grouping > 1)
        text += QStringLiteral(" \u2013 %1")
                    .arg(QString::fromStdString(instrument.formatPrice(row.price + grouping - 1)));
    text += QStringLiteral("<br>Bid %1 &nbsp; Ask %2").arg(size(row.bid), size(row.ask));
    text +=
        QStringLiteral("<br>Volume %1 (buy %2, sell %3)")
            .arg(size(row.buyVolume + row.sellVolume), size(row.buyVolume), size(row.sellVolume));
    text += QStringLiteral("<br>\u0394 %1s %2").arg(pullStackSeconds).arg(size(row.pullStack));
    if (row.ownBid > 0 || row.ownAsk > 0)
        text += QStringLiteral("<br>Own: buy %1, sell %2").arg(size(row.ownBid), size(row.ownAsk));
    return text;
}

int ladderPriceChars(const Instrument& instrument, PriceTicks low, PriceTicks high) {
    const auto chars = [&](PriceTicks p) {
        return static_cast<int>(instrument.formatPrice(p).size());
    };
    return std::max(chars(low), chars(high));
}

}  // namespace flowscope
