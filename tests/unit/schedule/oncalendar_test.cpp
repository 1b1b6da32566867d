// OnCalendar: schedule-semantics.md "OnCalendar" rules 1-8, in UTC unless a zone is named.
// 2025-01-01 is a Wednesday; zone transitions as listed in dst_test.cpp.
#include <doctest/doctest.h>

#include <string>

#include "helpers.h"

namespace {

using dwtest::BadCase;
using dwtest::Case;
using dwtest::OnCal;

constexpr const char* kNewYear = "2025-01-01T00:00:00Z";

void RunCases(const std::vector<Case>& cases) { dwtest::RunCases(OnCal, cases); }

}  // namespace

TEST_CASE("oncalendar: the specials, in any case") {
  RunCases({
      {"minutely", "UTC", kNewYear, {"2025-01-01T00:01:00Z", "2025-01-01T00:02:00Z"}},
      {"hourly", "UTC", kNewYear, {"2025-01-01T01:00:00Z"}},
      {"daily", "UTC", kNewYear, {"2025-01-02T00:00:00Z", "2025-01-03T00:00:00Z"}},
      {"DAILY", "UTC", kNewYear, {"2025-01-02T00:00:00Z"}},
      {"Daily", "UTC", kNewYear, {"2025-01-02T00:00:00Z"}},
      {"weekly", "UTC", kNewYear, {"2025-01-06T00:00:00Z", "2025-01-13T00:00:00Z"}},
      {"monthly", "UTC", kNewYear, {"2025-02-01T00:00:00Z", "2025-03-01T00:00:00Z"}},
      {"yearly", "UTC", kNewYear, {"2026-01-01T00:00:00Z"}},
      {"annually", "UTC", kNewYear, {"2026-01-01T00:00:00Z"}},
      {"quarterly", "UTC", kNewYear, {"2025-04-01T00:00:00Z", "2025-07-01T00:00:00Z"}},
      {"semiannually", "UTC", kNewYear, {"2025-07-01T00:00:00Z", "2026-01-01T00:00:00Z"}},
  });
}

TEST_CASE("oncalendar: weekday, date and time forms and their defaults") {
  RunCases({
      {"12:00", "UTC", kNewYear, {"2025-01-01T12:00:00Z", "2025-01-02T12:00:00Z"}},
      {"12:00:30", "UTC", kNewYear, {"2025-01-01T12:00:30Z"}},
      {"*:0/15", "UTC", kNewYear, {"2025-01-01T00:15:00Z", "2025-01-01T00:30:00Z"}},
      {"*:*:0/20", "UTC", kNewYear, {"2025-01-01T00:00:20Z", "2025-01-01T00:00:40Z"}},
      {"2025-03-01", "UTC", kNewYear, {"2025-03-01T00:00:00Z"}, 2},
      {"03-01", "UTC", kNewYear, {"2025-03-01T00:00:00Z", "2026-03-01T00:00:00Z"}},
      {"*-03-01 06:00", "UTC", kNewYear, {"2025-03-01T06:00:00Z"}},
      {"Mon..Fri 09:00",
       "UTC",
       kNewYear,
       {"2025-01-01T09:00:00Z", "2025-01-02T09:00:00Z", "2025-01-03T09:00:00Z",
        "2025-01-06T09:00:00Z"}},
      {"Mon-Fri 09:00", "UTC", "2025-01-03T09:00:00Z", {"2025-01-06T09:00:00Z"}},
      {"monday,FRIDAY 09:00", "UTC", kNewYear, {"2025-01-03T09:00:00Z", "2025-01-06T09:00:00Z"}},
      {"Mon,Fri, 09:00", "UTC", kNewYear, {"2025-01-03T09:00:00Z", "2025-01-06T09:00:00Z"}},
      {"Sat..Sun", "UTC", kNewYear, {"2025-01-04T00:00:00Z", "2025-01-05T00:00:00Z"}},
      {"Wed *-*-* 00:00:00", "UTC", kNewYear, {"2025-01-08T00:00:00Z"}},
  });
}

TEST_CASE("oncalendar: weekday and date must both match") {
  RunCases({
      {"Fri *-*-13", "UTC", kNewYear, {"2025-06-13T00:00:00Z", "2026-02-13T00:00:00Z"}},
      {"Sat *-*-01", "UTC", kNewYear, {"2025-02-01T00:00:00Z", "2025-03-01T00:00:00Z"}},
  });
}

