// Requests the front hands to cpp-httplib (src/http/handoff.h): Expect: 100-continue and chunked
// pings, API requests, including one on a connection that first sent a ping; and the proof that
// a ping answered by the front is byte for byte what cpp-httplib answers for it.
#include <doctest/doctest.h>

#include "integration/fixture.h"
#include "integration/http_front_raw_test.h"

using namespace dwtest;

namespace {

std::string PingBody(ApiServer& api, const std::string& uuid, int n) {
  auto res = api.Get("/api/v3/checks/" + uuid + "/pings/" + std::to_string(n) + "/body",
                     api.project().rw_key);
  REQUIRE(res);
  return res->status == 200 ? res->body : "";
}

// What the server sends back for one request on a fresh connection.
std::string Exchange(int port, const std::string& request, bool head_only = false) {
  RawConn conn(port);
  REQUIRE(conn.Send(request));
  auto r = conn.ReadResponse(head_only);
  if (StatusOf(r) == 100) r = conn.ReadResponse(head_only);
  return r;
}

// Adds a header after the request line.
std::string With(const std::string& request, const std::string& field) {
  size_t eol = request.find("\r\n") + 2;
  return request.substr(0, eol) + field + "\r\n" + request.substr(eol);
}

}  // namespace

TEST_CASE("http front: an Expect: 100-continue ping gets its 100 and its 200 (handed off)") {
  ApiServer api;
  std::string u = api.CreateCheck({{"name", "job"}})["uuid"];
  RawConn conn(api.server().port());
  REQUIRE(conn.Send("POST /ping/" + u +
                    " HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n"
                    "Expect: 100-continue\r\n\r\n"));
  auto cont = conn.ReadResponse();
  CHECK(cont.rfind("HTTP/1.1 100 Continue\r\n", 0) == 0);
  REQUIRE(conn.Send("hello"));
  auto r = conn.ReadResponse();
  CHECK(StatusOf(r) == 200);
  CHECK(BodyOf(r) == "OK");
  CHECK(PingBody(api, u, 1) == "hello");
}

TEST_CASE("http front: a chunked POST ping is read and recorded (handed off)") {
  ApiServer api;
  std::string u = api.CreateCheck({{"name", "job"}})["uuid"];
  RawConn conn(api.server().port());
  REQUIRE(conn.Send("POST /ping/" + u +
                    "/fail HTTP/1.1\r\nHost: t\r\n"
                    "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"));
  auto r = conn.ReadResponse();
  CHECK(StatusOf(r) == 200);
  CHECK(PingBody(api, u, 1) == "hello world");
  // The connection stays usable with cpp-httplib.
  REQUIRE(conn.Send("GET /ping/" + u + " HTTP/1.1\r\nHost: t\r\n\r\n"));
  CHECK(StatusOf(conn.ReadResponse()) == 200);
  CHECK(api.GetCheck(u)["n_pings"] == 2);
}

TEST_CASE("http front: an API request on a connection that sent a ping is handed off") {
  ApiServer api;
  std::string u = api.CreateCheck({{"name", "job"}})["uuid"];
  RawConn conn(api.server().port());
  REQUIRE(conn.Send("GET /ping/" + u + " HTTP/1.1\r\nHost: t\r\n\r\n"));
  REQUIRE(StatusOf(conn.ReadResponse()) == 200);
  REQUIRE(conn.Send("GET /api/v3/checks/" + u +
                    " HTTP/1.1\r\nHost: t\r\nX-Api-Key: " + api.project().rw_key + "\r\n\r\n"));
  auto r = conn.ReadResponse();
  REQUIRE(StatusOf(r) == 200);
  auto check = Json::parse(BodyOf(r));
  CHECK(check["n_pings"] == 1);
  // Still open, now with cpp-httplib: pings and the API both work on it.
  REQUIRE(conn.Send("GET /ping/" + u + "/start HTTP/1.1\r\nHost: t\r\n\r\n"));
  CHECK(StatusOf(conn.ReadResponse()) == 200);
  REQUIRE(conn.Send("GET /api/v3/status HTTP/1.1\r\nHost: t\r\n\r\n"));
  CHECK(BodyOf(conn.ReadResponse()) == "OK");
  CHECK(api.GetCheck(u)["n_pings"] == 2);
}

