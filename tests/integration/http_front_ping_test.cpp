// Pings served by the event-loop front (src/http/front.h), through raw connections: pipelining,
// heads and bodies in pieces, keep-alive, HEAD, body limits, gzip.
#include <doctest/doctest.h>

#include "integration/fixture.h"
#include "integration/http_front_raw_test.h"

using namespace dwtest;

namespace {

std::string Get(const std::string& path, const std::string& extra = "") {
  return "GET " + path + " HTTP/1.1\r\nHost: t\r\n" + extra + "\r\n";
}

std::string Post(const std::string& path, const std::string& body) {
  return "POST " + path + " HTTP/1.1\r\nHost: t\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\n\r\n" + body;
}

Json Pings(ApiServer& api, const std::string& uuid) {
  auto res = api.Get("/api/v3/checks/" + uuid + "/pings/", api.project().rw_key);
  REQUIRE(res);
  REQUIRE(res->status == 200);
  return Json::parse(res->body)["pings"];
}

std::string PingBody(ApiServer& api, const std::string& uuid, int n) {
  auto res = api.Get("/api/v3/checks/" + uuid + "/pings/" + std::to_string(n) + "/body",
                     api.project().rw_key);
  REQUIRE(res);
  return res->status == 200 ? res->body : "";
}

}  // namespace

TEST_CASE("http front: pipelined pings on one connection are answered in order and recorded") {
  ApiServer api;
  std::string u = api.CreateCheck({{"name", "job"}})["uuid"];
  RawConn conn(api.server().port());
  std::string burst;
  for (int i = 0; i < 20; ++i) burst += Get("/ping/" + u + (i % 2 ? "/start" : ""));
  burst += Get("/ping/00000000-0000-4000-8000-000000000000");  // unknown: 404 in its place
  burst += Post("/ping/" + u + "/fail", "last");
  REQUIRE(conn.Send(burst));
  for (int i = 0; i < 20; ++i) {
    CAPTURE(i);
    auto r = conn.ReadResponse();
    CHECK(StatusOf(r) == 200);
    CHECK(BodyOf(r) == "OK");
  }
  auto missing = conn.ReadResponse();
  CHECK(StatusOf(missing) == 404);
  CHECK(BodyOf(missing) == "not found");
  CHECK(StatusOf(conn.ReadResponse()) == 200);
  CHECK(api.GetCheck(u)["n_pings"] == 21);
  auto pings = Pings(api, u);
  CHECK(pings[0]["type"] == "fail");
  CHECK(PingBody(api, u, 21) == "last");
}

TEST_CASE("http front: a request head split into many small writes is put back together") {
  ApiServer api;
  std::string u = api.CreateCheck({{"name", "job"}})["uuid"];
  RawConn conn(api.server().port());
  std::string request = Get("/ping/" + u + "?rid=6f2ad9a4-2c9d-4b7e-9a4c-1f3e5d7c9b0a",
                            "User-Agent: trickle/1.0\r\nX-Pad: " + std::string(300, 'p') + "\r\n");
  REQUIRE(conn.SendInPieces(request, 3, std::chrono::milliseconds(1)));
  auto r = conn.ReadResponse();
  CHECK(StatusOf(r) == 200);
  auto ping = Pings(api, u)[0];
  CHECK(ping["ua"] == "trickle/1.0");
  CHECK(ping["rid"] == "6f2ad9a4-2c9d-4b7e-9a4c-1f3e5d7c9b0a");
  CHECK(ping["remote_addr"] == "127.0.0.1");
}

TEST_CASE("http front: keep-alive connections carry keep_alive_max_requests, the last says close") {
  ApiServer api("[checks]\nmin_timeout = \"1s\"\n[server]\nkeep_alive_max_requests = 5\n");
  std::string u = api.CreateCheck({{"name", "job"}})["uuid"];
  RawConn conn(api.server().port());
  for (int i = 1; i <= 5; ++i) {
    CAPTURE(i);
    REQUIRE(conn.Send(Get("/ping/" + u)));
    auto r = conn.ReadResponse();
    REQUIRE(StatusOf(r) == 200);
    if (i < 5) {
      CHECK(HeaderOf(r, "Keep-Alive") == "timeout=2, max=5");
      CHECK(HeaderOf(r, "Connection").empty());
    } else {
      CHECK(HeaderOf(r, "Connection") == "close");
    }
  }
  CHECK(conn.ClosedByServer());
  CHECK(api.GetCheck(u)["n_pings"] == 5);
}

