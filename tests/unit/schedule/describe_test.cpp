// Descriptions in words, and simple (period plus grace) schedules.
#include <doctest/doctest.h>

#include <string>

#include "helpers.h"

namespace {

using dogwatch::Seconds;
using namespace dogwatch::schedule;

std::string DescribeCron(const std::string& expr, const char* tz = "UTC") {
  auto s = ParseCron(expr, tz);
  REQUIRE_MESSAGE(s.has_value(), expr);
  return Describe(*s);
}

std::string DescribeOnCalendar(const std::string& expr, const char* tz = "UTC") {
  auto s = ParseOnCalendar(expr, tz);
  REQUIRE_MESSAGE(s.has_value(), expr);
  return Describe(*s);
}

}  // namespace

TEST_CASE("describe: cron in words") {
  const std::vector<std::tuple<std::string, const char*, std::string>> cases = {
      {"0 3 * * *", "Europe/Riga", "At 03:00 every day (Europe/Riga)"},
      {"*/15 * * * *", "UTC", "Every 15 minutes"},
      {"0 9 * * 1-5", "UTC", "At 09:00 on Monday through Friday"},
      {"0 0 L * *", "UTC", "On the last day of the month at 00:00"},
      {"* * * * *", "UTC", "Every minute"},
      {"0 * * * *", "UTC", "Every hour"},
      {"30 * * * *", "UTC", "Every hour at minute 30"},
      {"0 */2 * * *", "UTC", "Every 2 hours"},
      {"0 9,17 * * *", "UTC", "At 09:00 and 17:00 every day"},
      {"0 0 1 * *", "UTC", "On day 1 of the month at 00:00"},
      {"0 0 1,15 * *", "UTC", "On days 1 and 15 of the month at 00:00"},
      {"0 0 * * 5L", "UTC", "On the last Friday of the month at 00:00"},
      {"0 0 * * MON#1", "UTC", "On the first Monday of the month at 00:00"},
      {"0 0 LW * *", "UTC", "On the last weekday of the month at 00:00"},
      {"0 0 1 1 *", "UTC", "On day 1 of the month in January at 00:00"},
      {"0 12 * * SAT,SUN", "UTC", "At 12:00 on Saturday and Sunday"},
      {"0 0 13 * FRI", "UTC", "On day 13 of the month and on Friday at 00:00"},
      {"0 0 */2 * MON", "UTC",
       "At 00:00 on days 1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29 and 31 of the month "
       "if it is Monday"},
      {"*/10 * * * * *", "UTC", "Every 10 seconds"},
      {"0 0 9 * * *", "UTC", "At 09:00 every day"},
      {"5 0 9 * * *", "UTC", "At 09:00:05 every day"},
      {"0,30 8-18 * * *", "UTC", "At minute 0 and 30 past hour 8-18 every day"},
  };
  for (const auto& [expr, tz, want] : cases) {
    CAPTURE(expr);
    CHECK(DescribeCron(expr, tz) == want);
  }
}

TEST_CASE("describe: OnCalendar in words") {
  CHECK(DescribeOnCalendar("daily") == "Every day at 00:00");
  CHECK(DescribeOnCalendar("hourly") == "Every hour");
  CHECK(DescribeOnCalendar("minutely") == "Every minute");
  CHECK(DescribeOnCalendar("weekly") == "On Monday at 00:00");
  CHECK(DescribeOnCalendar("monthly") == "On day 1 of the month at 00:00");
  CHECK(DescribeOnCalendar("Mon..Fri 09:00", "Europe/Riga") ==
        "On Monday through Friday at 09:00 (Europe/Riga)");
  CHECK(DescribeOnCalendar("*-02~1 12:00") == "On the last day of the month in February at 12:00");
  CHECK(DescribeOnCalendar("daily Asia/Kolkata\nMon 12:00") ==
        "Every day at 00:00 (Asia/Kolkata); On Monday at 12:00");
  CHECK(DescribeOnCalendar("2030-01-01") == "On day 1 of the month in January in 2030 at 00:00");
}

TEST_CASE("simple: period and grace within bounds, with a configurable floor") {
  CHECK(MakeSimple(Seconds(60), Seconds(60)).has_value());
  CHECK(MakeSimple(Seconds(365 * 86400), Seconds(365 * 86400)).has_value());
  auto too_short = MakeSimple(Seconds(59), Seconds(60));
  REQUIRE_FALSE(too_short.has_value());
  CHECK(too_short.error().message == "period: 59 s is out of range 60-31536000 s");
  auto grace = MakeSimple(Seconds(60), Seconds(365 * 86400 + 1));
  REQUIRE_FALSE(grace.has_value());
  CHECK(grace.error().message == "grace: 31536001 s is out of range 60-31536000 s");
  CHECK(MakeSimple(Seconds(1), Seconds(1), Seconds(1)).has_value());
  CHECK_FALSE(MakeSimple(Seconds(0), Seconds(1), Seconds(1)).has_value());
  CHECK_FALSE(MakeSimple(Seconds(0), Seconds(1), Seconds(0)).has_value());  // floor is 1 s at least
  CHECK_FALSE(MakeSimple(Seconds(5), Seconds(5), Seconds(10)).has_value());
}

TEST_CASE("simple: next is one period later, and the description names the period") {
  auto s = MakeSimple(Seconds(7200), Seconds(300));
  REQUIRE(s.has_value());
  CHECK(s->kind() == Kind::kSimple);
  CHECK(s->period() == Seconds(7200));
  CHECK(s->grace() == Seconds(300));
  CHECK(Describe(*s) == "Every 2 hours");
  CHECK(dwtest::Times(s, "2025-01-01T00:00:00.250Z", 2) ==
        std::vector<std::string>{"2025-01-01T02:00:00Z", "2025-01-01T04:00:00Z"});
  CHECK(Describe(*MakeSimple(Seconds(60), Seconds(60))) == "Every minute");
  CHECK(Describe(*MakeSimple(Seconds(86400), Seconds(60))) == "Every day");
  CHECK(Describe(*MakeSimple(Seconds(3 * 86400), Seconds(60))) == "Every 3 days");
  CHECK(Describe(*MakeSimple(Seconds(90), Seconds(60))) == "Every 90 seconds");
  CHECK(Describe(*MakeSimple(Seconds(1800), Seconds(60))) == "Every 30 minutes");
}

TEST_CASE("schedule: accessors report what was parsed") {
  auto s = ParseCron("0 3 * * *", "Europe/Riga");
  REQUIRE(s.has_value());
  CHECK(s->kind() == Kind::kCron);
  CHECK(s->expression() == "0 3 * * *");
  CHECK(s->zone_name() == "Europe/Riga");
  auto o = ParseOnCalendar("daily");
  REQUIRE(o.has_value());
  CHECK(o->kind() == Kind::kOnCalendar);
  CHECK(o->zone_name() == "UTC");
}
