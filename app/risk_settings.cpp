#include "risk_settings.h"

#include <cmath>

#include "settings_text.h"

namespace flowscope {
namespace {

/// One limit as the file spells it: reads the text into `target`, or writes the default.
class LimitReader {
  public:
    LimitReader(QSettings& settings, QString group, const Instrument& instrument,
                QStringList& problems)
        : settings_(settings),
          group_(std::move(group)),
          instrument_(instrument),
          problems_(problems) {}

    void lots(const char* key, Lots& target) {
        const QString fallback = QString::fromStdString(instrument_.formatSize(target));
        const QString text = read(key, fallback);
        const auto value = instrument_.parseSize(text.trimmed().toStdString());
        if (!value || *value <= 0)
            complain(key, text,
                     "a positive size in whole lots of " +
                         QString::fromStdString(instrument_.lotSize().toString()));
        else if (instrument_.toSize(*value) > kMaxRiskSizeUnits)
            tooLarge(key, text, kMaxRiskSizeUnits);
        else
            target = *value;
    }
    void quote(const char* key, double& target) {
        const QString text = read(key, QString::number(target, 'f', 2));
        bool ok = false;
        const double value = text.trimmed().toDouble(&ok);
        if (!ok || !std::isfinite(value) || value <= 0)
            complain(key, text, "a positive amount");
        else if (value > kMaxRiskAmount)
            tooLarge(key, text, kMaxRiskAmount);
        else
            target = value;
    }
    void percentAsBps(const char* key, std::int64_t& bps) {
        const QString text = read(key, QString::number(static_cast<double>(bps) / 100.0));
        bool ok = false;
        const double value = text.trimmed().toDouble(&ok);
        if (!ok || !std::isfinite(value) || value <= 0 || value > 100)
            complain(key, text, "a percentage above 0 and at most 100");
        else
            bps = std::llround(value * 100.0);
    }
    void count(const char* key, int& target) {
        const QString text = read(key, QString::number(target));
        bool ok = false;
        const int value = text.trimmed().toInt(&ok);
        if (!ok || value <= 0)
            complain(key, text, "a positive whole number");
        else if (value > kMaxRiskCount)
            tooLarge(key, text, kMaxRiskCount);
        else
            target = value;
    }

  private:
    QString read(const char* key, const QString& fallback) {
        const QString path = group_ + "/" + key;
        if (!settings_.contains(path)) settings_.setValue(path, fallback);
        return settingsText(settings_, path);
    }
    void complain(const char* key, const QString& text, const QString& expected) {
        problems_.append(QString("%1/%2=%3 is not %4; the default is used")
                             .arg(group_, key, settingsExcerpt(text), expected));
    }
    void tooLarge(const char* key, const QString& text, double maximum) {
        problems_.append(
            QString("%1/%2=%3 is above the maximum %4; the default is used")
                .arg(group_, key, settingsExcerpt(text), QString::number(maximum, 'g', 15)));
    }

    QSettings& settings_;
    QString group_;
    const Instrument& instrument_;
    QStringList& problems_;
};

}  // namespace

QString riskSettingsGroup(const QString& venue, const QString& symbol) {
    QString name = venue + "_" + symbol;
    for (QChar& c : name)
        if (!c.isLetterOrNumber() && c != '-' && c != '.') c = '_';
    return name;
}

trading::RiskLimits loadRiskLimits(QSettings& settings, const QString& venue, const QString& symbol,
                                   const Instrument& instrument,
                                   const trading::RiskLimits& defaults, QStringList& problems) {
    trading::RiskLimits limits = defaults;
    LimitReader r(settings, "risk/" + riskSettingsGroup(venue, symbol), instrument, problems);
    r.lots("maxOrderQty", limits.maxOrderQty);
    r.quote("maxOrderNotional", limits.maxOrderNotional);
    r.percentAsBps("priceBandPercent", limits.priceBandBps);
    r.count("maxOpenOrders", limits.maxOpenOrders);
    r.lots("maxPosition", limits.maxPositionQty);
    r.count("maxOrdersPerSecond", limits.maxOrdersPerSecond);
    r.quote("dailyLossLimit", limits.dailyLossLimit);
    if (const std::string why = limits.validate(); !why.empty()) {
        problems.append(QString("risk limits of %1 %2: %3; the defaults are used")
                            .arg(venue, symbol, QString::fromStdString(why)));
        return defaults;
    }
    return limits;
}

}  // namespace flowscope
