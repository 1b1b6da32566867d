#include "schedules.h"

#include "dogwatch/core/clock.h"
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

}  // namespace dogwatch
