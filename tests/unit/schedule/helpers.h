// Helpers for the schedule tests: run a schedule from a start instant and compare ISO strings, so
// a failing case prints the instants side by side.
#pragma once

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "dogwatch/core/time.h"
#include "dogwatch/schedule/schedule.h"

namespace dwtest {

inline dogwatch::TimePoint At(const char* iso) {
  auto t = dogwatch::ParseIso(iso);
  REQUIRE_MESSAGE(t.has_value(), iso);
  return *t;
}

// The next `count` fire times as "YYYY-MM-DDTHH:MM:SSZ", or {"error: <message>"}.
inline std::vector<std::string> Times(const dogwatch::Result<dogwatch::schedule::Schedule>& s,
                                      const char* after, int count) {
  if (!s) return {"error: " + s.error().message};
  std::vector<std::string> out;
  for (auto t : dogwatch::schedule::NextN(*s, At(after), count))
    out.push_back(dogwatch::FormatIsoZ(t));
  return out;
}

inline std::vector<std::string> Cron(const std::string& expr, const char* tz, const char* after,
                                     int count) {
  return Times(dogwatch::schedule::ParseCron(expr, tz), after, count);
}

inline std::vector<std::string> OnCal(const std::string& expr, const char* tz, const char* after,
                                      int count) {
  return Times(dogwatch::schedule::ParseOnCalendar(expr, tz), after, count);
}

// A fire-time case: the expression, its zone, the start, and every instant expected after it.
// Fewer instants than `count` means the schedule stops (never fires again).
struct Case {
  std::string expr;
  const char* tz;
  const char* after;
  std::vector<std::string> want;
  int count = -1;  // -1: exactly want.size(); else ask for more to prove the stop
};

inline int CountOf(const Case& c) {
  return c.count < 0 ? static_cast<int>(c.want.size()) : c.count;
}

// Runs each case through `run` (Cron or OnCal) and compares every instant.
using RunFn = std::vector<std::string> (*)(const std::string&, const char*, const char*, int);
inline void RunCases(RunFn run, const std::vector<Case>& cases) {
  for (const Case& c : cases) {
    CAPTURE(c.expr);
    CAPTURE(c.tz);
    CAPTURE(c.after);
    CHECK(run(c.expr, c.tz, c.after, CountOf(c)) == c.want);
  }
}

// An invalid expression and a fragment its error message must contain.
struct BadCase {
  std::string expr;
  const char* message;
};

}  // namespace dwtest
