// Cron syntax and matching in UTC: schedule-semantics.md "Common" and "Cron" rules 1-7. Every
// expected instant is worked out by hand from the calendar (2025-01-01 is a Wednesday).
#include <doctest/doctest.h>

#include <string>

#include "dogwatch/schedule/schedule.h"
#include "helpers.h"

namespace {

using dwtest::BadCase;
using dwtest::Case;
using dwtest::Cron;

constexpr const char* kNewYear = "2025-01-01T00:00:00Z";

void RunCases(const std::vector<Case>& cases) { dwtest::RunCases(Cron, cases); }

}  // namespace

TEST_CASE("cron: the start is exclusive at one-second resolution") {
  RunCases({
      // Sub-seconds are dropped, then the search starts one second later.
      {"* * * * *", "UTC", "2025-01-01T00:00:59.999Z", {"2025-01-01T00:01:00Z"}},
      // A start that is itself a fire time does not return it, with or without sub-seconds.
      {"* * * * *", "UTC", "2025-01-01T00:01:00Z", {"2025-01-01T00:02:00Z"}},
      {"* * * * *", "UTC", "2025-01-01T00:01:00.500Z", {"2025-01-01T00:02:00Z"}},
      {"0 12 * * *", "UTC", "2025-01-01T12:00:00Z", {"2025-01-02T12:00:00Z"}},
      {"0 12 * * *", "UTC", "2025-01-01T11:59:59Z", {"2025-01-01T12:00:00Z"}},
      // Chained: each fire time is the next after the one before.
      {"0 */8 * * *",
       "UTC",
       kNewYear,
       {"2025-01-01T08:00:00Z", "2025-01-01T16:00:00Z", "2025-01-02T00:00:00Z"}},
  });
}

TEST_CASE("cron: fields split on any whitespace and ignore case; leading zeros are fine") {
  RunCases({
      {"0\t12\n*  *\r\n*", "UTC", kNewYear, {"2025-01-01T12:00:00Z"}},
      {"  0 12 * * *  ", "UTC", kNewYear, {"2025-01-01T12:00:00Z"}},
      {"05 007 * * *", "UTC", kNewYear, {"2025-01-01T07:05:00Z"}},
      {"0 0 * jan mon", "UTC", kNewYear, {"2025-01-06T00:00:00Z", "2025-01-13T00:00:00Z"}},
      {"0 0 1 Feb-Mar *",
       "UTC",
       kNewYear,
       {"2025-02-01T00:00:00Z", "2025-03-01T00:00:00Z", "2026-02-01T00:00:00Z"}},
  });
}

TEST_CASE("cron: names, ranges, lists and steps") {
  RunCases({
      // The start (Wednesday 00:00) is excluded.
      {"0 0 * * MON-WED",
       "UTC",
       kNewYear,
       {"2025-01-06T00:00:00Z", "2025-01-07T00:00:00Z", "2025-01-08T00:00:00Z"}},
      // MON/2 = 1,3,5,7: Monday, Wednesday, Friday, Sunday.
      {"0 0 * * MON/2",
       "UTC",
       kNewYear,
       {"2025-01-03T00:00:00Z", "2025-01-05T00:00:00Z", "2025-01-06T00:00:00Z",
        "2025-01-08T00:00:00Z"}},
      {"*/61 * * * *", "UTC", kNewYear, {"2025-01-01T01:00:00Z", "2025-01-01T02:00:00Z"}},
      {"5/20 * * * *",
       "UTC",
       kNewYear,
       {"2025-01-01T00:05:00Z", "2025-01-01T00:25:00Z", "2025-01-01T00:45:00Z",
        "2025-01-01T01:05:00Z"}},
      {"10-30/10 * * * *",
       "UTC",
       kNewYear,
       {"2025-01-01T00:10:00Z", "2025-01-01T00:20:00Z", "2025-01-01T00:30:00Z",
        "2025-01-01T01:10:00Z"}},
      // The step binds to its own item: 1, then 5,7,9,...
      {"1,5/2 * * * *",
       "UTC",
       kNewYear,
       {"2025-01-01T00:01:00Z", "2025-01-01T00:05:00Z", "2025-01-01T00:07:00Z"}},
      // Day of week */n runs over 0..7: */7 = {0, 7} = Sunday; */2 = Sun, Tue, Thu, Sat.
      {"0 0 * * */7", "UTC", kNewYear, {"2025-01-05T00:00:00Z", "2025-01-12T00:00:00Z"}},
      {"0 0 * * */2",
       "UTC",
       kNewYear,
       {"2025-01-02T00:00:00Z", "2025-01-04T00:00:00Z", "2025-01-05T00:00:00Z",
        "2025-01-07T00:00:00Z"}},
      {"0 0 * * 7", "UTC", kNewYear, {"2025-01-05T00:00:00Z"}},
      {"0 0 * * 0", "UTC", kNewYear, {"2025-01-05T00:00:00Z"}},
      {"0 9,17 * * *",
       "UTC",
       kNewYear,
       {"2025-01-01T09:00:00Z", "2025-01-01T17:00:00Z", "2025-01-02T09:00:00Z"}},
  });
}

