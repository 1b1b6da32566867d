#include "dogwatch/core/time.h"

#include <fmt/format.h>

#include <cctype>

namespace dogwatch {
namespace {

using std::chrono::days;
using std::chrono::floor;
using std::chrono::year_month_day;

struct Split {
  year_month_day ymd;
  std::chrono::hh_mm_ss<Micros> hms;
};

Split SplitTime(TimePoint t) {
  auto day = floor<days>(t);
  return {year_month_day(day), std::chrono::hh_mm_ss<Micros>(t - day)};
}

std::string FormatBase(TimePoint t, bool micros) {
  auto [ymd, hms] = SplitTime(t);
  auto base = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", int(ymd.year()),
                          unsigned(ymd.month()), unsigned(ymd.day()), hms.hours().count(),
                          hms.minutes().count(), hms.seconds().count());
  if (micros) base += fmt::format(".{:06}", hms.subseconds().count());
  return base;
}

// Reads exactly n ASCII digits.
bool Digits(std::string_view s, size_t& pos, size_t n, int& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  pos += n;
  return true;
}

bool Expect(std::string_view s, size_t& pos, char c) {
  if (pos >= s.size() || s[pos] != c) return false;
  ++pos;
  return true;
}

}  // namespace

std::string FormatIsoZ(TimePoint t) { return FormatBase(floor<Seconds>(t), false) + "Z"; }
std::string FormatIsoApi(TimePoint t) { return FormatBase(floor<Seconds>(t), false) + "+00:00"; }
std::string FormatIsoApiMicros(TimePoint t) { return FormatBase(t, true) + "+00:00"; }

std::optional<TimePoint> ParseIso(std::string_view s) {
  size_t pos = 0;
  int y, mo, d, h = 0, mi = 0, sec = 0;
  if (!Digits(s, pos, 4, y) || !Expect(s, pos, '-') || !Digits(s, pos, 2, mo) ||
      !Expect(s, pos, '-') || !Digits(s, pos, 2, d))
    return std::nullopt;
  Micros frac{0};
  if (pos < s.size()) {
    if (s[pos] != 'T' && s[pos] != 't' && s[pos] != ' ') return std::nullopt;
    ++pos;
    if (!Digits(s, pos, 2, h) || !Expect(s, pos, ':') || !Digits(s, pos, 2, mi)) return std::nullopt;
    if (pos < s.size() && s[pos] == ':') {
      ++pos;
      if (!Digits(s, pos, 2, sec)) return std::nullopt;
      if (pos < s.size() && s[pos] == '.') {
        ++pos;
        int64_t scale = 100000, us = 0;
        size_t start = pos;
        while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) {
          us += (s[pos] - '0') * scale;
          scale /= 10;
          ++pos;
        }
        if (pos == start) return std::nullopt;
        frac = Micros(us);
      }
    }
  }
  int offset_min = 0;
  if (pos < s.size()) {
    char c = s[pos++];
    if (c == 'Z' || c == 'z') {
      // UTC
    } else if (c == '+' || c == '-') {
      int oh, om;
      if (!Digits(s, pos, 2, oh)) return std::nullopt;
      if (pos < s.size() && s[pos] == ':') ++pos;
      if (!Digits(s, pos, 2, om) || oh > 23 || om > 59) return std::nullopt;
      offset_min = (oh * 60 + om) * (c == '-' ? -1 : 1);
    } else {
      return std::nullopt;
    }
  }
  if (pos != s.size()) return std::nullopt;
  if (h > 23 || mi > 59 || sec > 60) return std::nullopt;
  year_month_day ymd{std::chrono::year(y), std::chrono::month(unsigned(mo)),
                     std::chrono::day(unsigned(d))};
  if (!ymd.ok()) return std::nullopt;
  TimePoint t = std::chrono::sys_days(ymd) + std::chrono::hours(h) + std::chrono::minutes(mi) +
                Seconds(sec) + frac - std::chrono::minutes(offset_min);
  return t;
}

}  // namespace dogwatch
