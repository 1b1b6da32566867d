// Every transition of reference §3.2 and the deadline rules of §3.3, through Step().
#include <doctest/doctest.h>

#include "dogwatch/core/clock.h"
#include "dogwatch/monitor/state_machine.h"

using namespace dogwatch;
using namespace std::chrono_literals;

namespace {

TimePoint At(const char* iso) { return *ParseIso(iso); }

CheckState Simple(std::chrono::seconds timeout = 1h, std::chrono::seconds grace = 5min) {
  CheckState s;
  s.timeout = timeout;
  s.grace = grace;
  return s;
}

CheckState Up(TimePoint last_ping, std::chrono::seconds timeout = 1h, std::chrono::seconds grace = 5min) {
  CheckState s = Simple(timeout, grace);
  s.status = CheckStatus::kUp;
  s.last_ping = last_ping;
  s.alert_after = GoingDownAfter(s);
  return s;
}

PingSignal Sig(PingKind k, std::optional<std::string> rid = std::nullopt) { return {k, rid}; }

}  // namespace

TEST_CASE("monitor: new + success -> up, flip without notification") {
  FakeClock clock{At("2025-01-01T00:00:00Z")};
  auto out = Step(Simple(), Sig(PingKind::kSuccess), clock.Now());
  CHECK(out.state.status == CheckStatus::kUp);
  REQUIRE(out.flip);
  CHECK(out.flip->old_status == CheckStatus::kNew);
  CHECK(out.flip->new_status == CheckStatus::kUp);
  CHECK_FALSE(out.flip->notify);
  CHECK(out.state.n_pings == 1);
  CHECK(out.state.last_ping == clock.Now());
  CHECK(out.state.alert_after == clock.Now() + 1h + 5min);
}

TEST_CASE("monitor: new + fail -> down with reason fail, notified") {
  FakeClock clock{At("2025-01-01T00:00:00Z")};
  auto out = Step(Simple(), Sig(PingKind::kFail), clock.Now());
  CHECK(out.state.status == CheckStatus::kDown);
  REQUIRE(out.flip);
  CHECK(out.flip->reason == "fail");
  CHECK(out.flip->notify);
  CHECK_FALSE(out.state.alert_after.has_value());  // down checks have no deadline
}

TEST_CASE("monitor: new + start stays new, and goes down after grace with no completion") {
  FakeClock clock{At("2025-01-01T00:00:00Z")};
  auto started = Step(Simple(1h, 5min), Sig(PingKind::kStart), clock.Now());
  CHECK(started.state.status == CheckStatus::kNew);
  CHECK_FALSE(started.flip);
  CHECK(started.state.last_start == clock.Now());
  CHECK(started.state.last_ping == std::nullopt);
  CHECK(started.state.alert_after == clock.Now() + 5min);

  clock.Advance(4min);
  CHECK(ComputedStatus(started.state, clock.Now()) == CheckStatus::kNew);
  auto early = Step(started.state, DeadlineSignal{}, clock.Now());
  CHECK_FALSE(early.flip);

  clock.Advance(1min);
  CHECK(ComputedStatus(started.state, clock.Now()) == CheckStatus::kDown);
  auto late = Step(started.state, DeadlineSignal{}, clock.Now());
  REQUIRE(late.flip);
  CHECK(late.flip->old_status == CheckStatus::kNew);
  CHECK(late.flip->new_status == CheckStatus::kDown);
  CHECK(late.flip->reason == "timeout");
  CHECK(late.flip->notify);
}

TEST_CASE("monitor: up + success stays up without a flip and moves the deadline") {
  FakeClock clock{At("2025-01-01T00:00:00Z")};
  auto s = Up(clock.Now());
  clock.Advance(30min);
  auto out = Step(s, Sig(PingKind::kSuccess), clock.Now());
  CHECK(out.state.status == CheckStatus::kUp);
  CHECK_FALSE(out.flip);
  CHECK(out.state.alert_after == clock.Now() + 1h + 5min);
}

