// The compiled form behind a Schedule. Private to the module; immutable once built, so it is
// shared between threads without locks.
#pragma once

#include <string>
#include <vector>

#include "dogwatch/schedule/schedule.h"
#include "schedule/cron.h"
#include "schedule/oncalendar.h"

namespace dogwatch::schedule {

struct ScheduleData {
  Kind kind = Kind::kSimple;
  std::string expression;
  std::string zone_name = "UTC";
  const date::time_zone* zone = nullptr;  // cron, and OnCalendar lines without a suffix
  CronExpr cron;                          // kCron
  std::vector<OnCalendarRule> rules;      // kOnCalendar; every rule's zone is set
  Seconds period{0};                      // kSimple
  Seconds grace{0};                       // kSimple
};

// Which DST rule a cron expression follows (schedule-semantics.md, Cron 8 and 9).
bool UsesDebianDst(const CronExpr& cron);

}  // namespace dogwatch::schedule
