// The alert notifier: its tone is a well-formed WAV of the right length, mute silences it, and a
// burst of firings makes one sound.
#include <QtTest>

#include <QtEndian>

#include "alert_notifier.h"

using namespace flowscope;

namespace {

quint32 le32(const QByteArray& b, int at) {
    return qFromLittleEndian<quint32>(b.constData() + at);
}
quint16 le16(const QByteArray& b, int at) {
    return qFromLittleEndian<quint16>(b.constData() + at);
}
qint16 sample(const QByteArray& wav, int i) {
    return qFromLittleEndian<qint16>(wav.constData() + 44 + 2 * i);
}

AlertRecord firing(std::uint64_t sequence) {
    AlertRecord r;
    r.sequence = sequence;
    r.ruleName = "fast_up";
    r.values = "ofi_z(10s)=2.71";
    r.outcome = "alert";
    return r;
}

}  // namespace

class TestAlertNotifier : public QObject {
    Q_OBJECT

  private slots:
    void toneIsARiffWavOfTheRightLength() {
        const QByteArray wav = AlertNotifier::toneWav(880, 150, 44100);
        // 150 ms at 44.1 kHz = 6615 samples of 2 bytes after the 44-byte header.
        QCOMPARE(wav.size(), 44 + 6615 * 2);
        QCOMPARE(wav.left(4), QByteArray("RIFF"));
        QCOMPARE(le32(wav, 4), quint32(wav.size() - 8));
        QCOMPARE(wav.mid(8, 8), QByteArray("WAVEfmt "));
        QCOMPARE(le32(wav, 16), quint32{16});
        QCOMPARE(le16(wav, 20), quint16{1});  // PCM
        QCOMPARE(le16(wav, 22), quint16{1});  // mono
        QCOMPARE(le32(wav, 24), quint32{44100});
        QCOMPARE(le32(wav, 28), quint32{88200});
        QCOMPARE(le16(wav, 32), quint16{2});
        QCOMPARE(le16(wav, 34), quint16{16});
        QCOMPARE(wav.mid(36, 4), QByteArray("data"));
        QCOMPARE(le32(wav, 40), quint32{6615 * 2});
    }

    void toneIsAnAudible880HzSine() {
        const QByteArray wav = AlertNotifier::toneWav(880, 150, 44100);
        // Fades in and out from silence, so it starts and ends without a click.
        QCOMPARE(sample(wav, 0), qint16{0});
        QVERIFY(std::abs(sample(wav, 6614)) < 200);
        // 880 Hz: 132 full periods in 150 ms, so 264 sign changes (one each half period).
        int crossings = 0;
        int peak = 0;
        for (int i = 1; i < 6615; ++i) {
            if ((sample(wav, i - 1) < 0) != (sample(wav, i) < 0)) ++crossings;
            peak = std::max(peak, std::abs(int{sample(wav, i)}));
        }
        QVERIFY2(std::abs(crossings - 264) <= 2, qPrintable(QString::number(crossings)));
        QVERIFY(peak > 8000 && peak < 32767);  // loud enough, not clipping
    }

    void mutedNotifierPlaysNothing() {
        AlertNotifier notifier;
        notifier.setMuted(true);
        notifier.notify(firing(1));
        notifier.notify(firing(2));
        QCOMPARE(notifier.soundsPlayed(), 0);
        QCOMPARE(notifier.notificationsShown(), 0);
    }

    void burstMakesOneSound() {
        AlertNotifier notifier;
        notifier.setMinIntervalMs(60'000);  // no test machine is that slow
        for (std::uint64_t i = 1; i <= 5; ++i)
            notifier.notify(firing(i));
        QCOMPARE(notifier.soundsPlayed(), 1);
    }

    void soundsAgainAfterTheInterval() {
        AlertNotifier notifier;
        notifier.setMinIntervalMs(50);
        notifier.notify(firing(1));
        QTest::qWait(80);
        notifier.notify(firing(2));
        QCOMPARE(notifier.soundsPlayed(), 2);
    }
};

QTEST_MAIN(TestAlertNotifier)
#include "tst_alert_notifier.moc"
