#include <doctest/doctest.h>

#include "dogwatch/http/server.h"

using namespace dogwatch;

TEST_CASE("http: RedactPath cuts secrets to 8 characters and drops the query") {
  CHECK(RedactPath("/ping/0a1b2c3d-1111-4222-8333-444455556666") == "/ping/0a1b2c3d");
  CHECK(RedactPath("/ping/0a1b2c3d-1111-4222-8333-444455556666/start?rid=x") == "/ping/0a1b2c3d/start");
  CHECK(RedactPath("/ping/e8OcFEvXzII-dlI5b7lQW7/backup-db") == "/ping/e8OcFEvX/backup-db");
  CHECK(RedactPath("/api/v3/checks/?api_key=hcw_RYyd8wYbXchxTytbBfAkyEJi3pOE") == "/api/v3/checks/");
  CHECK(RedactPath("/api/v3/status") == "/api/v3/status");
  CHECK(RedactPath("/") == "/");
  CHECK(RedactPath("") == "");
}
