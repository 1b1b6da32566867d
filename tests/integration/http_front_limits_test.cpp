// The front's limits: oversized heads, trickling clients (slowloris) while pings keep flowing,
// and a clean stop with requests in progress.
#include <SQLiteCpp/SQLiteCpp.h>
#include <doctest/doctest.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "integration/fixture.h"
#include "integration/http_front_raw_test.h"

using namespace dwtest;

TEST_CASE("http front: over 8 KiB of header fields is 431, of request line 414, then closed") {
  ApiServer api;
  std::string u = api.CreateCheck({{"name", "job"}})["uuid"];
  int port = api.server().port();
  {
    RawConn conn(port);
    REQUIRE(
        conn.Send("GET /ping/" + u + " HTTP/1.1\r\nX-Big: " + std::string(9000, 'b') + "\r\n\r\n"));
    auto r = conn.ReadResponse();
    CHECK(r.rfind("HTTP/1.1 431 Request Header Fields Too Large\r\n", 0) == 0);
    CHECK(HeaderOf(r, "Connection") == "close");
    CHECK(conn.ClosedByServer());
  }
  {
    RawConn conn(port);
    REQUIRE(conn.Send("GET /ping/" + u + "?" + std::string(9000, 'q') + " HTTP/1.1\r\n\r\n"));
    auto r = conn.ReadResponse();
    CHECK(StatusOf(r) == 414);
    CHECK(conn.ClosedByServer());
  }
  CHECK(api.GetCheck(u)["n_pings"] == 0);
  CHECK(api.Ping(u) == 200);
}

TEST_CASE("http front: a slowloris client is cut off while other pings keep being answered") {
  ApiServer api("[checks]\nmin_timeout = \"1s\"\n[server]\nread_timeout = \"1s\"\nthreads = 2\n");
  std::string u = api.CreateCheck({{"name", "job"}})["uuid"];
  int port = api.server().port();
  // Three tricklers: more than there are worker threads, which no longer matters.
  std::vector<std::unique_ptr<RawConn>> slow;
  for (int i = 0; i < 3; ++i) {
    slow.push_back(std::make_unique<RawConn>(port));
    REQUIRE(slow.back()->Send("GET /ping/" + u + " HTTP/1.1\r\nX-Slow: "));
  }
  std::atomic<bool> done{false};
  std::atomic<int> answered{0}, failed{0};
  std::thread pinger([&] {
    RawConn conn(port);
    while (!done) {
      if (!conn.Send("GET /ping/" + u + " HTTP/1.1\r\nHost: t\r\n\r\n")) break;
      auto r = conn.ReadResponse(false, std::chrono::seconds(1));
      (StatusOf(r) == 200 ? answered : failed)++;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });
  auto start = std::chrono::steady_clock::now();
  std::vector<bool> cut(slow.size(), false);
  while (std::chrono::steady_clock::now() - start < std::chrono::seconds(6)) {
    for (size_t i = 0; i < slow.size(); ++i)
      if (!cut[i] && !slow[i]->Send("a")) cut[i] = true;
    if (std::all_of(cut.begin(), cut.end(), [](bool b) { return b; })) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  done = true;
  pinger.join();
  for (size_t i = 0; i < slow.size(); ++i) {
    CAPTURE(i);
    CHECK((cut[i] || slow[i]->ClosedByServer(std::chrono::seconds(1))));
  }
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(4));
  CHECK(failed == 0);
  CHECK(answered > 10);
  CHECK(api.GetCheck(u)["n_pings"] == answered.load());
}

TEST_CASE("http front: SIGTERM lets a ping in progress finish and closes idle connections") {
  ApiServer api;
  std::string u = api.CreateCheck({{"name", "job"}})["uuid"];
  int port = api.server().port();
  RawConn idle(port);
  REQUIRE(idle.Send("GET /ping/" + u + " HTTP/1.1\r\n\r\n"));
  REQUIRE(StatusOf(idle.ReadResponse()) == 200);
  RawConn busy(port);
  REQUIRE(busy.Send("GET /ping/" + u + "/start HTTP/1.1\r\nHost: t\r\n"));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  REQUIRE(kill(api.server().pid(), SIGTERM) == 0);
  CHECK(idle.ClosedByServer(std::chrono::seconds(2)));
  REQUIRE(busy.Send("\r\n"));
  auto r = busy.ReadResponse();
  CHECK(StatusOf(r) == 200);
  CHECK(HeaderOf(r, "Connection") == "close");
  CHECK(busy.ClosedByServer());
  CHECK(api.server().Wait() == 0);
}

TEST_CASE("http front: a ping the monitor cannot write is answered 503, and the next one 200") {
  ApiServer api;
  std::string u = api.CreateCheck({{"name", "job"}})["uuid"];
  RawConn conn(api.server().port());
  {
    // Another writer holds the database: the monitor's batch fails after its busy timeout.
    SQLite::Database other(api.server().data_dir() + "/dogwatch.db", SQLite::OPEN_READWRITE);
    other.exec("BEGIN EXCLUSIVE");
    REQUIRE(conn.Send("GET /ping/" + u + " HTTP/1.1\r\nHost: t\r\n\r\n"));
    // Answered when the batch fails (SQLite's 5 s busy timeout), not at the front's 10 s limit.
    auto r = conn.ReadResponse(false, std::chrono::seconds(8));
    CHECK(r.rfind("HTTP/1.1 503 Service Unavailable\r\n", 0) == 0);
    CHECK(BodyOf(r) == "service unavailable");
    CHECK(HeaderOf(r, "Cache-Control") == "max-age=0, no-cache, no-store, must-revalidate, private");
    other.exec("ROLLBACK");
  }
  REQUIRE(conn.Send("GET /ping/" + u + " HTTP/1.1\r\nHost: t\r\n\r\n"));  // same connection
  CHECK(StatusOf(conn.ReadResponse()) == 200);
  CHECK(api.GetCheck(u)["n_pings"] == 1);
  REQUIRE(api.server().Stop() == 0);
  auto log = api.server().Log();
  CHECK(log.find("monitor_write_failed commands=1") != std::string::npos);
  CHECK(log.find("ping_unavailable path=/ping/" + u.substr(0, 8) +
                 " error=\"could not write to the database\"") != std::string::npos);
}
