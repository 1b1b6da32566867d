#include <doctest/doctest.h>

#include "dogwatch/core/clock.h"
#include "dogwatch/core/time.h"

using namespace dogwatch;

TEST_CASE("time: ISO formats of one instant") {
  auto t = FromUnixMicros(1743296400'123456);  // 2025-03-30T01:00:00.123456Z
  CHECK(FormatIsoZ(t) == "2025-03-30T01:00:00Z");
  CHECK(FormatIsoApi(t) == "2025-03-30T01:00:00+00:00");
  CHECK(FormatIsoApiMicros(t) == "2025-03-30T01:00:00.123456+00:00");
  CHECK(FormatIsoZ(FromUnixMicros(0)) == "1970-01-01T00:00:00Z");
}

TEST_CASE("time: ParseIso reads Z, offsets, fractions and dates alone") {
  CHECK(ToUnixMicros(*ParseIso("2025-03-30T01:00:00Z")) == 1743296400'000000);
  CHECK(ToUnixMicros(*ParseIso("2025-03-30T04:00:00+03:00")) == 1743296400'000000);
  CHECK(ToUnixMicros(*ParseIso("2025-03-29T20:00:00-05:00")) == 1743296400'000000);
  CHECK(ToUnixMicros(*ParseIso("2025-03-30T01:00:00.5Z")) == 1743296400'500000);
  CHECK(ToUnixMicros(*ParseIso("2025-03-30 01:00")) == 1743296400'000000);
  CHECK(ToUnixMicros(*ParseIso("2025-03-30")) == 1743292800'000000);
}

TEST_CASE("time: ParseIso rejects malformed text") {
  for (const char* s : {"", "2025", "2025-3-30", "2025-02-30T00:00:00Z", "2025-03-30T24:00:00Z",
                        "2025-03-30T01:00:00+3", "2025-03-30T01:00:00Zjunk", "2025-03-30T01:60Z",
                        "2025-03-30T01:00:00.Z", "２０２５-03-30"}) {
    CAPTURE(s);
    CHECK_FALSE(ParseIso(s).has_value());
  }
}

TEST_CASE("clock: FakeClock advances wall and steady time together, JumpWall only the wall") {
  FakeClock clock(*ParseIso("2025-01-01T00:00:00Z"));
  auto steady0 = clock.Steady();
  clock.Advance(std::chrono::hours(2));
  CHECK(FormatIsoZ(clock.Now()) == "2025-01-01T02:00:00Z");
  CHECK(clock.Steady() - steady0 == std::chrono::hours(2));
  clock.JumpWall(-std::chrono::hours(5));
  CHECK(FormatIsoZ(clock.Now()) == "2024-12-31T21:00:00Z");
  CHECK(clock.Steady() - steady0 == std::chrono::hours(2));
}
