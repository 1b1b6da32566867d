#include <doctest/doctest.h>

#include "dogwatch/core/duration.h"

using namespace dogwatch;
using std::chrono::seconds;

TEST_CASE("duration: valid forms parse to seconds") {
  struct Case {
    const char* text;
    int64_t secs;
  };
  for (auto c : {Case{"90s", 90}, Case{"15m", 900}, Case{"1h30m", 5400}, Case{"2d", 172800},
                 Case{"1w", 604800}, Case{"1d2h3m4s", 93784}, Case{"0", 0}, Case{"0s", 0},
                 Case{"007m", 420}}) {
    CAPTURE(c.text);
    auto d = ParseDuration(c.text);
    REQUIRE(d.has_value());
    CHECK(d->count() == c.secs);
  }
}

TEST_CASE("duration: invalid forms are rejected with the text quoted") {
  for (const char* text : {"", "-5s", "+5s", "1.5h", "5", "h", "5x", "30m1h", "1h1h", " 5s", "5s ",
                           "5 s", "1h-30m", "99999999999999999999s", "5S"}) {
    CAPTURE(text);
    auto d = ParseDuration(text);
    REQUIRE_FALSE(d.has_value());
    CHECK(d.error().code == Errc::kInvalidArgument);
  }
  CHECK(ParseDuration("5x").error().message.find("'5x'") != std::string::npos);
  CHECK(ParseDuration("5").error().message.find("needs a unit") != std::string::npos);
}

TEST_CASE("duration: totals above 100 years are rejected") {
  CHECK_FALSE(ParseDuration("36501d").has_value());
  CHECK(ParseDuration("36500d").has_value());
}

TEST_CASE("duration: FormatDuration gives the shortest form that reads back") {
  CHECK(FormatDuration(seconds(0)) == "0s");
  CHECK(FormatDuration(seconds(90)) == "1m30s");
  CHECK(FormatDuration(seconds(5400)) == "1h30m");
  CHECK(FormatDuration(seconds(172800)) == "2d");
  CHECK(FormatDuration(seconds(604800)) == "7d");
  for (int64_t s : {1, 59, 60, 61, 3599, 3600, 86399, 86400, 90061, 31536000}) {
    CAPTURE(s);
    CHECK(ParseDuration(FormatDuration(seconds(s)))->count() == s);
  }
}
