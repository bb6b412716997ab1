#pragma once
/// Maps wall-clock time to simulated time at an adjustable speed (1 = real time, 10 = ten times
/// faster, 0 = paused). Simulated time stays continuous across speed changes: a change rebases the
/// clock at the moment it happens instead of rescaling the time already elapsed.
///
/// Threading: a plain value owned by the thread that drives the simulator.

#include <cmath>

#include "book/types.h"

namespace flowscope::sim {

class SimClock {
  public:
    /// Starts at wall time `wallNs`, showing simulated time `simNs`.
    explicit SimClock(TimeNs wallNs = 0, TimeNs simNs = 0, double speed = 1.0)
        : wallBaseNs_(wallNs), simBaseNs_(simNs), speed_(speed > 0 ? speed : 0) {}

    double speed() const { return speed_; }
    /// Negative speeds are treated as 0 (paused); time never runs backwards.
    void setSpeed(double speed, TimeNs wallNs) {
        simBaseNs_ = simAt(wallNs);
        wallBaseNs_ = wallNs;
        speed_ = speed > 0 ? speed : 0;
    }

    /// Simulated time at wall time `wallNs` (never before the last rebase).
    TimeNs simAt(TimeNs wallNs) const {
        const TimeNs elapsed = wallNs > wallBaseNs_ ? wallNs - wallBaseNs_ : 0;
        return simBaseNs_ +
               static_cast<TimeNs>(std::llround(static_cast<double>(elapsed) * speed_));
    }
    /// Wall time needed for `simNs` of simulated time to pass (e.g. to size a timer); -1 if paused.
    TimeNs wallFor(TimeNs simNs) const {
        if (speed_ <= 0) return -1;
        return static_cast<TimeNs>(std::llround(static_cast<double>(simNs) / speed_));
    }

  private:
    TimeNs wallBaseNs_;
    TimeNs simBaseNs_;
    double speed_;
};

}  // namespace flowscope::sim
