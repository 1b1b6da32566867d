#include "schedule/cron.h"

#include <algorithm>
#include <array>
#include <bit>
#include <string>

#include "schedule/text.h"

namespace dogwatch::schedule {
namespace {

struct Field {
  const char* name;
  int min;
  int max;
  const std::array<const char*, 12>* names = nullptr;  // three-letter names, index = value - base
  int name_base = 0;
};

constexpr std::array<const char*, 12> kMonthNames = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                                     "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
constexpr std::array<const char*, 12> kDayNames = {"SUN", "MON", "TUE", "WED", "THU", "FRI",
                                                   "SAT", "",    "",    "",    "",    ""};
const Field kSecond{"second", 0, 59};
const Field kMinute{"minute", 0, 59};
const Field kHour{"hour", 0, 23};
const Field kDayOfMonth{"day-of-month", 1, 31};
const Field kMonth{"month", 1, 12, &kMonthNames, 1};
const Field kDayOfWeek{"day-of-week", 0, 7, &kDayNames, 0};

// February counts as 29 days: a day valid in a leap year is valid.
constexpr std::array<int, 13> kLongestMonth = {0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

Unexpected NotAllowed(const Field& f, std::string_view item) {
  return Fail(Errc::kInvalidArgument, "{}: '{}' is not allowed", f.name, Printable(item));
}

// A number or a name; `item` is the whole list item, for messages.
Result<int> ParseValue(const Field& f, std::string_view token, std::string_view item) {
  if (auto number = ParseDigits(token)) {
    if (*number < f.min || *number > f.max)
      return Fail(Errc::kInvalidArgument, "{}: {} is out of range {}-{}", f.name, Printable(token),
                  f.min, f.max);
    return *number;
  }
  if (f.names != nullptr) {
    for (size_t i = 0; i < f.names->size(); ++i)
      if (token == (*f.names)[i] && token.size() == 3) return static_cast<int>(i) + f.name_base;
  }
  return NotAllowed(f, item);
}

// Cron's extensions, parsed before the generic number/range/step grammar. Returns true if
// `item` was one of them (or an error if it was a malformed one).
Result<bool> ParseDayExtension(std::string_view base, bool has_step, std::string_view item,
                               CalendarSpec& spec) {
  if (base == "L") {  // "L/n" means "L", as in cronsim
    spec.days_from_end |= 1u << 1;
    return true;
  }
  if (base == "LW" && !has_step) {
    spec.last_weekday = true;
    return true;
  }
  if (base.find_first_of("LW?") != std::string_view::npos) return NotAllowed(kDayOfMonth, item);
  return false;
}

Result<bool> ParseWeekdayExtension(std::string_view base, bool has_step, std::string_view item,
                                   CalendarSpec& spec) {
  if (auto hash = base.find('#'); hash != std::string_view::npos) {
    std::string_view day = base.substr(0, hash), nth = base.substr(hash + 1);
    auto k = ParseDigits(nth);
    if (!k || *k < 1 || *k > 5)
      return Fail(Errc::kInvalidArgument, "day-of-week: '#{}' is not allowed", Printable(nth));
    if (has_step || day.find_first_of("-L*") != std::string_view::npos)
      return NotAllowed(kDayOfWeek, item);
    auto w = ParseValue(kDayOfWeek, day, item);
    if (!w) return w.error();
    spec.nth_weekday[*w % 7] |= static_cast<uint8_t>(1u << *k);
    return true;
  }
  if (base.size() > 1 && base.back() == 'L' && AllDigits(base.substr(0, base.size() - 1))) {
    if (has_step) return NotAllowed(kDayOfWeek, item);
    auto w = ParseValue(kDayOfWeek, base.substr(0, base.size() - 1), item);
    if (!w) return w.error();
    spec.last_of_weekday |= static_cast<uint8_t>(1u << (*w % 7));
    return true;
  }
  if (base.find_first_of("L?") != std::string_view::npos) return NotAllowed(kDayOfWeek, item);
  return false;
}

// One list item: '*', a value, or a range, each with an optional step. Adds its values to bits.
Status ParseItem(const Field& f, std::string_view item, uint64_t& bits, CalendarSpec& spec) {
  if (item.empty()) return Fail(Errc::kInvalidArgument, "{}: empty item in a list", f.name);
  std::string_view base = item;
  int step = 0;
  if (auto slash = item.find('/'); slash != std::string_view::npos) {
    base = item.substr(0, slash);
    auto parsed = ParseDigits(item.substr(slash + 1));
    if (!parsed) return NotAllowed(f, item);
    if (*parsed == 0)
      return Fail(Errc::kInvalidArgument, "{}: '{}' has a step of 0", f.name, Printable(item));
    step = *parsed;
  }
  if (&f == &kDayOfMonth || &f == &kDayOfWeek) {
    auto extension = &f == &kDayOfMonth ? ParseDayExtension(base, step > 0, item, spec)
                                        : ParseWeekdayExtension(base, step > 0, item, spec);
    if (!extension) return extension.error();
    if (*extension) return Ok();
  }
  int lo = 0, hi = 0;
  if (base == "*") {
    lo = f.min, hi = f.max;
  } else if (auto dash = base.find('-'); dash != std::string_view::npos) {
    auto a = ParseValue(f, base.substr(0, dash), item);
    if (!a) return a.error();
    auto b = ParseValue(f, base.substr(dash + 1), item);
    if (!b) return b.error();
    if (*a > *b)
      return Fail(Errc::kInvalidArgument, "{}: '{}' is a reverse range", f.name, Printable(base));
    lo = *a, hi = *b;
  } else {
    auto a = ParseValue(f, base, item);
    if (!a) return a.error();
    lo = *a, hi = step > 0 ? f.max : *a;  // "a/n" runs to the end of the field
  }
  for (int v = lo; v <= hi; v += std::max(step, 1)) bits |= uint64_t{1} << v;
  return Ok();
}

Result<uint64_t> ParseField(const Field& f, std::string_view text, CalendarSpec& spec) {
  uint64_t bits = 0;
  for (std::string_view item : Split(text, ',')) {
    if (auto status = ParseItem(f, item, bits, spec); !status) return status.error();
  }
  return bits;
}

}  // namespace

Result<CronExpr> ParseCronExpr(std::string_view text) {
  if (text.size() > kMaxExpressionLength)
    return Fail(Errc::kInvalidArgument, "cron expression is too long ({} characters, at most {})",
                text.size(), kMaxExpressionLength);
  const std::string upper = ToUpper(text);
  auto fields = SplitWhitespace(upper);
  if (fields.empty()) return Fail(Errc::kInvalidArgument, "cron expression is empty");
  if (fields.front().starts_with('@'))
    return Fail(Errc::kInvalidArgument, "'{}' is not supported: write the five fields instead",
                Printable(ToLower(fields.front())));
  if (fields.size() != 5 && fields.size() != 6)
    return Fail(Errc::kInvalidArgument,
                "cron expression needs 5 fields (or 6 with seconds), got {}", fields.size());

  CronExpr out;
  out.field_count = static_cast<int>(fields.size());
  CalendarSpec& spec = out.spec;
  size_t i = 0;
  spec.seconds = 1;  // second 0 unless a seconds field says otherwise
  const Field* order[] = {&kSecond, &kMinute, &kHour, &kDayOfMonth, &kMonth, &kDayOfWeek};
  uint64_t bits[6] = {};
  for (int k = fields.size() == 6 ? 0 : 1; k < 6; ++k, ++i) {
    auto parsed = ParseField(*order[k], fields[i], spec);
    if (!parsed) return parsed.error();
    bits[k] = *parsed;
  }
  if (fields.size() == 6) spec.seconds = bits[0];
  spec.minutes = bits[1];
  spec.hours = static_cast<uint32_t>(bits[2]);
  spec.days = static_cast<uint32_t>(bits[3]);
  spec.months = static_cast<uint32_t>(bits[4]);
  spec.weekdays = static_cast<uint8_t>((bits[5] & 0x7f) | (bits[5] >> 7));  // 7 is Sunday too
  std::string_view minute = fields[i - 5], hour = fields[i - 4];
  std::string_view day_of_month = fields[i - 3], day_of_week = fields[i - 1];
  spec.days_and_weekdays = day_of_month.starts_with('*') || day_of_week.starts_with('*');
  out.fixed_time = !minute.starts_with('*') && !hour.starts_with('*');

  // Like cronsim: when the smallest plain day cannot occur in any selected month, the expression
  // is refused even if the weekday could match. L and LW count as smaller than any day.
  if (spec.days_from_end == 0 && !spec.last_weekday && spec.days != 0) {
    int smallest = std::countr_zero(spec.days);
    int longest = 0;
    for (int m = 1; m <= 12; ++m)
      if (spec.months & (1u << m)) longest = std::max(longest, kLongestMonth[m]);
    if (smallest > longest)
      return Fail(Errc::kInvalidArgument, "day-of-month: {} does not occur in the selected months",
                  smallest);
  }
  return out;
}

}  // namespace dogwatch::schedule
