// CalendarSpec: the wall-clock fields a cron or OnCalendar expression matches, as bitmasks, and
// the field-by-field search for the next matching wall time. Zone-free; the DST rules live in
// schedule.cpp. Pure functions on immutable values; thread-safe.
#pragma once

#include <bitset>
#include <cstdint>
#include <optional>

namespace dogwatch::schedule {

inline constexpr int kMinYear = 1970;
inline constexpr int kMaxYear = 2199;

struct CalendarSpec {
  uint64_t seconds = 0;  // bit s, 0..59
  uint64_t minutes = 0;  // bit m, 0..59
  uint32_t hours = 0;    // bit h, 0..23
  uint32_t months = 0;   // bit m, 1..12
  // The day part: a day matches it if any of these hold.
  uint32_t days = 0;           // bit d, 1..31
  uint32_t days_from_end = 0;  // bit k: the k-th last day (1 = last); cron L, OnCalendar ~
  bool last_weekday = false;   // cron LW: the last Monday..Friday of the month
  // The weekday part (Sunday = 0): a day matches it if any of these hold.
  uint8_t weekdays = 0;         // bit w
  uint8_t last_of_weekday = 0;  // bit w: cron wL, the last such weekday of the month
  uint8_t nth_weekday[7] = {};  // [w] bit k (1..5): cron w#k, the k-th such weekday
  // Cron's rule: both parts must match, or (when neither field starts with '*') either one.
  bool days_and_weekdays = true;
  // OnCalendar years; empty means any year.
  bool any_year = true;
  std::bitset<kMaxYear - kMinYear + 1> years;
};

// Bit `d` (1..31) set for each day of year/month that the day and weekday parts select.
uint32_t DayMask(const CalendarSpec& spec, int year, int month);

// The first wall-clock time (seconds since the local epoch) at or after `from` whose fields all
// match, with a year no later than `max_year`; nullopt if there is none. Jumps field by field,
// so a search over decades costs a few hundred steps.
std::optional<int64_t> NextWallMatch(const CalendarSpec& spec, int64_t from, int max_year);

// Days in a month, February of leap years included.
int DaysInMonth(int year, int month);

}  // namespace dogwatch::schedule
