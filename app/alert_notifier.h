#pragma once
/// Makes a rule firing noticeable away from the alerts panel: a short tone and, where the
/// desktop has a system tray, a notification. A burst of firings (a volatile second fires many
/// rules) makes one sound and one notification, not a din. Lives on the GUI thread.

#include <QObject>

#include <QByteArray>
#include <QElapsedTimer>
#include <memory>

#include "alerts/alert_events.h"

class QSoundEffect;
class QSystemTrayIcon;
class QTemporaryFile;

namespace flowscope {

class AlertNotifier : public QObject {
    Q_OBJECT
  public:
    static constexpr int kDefaultMinIntervalMs = 1500;

    explicit AlertNotifier(QObject* parent = nullptr);
    ~AlertNotifier() override;

    /// Muted: neither sound nor notification (the panel still lists every firing).
    void setMuted(bool muted) { muted_ = muted; }
    bool isMuted() const { return muted_; }
    /// Firings closer together than this after a sound make none of their own.
    void setMinIntervalMs(int ms) { minIntervalMs_ = ms; }

    void notify(const AlertRecord& record);

    /// Sounds started and notifications shown so far (what a burst collapsed into).
    int soundsPlayed() const { return soundsPlayed_; }
    int notificationsShown() const { return notificationsShown_; }

    /// A 16-bit mono PCM WAV file of a sine tone with short fades (no clicks): the alert sound.
    static QByteArray toneWav(int frequencyHz = 880, int durationMs = 150, int sampleRate = 44100);

  private:
    void playSound();
    void showNotification(const AlertRecord& record);

    bool muted_ = false;
    int minIntervalMs_ = kDefaultMinIntervalMs;
    QElapsedTimer sinceLast_;
    int soundsPlayed_ = 0;
    int notificationsShown_ = 0;
    bool trayMissingLogged_ = false;
    // Made on first use, so a muted terminal never opens the audio device.
    std::unique_ptr<QTemporaryFile> wavFile_;
    QSoundEffect* sound_ = nullptr;
    QSystemTrayIcon* tray_ = nullptr;
};

}  // namespace flowscope
