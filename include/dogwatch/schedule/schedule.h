// Schedules: cron, OnCalendar and simple (period plus grace), compiled once and then asked for
// "the next fire time after t" in their IANA zone, with Healthchecks' semantics
// (docs/schedules.md). A Schedule is immutable and cheap to copy (shared state); every function
// here is pure and may be called from any thread.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dogwatch/core/result.h"
#include "dogwatch/core/time.h"

namespace dogwatch::schedule {

enum class Kind { kSimple, kCron, kOnCalendar };

// A check's own limits on top of what the engine parses (Healthchecks' model and forms).
inline constexpr size_t kMaxCheckExpression = 100;
inline constexpr Seconds kMinPeriod{60};
inline constexpr Seconds kMaxPeriod{365 * 24 * 3600};

struct ScheduleData;  // private to the module

class Schedule {
 public:
  explicit Schedule(std::shared_ptr<const ScheduleData> data) : data_(std::move(data)) {}

  Kind kind() const;
  const std::string& expression() const;  // as given; empty for simple schedules
  const std::string& zone_name() const;   // the zone passed in; "UTC" for simple schedules
  Seconds period() const;                 // simple schedules only, else 0
  Seconds grace() const;                  // simple schedules only, else 0
  const ScheduleData& data() const { return *data_; }

 private:
  std::shared_ptr<const ScheduleData> data_;
};

// Cron: 5 fields, or 6 with seconds first, matched in zone `tz`. Fails with kInvalidArgument and
// a message naming the field and the reason ("day-of-month: 32 is out of range 1-31"), or the
// zone ("unknown time zone 'Mars/Base'").
Result<Schedule> ParseCron(std::string_view expr, std::string_view tz = "UTC");

// OnCalendar: one or more systemd calendar events, one per line; a zone suffix on a line
// overrides `tz` for that line.
Result<Schedule> ParseOnCalendar(std::string_view expr, std::string_view tz = "UTC");

// Simple: period and grace each between `min_timeout` (config [checks] min_timeout, 1 s at
// the least) and 365 days.
Result<Schedule> MakeSimple(Seconds period, Seconds grace, Seconds min_timeout = kMinPeriod);

// As ParseCron, plus a check's rules: exactly 5 fields, at most 100 characters, and at least one
// fire time after `now`.
Result<Schedule> ParseCheckCron(std::string_view expr, std::string_view tz, TimePoint now);
// As ParseOnCalendar, plus at most 100 characters.
Result<Schedule> ParseCheckOnCalendar(std::string_view expr, std::string_view tz);

// The first fire time strictly after `after`, at one-second resolution (sub-seconds of `after`
// are dropped). nullopt when there is none: cron searches 50 years, OnCalendar stops at 2200.
// A simple schedule "fires" one period after `after`.
std::optional<TimePoint> Next(const Schedule& schedule, TimePoint after);

// Up to `count` fire times, each the Next() after the one before.
std::vector<TimePoint> NextN(const Schedule& schedule, TimePoint after, int count);

// In words: "At 03:00 every day (Europe/Riga)", "Every 15 minutes", "Every 2 hours".
std::string Describe(const Schedule& schedule);

}  // namespace dogwatch::schedule