TEST_CASE("http front: API routes, the 413 rule and 404s still answer through the hand-off") {
  ApiServer api("[checks]\nmin_timeout = \"1s\"\n[server]\nmax_request_body = 1024\n");
  int port = api.server().port();
  CHECK(BodyOf(Exchange(port, "GET /api/v3/status HTTP/1.1\r\nHost: t\r\n\r\n")) == "OK");
  CHECK(StatusOf(Exchange(port, "GET /nowhere HTTP/1.1\r\nHost: t\r\n\r\n")) == 404);
  auto big =
      Exchange(port, "POST /api/v3/checks/ HTTP/1.1\r\nHost: t\r\nContent-Length: 4096\r\n\r\n" +
                         std::string(4096, 'x'));
  CHECK(StatusOf(big) == 413);
  CHECK(BodyOf(big) == "request body too large");
}

TEST_CASE("http front: a ping answered by the front is byte for byte cpp-httplib's answer") {
  // "Content-Encoding: identity" changes nothing in what cpp-httplib does with a request, but
  // the front hands such requests over: so each pair below is the front's answer and
  // cpp-httplib's answer to the same ping.
  ApiServer api;
  std::string u = api.CreateCheck({{"name", "job"}})["uuid"];
  int port = api.server().port();
  const std::string key = api.project().ping_key;
  const std::string cases[] = {
      "GET /ping/" + u + " HTTP/1.1\r\nHost: t\r\n\r\n",
      "GET /ping/" + u + "/start?rid=6f2ad9a4-2c9d-4b7e-9a4c-1f3e5d7c9b0a HTTP/1.1\r\n\r\n",
      "GET /ping/" + u + " HTTP/1.1\r\nConnection: close\r\n\r\n",
      "GET /ping/" + u + " HTTP/1.0\r\n\r\n",
      "GET /ping/" + u + " HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n",
      "GET /ping/" + u + " HTTP/1.1\r\nAccept-Encoding: gzip\r\n\r\n",
      "OPTIONS /ping/" + u + " HTTP/1.1\r\n\r\n",
      "POST /ping/" + u + "/fail HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc",
      "PUT /ping/" + u + "/7 HTTP/1.1\r\nContent-Length: 0\r\n\r\n",
      "DELETE /ping/" + u + " HTTP/1.1\r\n\r\n",
      "POST /ping/" + u + " HTTP/1.1\r\n\r\n",  // no length: no body (handoff.cpp)
      "GET /ping/" + u + "/256 HTTP/1.1\r\n\r\n",                         // 400
      "GET /ping/" + u + "?rid=bad HTTP/1.1\r\n\r\n",                     // 400
      "GET /ping/00000000-0000-4000-8000-000000000000 HTTP/1.1\r\n\r\n",  // 404
      "GET /ping/" + key + "/new-slug?create=1 HTTP/1.1\r\n\r\n",         // 201, then 200
      "GET /ping/" + key + "/Upper HTTP/1.1\r\n\r\n",                     // 400
      "GET /ping/" + u + "/start/ HTTP/1.1\r\n\r\n",                      // 404
  };
  for (const auto& request : cases) {
    CAPTURE(request);
    std::string front = Exchange(port, request);
    std::string httplib = Exchange(port, With(request, "Content-Encoding: identity"));
    REQUIRE(StatusOf(front) != 0);
    if (request.find("create=1") != std::string::npos) {
      CHECK(StatusOf(front) == 201);
      front = Exchange(port, request);  // created now: both answer 200
    }
    CHECK(front == httplib);
  }
  std::string head = "HEAD /ping/" + u + " HTTP/1.1\r\n\r\n";
  CHECK(Exchange(port, head, true) ==
        Exchange(port, With(head, "Content-Encoding: identity"), true));
}
