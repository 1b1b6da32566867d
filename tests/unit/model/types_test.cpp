#include <doctest/doctest.h>

#include "dogwatch/model/types.h"

using namespace dogwatch;

TEST_CASE("model: every enum name parses back to its value") {
  for (auto s : {CheckStatus::kNew, CheckStatus::kUp, CheckStatus::kGrace, CheckStatus::kDown,
                 CheckStatus::kPaused})
    CHECK(ParseCheckStatus(CheckStatusName(s)) == s);
  for (auto k : {ScheduleKind::kSimple, ScheduleKind::kCron, ScheduleKind::kOnCalendar})
    CHECK(ParseScheduleKind(ScheduleKindName(k)) == k);
  for (auto k : {PingKind::kSuccess, PingKind::kStart, PingKind::kFail, PingKind::kLog, PingKind::kIgnored})
    CHECK(ParsePingKind(PingKindName(k)) == k);
  CHECK(std::string(PingKindName(PingKind::kIgnored)) == "ign");
  CHECK_FALSE(ParseCheckStatus("started").has_value());
  CHECK(ParseSource("config") == Source::kConfig);
  CHECK(ParseNotificationState("failed") == NotificationState::kFailed);
}
