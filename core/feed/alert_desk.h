#pragma once
/// The alert desk: runs the alert rules after every event the feed engine applies and carries out
/// each firing's action: an alert record, an order proposal the trader confirms, or an order it
/// submits itself when semi-automatic mode is on, always through OrderEntry (so the risk limits
/// apply) and within the rule's own budget (max_orders, max_position).
///
/// Every firing and every outcome (sent, blocked, refused, expired) becomes an AlertRecord in
/// records(), the queue the GUI drains each frame; state() is what the snapshot publishes.
///
/// Threading: owned and called by the feed thread only, except records().pop() (the GUI).
/// Allocation: none per event unless a rule fires (the evaluator is allocation-free).

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "alerts/alert_events.h"
#include "alerts/rule_evaluator.h"
#include "book/instrument.h"
#include "feed/feed_engine.h"
#include "feed/spsc_queue.h"
#include "signals/window_spec.h"
#include "trading/order_entry.h"

namespace flowscope {

class AlertDesk final : public FeedEventObserver {
  public:
    /// `windows`: the feed engine's windows (rules name them); `recordCapacity`: records the GUI
    /// may leave undrained before new ones are dropped (and counted).
    AlertDesk(Instrument instrument, std::vector<WindowSpec> windows,
              std::size_t recordCapacity = 4096);

    /// Replaces the rules by those in `text` (rule_parser.h syntax). On an error the old rules
    /// stay, and the error ("rules:3:18: unknown signal ...") is returned and kept in
    /// state().lastError; on success lastError is cleared. Budgets and proposals start afresh.
    std::optional<std::string> setRules(std::string_view text);
    /// Same with parsed rules; sizes are converted to lots here (an unrepresentable size is an
    /// error naming the rule).
    std::optional<std::string> setRules(std::vector<Rule> rules);
    void setSemiAutomatic(bool on) {
        semiAutomatic_ = on;
        ++version_;
    }
    /// Where orders go (the source's desk); null: orders are recorded as not sent.
    void setOrderEntry(trading::OrderEntry* entry) { entry_ = entry; }
    /// The steady clock of the current poll: stamps proposal expiries.
    void setSteadyNow(TimeNs steadyNowNs) { steadyNowNs_ = steadyNowNs; }

    /// Submits proposal `id` as proposed (price included) and records the outcome; false when
    /// no such proposal is waiting (already confirmed, rejected or expired).
    bool confirmProposal(std::uint64_t id);
    /// Drops proposal `id` (recorded); false when it is not waiting.
    bool rejectProposal(std::uint64_t id);
    /// Drops (and records) the proposals whose expiry is at or before `steadyNowNs`.
    void expireProposals(TimeNs steadyNowNs);

    // FeedEventObserver
    void onFeedEvent(FeedEngine& feed) override;
    void onFeedInterrupted() override;

    SpscQueue<AlertRecord>& records() { return records_; }
    AlertDeskState state() const;
    /// Changes whenever state() would (rules, mode, proposals, errors): the feed thread
    /// publishes a snapshot for it even when the market is quiet.
    std::uint64_t version() const { return version_; }
    std::size_t ruleCount() const { return rules_.size(); }

  private:
    /// A rule's action in lots, with its per-session budget.
    struct DeskRule {
        RuleAction action;
        Lots qty = 0;
        Lots maxPositionQty = 0;          ///< 0: none
        std::vector<std::string> labels;  ///< signal names as the rule text writes them
        int ordersSent = 0;
    };

    void act(const AlertFiring& firing, const SignalSnapshot& s);
    /// The order a rule would place now, or nullopt (with `why`) when the book cannot price it.
    std::optional<trading::OrderRequest> orderFor(const DeskRule& rule, const SignalSnapshot& s,
                                                  std::string& why) const;
    /// Submits and describes the outcome ("submitted buy 0.010 @ market (order X)" or
    /// "blocked: <risk message>"); true when an order left.
    bool submit(const trading::OrderRequest& request, const std::string& intentKey,
                std::string& outcome);
    std::string describeOrder(const trading::OrderRequest& request) const;
    void record(AlertRecord&& r);

    Instrument instrument_;
    std::vector<WindowSpec> windows_;
    std::vector<DeskRule> rules_;
    std::optional<RuleEvaluator> evaluator_;
    std::vector<OrderProposal> proposals_;
    SpscQueue<AlertRecord> records_;
    trading::OrderEntry* entry_ = nullptr;
    bool semiAutomatic_ = false;
    std::string lastError_;
    TimeNs steadyNowNs_ = 0;
    /// Venue time of the last event seen: the time of the rows the trader or the clock make
    /// (confirmed, rejected, expired), on the same clock as the firings'.
    TimeNs lastEventNs_ = 0;
    std::uint64_t sequence_ = 0;
    std::uint64_t version_ = 0;
    bool evaluating_ = false;  ///< an action's own order re-entered the feed
    bool missedEvent_ = false;
};

}  // namespace flowscope
