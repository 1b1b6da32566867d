#include "schedule/calendar.h"

#include <date/date.h>

#include <bit>

namespace dogwatch::schedule {
namespace {

constexpr int64_t kSecondsPerDay = 86400;
// Days 1, 8, 15, 22 and 29, shifted down by one: the days that share a weekday.
constexpr uint32_t kEverySeventh = (1u << 0) | (1u << 7) | (1u << 14) | (1u << 21) | (1u << 28);

// The lowest set bit at or above `from`, or -1.
template <typename Mask>
int NextBit(Mask mask, int from) {
  constexpr int kBits = sizeof(Mask) * 8;
  if (from >= kBits) return -1;
  Mask above = static_cast<Mask>(mask >> from << from);
  return above == 0 ? -1 : std::countr_zero(above);
}

bool IsLeap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

// Weekday (Sunday = 0) of the first of the month.
int FirstWeekday(int year, int month) {
  date::sys_days first = date::year(year) / date::month(month) / 1;
  return static_cast<int>(date::weekday(first).c_encoding());
}

bool YearMatches(const CalendarSpec& spec, int year) {
  if (spec.any_year) return true;
  return year >= kMinYear && year <= kMaxYear && spec.years.test(year - kMinYear);
}

// The first matching year at or after `year`, or max_year + 1.
int NextYear(const CalendarSpec& spec, int year, int max_year) {
  for (; year <= max_year; ++year)
    if (YearMatches(spec, year)) return year;
  return max_year + 1;
}

}  // namespace

int DaysInMonth(int year, int month) {
  static constexpr int kDays[13] = {0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeap(year) ? 29 : kDays[month];
}

uint32_t DayMask(const CalendarSpec& spec, int year, int month) {
  const int dim = DaysInMonth(year, month);
  const auto valid = static_cast<uint32_t>(((uint64_t{1} << (dim + 1)) - 1) & ~uint64_t{1});
  const int first_wd = FirstWeekday(year, month);
  // The first day of the month that falls on weekday w.
  auto first_day_of = [first_wd](int w) { return 1 + (w - first_wd + 7) % 7; };

  uint32_t day_part = spec.days;
  for (uint32_t from_end = spec.days_from_end; from_end != 0; from_end &= from_end - 1) {
    int k = std::countr_zero(from_end);
    if (k <= dim) day_part |= 1u << (dim + 1 - k);
  }
  if (spec.last_weekday) {
    int last_wd = (first_wd + dim - 1) % 7;
    int back = last_wd == 6 ? 1 : last_wd == 0 ? 2 : 0;  // Saturday, Sunday -> Friday
    day_part |= 1u << (dim - back);
  }

  uint32_t weekday_part = 0;
  for (int w = 0; w < 7; ++w) {
    int first = first_day_of(w);
    if (spec.weekdays & (1u << w)) weekday_part |= kEverySeventh << first;
    if (spec.last_of_weekday & (1u << w)) weekday_part |= 1u << (first + (dim - first) / 7 * 7);
    for (int k = 1; k <= 5; ++k) {
      int day = first + 7 * (k - 1);
      if ((spec.nth_weekday[w] & (1u << k)) && day <= dim) weekday_part |= 1u << day;
    }
  }
  uint32_t both = spec.days_and_weekdays ? (day_part & weekday_part) : (day_part | weekday_part);
  return both & valid;
}

std::optional<int64_t> NextWallMatch(const CalendarSpec& spec, int64_t from, int max_year) {
  int64_t day_number =
      from >= 0 ? from / kSecondsPerDay : (from - kSecondsPerDay + 1) / kSecondsPerDay;
  int64_t second_of_day = from - day_number * kSecondsPerDay;
  date::year_month_day ymd{date::sys_days(date::days(day_number))};
  int y = static_cast<int>(ymd.year());
  int mo = static_cast<int>(static_cast<unsigned>(ymd.month()));
  int d = static_cast<int>(static_cast<unsigned>(ymd.day()));
  int h = static_cast<int>(second_of_day / 3600);
  int mi = static_cast<int>(second_of_day / 60 % 60);
  int s = static_cast<int>(second_of_day % 60);

  // Each step either settles one field or moves a coarser one forward and resets the finer ones,
  // so the loop runs a few times per month visited, never once per minute.
  int mask_year = 0, mask_month = 0;
  uint32_t day_mask = 0;
  while (true) {
    if (y > max_year) return std::nullopt;
    if (!YearMatches(spec, y)) {
      y = NextYear(spec, y, max_year);
      mo = d = 1, h = mi = s = 0;
      continue;
    }
    int next_month = NextBit(spec.months, mo);
    if (next_month < 0) {
      ++y, mo = d = 1, h = mi = s = 0;
      continue;
    }
    if (next_month != mo) mo = next_month, d = 1, h = mi = s = 0;
    if (mask_year != y || mask_month != mo) {
      day_mask = DayMask(spec, y, mo);
      mask_year = y, mask_month = mo;
    }
    int next_day = NextBit(day_mask, d);
    if (next_day < 0) {
      ++mo, d = 1, h = mi = s = 0;
      if (mo > 12) ++y, mo = 1;
      continue;
    }
    if (next_day != d) d = next_day, h = mi = s = 0;
    int next_hour = NextBit(spec.hours, h);
    if (next_hour < 0) {
      ++d, h = mi = s = 0;
      continue;
    }
    if (next_hour != h) h = next_hour, mi = s = 0;
    int next_minute = NextBit(spec.minutes, mi);
    if (next_minute < 0) {
      ++h, mi = s = 0;
      continue;
    }
    if (next_minute != mi) mi = next_minute, s = 0;
    int next_second = NextBit(spec.seconds, s);
    if (next_second < 0) {
      ++mi, s = 0;
      continue;
    }
    date::sys_days day = date::year(y) / date::month(mo) / date::day(d);
    return day.time_since_epoch().count() * kSecondsPerDay + h * 3600 + next_minute * 60 +
           next_second;
  }
}

}  // namespace dogwatch::schedule