TEST_CASE("monitor: up + fail -> down, notified") {
  FakeClock clock{At("2025-01-01T00:00:00Z")};
  auto out = Step(Up(clock.Now()), Sig(PingKind::kFail), clock.Now() + 1min);
  REQUIRE(out.flip);
  CHECK(out.flip->new_status == CheckStatus::kDown);
  CHECK(out.flip->reason == "fail");
  CHECK(out.flip->notify);
}

TEST_CASE("monitor: no ping within timeout + grace flips up to down at the exact deadline") {
  FakeClock clock{At("2025-01-01T00:00:00Z")};
  auto state = Up(clock.Now(), 1h, 5min);
  clock.Advance(1h);
  CHECK(ComputedStatus(state, clock.Now()) == CheckStatus::kGrace);
  CHECK_FALSE(Step(state, DeadlineSignal{}, clock.Now()).flip);
  clock.Advance(5min);
  CHECK(ComputedStatus(state, clock.Now()) == CheckStatus::kDown);
  clock.Advance(7s);  // the monitor may notice a little late
  auto out = Step(state, DeadlineSignal{}, clock.Now());
  CHECK(out.state.status == CheckStatus::kDown);
  REQUIRE(out.flip);
  CHECK(out.flip->reason == "timeout");
  CHECK(out.flip->created == At("2025-01-01T01:05:00Z"));  // the deadline, not when noticed
}

TEST_CASE("monitor: a stale deadline signal changes nothing") {
  FakeClock clock{At("2025-01-01T00:00:00Z")};
  auto state = Up(clock.Now());
  auto out = Step(state, DeadlineSignal{}, clock.Now() + 10min);
  CHECK_FALSE(out.flip);
  CHECK(out.state.status == CheckStatus::kUp);
  CHECK(out.state.alert_after == state.alert_after);
}

TEST_CASE("monitor: down + success -> up, notified (recovery)") {
  FakeClock clock{At("2025-01-01T00:00:00Z")};
  auto down = Step(Simple(), Sig(PingKind::kFail), clock.Now()).state;
  auto out = Step(down, Sig(PingKind::kSuccess), clock.Now() + 1h);
  REQUIRE(out.flip);
  CHECK(out.flip->old_status == CheckStatus::kDown);
  CHECK(out.flip->new_status == CheckStatus::kUp);
  CHECK(out.flip->notify);
}

TEST_CASE("monitor: down + fail stays down with no flip") {
  FakeClock clock{At("2025-01-01T00:00:00Z")};
  auto down = Step(Simple(), Sig(PingKind::kFail), clock.Now()).state;
  auto out = Step(down, Sig(PingKind::kFail), clock.Now() + 1min);
  CHECK_FALSE(out.flip);
  CHECK(out.state.n_pings == 2);
}

TEST_CASE("monitor: pause flips to paused without notification and clears the deadline") {
  FakeClock clock{At("2025-01-01T00:00:00Z")};
  auto state = Up(clock.Now());
  state.last_start = clock.Now();
  auto out = Step(state, PauseSignal{}, clock.Now());
  CHECK(out.state.status == CheckStatus::kPaused);
  REQUIRE(out.flip);
  CHECK_FALSE(out.flip->notify);
  CHECK_FALSE(out.state.alert_after.has_value());
  CHECK_FALSE(out.state.last_start.has_value());
  auto again = Step(out.state, PauseSignal{}, clock.Now());
  CHECK_FALSE(again.flip);
  CHECK_FALSE(Step(out.state, DeadlineSignal{}, clock.Now() + 48h).flip);
}

TEST_CASE("monitor: paused + success -> up without notification; + fail -> down with one") {
  FakeClock clock{At("2025-01-01T00:00:00Z")};
  auto paused = Step(Up(clock.Now()), PauseSignal{}, clock.Now()).state;
  auto up = Step(paused, Sig(PingKind::kSuccess), clock.Now());
  REQUIRE(up.flip);
  CHECK(up.flip->new_status == CheckStatus::kUp);
  CHECK_FALSE(up.flip->notify);
  auto down = Step(paused, Sig(PingKind::kFail), clock.Now());
  REQUIRE(down.flip);
  CHECK(down.flip->new_status == CheckStatus::kDown);
  CHECK(down.flip->notify);
}

