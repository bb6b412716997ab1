#pragma once
/// What the alert desk (on the feed thread) hands to the GUI: every firing with its signal
/// values and what the rule's action did, and the order tickets waiting for the trader.
/// Plain copyable values: firings go through an SpscQueue (none may be lost), proposals ride
/// in the MarketSnapshot (the newest state wins).

#include <cstdint>
#include <string>
#include <vector>

#include "book/types.h"

namespace flowscope {

/// What a rule does when it fires.
enum class AlertActionKind : std::uint8_t {
    Alert,    ///< sound, notification, a flashing row in the alerts panel, the log
    Propose,  ///< also a prefilled order ticket that the trader confirms within its expiry
    Auto,     ///< also submits the order itself, within the risk limits and the rule's budget
};

/// One firing as the alerts panel lists it.
struct AlertRecord {
    std::uint64_t sequence = 0;  ///< increases with every firing of the session
    /// Venue time of the event that made the rule fire; for a confirmed, rejected or expired
    /// ticket, of the last event before it (the same clock, so the rows read in order).
    TimeNs eventTimeNs = 0;
    std::string ruleName;
    AlertActionKind action = AlertActionKind::Alert;
    /// "ofi_z(10s)=2.71 spread=1" — the signals the rule reads, at the firing, as rule text names
    /// them.
    std::string values;
    /// What the action did: "alert", "proposed buy 0.010 @ market (expires in 10 s)",
    /// "submitted buy 0.010 @ market (order FS...)", "blocked: max position 0.050 reached
    /// (rule budget)", "blocked: price band: ...".
    std::string outcome;
    bool orderSent = false;
};

/// An order ticket a Propose rule prefilled, waiting for one click or the confirm hotkey.
struct OrderProposal {
    std::uint64_t id = 0;  ///< the firing's sequence
    std::string ruleName;
    Side side = Side::Bid;
    bool market = true;
    PriceTicks priceTicks = 0;  ///< limit orders only
    Lots qty = 0;
    TimeNs expiresSteadyNs = 0;  ///< steady clock; the desk drops it after this
};

/// The alert desk's state for the GUI, published with every MarketSnapshot.
struct AlertDeskState {
    bool semiAutomatic = false;  ///< Auto rules may submit (the visible "semi-auto ON" switch)
    int rules = 0;
    std::vector<OrderProposal> proposals;  ///< waiting, oldest first
    std::string lastError;                 ///< e.g. a rule file that did not parse
    std::uint64_t droppedRecords = 0;      ///< AlertRecords lost to a full queue
};

}  // namespace flowscope
