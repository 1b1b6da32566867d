#include "http/fast_ping.h"

#include <doctest/doctest.h>

#include <string>

using namespace dogwatch;
using namespace dogwatch::http_internal;

namespace {

// Parses text (a whole head) and plans it; the head must be complete.
bool Plan(const std::string& text, PingPlan& plan, RequestHead& head) {
  size_t scanned = 0;
  REQUIRE(ParseRequestHead(text, scanned, head) == HeadStatus::kComplete);
  return PlanPing(head, plan);
}

}  // namespace

TEST_CASE("fast ping: the front serves plain pings and hands everything else to cpp-httplib") {
  struct Case {
    std::string head;
    bool served;
  };
  const std::string u = "/ping/0a1b2c3d-1111-4222-8333-444455556666";
  const Case cases[] = {
      {"GET " + u + " HTTP/1.1\r\n\r\n", true},
      {"HEAD " + u + "/start HTTP/1.1\r\n\r\n", true},
      {"OPTIONS " + u + " HTTP/1.0\r\n\r\n", true},
      {"GET " + u + "?rid=x&create=1 HTTP/1.1\r\n\r\n", true},
      {"GET " + u + " HTTP/1.1\r\nContent-Length: 0\r\n\r\n", true},
      {"POST " + u + " HTTP/1.1\r\nContent-Length: 12\r\n\r\n", true},
      {"PUT " + u + " HTTP/1.1\r\nContent-Length: 0\r\n\r\n", true},
      {"DELETE " + u + " HTTP/1.1\r\n\r\n", true},
      {"POST " + u + " HTTP/1.1\r\n\r\n", true},  // no length, no body (RFC 9112 §6.3)
      {"GET " + u + " HTTP/1.1\r\nAccept-Encoding: gzip, deflate\r\n\r\n", true},
      // handed off
      {"GET /api/v3/status HTTP/1.1\r\n\r\n", false},
      {"GET /pingx HTTP/1.1\r\n\r\n", false},
      {"GET /%70ing/x HTTP/1.1\r\n\r\n", false},
      {"GET " + u + "#frag HTTP/1.1\r\n\r\n", false},
      {"GET " + u + "?a?b HTTP/1.1\r\n\r\n", false},
      {"GET " + u + " HTTP/2.0\r\n\r\n", false},
      {"TRACE " + u + " HTTP/1.1\r\n\r\n", false},
      {"GET " + u + " HTTP/1.1\r\nContent-Length: 3\r\n\r\n", false},
      {"GET " + u + " HTTP/1.1\r\nRange: bytes=0-1\r\n\r\n", false},
      {"POST " + u + " HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", false},
      {"POST " + u + " HTTP/1.1\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n", false},
      {"POST " + u + " HTTP/1.1\r\nContent-Length: 5\r\nContent-Encoding: gzip\r\n\r\n", false},
      {"POST " + u + " HTTP/1.1\r\nContent-Length: +5\r\n\r\n", false},
      {"POST " + u + " HTTP/1.1\r\nContent-Length: 67108865\r\n\r\n", false},  // over 64 MiB
      {"POST " + u +
           " HTTP/1.1\r\nContent-Length: 5\r\n"
           "Content-Type: multipart/form-data; boundary=x\r\n\r\n",
       false},
  };
  for (const auto& c : cases) {
    CAPTURE(c.head);
    PingPlan plan;
    RequestHead head;
    CHECK(Plan(c.head, plan, head) == c.served);
  }
}

TEST_CASE("fast ping: connection handling follows cpp-httplib") {
  const std::string u = "/ping/0a1b2c3d-1111-4222-8333-444455556666";
  struct Case {
    std::string version, connection;
    bool close_header, close_after;
  };
  const Case cases[] = {
      {"HTTP/1.1", "", false, false},
      {"HTTP/1.1", "close", true, true},
      {"HTTP/1.1", "Close", false, false},  // cpp-httplib compares exactly
      {"HTTP/1.1", "keep-alive", false, false},
      {"HTTP/1.0", "", false, true},  // answered with Keep-Alive, then closed: as cpp-httplib
      {"HTTP/1.0", "Keep-Alive", false, false},
      {"HTTP/1.0", "close", true, true},
  };
  for (const auto& c : cases) {
    CAPTURE(c.version);
    CAPTURE(c.connection);
    std::string text = "GET " + u + " " + c.version + "\r\n";
    if (!c.connection.empty()) text += "Connection: " + c.connection + "\r\n";
    PingPlan plan;
    RequestHead head;
    REQUIRE(Plan(text + "\r\n", plan, head));
    CHECK(plan.close_header == c.close_header);
    CHECK(plan.close_after == c.close_after);
  }
}

TEST_CASE("fast ping: the RawPing has what ping_routes.cpp would give it") {
  Config config;
  config.storage.ping_body_limit = 123;
  HttpContext ctx;
  ctx.config = &config;
  std::string text =
      "POST /ping/key/my%2Dslug/fail?rid=ABC&create=1&rid=second HTTP/1.1\r\n"
      "User-Agent: curl/8.0\r\nX-Forwarded-For: 10.0.0.1, 10.0.0.2\r\n"
      "x-forwarded-proto: https\r\nContent-Length: 4\r\n\r\n";
  PingPlan plan;
  RequestHead head;
  REQUIRE(Plan(text, plan, head));
  CHECK(plan.body_bytes == 4);
  RawPing raw = MakeRawPing(head, "127.0.0.1", ctx);
  CHECK(raw.method == "POST");
  CHECK(raw.path == "/ping/key/my-slug/fail");  // percent-decoded, query gone
  REQUIRE(raw.rid_param);
  CHECK(*raw.rid_param == "ABC");  // the first of two
  REQUIRE(raw.create_param);
  CHECK(*raw.create_param == "1");
  CHECK(raw.peer_addr == "127.0.0.1");
  CHECK(raw.forwarded_for == "10.0.0.1, 10.0.0.2");
  CHECK(raw.forwarded_proto == "https");
  CHECK(raw.user_agent == "curl/8.0");
  CHECK(raw.body_limit == 123);
  CHECK(raw.body.empty());
}

TEST_CASE("fast ping: header values are percent-decoded, as cpp-httplib decodes them") {
  Config config;
  HttpContext ctx;
  ctx.config = &config;
  PingPlan plan;
  RequestHead head;
  const std::string text =
      "GET /ping/x HTTP/1.1\r\nUser-Agent: a%20b\r\nConnection: clo%73e\r\n\r\n";
  REQUIRE(Plan(text, plan, head));  // head views text
  CHECK(plan.close_header);
  CHECK(MakeRawPing(head, "::1", ctx).user_agent == "a b");
}