TEST_CASE("cron: day of month and day of week: either field starting with '*' means both") {
  RunCases({
      // Neither starts with '*': days 1-7 or any Monday.
      {"0 0 1-7 * MON",
       "UTC",
       kNewYear,
       {"2025-01-02T00:00:00Z", "2025-01-03T00:00:00Z", "2025-01-04T00:00:00Z",
        "2025-01-05T00:00:00Z", "2025-01-06T00:00:00Z", "2025-01-07T00:00:00Z",
        "2025-01-13T00:00:00Z", "2025-01-20T00:00:00Z"}},
      // '*/2' starts with '*': odd days that are Mondays (Jan 13, 27; Feb 3, 17).
      {"0 0 */2 * MON",
       "UTC",
       kNewYear,
       {"2025-01-13T00:00:00Z", "2025-01-27T00:00:00Z", "2025-02-03T00:00:00Z",
        "2025-02-17T00:00:00Z"}},
      // '1,*' does not start with '*': every day matches the day-of-month part.
      {"0 0 1,* * MON", "UTC", kNewYear, {"2025-01-02T00:00:00Z", "2025-01-03T00:00:00Z"}},
      // February 29 or any Monday in February.
      {"0 0 29 2 1",
       "UTC",
       kNewYear,
       {"2025-02-03T00:00:00Z", "2025-02-10T00:00:00Z", "2025-02-17T00:00:00Z",
        "2025-02-24T00:00:00Z", "2026-02-02T00:00:00Z"}},
      {"0 0 29 2 1",
       "UTC",
       "2028-02-20T00:00:00Z",
       {"2028-02-21T00:00:00Z", "2028-02-28T00:00:00Z", "2028-02-29T00:00:00Z"}},
  });
}

