// The Pinging API against reference §1 and §8-9, through real HTTP.
#include <doctest/doctest.h>

#include "integration/fixture.h"

using namespace dwtest;

namespace {

Json Pings(ApiServer& api, const std::string& uuid) {
  auto res = api.Get("/api/v3/checks/" + uuid + "/pings/", api.project().rw_key);
  REQUIRE(res);
  REQUIRE(res->status == 200);
  return Json::parse(res->body)["pings"];
}

}  // namespace

TEST_CASE("ping: every UUID form records the right kind and answers OK with its headers") {
  ApiServer api;
  std::string u = api.CreateCheck({{"name", "job"}})["uuid"];
  auto client = api.server().Client();
  struct Case {
    std::string suffix;
    const char* type;
  };
  for (const auto& c : {Case{"", "success"}, Case{"/", "success"}, Case{"/start", "start"},
                        Case{"/fail", "fail"}, Case{"/log", "log"}, Case{"/0", "success"},
                        Case{"/1", "fail"}, Case{"/255", "fail"}}) {
    CAPTURE(c.suffix);
    auto res = client.Get(("/ping/" + u + c.suffix).c_str());
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(res->body == "OK");
    CHECK(res->get_header_value("Access-Control-Allow-Origin") == "*");
    CHECK(res->get_header_value("Ping-Body-Limit") == "10000");
    CHECK(res->get_header_value("Cache-Control") == "max-age=0, no-cache, no-store, must-revalidate, private");
    CHECK(Pings(api, u)[0]["type"] == c.type);
  }
  CHECK(api.GetCheck(u)["n_pings"] == 8);
}

TEST_CASE("ping: HEAD, POST, PUT and OPTIONS are pings too, with their method recorded") {
  ApiServer api;
  std::string u = api.CreateCheck({{"name", "job"}})["uuid"];
  auto client = api.server().Client();
  CHECK(client.Head(("/ping/" + u).c_str())->status == 200);
  CHECK(client.Post(("/ping/" + u).c_str(), "body", "text/plain")->status == 200);
  CHECK(client.Put(("/ping/" + u).c_str(), "body", "text/plain")->status == 200);
  CHECK(client.Options(("/ping/" + u).c_str())->status == 200);
  auto pings = Pings(api, u);
  REQUIRE(pings.size() == 4);
  CHECK(pings[0]["method"] == "OPTIONS");
  CHECK(pings[1]["method"] == "PUT");
  CHECK(pings[2]["method"] == "POST");
  CHECK(pings[3]["method"] == "HEAD");
}

