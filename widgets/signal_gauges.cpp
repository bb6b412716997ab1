#include "signal_gauges.h"

#include <QLocale>
#include <QPainter>
#include <cmath>

namespace flowscope {
namespace {

constexpr double kMaxSigma = 4.0;

QString formatZ(double z) {
    return std::isnan(z) ? QStringLiteral("z  —")
                         : QString("z %1%2").arg(z >= 0 ? "+" : "").arg(z, 0, 'f', 1);
}

QString formatSigned(double v, int decimals) {
    if (std::isnan(v)) return QStringLiteral("—");
    return QString("%1%2").arg(v > 0 ? "+" : "").arg(QLocale().toString(v, 'f', decimals));
}

// Bar from the z-score when there is one, else from a value already bounded in [-1, 1].
double barOf(double z, double bounded) {
    if (!std::isnan(z)) return std::clamp(z / kMaxSigma, -1.0, 1.0);
    if (!std::isnan(bounded)) return std::clamp(bounded, -1.0, 1.0);
    return 0.0;
}

}  // namespace

std::vector<GaugeRow> gaugeRows(const MarketSnapshot& s, std::size_t w) {
    std::vector<GaugeRow> rows;
    if (w >= s.imbalance.windowCount) return rows;
    const WindowSignals& ws = s.imbalance.windows[w];
    const Instrument inst = s.instrument.instrument();
    const double lot = inst.lotSize().value();
    const double tick = inst.tickSize().value();
    const auto lots = [&](Lots v) { return static_cast<double>(v) * lot; };
    const int sizeDecimals = inst.lotSize().decimals;
    rows.push_back({"OFI (L1)", formatSigned(lots(ws.ofi), sizeDecimals),
                    barOf(ws.ofiZ, kUndefined), ws.ofiZ});
    rows.push_back({"OFI (multi-level)", formatSigned(lots(ws.mlofi), sizeDecimals),
                    barOf(ws.mlofiZ, kUndefined), ws.mlofiZ});
    rows.push_back({"Queue imbalance", formatSigned(s.imbalance.queueImbalance, 2),
                    barOf(ws.queueImbalanceZ, s.imbalance.queueImbalance), ws.queueImbalanceZ});
    rows.push_back({"Depth imbalance", formatSigned(s.imbalance.depthImbalance, 2),
                    barOf(kUndefined, s.imbalance.depthImbalance), kUndefined});
    rows.push_back({"Trade imbalance", formatSigned(ws.tradeImbalance, 2),
                    barOf(ws.deltaZ, ws.tradeImbalance), ws.deltaZ});
    rows.push_back({"Delta (buy − sell)",
                    formatSigned(lots(ws.buyVolume - ws.sellVolume), sizeDecimals),
                    barOf(ws.deltaZ, kUndefined), ws.deltaZ});
    rows.push_back({"Micro − mid",
                    formatSigned(s.imbalance.microOffset * tick, inst.tickSize().decimals + 2),
                    barOf(ws.microOffsetZ, s.imbalance.microOffset * 2.0), ws.microOffsetZ});
    rows.push_back({"Cum. delta (session)",
                    formatSigned(lots(s.imbalance.cumulativeDelta), sizeDecimals), 0.0,
                    kUndefined});
    return rows;
}

SignalGauges::SignalGauges(QWidget* parent) : QWidget(parent) {
    setAttribute(Qt::WA_OpaquePaintEvent);
    setMinimumHeight(8 * 22);
}

void SignalGauges::setTheme(const Theme& theme) {
    theme_ = theme;
    update();
}

void SignalGauges::setRows(std::vector<GaugeRow> rows) {
    const bool changed =
        rows.size() != rows_.size() ||
        !std::equal(rows.begin(), rows.end(), rows_.begin(),
                    [](const GaugeRow& a, const GaugeRow& b) {
                        return a.value == b.value && a.bar == b.bar &&
                               (a.z == b.z || (std::isnan(a.z) && std::isnan(b.z)));
                    });
    rows_ = std::move(rows);
    if (changed) update();
}

QSize SignalGauges::sizeHint() const {
    return {360, static_cast<int>(rows_.size() > 0 ? rows_.size() : 8) * 22 + 4};
}

void SignalGauges::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.fillRect(rect(), theme_.base);
    if (rows_.empty()) {
        p.setPen(theme_.mutedText);
        p.drawText(rect(), Qt::AlignCenter, tr("Waiting for market data…"));
        return;
    }
    const int rowH = std::max(18, height() / static_cast<int>(rows_.size()));
    const int nameW = std::min(150, width() / 3);
    const int valueW = 100;
    const int zW = 56;
    const int barX = nameW + valueW + 8;
    const int barW = std::max(20, width() - barX - zW - 8);
    QFont mono = font();
    mono.setStyleHint(QFont::Monospace);
    mono.setFamily("monospace");
    for (std::size_t i = 0; i < rows_.size(); ++i) {
        const GaugeRow& r = rows_[i];
        const int y = static_cast<int>(i) * rowH;
        if (i % 2) p.fillRect(0, y, width(), rowH, theme_.alternate);
        p.setPen(theme_.text);
        p.setFont(font());
        p.drawText(QRect(6, y, nameW - 6, rowH), Qt::AlignVCenter | Qt::AlignLeft, r.name);
        p.setFont(mono);
        p.drawText(QRect(nameW, y, valueW, rowH), Qt::AlignVCenter | Qt::AlignRight, r.value);
        // Zero line, then the bar toward buy (right) or sell (left) pressure.
        const int mid = barX + barW / 2;
        p.setPen(theme_.grid);
        p.drawLine(mid, y + 3, mid, y + rowH - 3);
        const int len = static_cast<int>(std::lround(r.bar * (barW / 2)));
        QColor c = r.bar >= 0 ? theme_.buy : theme_.sell;
        // Stronger colour beyond 2 sigma: that is where alerts usually sit.
        c.setAlpha(!std::isnan(r.z) && std::abs(r.z) >= 2.0 ? 255 : 150);
        const QRect bar =
            len >= 0 ? QRect(mid, y + 5, len, rowH - 10) : QRect(mid + len, y + 5, -len, rowH - 10);
        p.fillRect(bar, c);
        p.setPen(std::isnan(r.z) ? theme_.mutedText : (std::abs(r.z) >= 2.0 ? c : theme_.text));
        p.drawText(QRect(barX + barW + 4, y, zW, rowH), Qt::AlignVCenter | Qt::AlignRight,
                   formatZ(r.z));
    }
}

}  // namespace flowscope
