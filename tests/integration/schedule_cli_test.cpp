// `dogwatch schedule next` and `schedule describe` (SPEC §4) through the real binary: the
// per-case form, exit codes, and the JSON-lines batch form for many cases at once.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "integration/harness.h"

using namespace dwtest;

namespace {

std::vector<nlohmann::json> JsonLines(const std::string& out) {
  std::vector<nlohmann::json> lines;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) lines.push_back(nlohmann::json::parse(line));
  return lines;
}

}  // namespace

TEST_CASE("schedule cli: next prints the DST-shifted time for a job in Riga's spring gap") {
  // The issue's user check: 03:30 does not exist on 2025-03-30; it runs at 04:00 EEST (01:00Z).
  auto r = RunCommand({"schedule", "next", "--cron", "30 3 * * *", "--tz", "Europe/Riga", "--after",
                       "2025-03-29T12:00:00Z", "--count", "3"});
  CHECK(r.exit_code == 0);
  CHECK(r.out == "2025-03-30T01:00:00Z\n2025-03-31T00:30:00Z\n2025-04-01T00:30:00Z\n");
  CHECK(r.err.empty());
}

TEST_CASE("schedule cli: next with OnCalendar, default count and zone") {
  auto r = RunCommand(
      {"schedule", "next", "--oncalendar", "Mon..Fri 09:00", "--after", "2025-01-03T09:00:00Z"});
  CHECK(r.exit_code == 0);
  CHECK(r.out == "2025-01-06T09:00:00Z\n");
  // Without --after the start is now: one line, in the future, in the Z format.
  auto now = RunCommand({"schedule", "next", "--cron", "* * * * *"});
  CHECK(now.exit_code == 0);
  CHECK(now.out.size() == std::string("2026-03-29T01:00:00Z\n").size());
  CHECK(now.out.substr(16) == ":00Z\n");
}

TEST_CASE("schedule cli: invalid expressions exit 1 with the reason, usage errors exit 2") {
  auto bad = RunCommand({"schedule", "next", "--cron", "0 0 32 * *"});
  CHECK(bad.exit_code == 1);
  CHECK(bad.out.empty());
  CHECK(bad.err.find("day-of-month: 32 is out of range 1-31") != std::string::npos);
  auto zone = RunCommand({"schedule", "next", "--cron", "0 0 * * *", "--tz", "../etc/passwd"});
  CHECK(zone.exit_code == 1);
  CHECK(zone.err.find("invalid time zone '../etc/passwd'") != std::string::npos);
  auto oncal = RunCommand({"schedule", "next", "--oncalendar", "2300-01-01"});
  CHECK(oncal.exit_code == 1);
  CHECK(oncal.err.find("year: 2300 is out of range 1970-2199") != std::string::npos);

  CHECK(RunCommand({"schedule", "next"}).exit_code == 2);
  CHECK(
      RunCommand({"schedule", "next", "--cron", "* * * * *", "--oncalendar", "daily"}).exit_code ==
      2);
  CHECK(RunCommand({"schedule", "next", "--cron", "* * * * *", "--count", "0"}).exit_code == 2);
  CHECK(RunCommand({"schedule", "next", "--cron", "* * * * *", "--count", "x"}).exit_code == 2);
  CHECK(RunCommand({"schedule", "next", "--cron", "* * * * *", "--after", "yesterday"}).exit_code ==
        2);
  CHECK(RunCommand({"schedule"}).exit_code == 2);
}