TEST_CASE("oncalendar: lists, ranges, steps and years") {
  RunCases({
      {"*-*-1..3 12:00",
       "UTC",
       kNewYear,
       {"2025-01-01T12:00:00Z", "2025-01-02T12:00:00Z", "2025-01-03T12:00:00Z",
        "2025-02-01T12:00:00Z"}},
      {"*-*-1/10",
       "UTC",
       kNewYear,
       {"2025-01-11T00:00:00Z", "2025-01-21T00:00:00Z", "2025-01-31T00:00:00Z",
        "2025-02-01T00:00:00Z"}},
      {"*-*-5..20/5",
       "UTC",
       kNewYear,
       {"2025-01-05T00:00:00Z", "2025-01-10T00:00:00Z", "2025-01-15T00:00:00Z",
        "2025-01-20T00:00:00Z", "2025-02-05T00:00:00Z"}},
      {"8,20:00", "UTC", kNewYear, {"2025-01-01T08:00:00Z", "2025-01-01T20:00:00Z"}},
      {"2026-01-01", "UTC", kNewYear, {"2026-01-01T00:00:00Z"}},
      {"26-01-01", "UTC", kNewYear, {"2026-01-01T00:00:00Z"}, 2},
      {"99-01-01", "UTC", kNewYear, {}, 1},  // 1999
      {"70-01-01", "UTC", "1969-06-01T00:00:00Z", {"1970-01-01T00:00:00Z"}},
      {"2030..2031-06-01", "UTC", kNewYear, {"2030-06-01T00:00:00Z", "2031-06-01T00:00:00Z"}, 3},
      {"2025/2-01-01", "UTC", kNewYear, {"2027-01-01T00:00:00Z", "2029-01-01T00:00:00Z"}},
      // Days are not checked against the month: valid, never fires.
      {"*-02-30", "UTC", kNewYear, {}, 1},
      {"*-02-29", "UTC", kNewYear, {"2028-02-29T00:00:00Z"}},
  });
}

TEST_CASE("oncalendar: '~' counts days from the end of the month") {
  RunCases({
      {"*-02~1", "UTC", kNewYear, {"2025-02-28T00:00:00Z", "2026-02-28T00:00:00Z"}},
      {"*-02~1", "UTC", "2027-03-01T00:00:00Z", {"2028-02-29T00:00:00Z"}},
      {"*-*~3", "UTC", kNewYear, {"2025-01-29T00:00:00Z", "2025-02-26T00:00:00Z"}},
      {"*-*~1..7",
       "UTC",
       "2025-01-26T00:00:00Z",
       {"2025-01-27T00:00:00Z", "2025-01-28T00:00:00Z", "2025-01-29T00:00:00Z",
        "2025-01-30T00:00:00Z", "2025-01-31T00:00:00Z", "2025-02-22T00:00:00Z"}},
      // 7th, 5th, 3rd and last day from the end.
      {"*-*~7/2",
       "UTC",
       kNewYear,
       {"2025-01-25T00:00:00Z", "2025-01-27T00:00:00Z", "2025-01-29T00:00:00Z",
        "2025-01-31T00:00:00Z", "2025-02-22T00:00:00Z"}},
      {"2025-02~01 18:00", "UTC", kNewYear, {"2025-02-28T18:00:00Z"}, 2},
      {"Mon *-05~07/1", "UTC", kNewYear, {"2025-05-26T00:00:00Z", "2026-05-25T00:00:00Z"}},
  });
}

TEST_CASE("oncalendar: a zone suffix is the last token when it names a real zone") {
  RunCases({
      {"*-*-* 09:00 Europe/Riga", "UTC", kNewYear, {"2025-01-01T07:00:00Z"}},
      {"daily Asia/Kolkata", "UTC", kNewYear, {"2025-01-01T18:30:00Z"}},
      {"12:00 UTC",
       "Europe/Riga",
       kNewYear,
       {"2025-01-01T12:00:00Z"}},  // overrides the check's zone
      {"12:00", "Europe/Riga", kNewYear, {"2025-01-01T10:00:00Z"}},
      {"Mon Europe/Riga", "UTC", kNewYear, {"2025-01-05T22:00:00Z"}},
      {"12:00 utc",
       "UTC",
       kNewYear,
       {"error: 'utc' is not expected here: write [weekday] [date] [time]"}},
      {"12:00 Mars/Base",
       "UTC",
       kNewYear,
       {"error: 'Mars/Base' is not expected here: write [weekday] [date] [time]"}},
  });
}

TEST_CASE("oncalendar: several lines are merged and a shared time counts once") {
  RunCases({
      {"Mon 09:00\nFri 17:00", "UTC", kNewYear, {"2025-01-03T17:00:00Z", "2025-01-06T09:00:00Z"}},
      {"12:00\n*-*-* 12:00:00", "UTC", kNewYear, {"2025-01-01T12:00:00Z", "2025-01-02T12:00:00Z"}},
      {"09:00 Europe/Riga\n09:00 Asia/Kolkata",
       "UTC",
       kNewYear,
       {"2025-01-01T03:30:00Z", "2025-01-01T07:00:00Z", "2025-01-02T03:30:00Z"}},
      {"\n  daily  \n\n", "UTC", kNewYear, {"2025-01-02T00:00:00Z"}},
  });
}

TEST_CASE("oncalendar: iteration stops at year 2200") {
  RunCases({
      {"2199-12-31 23:59:59", "UTC", kNewYear, {"2199-12-31T23:59:59Z"}, 2},
      {"daily", "UTC", "2199-12-31T00:00:00Z", {}, 1},
      {"daily", "UTC", "2199-12-30T12:00:00Z", {"2199-12-31T00:00:00Z"}, 2},
  });
}

