// The front when the monitor is stuck (a disk that does not answer): a ping is answered 503 once
// the monitor has not answered within the front's timeout, not left hanging. Uses the test-only
// faults DOGWATCH_TEST_MONITOR_STALL_MS (every batch holding a ping waits that long) and
// DOGWATCH_TEST_PING_ACK_TIMEOUT_MS (the front's wait for the monitor, 10 s otherwise).
#include <doctest/doctest.h>

#include "integration/fixture.h"
#include "integration/http_front_raw_test.h"

using namespace dwtest;

TEST_CASE("http front: a ping the monitor does not answer in time is answered 503") {
  ApiServer api("[checks]\nmin_timeout = \"1s\"\n",
                {"DOGWATCH_TEST_MONITOR_STALL_MS=1500", "DOGWATCH_TEST_PING_ACK_TIMEOUT_MS=200"});
  std::string u = api.CreateCheck({{"name", "job"}})["uuid"];  // no ping: not stalled
  RawConn conn(api.server().port());
  REQUIRE(conn.Send("GET /ping/" + u + " HTTP/1.1\r\nHost: t\r\n\r\n"));
  auto r = conn.ReadResponse(false, std::chrono::seconds(10));
  REQUIRE_FALSE(r.empty());
  CHECK(StatusOf(r) == 503);
  CHECK(BodyOf(r) == "service unavailable");
  CHECK(api.server().Log().find("ping_unavailable") != std::string::npos);
  // A 503 says "not known to be recorded": the stalled batch still commits in the end.
  CHECK(Eventually([&] { return api.GetCheck(u)["n_pings"] == 1; }));
  // The monitor's late answer for the ping already answered is dropped, not written to the
  // connection: the next request gets its own answer (503 again, the stall being per batch).
  REQUIRE(conn.Send("GET /ping/" + u + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"));
  auto second = conn.ReadResponse(false, std::chrono::seconds(10));
  REQUIRE_FALSE(second.empty());
  CHECK(StatusOf(second) == 503);
  CHECK(Eventually([&] { return api.GetCheck(u)["n_pings"] == 2; }));
}
