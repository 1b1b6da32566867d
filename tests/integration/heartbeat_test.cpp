// Self-monitoring ([heartbeat]) against the real binary: a local HTTP receiver plays the external
// dead man's switch. The server requests its URL every interval; the requests stop while the
// monitor thread hangs (a test-only stall) and come back after; a URL that fails is logged once,
// counted, and changes nothing else; a bad URL in the config stops the start.
#include <doctest/doctest.h>

#include <chrono>
#include <thread>

#include "integration/fixture.h"
#include "integration/prom.h"
#include "integration/receiver.h"

using namespace dwtest;
using namespace std::chrono_literals;

namespace {

std::string HeartbeatConfig(const std::string& url) {
  return "[checks]\nmin_timeout = \"1s\"\n[heartbeat]\nurl = \"" + url + "\"\ninterval = \"1s\"\n";
}

size_t Occurrences(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

std::vector<Sample> Scrape(Server& s) {
  auto r = s.Client().Get("/metrics");
  REQUIRE(r);
  REQUIRE(r->status == 200);
  return ParseProm(r->body);
}

}  // namespace

TEST_CASE("heartbeat: the URL is requested every interval, and not while the monitor hangs") {
  Receiver rx;
  // Any ping makes the monitor hang for 12 s (the test-only fault); the heartbeat counts the
  // monitor dead 5 s after its loop last ran.
  Server s({.config_toml = HeartbeatConfig(rx.Url("/ping/self-check?src=dw")),
            .env = {"DOGWATCH_TEST_MONITOR_STALL_MS=12000"}});
  REQUIRE(rx.WaitFor(2, 10s));
  auto first = rx.Requests()[0];
  CHECK(first.method == "GET");
  CHECK(first.path == "/ping/self-check?src=dw");
  CHECK(first.Header("User-Agent").rfind("dogwatch/", 0) == 0);
  // The log names the host, never the path (a check's UUID or ping key is a secret).
  CHECK(s.Log().find("heartbeat_started url=http://127.0.0.1:" + std::to_string(rx.port()) + "/... ") !=
        std::string::npos);
  CHECK(s.Log().find("self-check") == std::string::npos);

  std::thread ping([&] { s.Client().Get("/ping/0a1b2c3d-1111-4222-8333-444455556666"); });
  std::this_thread::sleep_for(7500ms);  // 5 s to be counted dead, plus slack for a loaded machine
  size_t during = rx.Count();
  std::this_thread::sleep_for(3000ms);  // still inside the 12 s stall
  CHECK(rx.Count() == during);
  CHECK(s.Log().find("heartbeat_skipped") != std::string::npos);

  // The stall ends: heartbeats come back.
  CHECK(rx.WaitFor(during + 1, 15s));
  ping.join();
  CHECK(Eventually([&] { return s.Log().find("heartbeat_resumed") != std::string::npos; }));
  auto samples = Scrape(s);
  CHECK(Value(samples, "dogwatch_heartbeats_total", {{"outcome", "sent"}}) >= 3);
  CHECK(Value(samples, "dogwatch_heartbeats_total", {{"outcome", "skipped"}}) >= 1);
  CHECK(s.Stop() == 0);
}

TEST_CASE("heartbeat: a failing URL is logged once, counted, and the server carries on") {
  Receiver rx;
  for (int i = 0; i < 3; ++i) rx.Queue(503);  // then 200s
  Server s({.config_toml = HeartbeatConfig(rx.Url("/hb"))});
  REQUIRE(rx.WaitFor(5, 20s));
  CHECK(s.Client().Get("/api/v3/status")->status == 200);
  // One line when it starts failing and one when it recovers, not one per attempt.
  CHECK(Eventually([&] { return s.Log().find("heartbeat_recovered") != std::string::npos; }));
  CHECK(Occurrences(s.Log(), "heartbeat_failed") == 1);
  CHECK(Occurrences(s.Log(), "heartbeat_recovered") == 1);
  CHECK(s.Log().find("503") != std::string::npos);
  auto samples = Scrape(s);
  CHECK(Value(samples, "dogwatch_heartbeats_total", {{"outcome", "failed"}}) == 3);
  CHECK(Value(samples, "dogwatch_heartbeats_total", {{"outcome", "sent"}}) >= 2);
  CHECK(s.Stop() == 0);
}

TEST_CASE("heartbeat: a bad URL is a config error that names the key") {
  TempDir dir;
  WriteFile(dir / "dw.toml", "[heartbeat]\nurl = \"ftp://example.com/x\"\n");
  auto r = RunCommand({"config", "check", "--config", dir / "dw.toml"});
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("heartbeat.url") != std::string::npos);
  CHECK(r.err.find("is not an http:// or https:// URL") != std::string::npos);
}
