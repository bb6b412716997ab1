#include "alert_notifier.h"

#include <QApplication>
#include <QDir>
#include <QSoundEffect>
#include <QStyle>
#include <QSystemTrayIcon>
#include <QTemporaryFile>
#include <QUrl>
#include <QtEndian>
#include <cmath>
#include <numbers>

#include "logging.h"

namespace flowscope {
namespace {

constexpr int kFadeMs = 10;
constexpr double kAmplitude = 0.4 * 32767.0;

void appendLe32(QByteArray& out, quint32 v) {
    char b[4];
    qToLittleEndian(v, b);
    out.append(b, 4);
}

void appendLe16(QByteArray& out, quint16 v) {
    char b[2];
    qToLittleEndian(v, b);
    out.append(b, 2);
}

}  // namespace

AlertNotifier::AlertNotifier(QObject* parent) : QObject(parent) {}

AlertNotifier::~AlertNotifier() = default;

QByteArray AlertNotifier::toneWav(int frequencyHz, int durationMs, int sampleRate) {
    const int samples = static_cast<int>(static_cast<qint64>(sampleRate) * durationMs / 1000);
    const quint32 dataBytes = static_cast<quint32>(samples) * 2;
    QByteArray wav;
    wav.reserve(static_cast<qsizetype>(44 + dataBytes));
    // The canonical 44-byte header: RIFF chunk, "fmt " chunk (PCM), "data" chunk.
    wav.append("RIFF", 4);
    appendLe32(wav, 36 + dataBytes);
    wav.append("WAVE", 4);
    wav.append("fmt ", 4);
    appendLe32(wav, 16);  // fmt chunk size for PCM
    appendLe16(wav, 1);   // PCM
    appendLe16(wav, 1);   // mono
    appendLe32(wav, static_cast<quint32>(sampleRate));
    appendLe32(wav, static_cast<quint32>(sampleRate) * 2);  // byte rate
    appendLe16(wav, 2);                                     // block align
    appendLe16(wav, 16);                                    // bits per sample
    wav.append("data", 4);
    appendLe32(wav, dataBytes);
    const int fadeSamples = std::max(1, sampleRate * kFadeMs / 1000);
    for (int i = 0; i < samples; ++i) {
        const double t = static_cast<double>(i) / sampleRate;
        const double edge = std::min({1.0, static_cast<double>(i) / fadeSamples,
                                      static_cast<double>(samples - 1 - i) / fadeSamples});
        const double v = kAmplitude * edge * std::sin(2.0 * std::numbers::pi * frequencyHz * t);
        appendLe16(wav, static_cast<quint16>(static_cast<qint16>(std::lround(v))));
    }
    return wav;
}

void AlertNotifier::notify(const AlertRecord& record) {
    if (muted_) return;
    if (sinceLast_.isValid() && sinceLast_.elapsed() < minIntervalMs_) return;
    sinceLast_.start();
    playSound();
    showNotification(record);
}

void AlertNotifier::playSound() {
    if (!sound_) {
        wavFile_ =
            std::make_unique<QTemporaryFile>(QDir::tempPath() + "/flowscope-alert-XXXXXX.wav");
        if (!wavFile_->open() || wavFile_->write(toneWav()) < 0 || !wavFile_->flush()) {
            qCWarning(lcUi) << "alert sound: cannot write" << wavFile_->fileName();
            return;
        }
        sound_ = new QSoundEffect(this);
        sound_->setSource(QUrl::fromLocalFile(wavFile_->fileName()));
        sound_->setVolume(0.6f);
    }
    sound_->play();
    ++soundsPlayed_;
}

void AlertNotifier::showNotification(const AlertRecord& record) {
    if (!QSystemTrayIcon::isSystemTrayAvailable()) {
        if (!trayMissingLogged_)
            qCInfo(lcUi) << "no system tray: alert notifications only in the alerts panel";
        trayMissingLogged_ = true;
        return;
    }
    if (!tray_) {
        tray_ = new QSystemTrayIcon(this);
        QIcon icon = QApplication::windowIcon();
        if (icon.isNull()) icon = QApplication::style()->standardIcon(QStyle::SP_MessageBoxWarning);
        tray_->setIcon(icon);
        tray_->setToolTip(tr("Flowscope alerts"));
        tray_->show();
    }
    tray_->showMessage(tr("Alert: %1").arg(QString::fromStdString(record.ruleName)),
                       QString::fromStdString(record.values + "\n" + record.outcome),
                       QSystemTrayIcon::Information, 4000);
    ++notificationsShown_;
}

}  // namespace flowscope