TEST_CASE("ping: bad URLs get Healthchecks' codes and bodies") {
  ApiServer api;
  std::string u = api.CreateCheck({{"name", "job"}})["uuid"];
  auto client = api.server().Client();
  auto expect = [&](const std::string& path, int status, const std::string& body) {
    CAPTURE(path);
    auto res = client.Get(path.c_str());
    REQUIRE(res);
    CHECK(res->status == status);
    CHECK(res->body == body);
  };
  expect("/ping/" + u + "/256", 400, "invalid url format");
  expect("/ping/" + u + "?rid=not-a-uuid", 400, "invalid uuid format");
  expect("/ping/00000000-0000-4000-8000-000000000000", 404, "not found");
  expect("/ping/00000000-0000-4000-8000-000000000000/256", 404, "not found");  // lookup first
  expect("/ping/00000000-0000-4000-8000-000000000000?rid=bad", 404, "not found");
  std::string upper = u;
  for (auto& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  expect("/ping/" + upper, 404, "not found");
  expect("/ping/" + u + "/start/", 404, "not found");
  expect("/ping/" + u + "/-1", 404, "not found");
  CHECK(api.GetCheck(u)["n_pings"] == 0);  // none of those was recorded
}

TEST_CASE("ping: slug URLs, ambiguity and ?create=1") {
  ApiServer api;
  const std::string key = api.project().ping_key;
  std::string u = api.CreateCheck({{"name", "db"}, {"slug", "db-backup"}})["uuid"];
  CHECK(api.Ping(key + "/db-backup") == 200);
  CHECK(api.Ping(key + "/db-backup/fail") == 200);
  CHECK(api.Ping(key + "/db-backup/3") == 200);
  CHECK(api.GetCheck(u)["n_pings"] == 3);
  CHECK(api.Ping(key + "/DB-backup") == 400);
  CHECK(api.Ping(key + "/db-backup/") == 404);
  CHECK(api.Ping(key + "/missing") == 404);
  CHECK(api.Ping("wrongkey/db-backup") == 404);

  api.CreateCheck({{"name", "db 2"}, {"slug", "db-backup"}});
  auto amb = api.server().Client().Get(("/ping/" + key + "/db-backup").c_str());
  CHECK(amb->status == 409);
  CHECK(amb->body == "ambiguous slug");

  auto created = api.server().Client().Get(("/ping/" + key + "/new-job?create=1").c_str());
  CHECK(created->status == 201);
  CHECK(created->body == "Created");
  CHECK(api.Ping(key + "/new-job?create=1") == 200);  // exists now
  CHECK(api.Ping(key + "/other?create=true") == 404);
  auto list = Json::parse(api.Get("/api/v3/checks/?slug=new-job", api.project().rw_key)->body)["checks"];
  REQUIRE(list.size() == 1);
  CHECK(list[0]["name"] == "new-job");
  CHECK(list[0]["n_pings"] == 2);
  CHECK(list[0]["timeout"] == 86400);
  CHECK(list[0]["grace"] == 3600);
}

TEST_CASE("ping: bodies are kept up to the limit; a 10 MB body is cut, not refused") {
  ApiServer api("[storage]\nping_body_limit = 100\n");
  std::string u = api.CreateCheck({{"name", "job"}})["uuid"];
  auto client = api.server().Client();
  std::string big(10 * 1024 * 1024, 'x');
  auto res = client.Post(("/ping/" + u + "/log").c_str(), big, "text/plain");
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(res->get_header_value("Ping-Body-Limit") == "100");
  auto pings = Pings(api, u);
  REQUIRE(pings.size() == 1);
  auto body = api.Get(std::string(pings[0]["body_url"]).substr(std::string("http://localhost:8000").size()),
                      api.project().rw_key);
  REQUIRE(body);
  CHECK(body->status == 200);
  CHECK(body->body == std::string(100, 'x'));
  std::string binary("\x00\xff\xfe ok", 6);
  client.Post(("/ping/" + u).c_str(), binary, "application/octet-stream");
  CHECK(api.Get("/api/v3/checks/" + u + "/pings/2/body", api.project().rw_key)->body == binary);
}

TEST_CASE("ping: rid pairs start and success into a duration") {
  ApiServer api;
  std::string u = api.CreateCheck({{"name", "job"}})["uuid"];
  const std::string rid = "aaaaaaaa-1111-4222-8333-444455556666";
  CHECK(api.Ping(u + "/start?rid=" + rid) == 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  CHECK(api.Ping(u + "?rid=AAAAAAAA-1111-4222-8333-444455556666") == 200);
  auto pings = Pings(api, u);
  CHECK(pings[0]["rid"] == rid);
  REQUIRE(pings[0].contains("duration"));
  CHECK(pings[0]["duration"].get<double>() >= 1.0);
  CHECK_FALSE(pings[1].contains("duration"));
  CHECK(api.GetCheck(u)["last_duration"] == 1);
}

TEST_CASE("ping: methods=POST ignores GETs; keyword filters reclassify bodies") {
  ApiServer api;
  std::string u = api.CreateCheck({{"name", "job"}, {"methods", "POST"}})["uuid"];
  CHECK(api.Ping(u + "/fail") == 200);
  auto c = api.GetCheck(u);
  CHECK(c["status"] == "new");  // ignored, but counted
  CHECK(c["n_pings"] == 1);
  CHECK(Pings(api, u)[0]["type"] == "ign");

  std::string k = api.CreateCheck({{"name", "kw"}, {"filter_http_body", true}, {"success_kw", "all good"},
                                   {"failure_kw", "ERROR"}})["uuid"];
  auto client = api.server().Client();
  client.Post(("/ping/" + k + "/fail").c_str(), "backup: all good", "text/plain");
  CHECK(api.GetCheck(k)["status"] == "up");
  client.Post(("/ping/" + k).c_str(), "ERROR: disk full", "text/plain");
  CHECK(api.GetCheck(k)["status"] == "down");
  client.Post(("/ping/" + k).c_str(), "nothing to see", "text/plain");
  CHECK(Pings(api, k)[0]["type"] == "ign");
}

TEST_CASE("ping: remote address from X-Forwarded-For only behind a trusted proxy") {
  {
    ApiServer api;
    std::string u = api.CreateCheck({{"name", "job"}})["uuid"];
    api.server().Client().Get(("/ping/" + u).c_str(), {{"X-Forwarded-For", "203.0.113.9"}, {"X-Forwarded-Proto", "https"}});
    auto p = Pings(api, u)[0];
    CHECK(p["remote_addr"] == "127.0.0.1");
    CHECK(p["scheme"] == "http");
  }
  {
    ApiServer api("[server]\ntrusted_proxies = [\"127.0.0.1\"]\n");
    std::string u = api.CreateCheck({{"name", "job"}})["uuid"];
    api.server().Client().Get(("/ping/" + u).c_str(), {{"X-Forwarded-For", "203.0.113.9, 127.0.0.1"},
                                                       {"X-Forwarded-Proto", "https"},
                                                       {"User-Agent", std::string(300, 'u')}});
    auto p = Pings(api, u)[0];
    CHECK(p["remote_addr"] == "203.0.113.9");
    CHECK(p["scheme"] == "https");
    CHECK(p["ua"].get<std::string>().size() == 200);
  }
}

TEST_CASE("ping: retention keeps the newest pings while n keeps counting") {
  ApiServer api("[storage]\nping_retention = 10\n");
  std::string u = api.CreateCheck({{"name", "job"}})["uuid"];
  for (int i = 0; i < 25; ++i) REQUIRE(api.Ping(u + "/log") == 200);
  auto pings = Pings(api, u);
  REQUIRE(pings.size() == 10);
  CHECK(pings[0]["n"] == 25);
  CHECK(pings[9]["n"] == 16);
  CHECK(api.GetCheck(u)["n_pings"] == 25);
  CHECK(api.Get("/api/v3/checks/" + u + "/pings/3/body", api.project().rw_key)->status == 404);
}
