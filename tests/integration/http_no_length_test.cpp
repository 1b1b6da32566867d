// A POST, PUT or DELETE with neither Content-Length nor Transfer-Encoding has an empty body
// (RFC 9112 §6.3). `curl -X POST -H "X-Api-Key: ..." .../pause` sends exactly that, and so does
// `curl -X POST <ping url>`; both must be answered while the connection stays open, not when the
// read timeout (60 s here, beyond ReadResponse's 5 s) runs out.
#include <doctest/doctest.h>

#include "integration/fixture.h"
#include "integration/http_front_raw_test.h"

namespace dwtest {
namespace {

TEST_CASE("http: a body-less POST without Content-Length is answered at once") {
  ApiServer api("[checks]\nmin_timeout = \"1s\"\n[server]\nread_timeout = \"60s\"\n");
  std::string u = api.CreateCheck({{"name", "job"}})["uuid"];
  RawConn conn(api.server().port());
  REQUIRE(conn.Send("POST /ping/" + u + " HTTP/1.1\r\nHost: t\r\n\r\n"));
  CHECK(StatusOf(conn.ReadResponse()) == 200);
  REQUIRE(conn.Send("POST /api/v3/checks/" + u + "/pause HTTP/1.1\r\nHost: t\r\nX-Api-Key: " +
                    api.project().rw_key + "\r\n\r\n"));
  auto r = conn.ReadResponse();
  REQUIRE(StatusOf(r) == 200);
  CHECK(Json::parse(BodyOf(r))["status"] == "paused");
  REQUIRE(conn.Send("DELETE /api/v3/checks/" + u + " HTTP/1.1\r\nHost: t\r\nX-Api-Key: " +
                    api.project().rw_key + "\r\n\r\n"));
  CHECK(StatusOf(conn.ReadResponse()) == 200);
}

}  // namespace
}  // namespace dwtest
