// The check state machine of Healthchecks (reference §3) as a pure function: Step(state, event,
// now) returns the next state and, when the stored status changes, the flip. No I/O, no clock:
// time comes in as `now`. Thread-compatible; the monitor thread is its only production caller.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>

#include "dogwatch/core/time.h"
#include "dogwatch/model/types.h"

namespace dogwatch {

// "Next scheduled time strictly after t" for cron and OnCalendar checks; nullopt = never.
using NextFireFn = std::function<std::optional<TimePoint>(TimePoint)>;

// Everything Step() needs to know about one check.
struct CheckState {
  CheckStatus status = CheckStatus::kNew;  // stored status: new, up, down or paused
  ScheduleKind kind = ScheduleKind::kSimple;
  std::chrono::seconds timeout{86400};
  std::chrono::seconds grace{3600};
  std::shared_ptr<const NextFireFn> next_fire;  // required for cron and OnCalendar
  bool manual_resume = false;
  std::optional<TimePoint> last_ping;
  std::optional<TimePoint> last_start;
  std::optional<std::string> last_start_rid;
  std::optional<Micros> last_duration;
  int64_t n_pings = 0;
  std::optional<TimePoint> alert_after;  // derived: GoingDownAfter(), kept for the wheel
  // After dogwatch itself was down, deadlines that passed during the outage are held until one
  // grace period after start-up (SPEC §11, Healthchecks #664). Cleared by the next ping.
  std::optional<TimePoint> hold_until;
};

// A ping after ingest has classified it and the check's method and keyword filters have run.
struct PingSignal {
  PingKind kind = PingKind::kSuccess;
  std::optional<std::string> rid;
};
struct DeadlineSignal {};  // the timer wheel says alert_after may have passed
struct PauseSignal {};
struct ResumeSignal {};
using Signal = std::variant<PingSignal, DeadlineSignal, PauseSignal, ResumeSignal>;

struct FlipRecord {
  CheckStatus old_status;
  CheckStatus new_status;
  std::string reason;  // "", "fail", "timeout"
  TimePoint created;   // for timeouts: the exact deadline, so downtime statistics are right
  bool notify;         // false for new->up, paused->up, pause and resume
};

struct StepOutcome {
  CheckState state;
  std::optional<FlipRecord> flip;
  PingKind recorded_kind = PingKind::kSuccess;  // for pings: what to store (ign on manual_resume)
  std::optional<Micros> ping_duration;           // for pings: run time, when paired with a start
  bool rejected = false;                         // resume of a check that is not paused
};

// Runs paired by rid are only measured when shorter than this (reference §2.8).
inline constexpr auto kMaxRunDuration = std::chrono::hours(72);

StepOutcome Step(const CheckState& state, const Signal& signal, TimePoint now);

// The state of a stored check (next_fire left empty: the caller compiles the schedule).
CheckState StateFromCheck(const Check& c);

// When the check's grace period starts (the API's next_ping). with_started: a run in progress
// pulls it to last_start (reference §3.3). nullopt = never.
std::optional<TimePoint> GraceStart(const CheckState& state, bool with_started);
// When the check goes down if nothing arrives: GraceStart(with_started) + grace.
std::optional<TimePoint> GoingDownAfter(const CheckState& state);
// The status the API shows at `now`: new, up, grace, down or paused (v2/v3: never "started").
CheckStatus ComputedStatus(const CheckState& state, TimePoint now);

}  // namespace dogwatch