TEST_CASE("monitor: with manual_resume a paused check records every ping as ign") {
  FakeClock clock{At("2025-01-01T00:00:00Z")};
  auto s = Up(clock.Now());
  s.manual_resume = true;
  auto paused = Step(s, PauseSignal{}, clock.Now()).state;
  for (auto k : {PingKind::kSuccess, PingKind::kFail, PingKind::kStart}) {
    auto out = Step(paused, Sig(k), clock.Now());
    CHECK(out.recorded_kind == PingKind::kIgnored);
    CHECK(out.state.status == CheckStatus::kPaused);
    CHECK_FALSE(out.flip);
    CHECK(out.state.n_pings == paused.n_pings + 1);
  }
}

TEST_CASE("monitor: resume only from paused, to new, clearing last ping") {
  FakeClock clock{At("2025-01-01T00:00:00Z")};
  CHECK(Step(Up(clock.Now()), ResumeSignal{}, clock.Now()).rejected);
  auto paused = Step(Up(clock.Now()), PauseSignal{}, clock.Now()).state;
  auto out = Step(paused, ResumeSignal{}, clock.Now());
  CHECK_FALSE(out.rejected);
  CHECK(out.state.status == CheckStatus::kNew);
  REQUIRE(out.flip);
  CHECK_FALSE(out.flip->notify);
  CHECK_FALSE(out.state.last_ping.has_value());
}

TEST_CASE("monitor: log and ign pings change nothing but the count") {
  FakeClock clock{At("2025-01-01T00:00:00Z")};
  auto s = Up(clock.Now());
  for (auto k : {PingKind::kLog, PingKind::kIgnored}) {
    auto out = Step(s, Sig(k), clock.Now() + 10min);
    CHECK_FALSE(out.flip);
    CHECK(out.state.last_ping == s.last_ping);
    CHECK(out.state.alert_after == s.alert_after);
    CHECK(out.state.n_pings == s.n_pings + 1);
  }
}

TEST_CASE("monitor: start then success with the same rid measures the run") {
  FakeClock clock{At("2025-01-01T00:00:00Z")};
  auto s = Step(Up(clock.Now()), Sig(PingKind::kStart, "r1"), clock.Now()).state;
  clock.Advance(90s);
  auto out = Step(s, Sig(PingKind::kSuccess, "r1"), clock.Now());
  CHECK(out.state.last_duration == Micros(90s));
  CHECK(out.ping_duration == Micros(90s));
  CHECK_FALSE(out.state.last_start.has_value());
}

TEST_CASE("monitor: start and success without rids pair too") {
  FakeClock clock{At("2025-01-01T00:00:00Z")};
  auto s = Step(Simple(), Sig(PingKind::kStart), clock.Now()).state;
  clock.Advance(2s);
  auto out = Step(s, Sig(PingKind::kSuccess), clock.Now());
  CHECK(out.state.last_duration == Micros(2s));
}

TEST_CASE("monitor: a success for another rid leaves the run open") {
  FakeClock clock{At("2025-01-01T00:00:00Z")};
  auto s = Step(Up(clock.Now()), Sig(PingKind::kStart, "r1"), clock.Now()).state;
  auto out = Step(s, Sig(PingKind::kSuccess, "r2"), clock.Now() + 1s);
  CHECK(out.state.last_start == clock.Now());
  CHECK(out.state.last_start_rid == "r1");
  CHECK_FALSE(out.state.last_duration.has_value());
  CHECK(out.state.last_ping == clock.Now() + 1s);
}

TEST_CASE("monitor: a fail for another rid, or a success without one, closes the run unmeasured") {
  FakeClock clock{At("2025-01-01T00:00:00Z")};
  auto s = Step(Up(clock.Now()), Sig(PingKind::kStart, "r1"), clock.Now()).state;
  auto fail = Step(s, Sig(PingKind::kFail, "r2"), clock.Now() + 1s);
  CHECK_FALSE(fail.state.last_start.has_value());
  CHECK_FALSE(fail.state.last_duration.has_value());
  auto plain = Step(s, Sig(PingKind::kSuccess), clock.Now() + 1s);
  CHECK_FALSE(plain.state.last_start.has_value());
  CHECK_FALSE(plain.ping_duration.has_value());
}