TEST_CASE("http front: an idle keep-alive connection is closed after keep_alive_timeout") {
  ApiServer api("[checks]\nmin_timeout = \"1s\"\n[server]\nkeep_alive_timeout = \"1s\"\n");
  std::string u = api.CreateCheck({{"name", "job"}})["uuid"];
  RawConn conn(api.server().port());
  REQUIRE(conn.Send(Get("/ping/" + u)));
  REQUIRE(StatusOf(conn.ReadResponse()) == 200);
  auto start = std::chrono::steady_clock::now();
  CHECK(conn.ClosedByServer(std::chrono::seconds(5)));
  CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(900));
}

TEST_CASE("http front: HEAD is answered without a body, and the next response follows at once") {
  ApiServer api;
  std::string u = api.CreateCheck({{"name", "job"}})["uuid"];
  RawConn conn(api.server().port());
  REQUIRE(conn.Send("HEAD /ping/" + u + " HTTP/1.1\r\nHost: t\r\n\r\n" + Get("/ping/" + u)));
  auto head = conn.ReadResponse(/*head_only=*/true);
  CHECK(StatusOf(head) == 200);
  CHECK(HeaderOf(head, "Content-Length") == "2");
  CHECK(HeaderOf(head, "Accept-Ranges") == "bytes");
  CHECK(BodyOf(head).empty());
  auto get = conn.ReadResponse();  // would be garbled if HEAD had sent "OK"
  CHECK(StatusOf(get) == 200);
  CHECK(BodyOf(get) == "OK");
  CHECK(Pings(api, u)[1]["method"] == "HEAD");
}

TEST_CASE("http front: a POST body in pieces and over the limit is cut, recorded, and drained") {
  ApiServer api("[checks]\nmin_timeout = \"1s\"\n[storage]\nping_body_limit = 100\n");
  std::string u = api.CreateCheck({{"name", "job"}})["uuid"];
  RawConn conn(api.server().port());
  std::string body;
  for (int i = 0; i < 300; ++i) body += static_cast<char>('a' + i % 26);
  REQUIRE(conn.SendInPieces(Post("/ping/" + u, body), 37, std::chrono::milliseconds(2)));
  auto r = conn.ReadResponse();
  CHECK(StatusOf(r) == 200);
  CHECK(HeaderOf(r, "Ping-Body-Limit") == "100");
  CHECK(PingBody(api, u, 1) == body.substr(0, 100));
  // The 200 dropped bytes were read, not left to be taken for the next request.
  REQUIRE(conn.Send(Get("/ping/" + u)));
  CHECK(StatusOf(conn.ReadResponse()) == 200);

  // A 10 MB body on the same connection: read through, cut, recorded.
  std::string big(10 * 1000 * 1000, 'z');
  REQUIRE(conn.Send(Post("/ping/" + u + "/log", big)));
  CHECK(StatusOf(conn.ReadResponse(false, std::chrono::seconds(20))) == 200);
  CHECK(PingBody(api, u, 3) == std::string(100, 'z'));
  CHECK(api.GetCheck(u)["n_pings"] == 3);
}

TEST_CASE("http front: gzip is sent when asked for, as cpp-httplib sends it") {
  ApiServer api;
  std::string u = api.CreateCheck({{"name", "job"}})["uuid"];
  RawConn conn(api.server().port());
  REQUIRE(conn.Send(Get("/ping/" + u, "Accept-Encoding: gzip, deflate\r\n")));
  auto r = conn.ReadResponse();
  CHECK(StatusOf(r) == 200);
  CHECK(HeaderOf(r, "Content-Encoding") == "gzip");
  REQUIRE(BodyOf(r).size() > 2);
  CHECK(static_cast<unsigned char>(BodyOf(r)[0]) == 0x1f);
}

TEST_CASE("http front: the access log has a line per ping answered in the loop") {
  ApiServer api;
  std::string u = api.CreateCheck({{"name", "job"}})["uuid"];
  RawConn conn(api.server().port());
  REQUIRE(conn.Send(Get("/ping/" + u + "/start?rid=6f2ad9a4-2c9d-4b7e-9a4c-1f3e5d7c9b0a")));
  REQUIRE(StatusOf(conn.ReadResponse()) == 200);
  REQUIRE(api.server().Stop() == 0);
  auto log = api.server().Log();
  CHECK(log.find("http method=GET path=/ping/" + u.substr(0, 8) + "/start status=200 ms=") !=
        std::string::npos);
  CHECK(log.find(u) == std::string::npos);  // never the whole UUID
  CHECK(log.find("remote=127.0.0.1") != std::string::npos);
}
