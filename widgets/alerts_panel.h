#pragma once
/// The alerts panel: every rule firing (newest on top, flashing for a moment), the visible
/// semi-automatic switch, and the order tickets that Propose rules prefilled, each with a live
/// countdown and Confirm / Reject. It shows what the feed's alert desk published and emits the
/// trader's answers; the desk decides (expiry, risk limits, budgets).

#include <QWidget>

#include <QElapsedTimer>
#include <functional>
#include <optional>
#include <set>
#include <vector>

#include "alerts/alert_events.h"
#include "book/instrument.h"
#include "theme.h"

class QLabel;
class QPushButton;
class QTableWidget;
class QTableWidgetItem;
class QTimer;
class QVBoxLayout;

namespace flowscope {

class AlertsPanel : public QWidget {
    Q_OBJECT
  public:
    static constexpr int kMaxRows = 1000;
    static constexpr int kDefaultFlashMs = 3000;

    explicit AlertsPanel(QWidget* parent = nullptr);

    void setTheme(const Theme& theme);
    /// Sizes and limit prices of the tickets are formatted with it (raw lots until set).
    void setInstrument(const Instrument& instrument);
    /// The steady clock the proposals' expiry is measured on (steadyNowNs by
    /// default); tests substitute their own.
    void setClock(std::function<TimeNs()> steadyNowNs);
    /// How long a new row's background pulses (tests shorten it).
    void setFlashDurationMs(int ms) { flashMs_ = ms; }

    /// The mute button's state (the notifier's setting, kept in the settings file by the caller).
    void setMuted(bool muted);
    bool isMuted() const;

    /// Appends firings in the order they happened; the newest ends on top.
    void addRecords(const std::vector<AlertRecord>& records);
    /// The desk's truth: the switch, the rule count, the last error and the waiting tickets.
    void setDeskState(const AlertDeskState& state);

    int rowCount() const;
    QString cellText(int row, int column) const;
    /// Rows whose background still pulses.
    int flashingRows() const { return static_cast<int>(flashing_.size()); }
    bool semiAutomatic() const;
    /// The ticket lines as shown, oldest first ("fast_up: BUY 0.010 @ market — 7 s left").
    QStringList proposalTexts() const;

  public slots:
    /// The confirm hotkey: confirms the newest ticket that has not expired, if any.
    void confirmNewestProposal();

  signals:
    void semiAutomaticToggled(bool on);
    void proposalConfirmed(quint64 id);
    void proposalRejected(quint64 id);
    void editRulesRequested();
    void muteToggled(bool muted);

  private:
    struct Ticket {
        OrderProposal proposal;
        QWidget* row = nullptr;
        QLabel* text = nullptr;
        QPushButton* confirm = nullptr;
    };
    struct Flash {
        QTableWidgetItem* anchor;  ///< column 0 of the row; rows move as new ones go on top
        QElapsedTimer age;
    };

    void styleSwitch();
    void rebuildTickets();
    void refreshTickets();
    void answer(quint64 id, bool confirmed);
    void pulse();
    void dropOldestRows();
    QString ticketText(const OrderProposal& p) const;

    Theme theme_ = Theme::dark();
    std::optional<Instrument> instrument_;
    std::function<TimeNs()> now_;
    int flashMs_ = kDefaultFlashMs;

    QPushButton* semiAuto_;
    QLabel* rules_;
    QLabel* error_;
    QPushButton* mute_;
    QPushButton* editRules_;
    QWidget* ticketBox_;
    QVBoxLayout* ticketLayout_;
    QTableWidget* table_;
    QTimer* flashTimer_;
    QTimer* countdownTimer_;

    std::vector<OrderProposal> proposals_;  ///< as published, oldest first
    std::vector<Ticket> tickets_;           ///< shown: proposals_ minus the answered ones
    /// Answered here but maybe still in the next published state (the command is in flight);
    /// forgotten once the desk no longer lists them.
    std::set<quint64> answered_;
    std::vector<Flash> flashing_;
};

}  // namespace flowscope
