#include "record/replay_driver.h"

namespace flowscope::record {

ReplayDriver::ReplayDriver(RecordSource& source, venues::VenueAdapter& adapter, double speed)
    : source_(source), adapter_(adapter), speed_(speed) {}

void ReplayDriver::setSpeed(double speed) {
    // Re-anchor at the current position so a speed change does not jump.
    anchored_ = false;
    speed_ = speed;
}

bool ReplayDriver::fetch() {
    if (hasPending_) return true;
    if (finished_) return false;
    if (!source_.next(pending_)) {
        finished_ = true;
        return false;
    }
    hasPending_ = true;
    return true;
}

void ReplayDriver::deliver(const Record& r) {
    ++records_;
    lastReceiveNs_ = r.receiveNs;
    switch (r.kind) {
        case RecordKind::Connected:
            connected_ = true;
            adapter_.onConnected(r.receiveNs);
            break;
        case RecordKind::Disconnected:
            connected_ = false;
            adapter_.onDisconnected(r.payload);
            break;
        case RecordKind::WsMessage:
            // Plain captures have no connection records: the first frame opens the session.
            if (!connected_) {
                connected_ = true;
                adapter_.onConnected(r.receiveNs);
            }
            adapter_.onMessage(r.payload, r.receiveNs);
            break;
        case RecordKind::RestSnapshot:
            if (!connected_) {
                connected_ = true;
                adapter_.onConnected(r.receiveNs);
            }
            adapter_.onSnapshotResponse(r.payload, r.receiveNs);
            break;
        case RecordKind::StreamConnected:
        case RecordKind::StreamDisconnected:
            break;  // a socket the book does not depend on (live: no adapter call either)
    }
    // The replay holds the answers already: requests the adapter makes are for a live transport.
    (void)adapter_.takeSnapshotRequest();
    (void)adapter_.takeReconnectRequest();
    (void)adapter_.takeOutgoing();
}

bool ReplayDriver::step(TimeNs steadyNowNs, std::uint64_t maxRecords) {
    for (std::uint64_t delivered = 0; delivered < maxRecords; ++delivered) {
        if (!fetch()) return false;
        if (speed_ > 0.0) {
            if (!anchored_) {
                anchored_ = true;
                anchorSteadyNs_ = steadyNowNs;
                anchorRecordNs_ = pending_.receiveNs;
            }
            const double elapsed = static_cast<double>(steadyNowNs - anchorSteadyNs_) * speed_;
            if (static_cast<double>(pending_.receiveNs - anchorRecordNs_) > elapsed) return true;
        }
        hasPending_ = false;
        deliver(pending_);
    }
    return true;
}

void ReplayDriver::runToEnd() {
    while (fetch()) {
        hasPending_ = false;
        deliver(pending_);
    }
}

}  // namespace flowscope::record
