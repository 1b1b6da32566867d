// Next(): the DST rules on top of the zone-free wall-clock search (schedule-semantics.md).
#include <date/tz.h>

#include <algorithm>

#include "dogwatch/schedule/schedule.h"
#include "schedule/calendar.h"
#include "schedule/schedule_data.h"

namespace dogwatch::schedule {
namespace {

using date::local_seconds;
using date::sys_seconds;
using std::chrono::seconds;

enum class Gap { kShiftForward, kSkip };

// Wall-clock matching (Debian cron's fixed-time jobs, and OnCalendar): search local times; an
// ambiguous time fires at its first occurrence only; a time in a gap moves to the first
// instant after it (cron) or does not fire (OnCalendar). Only instants after `after` count,
// so a start in the second pass of a repeated hour never yields an earlier time.
std::optional<sys_seconds> NextOnWallClock(const CalendarSpec& spec, const date::time_zone& zone,
                                           sys_seconds after, int max_year, Gap gap) {
  local_seconds from = zone.to_local(after) + seconds(1);
  while (true) {
    auto wall = NextWallMatch(spec, from.time_since_epoch().count(), max_year);
    if (!wall) return std::nullopt;
    const local_seconds w{seconds(*wall)};
    const date::local_info info = zone.get_info(w);
    sys_seconds candidate;
    switch (info.result) {
      case date::local_info::unique:
        candidate = sys_seconds((w - info.first.offset).time_since_epoch());
        break;
      case date::local_info::ambiguous:
        candidate = sys_seconds((w - info.first.offset).time_since_epoch());
        // Its first occurrence is already past, and so is every other wall time of the
        // overlap: resume where the overlap ends.
        if (candidate <= after) {
          from = local_seconds((info.first.end + info.first.offset).time_since_epoch());
          continue;
        }
        break;
      case date::local_info::nonexistent:
        if (gap == Gap::kSkip) {
          from = local_seconds((info.second.begin + info.second.offset).time_since_epoch());
          continue;
        }
        candidate = info.second.begin;
        break;
    }
    if (candidate > after) return candidate;
    from = w + seconds(1);
  }
}

// Instant matching (every other cron expression): each real instant whose local fields match,
// found segment by segment of constant UTC offset. Repeated hours fire twice; gaps never fire.
std::optional<sys_seconds> NextInstant(const CalendarSpec& spec, const date::time_zone& zone,
                                       sys_seconds after, int max_year) {
  sys_seconds t = after + seconds(1);
  while (true) {
    const date::sys_info info = zone.get_info(t);
    auto wall = NextWallMatch(spec, (t + info.offset).time_since_epoch().count(), max_year);
    if (!wall) return std::nullopt;
    const sys_seconds candidate{seconds(*wall) - info.offset};
    if (candidate < info.end) return candidate;
    t = info.end;
  }
}

int LocalYear(const date::time_zone& zone, sys_seconds t) {
  auto day = date::floor<date::days>(zone.to_local(t));
  return static_cast<int>(date::year_month_day(day).year());
}

}  // namespace

std::optional<TimePoint> Next(const Schedule& schedule, TimePoint after) {
  const ScheduleData& data = schedule.data();
  const sys_seconds start = date::floor<seconds>(after);
  // Far outside any real use, and beyond what the calendar code handles.
  constexpr sys_seconds kEarliest{seconds(-62135596800)};  // 0001-01-01
  constexpr sys_seconds kLatest{seconds(253402300799)};    // 9999-12-31T23:59:59
  if (start < kEarliest || start > kLatest) return std::nullopt;

  std::optional<sys_seconds> next;
  switch (data.kind) {
    case Kind::kSimple:
      return TimePoint(start + data.period);
    case Kind::kCron: {
      const int max_year = LocalYear(*data.zone, start) + 50;
      next = UsesDebianDst(data.cron)
                 ? NextOnWallClock(data.cron.spec, *data.zone, start, max_year, Gap::kShiftForward)
                 : NextInstant(data.cron.spec, *data.zone, start, max_year);
      break;
    }
    case Kind::kOnCalendar:
      // Several lines are merged: the earliest wins, and a time two lines share counts once.
      for (const OnCalendarRule& rule : data.rules) {
        auto t = NextOnWallClock(rule.spec, *rule.zone, start, kMaxYear, Gap::kSkip);
        if (t && (!next || *t < *next)) next = t;
      }
      break;
  }
  if (!next) return std::nullopt;
  return TimePoint(*next);
}

std::vector<TimePoint> NextN(const Schedule& schedule, TimePoint after, int count) {
  std::vector<TimePoint> out;
  for (int i = 0; i < count; ++i) {
    auto t = Next(schedule, after);
    if (!t) break;
    out.push_back(*t);
    after = *t;
  }
  return out;
}

}  // namespace dogwatch::schedule
