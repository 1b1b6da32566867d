// The bytes the front writes for a ping. tests/integration/http_front_equivalence_test.cpp checks
// them against what cpp-httplib itself sends for the same requests; these pin the layout.
#include "http/ping_response.h"

#include <doctest/doctest.h>

#include <string>

using namespace dogwatch;
using namespace dogwatch::http_internal;

namespace {

const std::string kCache =
    "Cache-Control: max-age=0, no-cache, no-store, must-revalidate, private\r\n";

ResponseFraming Framing() {
  ResponseFraming f;
  f.keep_alive = "timeout=2, max=100";
  f.body_limit = "10000";
  return f;
}

}  // namespace

TEST_CASE("ping response: 200 OK, keep-alive, headers in cpp-httplib's case-insensitive order") {
  std::string out;
  AppendPingResponse(out, AnswerFor(PingAck{}), Framing());
  CHECK(out == "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\n" + kCache +
                   "Content-Length: 2\r\nContent-Type: text/plain; charset=utf-8\r\n"
                   "Keep-Alive: timeout=2, max=100\r\nPing-Body-Limit: 10000\r\n\r\nOK");
}

TEST_CASE("ping response: 201 Created for HEAD with Connection: close has no body") {
  std::string out;
  ResponseFraming f = Framing();
  f.head = true;
  f.close = true;
  AppendPingResponse(out, AnswerFor(PingAck{.created = true}), f);
  CHECK(out ==
        "HTTP/1.1 201 Created\r\nAccept-Ranges: bytes\r\nAccess-Control-Allow-Origin: *\r\n" +
            kCache +
            "Connection: close\r\nContent-Length: 7\r\nContent-Type: text/plain; charset=utf-8\r\n"
            "Ping-Body-Limit: 10000\r\n\r\n");
}

TEST_CASE("ping response: errors carry only Cache-Control and their message") {
  struct Case {
    Errc code;
    const char* message;
    std::string status_line, body;
  };
  const Case cases[] = {
      {Errc::kNotFound, "not found", "HTTP/1.1 404 Not Found", "not found"},
      {Errc::kInvalidArgument, "invalid url format", "HTTP/1.1 400 Bad Request",
       "invalid url format"},
      {Errc::kConflict, "ambiguous slug", "HTTP/1.1 409 Conflict", "ambiguous slug"},
      {Errc::kUnavailable, "disk full", "HTTP/1.1 503 Service Unavailable", "service unavailable"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.status_line);
    PingAnswer answer = AnswerFor(Result<PingAck>(Fail(c.code, "{}", c.message)));
    CHECK(answer.unavailable == (c.code == Errc::kUnavailable));
    std::string out;
    AppendPingResponse(out, answer, Framing());
    CHECK(out == c.status_line + "\r\n" + kCache +
                     "Content-Length: " + std::to_string(c.body.size()) +
                     "\r\nContent-Type: text/plain; charset=utf-8\r\n"
                     "Keep-Alive: timeout=2, max=100\r\n\r\n" +
                     c.body);
  }
}

TEST_CASE("ping response: gzip bodies are cached and framed with Content-Encoding") {
  GzipCache cache;
  std::string_view first = cache.Compress("OK");
  CHECK(first.size() > 10);
  CHECK(static_cast<unsigned char>(first[0]) == 0x1f);  // gzip magic
  CHECK(cache.Compress("OK").data() == first.data());   // the same bytes, not redone
  ResponseFraming f = Framing();
  f.gzip_body = first;
  std::string out;
  AppendPingResponse(out, AnswerFor(PingAck{}), f);
  std::string length = "Content-Length: " + std::to_string(first.size()) + "\r\n";
  CHECK(out.find("Content-Encoding: gzip\r\n" + length) != std::string::npos);
  CHECK(out.substr(out.size() - first.size()) == first);
}

TEST_CASE("ping response: 414 and 431 are empty and close") {
  std::string out;
  ResponseFraming f = Framing();
  f.close = true;
  AppendEmptyResponse(out, 431, f);
  CHECK(out ==
        "HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\n"
        "Content-Length: 0\r\n\r\n");
}
