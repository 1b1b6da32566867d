#include "dogwatch/schedule/schedule.h"

#include "dogwatch/schedule/zone.h"
#include "schedule/schedule_data.h"
#include "schedule/text.h"

namespace dogwatch::schedule {

Kind Schedule::kind() const { return data_->kind; }
const std::string& Schedule::expression() const { return data_->expression; }
const std::string& Schedule::zone_name() const { return data_->zone_name; }
Seconds Schedule::period() const { return data_->period; }
Seconds Schedule::grace() const { return data_->grace; }

bool UsesDebianDst(const CronExpr& cron) { return cron.field_count == 5 && cron.fixed_time; }

Result<Schedule> ParseCron(std::string_view expr, std::string_view tz) {
  auto zone = LocateZone(tz);
  if (!zone) return zone.error();
  auto cron = ParseCronExpr(expr);
  if (!cron) return cron.error();
  auto data = std::make_shared<ScheduleData>();
  data->kind = Kind::kCron;
  data->expression = std::string(expr);
  data->zone_name = std::string(tz);
  data->zone = *zone;
  data->cron = *std::move(cron);
  return Schedule(std::move(data));
}

Result<Schedule> ParseOnCalendar(std::string_view expr, std::string_view tz) {
  auto zone = LocateZone(tz);
  if (!zone) return zone.error();
  auto rules = ParseOnCalendarExpr(expr);
  if (!rules) return rules.error();
  auto data = std::make_shared<ScheduleData>();
  data->kind = Kind::kOnCalendar;
  data->expression = std::string(expr);
  data->zone_name = std::string(tz);
  data->zone = *zone;
  data->rules = *std::move(rules);
  for (auto& rule : data->rules)
    if (rule.zone == nullptr) rule.zone = *zone;
  return Schedule(std::move(data));
}

Result<Schedule> MakeSimple(Seconds period, Seconds grace, Seconds min_timeout) {
  // The configurable floor may go down to 1 s but never below, nor above the default.
  const Seconds floor = std::clamp(min_timeout, Seconds(1), kMinPeriod);
  auto check = [&](const char* what, Seconds value) -> Status {
    if (value < floor || value > kMaxPeriod)
      return Fail(Errc::kInvalidArgument, "{}: {} s is out of range {}-{} s", what, value.count(),
                  floor.count(), kMaxPeriod.count());
    return Ok();
  };
  if (auto s = check("period", period); !s) return s.error();
  if (auto s = check("grace", grace); !s) return s.error();
  auto data = std::make_shared<ScheduleData>();
  data->kind = Kind::kSimple;
  data->period = period;
  data->grace = grace;
  return Schedule(std::move(data));
}

Result<Schedule> ParseCheckCron(std::string_view expr, std::string_view tz, TimePoint now) {
  if (expr.size() > kMaxCheckExpression)
    return Fail(Errc::kInvalidArgument, "cron expression is too long ({} characters, at most {})",
                expr.size(), kMaxCheckExpression);
  auto schedule = ParseCron(expr, tz);
  if (!schedule) return schedule;
  // The engine takes seconds as a sixth field; a check does not, as in Healthchecks.
  if (schedule->data().cron.field_count != 5)
    return Fail(Errc::kInvalidArgument, "cron expression needs 5 fields, got {}",
                schedule->data().cron.field_count);
  if (!Next(*schedule, now))
    return Fail(Errc::kInvalidArgument, "cron expression '{}' never fires", Printable(expr));
  return schedule;
}

Result<Schedule> ParseCheckOnCalendar(std::string_view expr, std::string_view tz) {
  if (expr.size() > kMaxCheckExpression)
    return Fail(Errc::kInvalidArgument,
                "OnCalendar expression is too long ({} characters, at most {})", expr.size(),
                kMaxCheckExpression);
  return ParseOnCalendar(expr, tz);
}

}  // namespace dogwatch::schedule