TEST_CASE("cron: L, LW, nL and n#k") {
  RunCases({
      {"0 0 L * *",
       "UTC",
       kNewYear,
       {"2025-01-31T00:00:00Z", "2025-02-28T00:00:00Z", "2025-03-31T00:00:00Z",
        "2025-04-30T00:00:00Z"}},
      {"0 0 L * *", "UTC", "2024-02-01T00:00:00Z", {"2024-02-29T00:00:00Z"}},
      {"0 0 15,L * *",
       "UTC",
       kNewYear,
       {"2025-01-15T00:00:00Z", "2025-01-31T00:00:00Z", "2025-02-15T00:00:00Z",
        "2025-02-28T00:00:00Z"}},
      {"0 0 L/5 * *", "UTC", kNewYear, {"2025-01-31T00:00:00Z", "2025-02-28T00:00:00Z"}},
      // Last weekday: May 31 2025 is a Saturday, Aug 31 a Sunday; Jan 31 a Friday.
      {"0 0 LW * *", "UTC", kNewYear, {"2025-01-31T00:00:00Z", "2025-02-28T00:00:00Z"}},
      {"0 0 LW 5,8 *", "UTC", kNewYear, {"2025-05-30T00:00:00Z", "2025-08-29T00:00:00Z"}},
      {"0 0 1,LW 5 *", "UTC", kNewYear, {"2025-05-01T00:00:00Z", "2025-05-30T00:00:00Z"}},
      // Last Friday of the month.
      {"0 0 * * 5L",
       "UTC",
       kNewYear,
       {"2025-01-31T00:00:00Z", "2025-02-28T00:00:00Z", "2025-03-28T00:00:00Z"}},
      {"0 0 * * 0L", "UTC", kNewYear, {"2025-01-26T00:00:00Z", "2025-02-23T00:00:00Z"}},
      {"0 0 * * 7L", "UTC", kNewYear, {"2025-01-26T00:00:00Z"}},
      // First Monday; fifth Monday (March 31, June 30); second Sunday written as 7.
      {"0 0 * * 1#1",
       "UTC",
       kNewYear,
       {"2025-01-06T00:00:00Z", "2025-02-03T00:00:00Z", "2025-03-03T00:00:00Z"}},
      {"0 0 * * MON#5", "UTC", kNewYear, {"2025-03-31T00:00:00Z", "2025-06-30T00:00:00Z"}},
      {"0 0 * * 7#2", "UTC", kNewYear, {"2025-01-12T00:00:00Z"}},
      {"0 0 * * 1#1,5L",
       "UTC",
       kNewYear,
       {"2025-01-06T00:00:00Z", "2025-01-31T00:00:00Z", "2025-02-03T00:00:00Z"}},
      // OR with a plain day: the 10th, or the last Friday.
      {"0 0 10 * 5L", "UTC", kNewYear, {"2025-01-10T00:00:00Z", "2025-01-31T00:00:00Z"}},
  });
}

TEST_CASE("cron: leap years, month ends and year ends") {
  RunCases({
      {"0 0 29 2 *", "UTC", kNewYear, {"2028-02-29T00:00:00Z", "2032-02-29T00:00:00Z"}},
      {"0 0 29 2 *",
       "UTC",
       "2096-03-01T00:00:00Z",
       {"2104-02-29T00:00:00Z"}},  // 2100 is no leap year
      {"0 0 L 2 *",
       "UTC",
       "2027-06-01T00:00:00Z",
       {"2028-02-29T00:00:00Z", "2029-02-28T00:00:00Z"}},
      {"0 0 31 * *",
       "UTC",
       kNewYear,
       {"2025-01-31T00:00:00Z", "2025-03-31T00:00:00Z", "2025-05-31T00:00:00Z"}},
      {"0 0 30,L 2 *", "UTC", kNewYear, {"2025-02-28T00:00:00Z"}},
      {"59 23 31 12 *",
       "UTC",
       "2025-06-01T00:00:00Z",
       {"2025-12-31T23:59:00Z", "2026-12-31T23:59:00Z"}},
      {"0 0 1 1 *", "UTC", "2025-12-31T23:59:59Z", {"2026-01-01T00:00:00Z"}},
      {"59 59 23 31 12 *", "UTC", "2025-12-31T23:59:58Z", {"2025-12-31T23:59:59Z"}},
  });
}

TEST_CASE("cron: six fields put seconds first") {
  RunCases({
      {"30 * * * * *", "UTC", kNewYear, {"2025-01-01T00:00:30Z", "2025-01-01T00:01:30Z"}},
      {"*/15 0 0 * * *",
       "UTC",
       kNewYear,
       {"2025-01-01T00:00:15Z", "2025-01-01T00:00:30Z", "2025-01-01T00:00:45Z",
        "2025-01-02T00:00:00Z"}},
      {"* * * * * *", "UTC", "2025-01-01T00:00:00.9Z", {"2025-01-01T00:00:01Z"}},
  });
}