TEST_CASE("oncalendar: DST is the wall clock; gap times are skipped, ambiguous ones fire once") {
  RunCases({
      {"*-*-* 03:30", "Europe/Riga", "2025-03-29T12:00:00Z", {"2025-03-31T00:30:00Z"}},
      {"*-*-* 03:30",
       "Europe/Riga",
       "2025-10-25T12:00:00Z",
       {"2025-10-26T00:30:00Z", "2025-10-27T01:30:00Z"}},
      {"*:0/30",
       "Europe/Riga",
       "2025-10-26T00:00:00Z",
       {"2025-10-26T00:30:00Z", "2025-10-26T02:00:00Z"}},
      // Start in the second pass: the first occurrence is past, so the next day.
      {"*-*-* 03:30", "Europe/Riga", "2025-10-26T01:10:00Z", {"2025-10-27T01:30:00Z"}},
      {"02:30", "America/New_York", "2025-03-08T12:00:00Z", {"2025-03-10T06:30:00Z"}},
      {"01:30",
       "America/New_York",
       "2025-11-01T12:00:00Z",
       {"2025-11-02T05:30:00Z", "2025-11-03T06:30:00Z"}},
      {"02:15", "Australia/Lord_Howe", "2025-10-04T00:00:00Z", {"2025-10-05T15:15:00Z"}},
      {"03:00", "Pacific/Chatham", "2025-09-27T00:00:00Z", {"2025-09-28T13:15:00Z"}},
      {"03:00",
       "Pacific/Chatham",
       "2025-04-05T00:00:00Z",
       {"2025-04-05T13:15:00Z", "2025-04-06T14:15:00Z"}},
      {"daily", "America/Santiago", "2025-09-06T12:00:00Z", {"2025-09-08T03:00:00Z"}},
      {"09:00", "Asia/Kolkata", kNewYear, {"2025-01-01T03:30:00Z"}},
  });
}

TEST_CASE("oncalendar: bad input gets an error naming the part and the reason") {
  const std::vector<BadCase> cases = {
      {"", "OnCalendar expression is empty"},
      {" \n\t", "OnCalendar expression is empty"},
      {"*/2", "'*/2' is not expected here"},
      {"*:*/2", "minute: '*/2' is not allowed: '*' must stand alone (write 0/2, not */2)"},
      {"*-*-*/2", "day: '*/2' is not allowed"},
      {"*-02-~1", "date: '*-02-~1' is not [year-]month-day"},
      {"2300-01-01", "year: 2300 is out of range 1970-2199"},
      {"1969-01-01", "year: 1969 is out of range 1970-2199"},
      {"12:00 Mon", "'Mon' is not expected here"},
      {"*-*-* Mon", "'Mon' is not expected here"},
      {"12:00:00.5", "second: '00.5' is not allowed: decimal seconds are not supported"},
      {"*-02~0", "day: 0 is out of range 1-31"},
      {"*-02~29", "day: '29' is out of range: at most 28 days from the end"},
      {"* 12:00", "'*' is not expected here"},
      {"Fri..Mon", "weekday: 'fri..mon' is a reverse range"},
      {"Funday", "weekday: 'funday' is not a weekday"},
      {"25:00", "hour: 25 is out of range 0-23"},
      {"12:60", "minute: 60 is out of range 0-59"},
      {"*-13-01", "month: 13 is out of range 1-12"},
      {"*-*-32", "day: 32 is out of range 1-31"},
      {"*-*-0", "day: 0 is out of range 1-31"},
      {"*-*-5..3", "day: '5..3' is a reverse range"},
      {"*-*-1/0", "day: '1/0' has a step of 0"},
      {"*-*-1,,2", "day: empty item in '1,,2'"},
      {"12", "'12' is not expected here"},
      {"12:00:00:00", "time: '12:00:00:00' is not hour:minute[:second]"},
      {"-5:00", "hour: '-5' is not a number"},
      {"+5:00", "hour: '+5' is not a number"},
      {"\xef\xbc\x91\xef\xbc\x92:00", "non-ASCII character"},
      {std::string("daily\0", 6), "NUL byte"},
      {std::string(10000, '*'), "too long (10000 characters, at most 1024)"},
      {"daily\n12:00 Mon", "'Mon' is not expected here"},
      {"@daily", "'@daily' is not expected here"},
  };
  for (const BadCase& c : cases) {
    CAPTURE(c.expr);
    auto s = dogwatch::schedule::ParseOnCalendar(c.expr, "UTC");
    REQUIRE_FALSE(s.has_value());
    CHECK_MESSAGE(s.error().message.find(c.message) != std::string::npos, s.error().message);
  }
}

TEST_CASE("oncalendar: a check allows at most 100 characters") {
  using dogwatch::schedule::ParseCheckOnCalendar;
  CHECK(ParseCheckOnCalendar("Mon..Fri 09:00", "Europe/Riga").has_value());
  auto too_long =
      ParseCheckOnCalendar(std::string(40, ' ') + "daily" + std::string(60, ' '), "UTC");
  REQUIRE_FALSE(too_long.has_value());
  CHECK(too_long.error().message.find("at most 100") != std::string::npos);
}