TEST_CASE("schedule cli: a never-firing expression prints nothing and succeeds") {
  auto r = RunCommand({"schedule", "next", "--cron", "0 0 */29 2 MON#5", "--count", "3"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.empty());
}

TEST_CASE("schedule cli: describe prints the schedule in words") {
  auto r = RunCommand({"schedule", "describe", "0 3 * * *", "--tz", "Europe/Riga"});
  CHECK(r.exit_code == 0);
  CHECK(r.out == "At 03:00 every day (Europe/Riga)\n");
  CHECK(RunCommand({"schedule", "describe", "daily", "--oncalendar"}).out ==
        "Every day at 00:00\n");
  auto bad = RunCommand({"schedule", "describe", "0 0 * * 1#6"});
  CHECK(bad.exit_code == 1);
  CHECK(bad.err.find("day-of-week: '#6' is not allowed") != std::string::npos);
}

TEST_CASE("schedule cli: --batch answers one JSON line per input and survives bad lines") {
  const std::string input =
      R"({"cron": "30 3 * * *", "tz": "Europe/Riga", "after": "2025-03-29T12:00:00Z", "count": 2})"
      "\n"
      R"({"cron": "*/15 * * * *", "tz": "Europe/Riga", "after": "2025-10-26T00:40:00Z", "count": 3})"
      "\n"
      R"({"cron": "30 1 * * *", "tz": "America/New_York", "after": "2025-11-02T06:10:00Z"})"
      "\n"
      R"({"cron": "15 2 * * *", "tz": "Australia/Lord_Howe", "after": "2025-10-04T00:00:00Z"})"
      "\n"
      R"({"cron": "0 3 * * *", "tz": "Pacific/Chatham", "after": "2025-09-27T00:00:00Z"})"
      "\n"
      R"({"oncalendar": "daily", "tz": "America/Santiago", "after": "2025-09-06T12:00:00Z"})"
      "\n"
      R"({"oncalendar": "*-02~1 Asia/Kolkata", "after": "2025-01-01T00:00:00Z", "count": 2})"
      "\n"
      R"({"cron": "0 0 30 2 *", "after": "2025-01-01T00:00:00Z"})"
      "\n"
      "not json\n"
      "\n"
      R"({"cron": "* * * * *", "oncalendar": "daily"})"
      "\n"
      R"({"cron": "0 0 * * *", "tz": "Mars/Base"})"
      "\n"
      R"({"oncalendar": "*:*/2"})"
      "\n"
      R"({"cron": "0 0 * * *", "count": 0})"
      "\n"
      R"({"cron": "0 0 * * *", "after": "soon"})"
      "\n"
      R"({"cron": 5})"
      "\n"
      R"({"cron": "0 0 */29 2 MON#5", "after": "2025-01-01T00:00:00Z", "count": 5})"
      "\n";
  auto r = RunCommand({"schedule", "next", "--batch", "-"}, input);
  CHECK(r.exit_code == 0);
  auto lines = JsonLines(r.out);
  REQUIRE(lines.size() == 16);  // the blank line is skipped
  using J = nlohmann::json;
  CHECK(lines[0] == J{{"next", {"2025-03-30T01:00:00Z", "2025-03-31T00:30:00Z"}}});
  CHECK(lines[1] ==
        J{{"next", {"2025-10-26T00:45:00Z", "2025-10-26T01:00:00Z", "2025-10-26T01:15:00Z"}}});
  CHECK(lines[2] == J{{"next", {"2025-11-03T06:30:00Z"}}});
  CHECK(lines[3] == J{{"next", {"2025-10-04T15:30:00Z"}}});
  CHECK(lines[4] == J{{"next", {"2025-09-27T14:00:00Z"}}});
  CHECK(lines[5] == J{{"next", {"2025-09-08T03:00:00Z"}}});
  CHECK(lines[6] == J{{"next", {"2025-02-27T18:30:00Z", "2026-02-27T18:30:00Z"}}});
  CHECK(lines[7] == J{{"error", "day-of-month: 30 does not occur in the selected months"}});
  CHECK(lines[8] == J{{"error", "line is not a JSON object"}});
  CHECK(lines[9] == J{{"error", "give exactly one of \"cron\" and \"oncalendar\""}});
  CHECK(lines[10] == J{{"error", "unknown time zone 'Mars/Base'"}});
  CHECK(lines[11]["error"].get<std::string>().find("minute: '*/2' is not allowed") == 0);
  CHECK(lines[12] == J{{"error", "\"count\" must be 1-1000"}});
  CHECK(lines[13] == J{{"error", "after: 'soon' is not an ISO 8601 time"}});
  CHECK(lines[14] == J{{"error", "the expression must be a string"}});
  CHECK(lines[15] == J{{"next", J::array()}});
}

TEST_CASE("schedule cli: --batch reads a file and reports an unreadable one") {
  TempDir dir;
  WriteFile(dir / "cases.jsonl",
            R"({"cron": "0 9 * * 1-5", "after": "2025-01-03T09:00:00Z", "count": 2})"
            "\n");
  auto r = RunCommand({"schedule", "next", "--batch", dir / "cases.jsonl"});
  CHECK(r.exit_code == 0);
  CHECK(r.out == R"({"next":["2025-01-06T09:00:00Z","2025-01-07T09:00:00Z"]})"
                 "\n");
  auto missing = RunCommand({"schedule", "next", "--batch", dir / "missing.jsonl"});
  CHECK(missing.exit_code == 1);
  CHECK(missing.err.find("cannot read") != std::string::npos);
}
