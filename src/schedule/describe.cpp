// Describe(): a schedule in words, for the UI and for messages. Common shapes get short phrases
// ("Every 15 minutes", "At 09:00 on Monday through Friday"); anything else is listed field by
// field, so the description is never wrong, only longer.
#include <fmt/format.h>

#include <bit>
#include <functional>
#include <string>
#include <vector>

#include "dogwatch/schedule/schedule.h"
#include "schedule/schedule_data.h"

namespace dogwatch::schedule {
namespace {

constexpr const char* kWeekdayNames[7] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                          "Thursday", "Friday", "Saturday"};
constexpr const char* kMonthNames[13] = {"",        "January",  "February", "March",  "April",
                                         "May",     "June",     "July",     "August", "September",
                                         "October", "November", "December"};
constexpr const char* kOrdinals[6] = {"", "first", "second", "third", "fourth", "fifth"};

std::vector<int> Values(uint64_t bits) {
  std::vector<int> out;
  for (; bits != 0; bits &= bits - 1) out.push_back(std::countr_zero(bits));
  return out;
}

// "a", "a and b", "a, b and c".
std::string JoinWords(const std::vector<std::string>& words) {
  std::string out;
  for (size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += i + 1 == words.size() ? " and " : ", ";
    out += words[i];
  }
  return out;
}

// Values as runs: "1-7 and 15", or with names "Monday through Friday".
std::string Runs(uint64_t bits, const std::function<std::string(int)>& name, const char* through) {
  std::vector<std::string> parts;
  std::vector<int> v = Values(bits);
  for (size_t i = 0; i < v.size();) {
    size_t j = i;
    while (j + 1 < v.size() && v[j + 1] == v[j] + 1) ++j;
    if (j >= i + 2) {
      parts.push_back(name(v[i]) + through + name(v[j]));
    } else {
      for (size_t k = i; k <= j; ++k) parts.push_back(name(v[k]));
    }
    i = j + 1;
  }
  return JoinWords(parts);
}

std::string Number(int v) { return std::to_string(v); }
std::string Plural(int n, const char* unit) {
  return n == 1 ? std::string(unit) : fmt::format("{} {}s", n, unit);
}

// n if bits are exactly {0, n, 2n, ...} over [0, size) with n dividing size, else 0.
int EvenStep(uint64_t bits, int size) {
  for (int n = 1; n < size; ++n) {
    if (size % n != 0) continue;
    uint64_t want = 0;
    for (int v = 0; v < size; v += n) want |= uint64_t{1} << v;
    if (want == bits) return n;
  }
  return 0;
}

struct TimePhrase {
  std::string text;
  bool periodic = false;  // "every ..." rather than "at ..."
};

TimePhrase DescribeTime(const CalendarSpec& s) {
  const uint64_t all60 = (uint64_t{1} << 60) - 1;
  const uint32_t all24 = (1u << 24) - 1;
  const bool on_the_minute = s.seconds == 1;
  if (s.hours == all24 && s.minutes == all60 && !on_the_minute) {
    if (int n = EvenStep(s.seconds, 60)) return {"every " + Plural(n, "second"), true};
  }
  if (on_the_minute && s.hours == all24) {
    if (int n = EvenStep(s.minutes, 60)) return {"every " + Plural(n, "minute"), true};
    if (std::popcount(s.minutes) == 1)
      return {s.minutes == 1 ? "every hour"
                             : fmt::format("every hour at minute {}", std::countr_zero(s.minutes)),
              true};
  }
  if (on_the_minute && s.minutes == 1) {
    if (int n = EvenStep(s.hours, 24); n > 1) return {"every " + Plural(n, "hour"), true};
  }
  auto hours = Values(s.hours), minutes = Values(s.minutes), seconds = Values(s.seconds);
  if (hours.size() * minutes.size() * seconds.size() <= 6) {
    std::vector<std::string> times;
    for (int h : hours)
      for (int m : minutes)
        for (int sec : seconds)
          times.push_back(on_the_minute ? fmt::format("{:02}:{:02}", h, m)
                                        : fmt::format("{:02}:{:02}:{:02}", h, m, sec));
    return {"at " + JoinWords(times), false};
  }
  std::string text = fmt::format("at minute {} past hour {}", Runs(s.minutes, Number, "-"),
                                 Runs(s.hours, Number, "-"));
  if (!on_the_minute)
    text = fmt::format("at second {} of minute {} past hour {}", Runs(s.seconds, Number, "-"),
                       Runs(s.minutes, Number, "-"), Runs(s.hours, Number, "-"));
  return {text, false};
}

// The day part, e.g. "the last day of the month", or "" when it allows every day.
std::string DescribeDays(const CalendarSpec& s) {
  std::vector<std::string> parts;
  if (s.days != 0xfffffffeu && s.days != 0) {
    parts.push_back(fmt::format("{} {} of the month", std::popcount(s.days) == 1 ? "day" : "days",
                                Runs(s.days, Number, "-")));
  }
  if (s.days_from_end != 0) {
    uint32_t k = static_cast<uint32_t>(std::bit_width(s.days_from_end)) - 1;
    if (s.days_from_end == ((1u << (k + 1)) - 2) && k > 1) {
      parts.push_back(fmt::format("the last {} days of the month", k));
    } else {
      for (int v : Values(s.days_from_end))
        parts.push_back(v == 1 ? "the last day of the month"
                               : fmt::format("day {} from the end of the month", v));
    }
  }
  if (s.last_weekday) parts.push_back("the last weekday of the month");
  return JoinWords(parts);
}

// The weekday part, e.g. "Monday through Friday", or "" when it allows every day.
std::string DescribeWeekdays(const CalendarSpec& s) {
  std::vector<std::string> parts;
  auto name = [](int w) { return std::string(kWeekdayNames[w]); };
  if (s.weekdays != 0x7f && s.weekdays != 0) {
    // Monday first, so "Monday through Sunday" reads as a week does.
    uint64_t monday_first = (s.weekdays >> 1) | ((s.weekdays & 1u) << 6);
    parts.push_back(Runs(
        monday_first, [&](int i) { return name((i + 1) % 7); }, " through "));
  }
  for (int w = 0; w < 7; ++w) {
    for (int k : Values(s.nth_weekday[w]))
      parts.push_back(fmt::format("the {} {} of the month", kOrdinals[k], name(w)));
    if (s.last_of_weekday & (1u << w))
      parts.push_back(fmt::format("the last {} of the month", name(w)));
  }
  return JoinWords(parts);
}

// "on day 13 of the month if it is a Friday", "" for every day.
std::string DescribeDayRule(const CalendarSpec& s) {
  std::string days = DescribeDays(s), weekdays = DescribeWeekdays(s);
  const bool all_days = days.empty() && s.days == 0xfffffffeu;
  if (s.days_and_weekdays) {
    if (all_days) return weekdays.empty() ? "" : "on " + weekdays;
    if (weekdays.empty()) return "on " + days;
    return fmt::format("on {} if it is {}", days, weekdays);
  }
  return fmt::format("on {} and on {}", days, weekdays);
}

std::string DescribeMonthsAndYears(const CalendarSpec& s) {
  std::string out;
  if (s.months != 0x1ffeu)
    out += " in " + Runs(
                        s.months, [](int m) { return std::string(kMonthNames[m]); }, " through ");
  if (!s.any_year) {
    uint64_t bits = 0;  // years within 64 of the first, enough for a description
    int first = -1;
    for (int i = 0; i <= kMaxYear - kMinYear; ++i) {
      if (!s.years.test(i)) continue;
      if (first < 0) first = i;
      if (i - first < 64) bits |= uint64_t{1} << (i - first);
    }
    if (first >= 0)
      out += " in " + Runs(
                          bits, [&](int i) { return Number(kMinYear + first + i); }, "-");
  }
  return out;
}

std::string Capitalized(std::string text) {
  if (!text.empty() && text[0] >= 'a' && text[0] <= 'z') text[0] = static_cast<char>(text[0] - 32);
  return text;
}

// Cron puts the time first ("At 09:00 on Monday"), except before the days of a month ("On the
// last day of the month at 00:00"); OnCalendar puts the day first ("Every day at 00:00").
std::string DescribeSpec(const CalendarSpec& s, bool day_first) {
  TimePhrase time = DescribeTime(s);
  std::string days = DescribeDayRule(s);
  std::string tail = DescribeMonthsAndYears(s);
  if (time.periodic) return Capitalized(time.text + (days.empty() ? "" : " " + days) + tail);
  if (days.empty()) {
    return day_first ? Capitalized("every day " + time.text + tail)
                     : Capitalized(time.text + " every day" + tail);
  }
  const bool month_days = days.starts_with("on the") || days.starts_with("on day");
  if (day_first || (month_days && days.find(" if it is ") == std::string::npos))
    return Capitalized(days + tail + " " + time.text);
  return Capitalized(time.text + " " + days + tail);
}

std::string ZoneSuffix(const std::string& zone) {
  return zone == "UTC" || zone == "Etc/UTC" ? "" : fmt::format(" ({})", zone);
}

std::string DescribePeriod(Seconds period) {
  int64_t s = period.count();
  if (s % 86400 == 0) return "Every " + Plural(static_cast<int>(s / 86400), "day");
  if (s % 3600 == 0) return "Every " + Plural(static_cast<int>(s / 3600), "hour");
  if (s % 60 == 0) return "Every " + Plural(static_cast<int>(s / 60), "minute");
  return "Every " + Plural(static_cast<int>(s), "second");
}

}  // namespace

std::string Describe(const Schedule& schedule) {
  const ScheduleData& data = schedule.data();
  switch (data.kind) {
    case Kind::kSimple:
      return DescribePeriod(data.period);
    case Kind::kCron:
      return DescribeSpec(data.cron.spec, false) + ZoneSuffix(data.zone_name);
    case Kind::kOnCalendar: {
      std::vector<std::string> lines;
      for (const OnCalendarRule& rule : data.rules)
        lines.push_back(DescribeSpec(rule.spec, true) +
                        ZoneSuffix(rule.zone_name.empty() ? data.zone_name : rule.zone_name));
      std::string out;
      for (const auto& line : lines) out += (out.empty() ? "" : "; ") + line;
      return out;
    }
  }
  return {};
}

}  // namespace dogwatch::schedule
