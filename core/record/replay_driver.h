#pragma once
/// Drives a venue adapter from a recording exactly as the live connection did: each WebSocket
/// frame to onMessage, each REST body to onSnapshotResponse, each reconnect to onConnected, paced
/// by the recorded receive times at 1x, Nx, or as fast as possible.
///
/// Why the adapter's requests are ignored: a recording already holds the snapshots the live run
/// fetched, in the order they arrived; replaying them is what makes the books identical.

#include <cstdint>

#include "record/record.h"
#include "venues/venue_adapter.h"

namespace flowscope::record {

class ReplayDriver {
  public:
    /// `speed` <= 0: as fast as possible.
    ReplayDriver(RecordSource& source, venues::VenueAdapter& adapter, double speed = 0.0);

    /// Delivers the records due by `steadyNowNs` (the first call anchors the clock), at most
    /// `maxRecords`. Returns false once the recording is exhausted.
    bool step(TimeNs steadyNowNs, std::uint64_t maxRecords = UINT64_MAX);
    /// Delivers everything left, ignoring pacing.
    void runToEnd();
    void setSpeed(double speed);

    std::uint64_t records() const { return records_; }
    bool finished() const { return finished_; }
    /// Receive time of the last delivered record (recording clock).
    TimeNs lastReceiveNs() const { return lastReceiveNs_; }

  private:
    bool fetch();
    void deliver(const Record& r);

    RecordSource& source_;
    venues::VenueAdapter& adapter_;
    double speed_;
    Record pending_;
    bool hasPending_ = false;
    bool finished_ = false;
    bool connected_ = false;
    std::uint64_t records_ = 0;
    TimeNs anchorSteadyNs_ = 0;
    TimeNs anchorRecordNs_ = 0;
    bool anchored_ = false;
    TimeNs lastReceiveNs_ = 0;
};

}  // namespace flowscope::record
