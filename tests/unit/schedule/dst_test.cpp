// Cron across DST changes: schedule-semantics.md "Cron" rules 8 (Debian mode) and 9 (aware
// mode). The 2025 transitions, from `zdump -v`:
//   Europe/Riga: Mar 30 01:00Z 03:00 EET -> 04:00 EEST; Oct 26 01:00Z 04:00 EEST -> 03:00 EET
//   America/New_York: Mar 9 07:00Z 02:00 EST -> 03:00 EDT; Nov 2 06:00Z 02:00 EDT -> 01:00 EST
//   Australia/Lord_Howe: Apr 5 15:00Z 02:00 +11 -> 01:30 +1030;
//                        Oct 4 15:30Z 02:00 +1030 -> 02:30 +11
//   Pacific/Chatham: Apr 5 14:00Z 03:45 +1345 -> 02:45 +1245;
//                    Sep 27 14:00Z 02:45 +1245 -> 03:45 +1345
//   America/Santiago: Apr 6 03:00Z 00:00 -03 -> 23:00 -04 (Apr 5);
//                     Sep 7 04:00Z 00:00 -04 -> 01:00 -03
//   Asia/Kolkata: none, +05:30 all year
#include <doctest/doctest.h>

#include "helpers.h"

namespace {

using dwtest::Case;
using dwtest::Cron;

void RunCases(const std::vector<Case>& cases) { dwtest::RunCases(Cron, cases); }

}  // namespace

TEST_CASE("cron dst: Debian mode moves a time in a gap to the first minute that exists") {
  RunCases({
      // The user check: 03:30 on Mar 30 does not exist; it fires at 04:00 EEST.
      {"30 3 * * *",
       "Europe/Riga",
       "2025-03-29T12:00:00Z",
       {"2025-03-30T01:00:00Z", "2025-03-31T00:30:00Z", "2025-04-01T00:30:00Z"}},
      {"0 3 * * *",
       "Europe/Riga",
       "2025-03-29T12:00:00Z",
       {"2025-03-30T01:00:00Z", "2025-03-31T00:00:00Z"}},
      // Two gap times land on the same instant, which counts once.
      {"0,30 3 * * *",
       "Europe/Riga",
       "2025-03-29T12:00:00Z",
       {"2025-03-30T01:00:00Z", "2025-03-31T00:00:00Z"}},
      // Every half hour in Debian form: 02:30 EET, then 03:00/03:30 -> 04:00 EEST, then 04:30.
      {"0,30 0-23 * * *",
       "Europe/Riga",
       "2025-03-30T00:00:00Z",
       {"2025-03-30T00:30:00Z", "2025-03-30T01:00:00Z", "2025-03-30T01:30:00Z"}},
      {"30 2 * * *",
       "America/New_York",
       "2025-03-08T12:00:00Z",
       {"2025-03-09T07:00:00Z", "2025-03-10T06:30:00Z"}},
      // Lord Howe skips 02:00-02:30 (+1030 -> +11).
      {"15 2 * * *",
       "Australia/Lord_Howe",
       "2025-10-04T00:00:00Z",
       {"2025-10-04T15:30:00Z", "2025-10-05T15:15:00Z"}},
      // Chatham skips 02:45-03:45 (+1245 -> +1345).
      {"0 3 * * *",
       "Pacific/Chatham",
       "2025-09-27T00:00:00Z",
       {"2025-09-27T14:00:00Z", "2025-09-28T13:15:00Z"}},
      {"50 2 * * *",
       "Pacific/Chatham",
       "2025-09-27T00:00:00Z",
       {"2025-09-27T14:00:00Z", "2025-09-28T13:05:00Z"}},
      // Santiago skips midnight to 01:00 on Sep 7.
      {"0 0 * * *",
       "America/Santiago",
       "2025-09-06T12:00:00Z",
       {"2025-09-07T04:00:00Z", "2025-09-08T03:00:00Z"}},
      {"0 0 7 9 *", "America/Santiago", "2025-01-01T00:00:00Z", {"2025-09-07T04:00:00Z"}},
  });
}

