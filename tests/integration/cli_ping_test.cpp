// `dogwatch ping`: what a real server records, and retries against a Receiver.
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>

#include "integration/fixture.h"
#include "integration/receiver.h"

using namespace dwtest;

namespace {

const std::string kUuid = "0f8e1c2a-3b4d-4e5f-8a9b-0c1d2e3f4a5b";
const std::string kRid = "7c9e6679-7425-40de-944b-e07fc1f90ae7";

std::string BaseUrl(ApiServer& api) {
  return "http://127.0.0.1:" + std::to_string(api.server().port());
}

Json Pings(ApiServer& api, const std::string& uuid) {
  auto res = api.Get("/api/v3/checks/" + uuid + "/pings/", api.project().rw_key);
  REQUIRE(res);
  REQUIRE(res->status == 200);
  return Json::parse(res->body)["pings"];  // newest first
}

std::string PingBody(ApiServer& api, const std::string& uuid, int n) {
  auto res = api.Get("/api/v3/checks/" + uuid + "/pings/" + std::to_string(n) + "/body",
                     api.project().rw_key);
  REQUIRE(res);
  return res->status == 200 ? res->body : "";
}

int Lines(const std::string& s) { return static_cast<int>(std::count(s.begin(), s.end(), '\n')); }

}  // namespace

TEST_CASE("cli ping: success, --start, --fail, --log and --exit N arrive as their kinds") {
  ApiServer api;
  std::string u = api.CreateCheck({{"name", "job"}})["uuid"];
  auto ping = [&](std::vector<std::string> flags) {
    std::vector<std::string> args{"ping", "--url", BaseUrl(api)};
    args.insert(args.end(), flags.begin(), flags.end());
    args.push_back(u);
    return RunCommand(args);
  };
  struct Case {
    std::vector<std::string> flags;
    const char* type;
  };
  for (const auto& c :
       {Case{{}, "success"}, Case{{"--start"}, "start"}, Case{{"--fail"}, "fail"},
        Case{{"--log"}, "log"}, Case{{"--exit", "0"}, "success"}, Case{{"--exit", "42"}, "fail"}}) {
    CAPTURE(c.type);
    auto r = ping(c.flags);
    CHECK(r.exit_code == 0);
    CHECK(r.out == "");  // silent on success, like curl -fsS
    CHECK(r.err == "");
    auto pings = Pings(api, u);
    CHECK(pings[0]["type"] == c.type);
    CHECK(pings[0]["method"] == "POST");
  }

  // --rid pairs a start with its finish.
  CHECK(ping({"--start", "--rid", kRid}).exit_code == 0);
  CHECK(ping({"--exit", "0", "--rid", kRid}).exit_code == 0);
  auto pings = Pings(api, u);
  CHECK(pings[0]["rid"] == kRid);
  CHECK(pings[1]["rid"] == kRid);
  CHECK(pings[0].contains("duration"));
}

TEST_CASE("cli ping: stdin is the body, up to 100 KiB") {
  ApiServer api;
  std::string u = api.CreateCheck({{"name", "job"}})["uuid"];
  auto r = RunCommand({"ping", "--log", u}, "disk 91% full\n", {"DOGWATCH_URL=" + BaseUrl(api)});
  CHECK(r.exit_code == 0);
  auto pings = Pings(api, u);
  CHECK(pings[0]["type"] == "log");
  CHECK(PingBody(api, u, pings[0]["n"]) == "disk 91% full\n");

  r = RunCommand({"ping", u}, "", {"DOGWATCH_URL=" + BaseUrl(api)});  // empty stdin: empty POST
  CHECK(r.exit_code == 0);
  CHECK(Pings(api, u)[0]["body_url"].is_null());

  Receiver rx;
  std::string big(300 * 1024, 'x');
  r = RunCommand({"ping", "--url", rx.Url(""), kUuid}, big);
  CHECK(r.exit_code == 0);
  REQUIRE(rx.Count() == 1);
  CHECK(rx.Requests()[0].body.size() == 100 * 1024);
}

