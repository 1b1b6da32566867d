#include "schedule/oncalendar.h"

#include <array>
#include <functional>
#include <string>
#include <type_traits>

#include "dogwatch/schedule/zone.h"
#include "schedule/text.h"

namespace dogwatch::schedule {
namespace {

struct Part {
  const char* name;
  int min;
  int max;
};

constexpr Part kYear{"year", kMinYear, kMaxYear};
constexpr Part kMonth{"month", 1, 12};
constexpr Part kDay{"day", 1, 31};
constexpr Part kHour{"hour", 0, 23};
constexpr Part kMinute{"minute", 0, 59};
constexpr Part kSecond{"second", 0, 59};

// The specials of systemd.time(7) that the oncalendar library knows, as expressions.
constexpr std::array<std::pair<const char*, const char*>, 9> kSpecials = {{
    {"minutely", "*-*-* *:*:00"},
    {"hourly", "*-*-* *:00:00"},
    {"daily", "*-*-* 00:00:00"},
    {"weekly", "Mon *-*-* 00:00:00"},
    {"monthly", "*-*-01 00:00:00"},
    {"yearly", "*-01-01 00:00:00"},
    {"annually", "*-01-01 00:00:00"},
    {"quarterly", "*-01,04,07,10-01 00:00:00"},
    {"semiannually", "*-01,07-01 00:00:00"},
}};

// Weekday names in systemd's order (Monday first), so ranges run Monday..Sunday.
constexpr std::array<std::pair<const char*, const char*>, 7> kWeekdays = {{
    {"mon", "monday"},
    {"tue", "tuesday"},
    {"wed", "wednesday"},
    {"thu", "thursday"},
    {"fri", "friday"},
    {"sat", "saturday"},
    {"sun", "sunday"},
}};

Unexpected Bad(const Part& p, std::string_view item, std::string_view why) {
  return Fail(Errc::kInvalidArgument, "{}: '{}' {}", p.name, Printable(item), why);
}

// A number of part `p`; two-digit years are 2000-2069 or 1970-1999, as in systemd.
Result<int> ParseNumber(const Part& p, std::string_view token, std::string_view item) {
  auto value = ParseDigits(token);
  if (!value) return Bad(p, item, "is not a number");
  if (&p == &kYear && token.size() <= 2) *value += *value < 70 ? 2000 : 1900;
  if (*value < p.min || *value > p.max)
    return Fail(Errc::kInvalidArgument, "{}: {} is out of range {}-{}", p.name, *value, p.min,
                p.max);
  return *value;
}

// A comma-separated list of '*', values, ranges "a..b" and steps "a/n", "a..b/n"; calls add(v)
// for each value. With from_end (days after '~'), values count back from the month's end and
// steps run toward it.
Status ParseList(const Part& p, std::string_view text, const std::function<void(int)>& add,
                 bool from_end = false) {
  for (std::string_view item : Split(text, ',')) {
    if (item.empty())
      return Fail(Errc::kInvalidArgument, "{}: empty item in '{}'", p.name, Printable(text));
    if (item == "*" && !from_end) {
      for (int v = p.min; v <= p.max; ++v) add(v);
      continue;
    }
    if (item.find('*') != std::string_view::npos)
      return Bad(p, item, "is not allowed: '*' must stand alone (write 0/2, not */2)");
    std::string_view base = item;
    int step = 0;
    if (auto slash = item.find('/'); slash != std::string_view::npos) {
      base = item.substr(0, slash);
      auto parsed = ParseDigits(item.substr(slash + 1));
      if (!parsed) return Bad(p, item, "has an invalid step");
      if (*parsed == 0) return Bad(p, item, "has a step of 0");
      step = *parsed;
    }
    int lo = 0, hi = 0;
    if (auto dots = base.find(".."); dots != std::string_view::npos) {
      auto a = ParseNumber(p, base.substr(0, dots), item);
      if (!a) return a.error();
      auto b = ParseNumber(p, base.substr(dots + 2), item);
      if (!b) return b.error();
      if (*a > *b) return Bad(p, item, "is a reverse range");
      lo = *a, hi = *b;
    } else {
      if (base.find('.') != std::string_view::npos) return Bad(p, item, "is not a whole number");
      auto a = ParseNumber(p, base, item);
      if (!a) return a.error();
      if (from_end && *a > 28) return Bad(p, item, "is out of range: at most 28 days from the end");
      lo = *a, hi = step > 0 ? (from_end ? *a : p.max) : *a;
      if (from_end && step > 0) lo = 1;
    }
    if (from_end && step > 0) {
      for (int v = hi; v >= lo; v -= step) add(v);  // from the earliest day toward the end
    } else {
      for (int v = lo; v <= hi; v += std::max(step, 1)) add(v);
    }
  }
  return Ok();
}

Result<uint8_t> ParseWeekdays(std::string_view text) {
  const std::string lower = ToLower(text);
  auto index = [](std::string_view name) -> int {
    for (int i = 0; i < 7; ++i)
      if (name == kWeekdays[i].first || name == kWeekdays[i].second) return i;
    return -1;
  };
  auto items = Split(lower, ',');
  if (items.size() > 1 && items.back().empty()) items.pop_back();  // "Mon,Fri," is fine
  uint8_t bits = 0;
  for (std::string_view item : items) {
    size_t sep = item.find("..");
    size_t sep_len = 2;
    if (sep == std::string_view::npos) sep = item.find('-'), sep_len = 1;
    std::string_view first = item.substr(0, sep);
    std::string_view last = sep == std::string_view::npos ? first : item.substr(sep + sep_len);
    int a = index(first), b = index(last);
    if (a < 0 || b < 0)
      return Fail(Errc::kInvalidArgument, "weekday: '{}' is not a weekday", Printable(item));
    if (a > b)
      return Fail(Errc::kInvalidArgument, "weekday: '{}' is a reverse range", Printable(item));
    for (int i = a; i <= b; ++i) bits |= static_cast<uint8_t>(1u << ((i + 1) % 7));  // Sunday = 0
  }
  return bits;
}

// [Y-]M-D, or [Y-]M~D where '~' replaces the last dash and counts days from the month's end.
Status ParseDate(std::string_view text, CalendarSpec& spec) {
  size_t tilde = text.find('~');
  std::string_view head = tilde == std::string_view::npos ? text : text.substr(0, tilde);
  auto parts = Split(head, '-');
  if (tilde != std::string_view::npos) {
    parts.push_back(text.substr(tilde + 1));
    if (text.find('~', tilde + 1) != std::string_view::npos)
      return Fail(Errc::kInvalidArgument, "date: '{}' has more than one '~'", Printable(text));
  }
  if (parts.size() != 2 && parts.size() != 3)
    return Fail(Errc::kInvalidArgument, "date: '{}' is not [year-]month-day", Printable(text));
  auto set_bit = [](auto& mask) {
    return [&mask](int v) { mask |= static_cast<std::remove_reference_t<decltype(mask)>>(1) << v; };
  };
  if (parts.size() == 3 && parts[0] != "*") {
    spec.any_year = false;
    spec.years.reset();
    auto add_year = [&spec](int y) { spec.years.set(y - kMinYear); };
    if (auto s = ParseList(kYear, parts[0], add_year); !s) return s;
  }
  spec.months = 0;
  if (auto s = ParseList(kMonth, parts[parts.size() - 2], set_bit(spec.months)); !s) return s;
  spec.days = spec.days_from_end = 0;
  const bool from_end = tilde != std::string_view::npos;
  auto& days = from_end ? spec.days_from_end : spec.days;
  return ParseList(kDay, parts.back(), set_bit(days), from_end);
}

// H:M or H:M:S, each part a list.
Status ParseTime(std::string_view text, CalendarSpec& spec) {
  auto parts = Split(text, ':');
  if (parts.size() != 2 && parts.size() != 3)
    return Fail(Errc::kInvalidArgument, "time: '{}' is not hour:minute[:second]", Printable(text));
  if (parts.size() == 3 && parts[2].find('.') != std::string_view::npos)
    return Bad(kSecond, parts[2], "is not allowed: decimal seconds are not supported");
  auto set_bit = [](uint64_t& mask) { return [&mask](int v) { mask |= uint64_t{1} << v; }; };
  uint64_t hours = 0;
  spec.minutes = spec.seconds = 0;
  if (auto s = ParseList(kHour, parts[0], set_bit(hours)); !s) return s;
  if (auto s = ParseList(kMinute, parts[1], set_bit(spec.minutes)); !s) return s;
  if (parts.size() == 2) {
    spec.seconds = 1;
  } else if (auto s = ParseList(kSecond, parts[2], set_bit(spec.seconds)); !s) {
    return s;
  }
  spec.hours = static_cast<uint32_t>(hours);
  return Ok();
}

CalendarSpec EveryDayAtMidnight() {
  CalendarSpec spec;
  spec.seconds = spec.minutes = spec.hours = 1;
  spec.months = 0x1ffe;    // 1..12
  spec.days = 0xfffffffe;  // 1..31
  spec.weekdays = 0x7f;
  return spec;
}

// [weekday] [date] [time], in that order; anything left over is an error.
Result<CalendarSpec> ParseEvent(const std::vector<std::string_view>& tokens) {
  CalendarSpec spec = EveryDayAtMidnight();
  size_t i = 0;
  auto is_alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  if (i < tokens.size() && is_alpha(tokens[i].front())) {
    auto weekdays = ParseWeekdays(tokens[i++]);
    if (!weekdays) return weekdays.error();
    spec.weekdays = *weekdays;
  }
  if (i < tokens.size() && tokens[i].find_first_of("-~") != std::string_view::npos &&
      tokens[i].find(':') == std::string_view::npos) {
    if (auto s = ParseDate(tokens[i++], spec); !s) return s.error();
  }
  if (i < tokens.size() && tokens[i].find(':') != std::string_view::npos) {
    if (auto s = ParseTime(tokens[i++], spec); !s) return s.error();
  }
  if (i < tokens.size())
    return Fail(Errc::kInvalidArgument, "'{}' is not expected here: write [weekday] [date] [time]",
                Printable(tokens[i]));
  return spec;
}

Result<OnCalendarRule> ParseLine(std::string_view line) {
  auto tokens = SplitWhitespace(line);
  OnCalendarRule rule;
  // A zone suffix: the last of several tokens, if it names a real zone (case-sensitive). Tokens
  // that start with a digit or '*' are dates or times, never zones.
  if (tokens.size() >= 2) {
    std::string_view last = tokens.back();
    bool may_be_zone = !(last.front() >= '0' && last.front() <= '9') && last.front() != '*';
    if (may_be_zone && IsZoneNameSafe(last)) {
      if (auto zone = LocateZone(last)) {
        rule.zone = *zone;
        rule.zone_name = std::string(last);
        tokens.pop_back();
      }
    }
  }
  if (tokens.size() == 1) {
    const std::string lower = ToLower(tokens[0]);
    for (const auto& [name, expansion] : kSpecials) {
      if (lower != name) continue;
      auto spec = ParseEvent(SplitWhitespace(expansion));
      if (!spec) return spec.error();
      rule.spec = *spec;
      rule.special = name;
      return rule;
    }
  }
  auto spec = ParseEvent(tokens);
  if (!spec) return spec.error();
  rule.spec = *spec;
  return rule;
}

}  // namespace

Result<std::vector<OnCalendarRule>> ParseOnCalendarExpr(std::string_view text) {
  if (text.size() > kMaxExpressionLength)
    return Fail(Errc::kInvalidArgument,
                "OnCalendar expression is too long ({} characters, at most {})", text.size(),
                kMaxExpressionLength);
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (u == 0) return Fail(Errc::kInvalidArgument, "OnCalendar expression contains a NUL byte");
    if (u >= 0x80)
      return Fail(Errc::kInvalidArgument, "OnCalendar expression contains a non-ASCII character");
  }
  std::vector<OnCalendarRule> rules;
  for (std::string_view line : Split(text, '\n')) {
    if (SplitWhitespace(line).empty()) continue;
    auto rule = ParseLine(line);
    if (!rule) return rule.error();
    rules.push_back(*std::move(rule));
  }
  if (rules.empty()) return Fail(Errc::kInvalidArgument, "OnCalendar expression is empty");
  return rules;
}

}  // namespace dogwatch::schedule
