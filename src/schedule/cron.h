// Cron expressions (5 fields, or 6 with seconds first) parsed into a CalendarSpec, with the
// syntax and validation of Healthchecks' cronsim (docs: schedule-semantics.md "Cron").
// Pure; thread-safe.
#pragma once

#include <string_view>

#include "dogwatch/core/result.h"
#include "schedule/calendar.h"

namespace dogwatch::schedule {

struct CronExpr {
  CalendarSpec spec;
  int field_count = 5;
  // Neither the minute nor the hour field starts with '*': with 5 fields this selects Debian
  // cron's wall-clock DST handling.
  bool fixed_time = false;
};

// Fails with kInvalidArgument and a message naming the field and the reason, e.g.
// "day-of-month: 32 is out of range 1-31".
Result<CronExpr> ParseCronExpr(std::string_view text);

}  // namespace dogwatch::schedule