TEST_CASE("cli ping: a slug pings /ping/<ping-key>/<slug> and needs the ping key") {
  ApiServer api;
  const auto& key = api.project().ping_key;
  auto r = RunCommand({"ping", "--url", BaseUrl(api), "--ping-key", key, "--create", "backup-db"});
  CHECK(r.exit_code == 0);
  CHECK(r.err == "");
  auto list = api.Get("/api/v3/checks/?slug=backup-db", api.project().rw_key);
  REQUIRE(list);
  auto checks = Json::parse(list->body)["checks"];
  REQUIRE(checks.size() == 1);
  CHECK(checks[0]["n_pings"] == 1);

  r = RunCommand({"ping", "--fail", "backup-db"}, "",
                 {"DOGWATCH_URL=" + BaseUrl(api), "DOGWATCH_PING_KEY=" + key});
  CHECK(r.exit_code == 0);
  CHECK(api.GetCheck(checks[0]["uuid"])["status"] == "down");

  r = RunCommand({"ping", "--url", BaseUrl(api), "backup-db"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("--ping-key") != std::string::npos);

  // An unknown slug is the server's 404: one line, exit 1, no retries.
  r = RunCommand({"ping", "--url", BaseUrl(api), "--ping-key", key, "no-such-check"});
  CHECK(r.exit_code == 1);
  CHECK(Lines(r.err) == 1);
  CHECK(r.err.find("HTTP 404") != std::string::npos);
}

TEST_CASE("cli ping: a full ping URL gets the suffix appended") {
  Receiver rx;
  auto r = RunCommand({"ping", "--start", "--rid", kRid, rx.Url("/ping/" + kUuid)});
  CHECK(r.exit_code == 0);
  REQUIRE(rx.Count() == 1);
  CHECK(rx.Requests()[0].path == "/ping/" + kUuid + "/start?rid=" + kRid);
  CHECK(rx.Requests()[0].Header("User-Agent").starts_with("dogwatch/"));
}

TEST_CASE("cli ping: 5xx and 429 are retried, other 4xx are not") {
  Receiver rx;
  rx.Queue(503, "busy");
  rx.Queue(429, "slow down");
  auto r = RunCommand({"ping", "--url", rx.Url(""), kUuid});
  CHECK(r.exit_code == 0);
  CHECK(r.err == "");
  CHECK(rx.Count() == 3);

  Receiver rx2;
  rx2.Queue(404, "not found");
  r = RunCommand({"ping", "--url", rx2.Url(""), kUuid});
  CHECK(r.exit_code == 1);
  CHECK(rx2.Count() == 1);
  CHECK(Lines(r.err) == 1);
  CHECK(r.err.find("dogwatch ping: http://127.0.0.1:") != std::string::npos);
  CHECK(r.err.find("HTTP 404 not found") != std::string::npos);

  Receiver rx3;
  for (int i = 0; i < 20; ++i) rx3.Queue(500, "down");
  r = RunCommand({"ping", "--url", rx3.Url(""), "--timeout", "2", kUuid});
  CHECK(r.exit_code == 1);
  CHECK(rx3.Count() >= 2);
  CHECK(Lines(r.err) == 1);
  CHECK(r.err.find("HTTP 500") != std::string::npos);
}

TEST_CASE("cli ping: an unreachable server fails with one line after bounded retries") {
  int fd = socket(AF_INET, SOCK_STREAM, 0);  // bound, never listening: connections are refused
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  std::string url = "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port));

  auto began = std::chrono::steady_clock::now();
  auto r = RunCommand({"ping", "--url", url, "--timeout", "2", kUuid});
  CHECK(std::chrono::steady_clock::now() - began < std::chrono::seconds(30));
  CHECK(r.exit_code == 1);
  CHECK(r.out == "");
  CHECK(Lines(r.err) == 1);
  CHECK(r.err.find("dogwatch ping: could not reach " + url) != std::string::npos);
  CHECK(r.err.find("tries)") != std::string::npos);
  close(fd);

  SUBCASE("and one that never answers") {
    Receiver rx;
    rx.HangOn("/ping/");
    began = std::chrono::steady_clock::now();
    r = RunCommand({"ping", "--url", rx.Url(""), "--timeout", "2", kUuid});
    CHECK(std::chrono::steady_clock::now() - began < std::chrono::seconds(30));
    CHECK(r.exit_code == 1);
    CHECK(Lines(r.err) == 1);
    rx.Release();
  }
}

TEST_CASE("cli ping: usage errors exit 2") {
  std::string url = "http://127.0.0.1:1";
  CHECK(RunCommand({"ping", "--url", url}).exit_code == 2);  // no target
  CHECK(RunCommand({"ping", "--url", url, "--start", "--fail", kUuid}).exit_code == 2);
  CHECK(RunCommand({"ping", "--url", url, "--exit", "256", kUuid}).exit_code == 2);
  auto r = RunCommand({"ping", "--url", url, "--rid", "nope", kUuid});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("--rid") != std::string::npos);
  r = RunCommand({"ping", kUuid});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("DOGWATCH_URL") != std::string::npos);
}
