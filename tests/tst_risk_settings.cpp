// Risk limits per market from the settings file: defaults written for the trader to edit,
// edits read exactly, bad values refused with the key named and the default kept.
#include <QtTest>

#include <QTemporaryDir>

#include "risk_settings.h"
#include "trading/paper_desk.h"

using namespace flowscope;

namespace {

Instrument btc() {
    return Instrument("BTC-USD", *DecimalStep::parse("0.5"), *DecimalStep::parse("0.001"));
}

}  // namespace

class TestRiskSettings : public QObject {
    Q_OBJECT

  private slots:
    void groupNamesAreOneSettingsSegment() {
        QCOMPARE(riskSettingsGroup("kraken", "BTC/USD"), QString("kraken_BTC_USD"));
        QCOMPARE(riskSettingsGroup("sim", "BTC-USD"), QString("sim_BTC-USD"));
    }

    void missingLimitsAreWrittenWithTheirDefaults() {
        QTemporaryDir dir;
        QSettings settings(dir.filePath("s.ini"), QSettings::IniFormat);
        QStringList problems;
        const auto defaults = trading::defaultPaperLimits();
        const auto limits = loadRiskLimits(settings, "sim", "BTC-USD", btc(), defaults, problems);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join("; ")));
        QCOMPARE(limits.maxOrderQty, defaults.maxOrderQty);
        QCOMPARE(limits.priceBandBps, defaults.priceBandBps);
        QCOMPARE(settings.value("risk/sim_BTC-USD/maxOrderQty").toString(), QString("5.000"));
        QCOMPARE(settings.value("risk/sim_BTC-USD/priceBandPercent").toString(), QString("1"));
        QCOMPARE(settings.value("risk/sim_BTC-USD/maxPosition").toString(), QString("20.000"));
        QCOMPARE(settings.value("risk/sim_BTC-USD/maxOpenOrders").toString(), QString("50"));
    }

    void editedLimitsAreReadExactly() {
        QTemporaryDir dir;
        QSettings settings(dir.filePath("s.ini"), QSettings::IniFormat);
        settings.setValue("risk/sim_BTC-USD/maxOrderQty", "0.25");
        settings.setValue("risk/sim_BTC-USD/maxOrderNotional", "12500.5");
        settings.setValue("risk/sim_BTC-USD/priceBandPercent", "0.35");
        settings.setValue("risk/sim_BTC-USD/maxOpenOrders", "3");
        settings.setValue("risk/sim_BTC-USD/maxPosition", "1.5");
        settings.setValue("risk/sim_BTC-USD/maxOrdersPerSecond", "2");
        settings.setValue("risk/sim_BTC-USD/dailyLossLimit", "900");
        QStringList problems;
        const auto l = loadRiskLimits(settings, "sim", "BTC-USD", btc(),
                                      trading::defaultPaperLimits(), problems);
        QVERIFY(problems.isEmpty());
        QCOMPARE(l.maxOrderQty, Lots{250});
        QCOMPARE(l.maxOrderNotional, 12500.5);
        QCOMPARE(l.priceBandBps, std::int64_t{35});
        QCOMPARE(l.maxOpenOrders, 3);
        QCOMPARE(l.maxPositionQty, Lots{1500});
        QCOMPARE(l.maxOrdersPerSecond, 2);
        QCOMPARE(l.dailyLossLimit, 900.0);
    }

    void badValuesKeepTheirDefaultsAndAreReported_data() {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("expected");
        QTest::newRow("finer than a lot") << "maxOrderQty"
                                          << "0.0005"
                                          << "whole lots of 0.001";
        QTest::newRow("text size") << "maxPosition"
                                   << "lots"
                                   << "whole lots";
        QTest::newRow("negative notional") << "maxOrderNotional"
                                           << "-5"
                                           << "a positive amount";
        QTest::newRow("band over 100%") << "priceBandPercent"
                                        << "150"
                                        << "at most 100";
        QTest::newRow("fractional count") << "maxOpenOrders"
                                          << "2.5"
                                          << "whole number";
        QTest::newRow("zero rate") << "maxOrdersPerSecond"
                                   << "0"
                                   << "positive whole number";
    }
    void badValuesKeepTheirDefaultsAndAreReported() {
        QFETCH(QString, key);
        QFETCH(QString, value);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        QSettings settings(dir.filePath("s.ini"), QSettings::IniFormat);
        settings.setValue("risk/sim_BTC-USD/" + key, value);
        QStringList problems;
        const auto defaults = trading::defaultPaperLimits();
        const auto l = loadRiskLimits(settings, "sim", "BTC-USD", btc(), defaults, problems);
        QCOMPARE(problems.size(), 1);
        QVERIFY2(problems[0].startsWith("risk/sim_BTC-USD/" + key + "=" + value),
                 qPrintable(problems[0]));
        QVERIFY2(problems[0].contains(expected), qPrintable(problems[0]));
        QCOMPARE(l.maxOrderQty, defaults.maxOrderQty);
        QCOMPARE(l.maxPositionQty, defaults.maxPositionQty);
        QCOMPARE(l.maxOrderNotional, defaults.maxOrderNotional);
        QCOMPARE(l.priceBandBps, defaults.priceBandBps);
        QCOMPARE(l.maxOpenOrders, defaults.maxOpenOrders);
        QCOMPARE(l.maxOrdersPerSecond, defaults.maxOrdersPerSecond);
        QCOMPARE(settings.value("risk/sim_BTC-USD/" + key).toString(), value);  // left as typed
    }

    void absurdLimitsAreRefusedWithTheirMaximum_data() {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("maximum");
        // The maxima as README's "Bad input" states them, written out by hand.
        QTest::newRow("1e12 BTC per order") << "maxOrderQty"
                                            << "1000000000000"
                                            << "1000000000";
        QTest::newRow("one lot above") << "maxPosition"
                                       << "1000000000.001"
                                       << "1000000000";
        QTest::newRow("1e300 notional") << "maxOrderNotional"
                                        << "1e300"
                                        << "1000000000000";
        QTest::newRow("loss limit") << "dailyLossLimit"
                                    << "1000000000001"
                                    << "1000000000000";
        QTest::newRow("open orders") << "maxOpenOrders"
                                     << "2000000000"
                                     << "10000";
        QTest::newRow("rate") << "maxOrdersPerSecond"
                              << "10001"
                              << "10000";
    }
    void absurdLimitsAreRefusedWithTheirMaximum() {
        QFETCH(QString, key);
        QFETCH(QString, value);
        QFETCH(QString, maximum);
        QTemporaryDir dir;
        QSettings settings(dir.filePath("s.ini"), QSettings::IniFormat);
        settings.setValue("risk/sim_BTC-USD/" + key, value);
        QStringList problems;
        const auto defaults = trading::defaultPaperLimits();
        const auto l = loadRiskLimits(settings, "sim", "BTC-USD", btc(), defaults, problems);
        QCOMPARE(problems.size(), 1);
        QCOMPARE(problems[0], "risk/sim_BTC-USD/" + key + "=" + value + " is above the maximum " +
                                  maximum + "; the default is used");
        QCOMPARE(l.maxOrderQty, defaults.maxOrderQty);
        QCOMPARE(l.maxPositionQty, defaults.maxPositionQty);
        QCOMPARE(l.maxOrderNotional, defaults.maxOrderNotional);
        QCOMPARE(l.dailyLossLimit, defaults.dailyLossLimit);
        QCOMPARE(l.maxOpenOrders, defaults.maxOpenOrders);
        QCOMPARE(l.maxOrdersPerSecond, defaults.maxOrdersPerSecond);
    }

    void limitsAtTheMaximumAreAccepted() {
        QTemporaryDir dir;
        QSettings settings(dir.filePath("s.ini"), QSettings::IniFormat);
        settings.setValue("risk/sim_BTC-USD/maxOrderQty", "1000000000");
        settings.setValue("risk/sim_BTC-USD/maxPosition", "1000000000");
        settings.setValue("risk/sim_BTC-USD/maxOrderNotional", "1000000000000");
        settings.setValue("risk/sim_BTC-USD/maxOpenOrders", "10000");
        QStringList problems;
        const auto l = loadRiskLimits(settings, "sim", "BTC-USD", btc(),
                                      trading::defaultPaperLimits(), problems);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join("; ")));
        QCOMPARE(l.maxOrderQty, Lots{1'000'000'000'000});  // 1e9 BTC in lots of 0.001
        QCOMPARE(l.maxOrderNotional, 1e12);
        QCOMPARE(l.maxOpenOrders, 10'000);
    }

    void aValueWithCommasIsReadAsTyped() {
        // QSettings reads an unquoted "1,5" as a list; its text must not turn into "".
        QTemporaryDir dir;
        const QString path = dir.filePath("s.ini");
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("[risk]\nsim_BTC-USD\\maxOpenOrders=1,5\n");
        }
        QSettings settings(path, QSettings::IniFormat);
        QStringList problems;
        loadRiskLimits(settings, "sim", "BTC-USD", btc(), trading::defaultPaperLimits(), problems);
        QCOMPARE(problems.size(), 1);
        QVERIFY2(problems[0].startsWith("risk/sim_BTC-USD/maxOpenOrders=1,5 is not"),
                 qPrintable(problems[0]));
    }
};

QTEST_MAIN(TestRiskSettings)
#include "tst_risk_settings.moc"