TEST_CASE("cron: an expression that never fires ends the search") {
  RunCases({
      // Days {1, 30} of February that are also a fifth Monday: none, ever.
      {"0 0 */29 2 MON#5", "UTC", kNewYear, {}, 1},
      {"0 0 */29 2 MON#5", "Europe/Riga", kNewYear, {}, 1},
      // A fifth Monday on day 1-7 cannot be.
      {"0 0 1-7 * MON#5", "UTC", kNewYear, {"2025-01-02T00:00:00Z"}},  // OR: days 1-7 still fire
      {"0 0 * 2 MON#5", "UTC", kNewYear, {"2044-02-29T00:00:00Z"}},
  });
}

TEST_CASE("cron: month length is validated against the selected months") {
  RunCases({
      {"0 0 30 2 *",
       "UTC",
       kNewYear,
       {"error: day-of-month: 30 does not occur in the selected months"}},
      {"0 0 31 4,6,9,11 *",
       "UTC",
       kNewYear,
       {"error: day-of-month: 31 does not occur in the selected months"}},
      {"0 0 30 2 MON",
       "UTC",
       kNewYear,
       {"error: day-of-month: 30 does not occur in the selected months"}},
      {"0 0 30 2,4 *", "UTC", kNewYear, {"2025-04-30T00:00:00Z"}},
  });
}

TEST_CASE("cron: bad input gets an error naming the field and the reason") {
  const std::vector<BadCase> cases = {
      {"", "cron expression is empty"},
      {" \t\n", "cron expression is empty"},
      {"* * * *", "needs 5 fields (or 6 with seconds), got 4"},
      {"* * * * * * *", "got 7"},
      {"@daily", "'@daily' is not supported"},
      {"@HOURLY", "'@hourly' is not supported"},
      {"\xd9\xa3 * * * *", "minute: '\\xd9\\xa3' is not allowed"},  // Arabic-Indic three
      {"0 \xef\xbc\x91 * * *", "hour: "},                           // fullwidth one
      {"+5 * * * *", "minute: '+5' is not allowed"},
      {"-5 * * * *", "minute: '-5' is not allowed"},
      {"1.5 * * * *", "minute: '1.5' is not allowed"},
      {"*/0 * * * *", "minute: '*/0' has a step of 0"},
      {"0 0 */00 * *", "day-of-month: '*/00' has a step of 0"},
      {"*/ * * * *", "minute: '*/' is not allowed"},
      {"*/-1 * * * *", "minute: '*/-1' is not allowed"},
      {"0 5-3 * * *", "hour: '5-3' is a reverse range"},
      {"0 22-2 * * *", "hour: '22-2' is a reverse range"},
      {"0 0 * * FRI-MON", "day-of-week: 'FRI-MON' is a reverse range"},
      {"0 0 * * SAT-SUN", "day-of-week: 'SAT-SUN' is a reverse range"},
      {"0 0 15W * *", "day-of-month: '15W' is not allowed"},
      {"0 0 W * *", "day-of-month: 'W' is not allowed"},
      {"0 0 L-3 * *", "day-of-month: 'L-3' is not allowed"},
      {"0 0 LW/2 * *", "day-of-month: 'LW/2' is not allowed"},
      {"0 0 ? * *", "day-of-month: '?' is not allowed"},
      {"0 0 * * ?", "day-of-week: '?' is not allowed"},
      {"0 0 5L * *", "day-of-month: '5L' is not allowed"},
      {"0 0 * * MONL", "day-of-week: 'MONL' is not allowed"},
      {"0 0 * * L", "day-of-week: 'L' is not allowed"},
      {"0 0 * * 1#0", "day-of-week: '#0' is not allowed"},
      {"0 0 * * 1#6", "day-of-week: '#6' is not allowed"},
      {"0 0 * * 1#", "day-of-week: '#' is not allowed"},
      {"0 0 * * 1-5#2", "day-of-week: '1-5#2' is not allowed"},
      {"0 0 * * 5L-6", "day-of-week: '5L-6' is not allowed"},
      {"0 0 * * 5L#1", "day-of-week: '5L#1' is not allowed"},
      {"0 0 * * 8", "day-of-week: 8 is out of range 0-7"},
      {"0 0 * * 8#1", "day-of-week: 8 is out of range 0-7"},
      {"0 0 * * SUNDAY", "day-of-week: 'SUNDAY' is not allowed"},
      {"0 0 * JANUARY *", "month: 'JANUARY' is not allowed"},
      {"0 0 * * JAN", "day-of-week: 'JAN' is not allowed"},
      {"0 0 32 * *", "day-of-month: 32 is out of range 1-31"},
      {"0 0 0 * *", "day-of-month: 0 is out of range 1-31"},
      {"60 * * * *", "minute: 60 is out of range 0-59"},
      {"0 24 * * *", "hour: 24 is out of range 0-23"},
      {"0 0 * 13 *", "month: 13 is out of range 1-12"},
      {"0 0 * 0 *", "month: 0 is out of range 1-12"},
      {"60 0 0 * * *", "second: 60 is out of range 0-59"},
      {"99999999999999999999 * * * *", "minute: 99999999999999999999 is out of range 0-59"},
      {"1,,2 * * * *", "minute: empty item in a list"},
      {"1, * * * *", "minute: empty item in a list"},
      {"*-5 * * * *", "minute: '*-5' is not allowed"},
      {"1-2-3 * * * *", "minute: '1-2-3' is not allowed"},
      {std::string("0\0 0 * * *", 11), "minute: '0\\x00' is not allowed"},
      {std::string(10000, '1'), "too long (10000 characters, at most 1024)"},
      {std::string(10000, ' '), "too long"},
  };
  for (const BadCase& c : cases) {
    CAPTURE(c.expr);
    auto s = dogwatch::schedule::ParseCron(c.expr, "UTC");
    REQUIRE_FALSE(s.has_value());
    CHECK(s.error().code == dogwatch::Errc::kInvalidArgument);
    CHECK_MESSAGE(s.error().message.find(c.message) != std::string::npos, s.error().message);
  }
}

