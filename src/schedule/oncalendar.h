// systemd OnCalendar expressions (one or more, one per line) parsed into CalendarSpecs, with the
// syntax Healthchecks' oncalendar library accepts (docs: schedule-semantics.md "OnCalendar").
// Pure apart from looking up time-zone suffixes in the system database; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "dogwatch/core/result.h"
#include "schedule/calendar.h"

namespace date {
class time_zone;
}

namespace dogwatch::schedule {

struct OnCalendarRule {
  CalendarSpec spec;
  const date::time_zone* zone = nullptr;  // from a suffix; nullptr means the schedule's zone
  std::string zone_name;                  // the suffix, or empty
  std::string special;                    // "daily" etc. (lower case), or empty
};

// One rule per non-blank line. Fails with kInvalidArgument naming the part and the reason, e.g.
// "year: 2300 is out of range 1970-2199".
Result<std::vector<OnCalendarRule>> ParseOnCalendarExpr(std::string_view text);

}  // namespace dogwatch::schedule
