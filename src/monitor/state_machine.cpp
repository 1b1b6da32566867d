#include "dogwatch/monitor/state_machine.h"

#include <algorithm>
#include <cassert>

#include "dogwatch/core/overloaded.h"

namespace dogwatch {
namespace {

// Does this transition alert? Healthchecks stays quiet on new->up and paused->up (§3.2).
bool Notifies(CheckStatus from, CheckStatus to) {
  return !(to == CheckStatus::kUp && (from == CheckStatus::kNew || from == CheckStatus::kPaused));
}

StepOutcome OnPing(const CheckState& in, const PingSignal& ping, TimePoint now) {
  StepOutcome out{in};
  CheckState& s = out.state;
  PingKind kind = ping.kind;
  if (s.status == CheckStatus::kPaused && s.manual_resume) kind = PingKind::kIgnored;
  out.recorded_kind = kind;

  if (kind != PingKind::kLog && kind != PingKind::kIgnored) s.hold_until.reset();
  if (kind == PingKind::kStart) {
    s.last_start = now;
    s.last_start_rid = ping.rid;
  } else if (kind == PingKind::kSuccess || kind == PingKind::kFail) {
    s.last_ping = now;
    s.last_duration.reset();
    if (s.last_start) {
      if (ping.rid == s.last_start_rid) {
        Micros run = now - *s.last_start;
        s.last_duration = run;
        if (run < kMaxRunDuration) out.ping_duration = run;
        s.last_start.reset();
        s.last_start_rid.reset();
      } else if (kind == PingKind::kFail || !ping.rid) {
        s.last_start.reset();
        s.last_start_rid.reset();
      }
      // else: a success for another run; this one is still going.
    }
    CheckStatus to = kind == PingKind::kFail ? CheckStatus::kDown : CheckStatus::kUp;
    if (to != s.status) {
      out.flip = FlipRecord{s.status, to, kind == PingKind::kFail ? "fail" : "", now,
                            Notifies(s.status, to)};
      s.status = to;
    }
  }
  // log and ign change nothing but the count.
  s.n_pings += 1;
  s.alert_after = GoingDownAfter(s);
  return out;
}

StepOutcome OnDeadline(const CheckState& in, TimePoint now) {
  StepOutcome out{in};
  CheckState& s = out.state;
  // Recompute before flipping: a stale wheel entry must never cause a false alert.
  if (s.status == CheckStatus::kDown || s.status == CheckStatus::kPaused) return out;
  auto deadline = GoingDownAfter(s);
  if (deadline && s.hold_until) deadline = std::max(*deadline, *s.hold_until);
  if (!deadline || now < *deadline) {
    s.alert_after = deadline;
    return out;
  }
  s.hold_until.reset();
  out.flip = FlipRecord{s.status, CheckStatus::kDown, "timeout", *deadline, true};
  s.status = CheckStatus::kDown;
  s.alert_after.reset();
  return out;
}

StepOutcome OnPause(const CheckState& in, TimePoint now) {
  StepOutcome out{in};
  CheckState& s = out.state;
  if (s.status == CheckStatus::kPaused) return out;
  out.flip = FlipRecord{s.status, CheckStatus::kPaused, "", now, false};
  s.status = CheckStatus::kPaused;
  s.last_start.reset();
  s.last_start_rid.reset();
  s.alert_after.reset();
  return out;
}

StepOutcome OnResume(const CheckState& in, TimePoint now) {
  StepOutcome out{in};
  CheckState& s = out.state;
  if (s.status != CheckStatus::kPaused) {
    out.rejected = true;
    return out;
  }
  out.flip = FlipRecord{s.status, CheckStatus::kNew, "", now, false};
  s.status = CheckStatus::kNew;
  s.last_start.reset();
  s.last_start_rid.reset();
  s.last_ping.reset();
  s.alert_after.reset();
  return out;
}

}  // namespace

CheckState StateFromCheck(const Check& c) {
  CheckState s;
  // grace is computed, never stored; a row saying so (hand-edited) is treated as up.
  s.status = c.status == CheckStatus::kGrace ? CheckStatus::kUp : c.status;
  s.kind = c.kind;
  s.timeout = c.timeout;
  s.grace = c.grace;
  s.manual_resume = c.manual_resume;
  s.last_ping = c.last_ping;
  s.last_start = c.last_start;
  s.last_start_rid = c.last_start_rid;
  s.last_duration = c.last_duration;
  s.n_pings = c.n_pings;
  s.alert_after = c.alert_after;
  return s;
}

std::optional<TimePoint> GraceStart(const CheckState& s, bool with_started) {
  std::optional<TimePoint> result;
  if (s.status == CheckStatus::kUp && s.last_ping) {
    if (s.kind == ScheduleKind::kSimple) {
      result = *s.last_ping + s.timeout;
    } else {
      assert(s.next_fire && "cron and OnCalendar checks need next_fire");
      if (s.next_fire) result = (*s.next_fire)(*s.last_ping);
    }
  }
  if (with_started && s.last_start && s.status != CheckStatus::kDown)
    result = result ? std::min(*result, *s.last_start) : *s.last_start;
  return result;
}

std::optional<TimePoint> GoingDownAfter(const CheckState& s) {
  auto start = GraceStart(s, /*with_started=*/true);
  if (!start) return std::nullopt;
  return *start + s.grace;
}

CheckStatus ComputedStatus(const CheckState& s, TimePoint now) {
  if (s.last_start && now >= *s.last_start + s.grace) return CheckStatus::kDown;
  if (s.status != CheckStatus::kUp) return s.status;
  auto start = GraceStart(s, /*with_started=*/false);
  if (!start) return CheckStatus::kUp;
  if (now >= *start + s.grace) return CheckStatus::kDown;
  if (now >= *start) return CheckStatus::kGrace;
  return CheckStatus::kUp;
}

StepOutcome Step(const CheckState& state, const Signal& signal, TimePoint now) {
  return std::visit(Overloaded{
                        [&](const PingSignal& p) { return OnPing(state, p, now); },
                        [&](const DeadlineSignal&) { return OnDeadline(state, now); },
                        [&](const PauseSignal&) { return OnPause(state, now); },
                        [&](const ResumeSignal&) { return OnResume(state, now); },
                    },
                    signal);
}

}  // namespace dogwatch