TEST_CASE("cron: a long but valid expression parses quickly") {
  std::string minutes = "0";
  for (int i = 1; i < 200; ++i) minutes += "," + std::to_string(i % 60);
  CHECK(Cron(minutes + " 0 * * *", "UTC", kNewYear, 2) ==
        std::vector<std::string>{"2025-01-01T00:01:00Z", "2025-01-01T00:02:00Z"});
}

TEST_CASE("cron: a check accepts exactly five fields, at most 100 characters, that fire") {
  using dogwatch::schedule::ParseCheckCron;
  const auto now = dwtest::At(kNewYear);
  CHECK(ParseCheckCron("*/5 * * * *", "Europe/Riga", now).has_value());
  auto six = ParseCheckCron("0 */5 * * * *", "UTC", now);
  REQUIRE_FALSE(six.has_value());
  CHECK(six.error().message == "cron expression needs 5 fields, got 6");
  auto never = ParseCheckCron("0 0 */29 2 MON#5", "UTC", now);
  REQUIRE_FALSE(never.has_value());
  CHECK(never.error().message == "cron expression '0 0 */29 2 MON#5' never fires");
  std::string long_list = "0";
  while (long_list.size() <= 100) long_list += ",0";
  auto too_long = ParseCheckCron(long_list + " * * * *", "UTC", now);
  REQUIRE_FALSE(too_long.has_value());
  CHECK(too_long.error().message.find("at most 100") != std::string::npos);
  auto bad = ParseCheckCron("0 0 32 * *", "UTC", now);
  REQUIRE_FALSE(bad.has_value());
  CHECK(bad.error().message == "day-of-month: 32 is out of range 1-31");
}