TEST_CASE("monitor: runs longer than 72 hours keep last_duration but no ping duration") {
  FakeClock clock{At("2025-01-01T00:00:00Z")};
  auto s = Simple(24h * 30, 24h * 30);
  s = Step(s, Sig(PingKind::kStart), clock.Now()).state;
  clock.Advance(73h);
  auto out = Step(s, Sig(PingKind::kSuccess), clock.Now());
  CHECK(out.state.last_duration == Micros(73h));
  CHECK_FALSE(out.ping_duration.has_value());
}

TEST_CASE("monitor: a run in progress on an up check pulls the deadline to start + grace") {
  FakeClock clock{At("2025-01-01T00:00:00Z")};
  auto s = Up(clock.Now(), 1h, 5min);
  clock.Advance(10min);
  auto started = Step(s, Sig(PingKind::kStart), clock.Now()).state;
  CHECK(GraceStart(started, true) == clock.Now());
  CHECK(GraceStart(started, false) == At("2025-01-01T01:00:00Z"));
  CHECK(started.alert_after == clock.Now() + 5min);
  auto out = Step(started, DeadlineSignal{}, clock.Now() + 5min);
  REQUIRE(out.flip);
  CHECK(out.flip->reason == "timeout");
}

TEST_CASE("monitor: cron checks take their grace start from the schedule after the last ping") {
  FakeClock clock{At("2025-01-01T00:00:30Z")};
  CheckState s;
  s.kind = ScheduleKind::kCron;
  s.grace = 2min;
  // Every hour on the hour, standing in for a parsed "0 * * * *".
  s.next_fire = std::make_shared<const NextFireFn>([](TimePoint t) -> std::optional<TimePoint> {
    auto hour = std::chrono::floor<std::chrono::hours>(t);
    return TimePoint(hour + 1h);
  });
  auto up = Step(s, Sig(PingKind::kSuccess), clock.Now()).state;
  CHECK(GraceStart(up, false) == At("2025-01-01T01:00:00Z"));
  CHECK(up.alert_after == At("2025-01-01T01:02:00Z"));
  CHECK(ComputedStatus(up, At("2025-01-01T01:01:00Z")) == CheckStatus::kGrace);
  CHECK(ComputedStatus(up, At("2025-01-01T01:02:00Z")) == CheckStatus::kDown);
}

TEST_CASE("monitor: a schedule that never fires again means never down") {
  CheckState s;
  s.kind = ScheduleKind::kOnCalendar;
  s.next_fire = std::make_shared<const NextFireFn>([](TimePoint) { return std::optional<TimePoint>(); });
  auto up = Step(s, Sig(PingKind::kSuccess), At("2025-01-01T00:00:00Z")).state;
  CHECK_FALSE(up.alert_after.has_value());
  CHECK(ComputedStatus(up, At("2199-01-01T00:00:00Z")) == CheckStatus::kUp);
}

TEST_CASE("monitor: a start-up hold delays a deadline that passed while dogwatch was down") {
  FakeClock clock{At("2025-01-01T00:00:00Z")};
  auto s = Up(clock.Now(), 1h, 5min);  // due down at 01:05
  clock.Advance(3h);                    // dogwatch was down from 00:30 to 03:00
  s.hold_until = clock.Now() + s.grace;
  auto held = Step(s, DeadlineSignal{}, clock.Now());
  CHECK_FALSE(held.flip);
  CHECK(held.state.alert_after == At("2025-01-01T03:05:00Z"));
  auto after = Step(held.state, DeadlineSignal{}, At("2025-01-01T03:05:00Z"));
  REQUIRE(after.flip);
  CHECK(after.flip->created == At("2025-01-01T03:05:00Z"));
  CHECK_FALSE(after.state.hold_until.has_value());
  // A ping during the hold ends it and the check is simply up.
  auto pinged = Step(held.state, Sig(PingKind::kSuccess), clock.Now() + 1min);
  CHECK_FALSE(pinged.state.hold_until.has_value());
  CHECK(pinged.state.alert_after == clock.Now() + 1min + 1h + 5min);
}
