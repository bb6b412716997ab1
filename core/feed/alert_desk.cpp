#include "feed/alert_desk.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "alerts/rule_parser.h"
#include "alerts/rule_printer.h"

namespace flowscope {
namespace {

/// Integers exactly, other values to 4 decimals without trailing zeros: "2.7134", "1", "nan".
std::string formatValue(double v) {
    if (std::isnan(v)) return "nan";
    if (std::isfinite(v) && v == std::trunc(v) && std::fabs(v) < 1e15) return formatNumber(v);
    char buffer[48];
    const int n = std::snprintf(buffer, sizeof buffer, "%.4f", v);
    std::string out(buffer, static_cast<std::size_t>(std::max(n, 0)));
    while (!out.empty() && out.back() == '0')
        out.pop_back();
    if (!out.empty() && out.back() == '.') out.pop_back();
    return out;
}

std::string intentKey(const std::string& ruleName, std::uint64_t sequence) {
    return "alert:" + ruleName + ":" + std::to_string(sequence);
}

}  // namespace

AlertDesk::AlertDesk(Instrument instrument, std::vector<WindowSpec> windows,
                     std::size_t recordCapacity)
    : instrument_(std::move(instrument)), windows_(std::move(windows)), records_(recordCapacity) {}

std::optional<std::string> AlertDesk::setRules(std::string_view text) {
    ParsedRules parsed = parseRules(text, windows_);
    if (parsed.error) {
        ++version_;
        lastError_ = parsed.error->format("rules");
        return lastError_;
    }
    return setRules(std::move(parsed.rules));
}

std::optional<std::string> AlertDesk::setRules(std::vector<Rule> rules) {
    std::vector<DeskRule> desk;
    desk.reserve(rules.size());
    const auto sizeError = [&](const Rule& r, const std::string& what, const std::string& text) {
        ++version_;
        lastError_ = "rule '" + r.name + "': " + what + " " + text + " is not a positive whole " +
                     "number of lots (lot " + instrument_.formatSize(1) + ")";
        return lastError_;
    };
    for (const Rule& r : rules) {
        DeskRule d;
        d.action = r.action;
        if (r.action.kind != AlertActionKind::Alert) {
            const auto qty = instrument_.parseSize(r.action.size);
            if (!qty || *qty <= 0) return sizeError(r, "size", r.action.size);
            // Orders go in the venue's step (coarser than the book's lot on Binance spot): a
            // rule whose size the venue would refuse is refused when it is read, not when it
            // fires.
            const Lots step = entry_ ? entry_->orderStepLots() : 1;
            if (step > 1 && *qty % step != 0) {
                ++version_;
                lastError_ = "rule '" + r.name + "': size " + r.action.size +
                             " is not a multiple of the venue's order step " +
                             instrument_.formatSize(step);
                return lastError_;
            }
            d.qty = *qty;
        }
        if (!r.action.maxPosition.empty()) {
            const auto limit = instrument_.parseSize(r.action.maxPosition);
            if (!limit || *limit <= 0) return sizeError(r, "max_position", r.action.maxPosition);
            d.maxPositionQty = *limit;
        }
        for (const SignalRef& s : mentionedSignals(r))
            d.labels.push_back(signalText(s));
        desk.push_back(std::move(d));
    }
    rules_ = std::move(desk);
    evaluator_.emplace(std::move(rules));
    proposals_.clear();
    lastError_.clear();
    ++version_;
    return std::nullopt;
}

AlertDeskState AlertDesk::state() const {
    AlertDeskState s;
    s.semiAutomatic = semiAutomatic_;
    s.rules = static_cast<int>(rules_.size());
    s.proposals = proposals_;
    s.lastError = lastError_;
    s.droppedRecords = records_.overflows();
    return s;
}

void AlertDesk::onFeedEvent(FeedEngine& feed) {
    if (rules_.empty()) return;
    // Our own order's market events re-enter here (the paper desk reports them at once): they
    // are not evaluated halfway through an action, but once more on the state after it.
    if (evaluating_) {
        missedEvent_ = true;
        return;
    }
    evaluating_ = true;
    do {
        missedEvent_ = false;
        const SignalSnapshot s = feed.imbalanceSignals();
        lastEventNs_ = s.timeNs;
        // The engine's own clock (never backwards) is the rules' event time, as in the CLI.
        for (const AlertFiring& f : evaluator_->evaluate(s, s.timeNs))
            act(f, s);
    } while (missedEvent_ && feed.state() == FeedState::Live);
    evaluating_ = false;
}

void AlertDesk::onFeedInterrupted() {
    // Holds must not span the time the feed was blind; cooldowns keep running.
    if (evaluator_) evaluator_->interrupt();
}

void AlertDesk::act(const AlertFiring& firing, const SignalSnapshot& s) {
    DeskRule& rule = rules_[firing.ruleIndex];
    AlertRecord r;
    r.sequence = ++sequence_;
    r.eventTimeNs = firing.timeNs;
    r.ruleName = evaluator_->rules()[firing.ruleIndex].name;
    r.action = rule.action.kind;
    for (std::size_t k = 0; k < firing.values.size(); ++k) {
        if (k) r.values += ' ';
        r.values += rule.labels[k] + '=' + formatValue(firing.values[k]);
    }
    if (rule.action.kind == AlertActionKind::Alert) {
        r.outcome = "alert";
        record(std::move(r));
        return;
    }
    std::string why;
    const auto request = orderFor(rule, s, why);
    if (!request) {
        r.outcome = "not sent: " + why;
    } else if (rule.action.kind == AlertActionKind::Propose) {
        const TimeNs expireNs =
            rule.action.expireNs > 0 ? rule.action.expireNs : RuleAction::kDefaultExpiryNs;
        OrderProposal p;
        p.id = r.sequence;
        p.ruleName = r.ruleName;
        p.side = request->side;
        p.market = request->type == trading::OrderType::Market;
        p.priceTicks = request->priceTicks;
        p.qty = request->qty;
        p.expiresSteadyNs = steadyNowNs_ + expireNs;
        proposals_.push_back(std::move(p));
        r.outcome = "proposed " + describeOrder(*request) + " (expires in " +
                    formatDuration(expireNs) + ")";
    } else if (!semiAutomatic_) {
        r.outcome = "not sent: semi-automatic mode is off";
    } else if (rule.action.maxOrders > 0 && rule.ordersSent >= rule.action.maxOrders) {
        r.outcome = "blocked: max orders " + std::to_string(rule.action.maxOrders) +
                    " reached (rule budget)";
    } else {
        bool withinPosition = true;
        if (rule.maxPositionQty > 0 && entry_) {
            const Lots position = entry_->state().positionQty;
            const Lots after =
                position + (request->side == Side::Bid ? request->qty : -request->qty);
            withinPosition = std::llabs(after) <= rule.maxPositionQty;
        }
        if (!withinPosition) {
            r.outcome = "blocked: max position " + instrument_.formatSize(rule.maxPositionQty) +
                        " reached (rule budget)";
        } else if (submit(*request, intentKey(r.ruleName, r.sequence), r.outcome)) {
            ++rule.ordersSent;
            r.orderSent = true;
        }
    }
    record(std::move(r));
}

std::optional<trading::OrderRequest> AlertDesk::orderFor(const DeskRule& rule,
                                                         const SignalSnapshot& s,
                                                         std::string& why) const {
    const RuleAction& a = rule.action;
    if (a.price == ActionPrice::Market)
        return trading::OrderRequest{a.side, trading::OrderType::Market, 0, rule.qty,
                                     trading::TimeInForce::ImmediateOrCancel};
    const bool hasBid = !isEmptyLevel(s.bestBid);
    const bool hasAsk = !isEmptyLevel(s.bestAsk);
    PriceTicks price = 0;
    switch (a.price) {
        case ActionPrice::Bid:
            if (!hasBid) why = "no best bid to price the order";
            price = s.bestBid.price;
            break;
        case ActionPrice::Ask:
            if (!hasAsk) why = "no best ask to price the order";
            price = s.bestAsk.price;
            break;
        case ActionPrice::Mid: {
            if (!hasBid || !hasAsk) why = "no mid to price the order";
            // A half-tick mid rounds to the passive side: a buy down, a sell up.
            const PriceTicks sum = s.bestBid.price + s.bestAsk.price;
            price = a.side == Side::Bid ? (sum - (sum & 1)) / 2 : (sum + (sum & 1)) / 2;
            break;
        }
        case ActionPrice::Market:
            break;
    }
    if (!why.empty()) return std::nullopt;
    return trading::OrderRequest{a.side, trading::OrderType::Limit, price, rule.qty};
}

bool AlertDesk::submit(const trading::OrderRequest& request, const std::string& key,
                       std::string& outcome) {
    if (!entry_) {
        outcome = "not sent: this venue takes no orders";
        return false;
    }
    const trading::SubmitOutcome o = entry_->submit(request, key);
    switch (o.status) {
        case trading::SubmitStatus::Sent:
            outcome = "submitted " + describeOrder(request) + " (order " + o.id + ")";
            return true;
        case trading::SubmitStatus::Blocked:
            outcome = "blocked: " + (o.rejection ? o.rejection->message : std::string("risk"));
            return false;
        case trading::SubmitStatus::Duplicate:
            outcome = "not sent: same action as order " + o.id;
            return false;
        case trading::SubmitStatus::NotConnected: {
            // The desk says why (e.g. "reconciling open orders with the venue").
            const std::string why = entry_->state().lastMessage;
            outcome = "not sent: " + (why.empty() ? std::string("not connected") : why);
            return false;
        }
        case trading::SubmitStatus::NotOpen:
        case trading::SubmitStatus::Unsupported:
            break;
    }
    outcome = "not sent";
    return false;
}

std::string AlertDesk::describeOrder(const trading::OrderRequest& request) const {
    return std::string(trading::sideName(request.side)) + ' ' +
           instrument_.formatSize(request.qty) + " @ " +
           (request.type == trading::OrderType::Market
                ? std::string("market")
                : instrument_.formatPrice(request.priceTicks));
}

bool AlertDesk::confirmProposal(std::uint64_t id) {
    const auto it = std::find_if(proposals_.begin(), proposals_.end(),
                                 [id](const OrderProposal& p) { return p.id == id; });
    if (it == proposals_.end()) return false;
    const OrderProposal p = std::move(*it);
    proposals_.erase(it);
    AlertRecord r;
    r.sequence = ++sequence_;
    r.eventTimeNs = lastEventNs_;
    r.ruleName = p.ruleName;
    r.action = AlertActionKind::Propose;
    r.values = "proposal " + std::to_string(p.id);
    const trading::OrderRequest request =
        p.market ? trading::OrderRequest{p.side, trading::OrderType::Market, 0, p.qty,
                                         trading::TimeInForce::ImmediateOrCancel}
                 : trading::OrderRequest{p.side, trading::OrderType::Limit, p.priceTicks, p.qty};
    std::string outcome;
    r.orderSent = submit(request, intentKey(p.ruleName, p.id), outcome);
    r.outcome = "confirmed: " + outcome;
    record(std::move(r));
    return true;
}

bool AlertDesk::rejectProposal(std::uint64_t id) {
    const auto it = std::find_if(proposals_.begin(), proposals_.end(),
                                 [id](const OrderProposal& p) { return p.id == id; });
    if (it == proposals_.end()) return false;
    AlertRecord r;
    r.sequence = ++sequence_;
    r.eventTimeNs = lastEventNs_;
    r.ruleName = it->ruleName;
    r.action = AlertActionKind::Propose;
    r.values = "proposal " + std::to_string(id);
    r.outcome = "rejected by the trader";
    proposals_.erase(it);
    record(std::move(r));
    return true;
}

void AlertDesk::expireProposals(TimeNs steadyNowNs) {
    steadyNowNs_ = steadyNowNs;
    for (auto it = proposals_.begin(); it != proposals_.end();) {
        if (it->expiresSteadyNs > steadyNowNs) {
            ++it;
            continue;
        }
        AlertRecord r;
        r.sequence = ++sequence_;
        r.eventTimeNs = lastEventNs_;
        r.ruleName = it->ruleName;
        r.action = AlertActionKind::Propose;
        r.values = "proposal " + std::to_string(it->id);
        r.outcome = "expired: not sent";
        it = proposals_.erase(it);
        record(std::move(r));
    }
}

void AlertDesk::record(AlertRecord&& r) {
    ++version_;  // proposals, lastError or the drop count may have changed with it
    // A full queue (the GUI stopped draining) drops the record; records_.overflows() counts it
    // and state().droppedRecords shows it.
    (void)records_.push(std::move(r));
}

}  // namespace flowscope
