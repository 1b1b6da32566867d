#include "schedules.h"

#include "dogwatch/core/clock.h"
#include "dogwatch/core/duration.h"
#include "dogwatch/schedule/schedule.h"
#include "dogwatch/schedule/zone.h"

namespace dogwatch {

ScheduleCompiler MakeScheduleCompiler() {
  return [](ScheduleKind kind, const std::string& expression,
            const std::string& tz) -> Result<std::shared_ptr<const NextFireFn>> {
    // A check's rules on top of the engine's: 5-field cron, 100 characters, must fire.
    auto parsed = kind == ScheduleKind::kCron
                      ? schedule::ParseCheckCron(expression, tz, SystemClock().Now())
                      : schedule::ParseCheckOnCalendar(expression, tz);
    if (!parsed) return parsed.error();
    return std::make_shared<const NextFireFn>(
        [compiled = *std::move(parsed)](TimePoint after) { return schedule::Next(compiled, after); });
  };
}

bool ValidTimeZone(const std::string& name) { return schedule::LocateZone(name).has_value(); }

std::string DescribeCheckSchedule(const Check& c) {
  std::string grace = ", grace " + FormatDuration(c.grace);
  if (c.kind == ScheduleKind::kSimple) {
    auto simple = schedule::MakeSimple(c.timeout, c.grace, std::chrono::seconds(1));
    return (simple ? schedule::Describe(*simple) : "Every " + FormatDuration(c.timeout)) + grace;
  }
  auto parsed = c.kind == ScheduleKind::kCron ? schedule::ParseCron(c.schedule, c.tz)
                                              : schedule::ParseOnCalendar(c.schedule, c.tz);
  std::string syntax = c.kind == ScheduleKind::kCron ? "cron" : "OnCalendar";
  if (!parsed) return syntax + " " + c.schedule + " (" + c.tz + ")" + grace;
  return schedule::Describe(*parsed) + " (" + syntax + " " + c.schedule + ")" + grace;
}

}  // namespace dogwatch