TEST_CASE("cron dst: Debian mode fires an ambiguous time once, at its first occurrence") {
  RunCases({
      {"30 3 * * *",
       "Europe/Riga",
       "2025-10-25T12:00:00Z",
       {"2025-10-26T00:30:00Z", "2025-10-27T01:30:00Z"}},
      // Start in the first pass, before 03:30 EEST.
      {"30 3 * * *", "Europe/Riga", "2025-10-26T00:10:00Z", {"2025-10-26T00:30:00Z"}},
      // Half-hourly in Debian form: 03:00 and 03:30 fire in the first pass only.
      {"0,30 0-23 * * *",
       "Europe/Riga",
       "2025-10-26T00:00:00Z",
       {"2025-10-26T00:30:00Z", "2025-10-26T02:00:00Z", "2025-10-26T02:30:00Z"}},
      {"0 0-23/2 * * *",
       "Europe/Riga",
       "2025-10-25T22:00:00Z",
       {"2025-10-25T23:00:00Z", "2025-10-26T02:00:00Z", "2025-10-26T04:00:00Z"}},
      {"30 1 * * *",
       "America/New_York",
       "2025-11-01T12:00:00Z",
       {"2025-11-02T05:30:00Z", "2025-11-03T06:30:00Z"}},
      // Lord Howe repeats 01:30-02:00; Chatham repeats 02:45-03:45.
      {"45 1 * * *",
       "Australia/Lord_Howe",
       "2025-04-05T00:00:00Z",
       {"2025-04-05T14:45:00Z", "2025-04-06T15:15:00Z"}},
      {"0 3 * * *",
       "Pacific/Chatham",
       "2025-04-05T00:00:00Z",
       {"2025-04-05T13:15:00Z", "2025-04-06T14:15:00Z"}},
      // Santiago repeats 23:00-24:00 on Apr 5; midnight itself is unique.
      {"30 23 * * *",
       "America/Santiago",
       "2025-04-05T12:00:00Z",
       {"2025-04-06T02:30:00Z", "2025-04-07T03:30:00Z"}},
      {"0 0 * * *", "America/Santiago", "2025-04-05T12:00:00Z", {"2025-04-06T04:00:00Z"}},
  });
}

TEST_CASE("cron dst: a start in the second pass of a repeated hour never yields an earlier time") {
  // dogwatch differs from Healthchecks on purpose: 01:10Z is 03:10 EET (second pass), and the
  // first occurrence of 03:30 (00:30Z) is already past, so the next is the day after.
  RunCases({
      {"30 3 * * *", "Europe/Riga", "2025-10-26T01:10:00Z", {"2025-10-27T01:30:00Z"}},
      {"30 1 * * *", "America/New_York", "2025-11-02T06:10:00Z", {"2025-11-03T06:30:00Z"}},
      {"0 3 * * *", "Pacific/Chatham", "2025-04-05T14:05:00Z", {"2025-04-06T14:15:00Z"}},
  });
}

TEST_CASE("cron dst: aware mode fires at every instant whose local fields match") {
  RunCases({
      // The repeated hour fires twice.
      {"*/15 * * * *",
       "Europe/Riga",
       "2025-10-26T00:40:00Z",
       {"2025-10-26T00:45:00Z", "2025-10-26T01:00:00Z", "2025-10-26T01:15:00Z",
        "2025-10-26T01:30:00Z", "2025-10-26T01:45:00Z", "2025-10-26T02:00:00Z"}},
      {"0 30 3 * * *",
       "Europe/Riga",
       "2025-10-25T12:00:00Z",
       {"2025-10-26T00:30:00Z", "2025-10-26T01:30:00Z", "2025-10-27T01:30:00Z"}},
      {"0 0 1 * * *",
       "America/New_York",
       "2025-11-01T12:00:00Z",
       {"2025-11-02T05:00:00Z", "2025-11-02T06:00:00Z", "2025-11-03T06:00:00Z"}},
      // Gap times never fire: no 03:xx on Mar 30 in Riga.
      {"0 30 3 * * *", "Europe/Riga", "2025-03-29T12:00:00Z", {"2025-03-31T00:30:00Z"}},
      {"* 3 * * *", "Europe/Riga", "2025-03-29T12:00:00Z", {"2025-03-31T00:00:00Z"}},
      {"0 0 0 * * *", "America/Santiago", "2025-09-06T12:00:00Z", {"2025-09-08T03:00:00Z"}},
      // Half-hour shifts (dogwatch's plain rule where cronsim skips runs or loops).
      {"*/15 * * * *",
       "Australia/Lord_Howe",
       "2025-04-05T14:30:00Z",
       {"2025-04-05T14:45:00Z", "2025-04-05T15:00:00Z", "2025-04-05T15:15:00Z",
        "2025-04-05T15:30:00Z"}},
      {"*/15 * * * *",
       "Australia/Lord_Howe",
       "2025-10-04T15:00:00Z",
       {"2025-10-04T15:15:00Z", "2025-10-04T15:30:00Z", "2025-10-04T15:45:00Z"}},
      {"0 0 2 * * *", "Australia/Lord_Howe", "2025-10-04T00:00:00Z", {"2025-10-05T15:00:00Z"}},
      // Chatham's change at 02:45: 03:00 happens twice in April, and not at all in September.
      {"0 * * * *",
       "Pacific/Chatham",
       "2025-04-05T13:00:00Z",
       {"2025-04-05T13:15:00Z", "2025-04-05T14:15:00Z", "2025-04-05T15:15:00Z"}},
      {"0 * * * *",
       "Pacific/Chatham",
       "2025-09-27T13:00:00Z",
       {"2025-09-27T13:15:00Z", "2025-09-27T14:15:00Z"}},
  });
}

TEST_CASE("cron dst: zones without DST and UTC behave the same in both modes") {
  RunCases({
      {"0 9 * * *",
       "Asia/Kolkata",
       "2025-01-01T00:00:00Z",
       {"2025-01-01T03:30:00Z", "2025-01-02T03:30:00Z"}},
      {"*/45 * * * *",
       "Asia/Kolkata",
       "2025-01-01T00:00:00Z",
       {"2025-01-01T00:15:00Z", "2025-01-01T00:30:00Z", "2025-01-01T01:15:00Z"}},
      {"0 9 * * *", "UTC", "2025-03-30T00:00:00Z", {"2025-03-30T09:00:00Z"}},
      {"0 9 * * *", "Etc/UTC", "2025-03-30T00:00:00Z", {"2025-03-30T09:00:00Z"}},
  });
}

TEST_CASE("cron dst: the last weekday of February in a DST zone") {
  RunCases({
      {"0 3 LW 2 *",
       "Europe/Riga",
       "2025-01-01T00:00:00Z",
       {"2025-02-28T01:00:00Z", "2026-02-27T01:00:00Z", "2027-02-26T01:00:00Z",
        "2028-02-29T01:00:00Z"}},
  });
}

TEST_CASE("schedule zones: unknown and unsafe names are refused before the database sees them") {
  using dogwatch::schedule::ParseCron;
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"Mars/Base", "unknown time zone 'Mars/Base'"},
      {"europe/riga", "unknown time zone 'europe/riga'"},
      {"../etc/passwd", "invalid time zone '../etc/passwd'"},
      {"Europe/../../etc/passwd", "invalid time zone"},
      {"/etc/localtime", "invalid time zone '/etc/localtime'"},
      {"Europe/", "invalid time zone"},
      {"Europe//Riga", "invalid time zone"},
      {"", "invalid time zone ''"},
      {std::string("Europe/Riga\0x", 13), "invalid time zone 'Europe/Riga\\x00x'"},
      {"Europe/Riga ", "invalid time zone"},
      {std::string(100, 'A'), "invalid time zone"},
  };
  for (const auto& [zone, message] : cases) {
    CAPTURE(zone);
    auto s = ParseCron("0 0 * * *", zone);
    REQUIRE_FALSE(s.has_value());
    CHECK_MESSAGE(s.error().message.find(message) != std::string::npos, s.error().message);
  }
  CHECK(ParseCron("0 0 * * *", "America/Argentina/Buenos_Aires").has_value());
  CHECK(ParseCron("0 0 * * *", "Etc/GMT+5").has_value());
}
