// Management API v3 against reference §2 and §9, through real HTTP.
#include <doctest/doctest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include "integration/fixture.h"

using namespace dwtest;

namespace {

std::string ErrorOf(const httplib::Result& res) {
  REQUIRE(res);
  return Json::parse(res->body)["error"];
}

}  // namespace

TEST_CASE("api: keys - missing, wrong, read-only on write endpoints, api_key in the body") {
  ApiServer api;
  const auto& p = api.project();
  CHECK(ErrorOf(api.Get("/api/v3/checks/", "")) == "missing api key");
  CHECK(api.Get("/api/v3/checks/", "")->status == 401);
  CHECK(ErrorOf(api.Get("/api/v3/checks/", "short")) == "missing api key");
  CHECK(ErrorOf(api.Get("/api/v3/checks/", "hcw_" + std::string(28, 'x'))) == "wrong api key");
  CHECK(api.Get("/api/v3/checks/", p.ro_key)->status == 200);
  auto ro_write = api.Post("/api/v3/checks/", p.ro_key, "{}");
  CHECK(ro_write->status == 401);
  CHECK(ErrorOf(ro_write) == "wrong api key");
  CHECK(api.Get("/api/v3/channels/", p.ro_key)->status == 401);
  auto body_key = api.Post("/api/v3/checks/", "", Json{{"api_key", p.rw_key}, {"name", "x"}}.dump());
  CHECK(body_key->status == 201);
  // The header beats the body, even when it is wrong (§9 item 4).
  auto both = api.Post("/api/v3/checks/", "hcw_" + std::string(28, 'y'), Json{{"api_key", p.rw_key}}.dump());
  CHECK(both->status == 401);
  CHECK(api.Get("/api/v3/checks/?api_key=" + p.rw_key, "")->status == 401);  // not from the query
}

TEST_CASE("api: bodies are parsed before the key is checked") {
  ApiServer api;
  auto bad = api.Post("/api/v3/checks/", "", "{not json");
  CHECK(bad->status == 400);
  CHECK(ErrorOf(bad) == "could not parse request body");
  auto arr = api.Post("/api/v3/checks/", api.project().rw_key, "[1]");
  CHECK(ErrorOf(arr) == "json validation error: value is not an object");
  CHECK(ErrorOf(api.Post("/api/v3/checks/", api.project().rw_key, "null")) ==
        "json validation error: value is not an object");
}

TEST_CASE("api: create returns 201 with the check object, fields in Healthchecks' order") {
  ApiServer api;
  auto res = api.Post("/api/v3/checks/", api.project().rw_key,
                      Json{{"name", "Backups"}, {"slug", "backups"}, {"tags", "prod db"}, {"desc", "nightly"},
                           {"timeout", 3600}, {"grace", 60}, {"unknown_field", 1}}
                          .dump());
  REQUIRE(res);
  CHECK(res->status == 201);
  CHECK(res->get_header_value("Content-Type") == "application/json");
  CHECK(res->get_header_value("Access-Control-Allow-Origin") == "*");
  // Keys in emission order, as clients that diff JSON text expect.
  std::vector<std::string> keys;
  auto ordered = nlohmann::ordered_json::parse(res->body);
  for (auto it = ordered.begin(); it != ordered.end(); ++it) keys.push_back(it.key());
  std::vector<std::string> expected{"name", "slug", "tags", "desc", "grace", "n_pings", "status", "started",
                                    "last_ping", "next_ping", "manual_resume", "methods", "subject",
                                    "subject_fail", "start_kw", "success_kw", "failure_kw", "filter_subject",
                                    "filter_body", "filter_http_body", "filter_default_fail", "badge_url",
                                    "uuid", "ping_url", "update_url", "pause_url", "resume_url", "channels",
                                    "timeout"};
  CHECK(keys == expected);
  auto c = Json::parse(res->body);
  CHECK(c["status"] == "new");
  CHECK(c["ping_url"] == "http://localhost:8000/ping/" + c["uuid"].get<std::string>());
  CHECK(c["update_url"] == "http://localhost:8000/api/v3/checks/" + c["uuid"].get<std::string>());
}

TEST_CASE("api: validation names the first bad field in Healthchecks' order") {
  ApiServer api("");  // the default 60 s floor for timeout and grace
  struct Case {
    Json body;
    const char* error;
  };
  for (const auto& c : {
           Case{{{"name", 5}}, "name is not a string"},
           Case{{{"name", std::string(101, 'n')}}, "name is too long"},
           Case{{{"timeout", "x"}, {"name", 5}}, "name is not a string"},  // model order (§9 item 2)
           Case{{{"slug", "Has Caps"}}, "slug does not match pattern"},
           Case{{{"timeout", 0}}, "timeout is too small"},
           Case{{{"timeout", true}}, "timeout is too small"},  // bool counts as 1 (§9 item 3)
           Case{{{"timeout", 3600.0}}, "timeout is not a number"},
           Case{{{"timeout", nullptr}}, "timeout is not a number"},
           Case{{{"timeout", 31536001}}, "timeout is too large"},
           Case{{{"grace", 1}, {"tz", "Nowhere/Void"}}, "grace is too small"},
           Case{{{"tz", "Nowhere/Void"}}, "tz is not a valid timezone"},
           Case{{{"tz", "../../etc/passwd"}}, "tz is not a valid timezone"},
           Case{{{"manual_resume", "yes"}}, "manual_resume is not a boolean"},
           Case{{{"methods", "GET"}}, "methods has unexpected value"},
           Case{{{"unique", "name"}}, "unique is not an array"},
           Case{{{"unique", {"colour"}}}, "an item in 'unique' has unexpected value"},
           Case{{{"start_kw", std::string(201, 'k')}}, "start_kw is too long"},
           Case{{{"filter_body", 1}}, "filter_body is not a boolean"},
           Case{{{"channels", 1}}, "channels is not a string"},
       }) {
    CAPTURE(c.body.dump());
    auto res = api.Post("/api/v3/checks/", api.project().rw_key, c.body.dump());
    REQUIRE(res);
    CHECK(res->status == 400);
    CHECK(ErrorOf(res) == std::string("json validation error: ") + c.error);
  }
  CHECK(Json::parse(api.Get("/api/v3/checks/", api.project().rw_key)->body)["checks"].empty());
}

TEST_CASE("api: min_timeout sets the floor for timeout and grace") {
  ApiServer api("[checks]\nmin_timeout = \"30s\"\n");
  CHECK(ErrorOf(api.Post("/api/v3/checks/", api.project().rw_key, Json{{"timeout", 29}}.dump())) ==
        "json validation error: timeout is too small");
  CHECK(api.Post("/api/v3/checks/", api.project().rw_key, Json{{"timeout", 30}, {"grace", 30}}.dump())->status == 201);
}

TEST_CASE("api: unique upserts; update changes only given fields; paused stays paused") {
  ApiServer api;
  auto a = api.CreateCheck({{"name", "db"}, {"tags", "x"}});
  auto res = api.Post("/api/v3/checks/", api.project().rw_key,
                      Json{{"name", "db"}, {"tags", "y"}, {"unique", {"name"}}}.dump());
  CHECK(res->status == 200);
  auto b = Json::parse(res->body);
  CHECK(b["uuid"] == a["uuid"]);
  CHECK(b["tags"] == "y");
  auto other = api.Post("/api/v3/checks/", api.project().rw_key, Json{{"name", "web"}, {"unique", {"name"}}}.dump());
  CHECK(other->status == 201);

  std::string u = a["uuid"];
  REQUIRE(api.Post("/api/v3/checks/" + u + "/pause", api.project().rw_key, "")->status == 200);
  auto upd = api.Post("/api/v3/checks/" + u, api.project().rw_key, Json{{"desc", "hello"}}.dump());
  REQUIRE(upd->status == 200);
  auto after = Json::parse(upd->body);
  CHECK(after["desc"] == "hello");
  CHECK(after["name"] == "db");
  CHECK(after["tags"] == "y");
  CHECK(after["status"] == "paused");
}

TEST_CASE("api: pause, resume and delete") {
  ApiServer api;
  const auto& key = api.project().rw_key;
  std::string u = api.CreateCheck({{"name", "job"}})["uuid"];
  CHECK(api.Ping(u) == 200);
  auto resume_early = api.Post("/api/v3/checks/" + u + "/resume", key, "");
  CHECK(resume_early->status == 409);
  CHECK(resume_early->body == "check is not paused");
  auto paused = api.Post("/api/v3/checks/" + u + "/pause", key, "");
  CHECK(Json::parse(paused->body)["status"] == "paused");
  CHECK(api.Post("/api/v3/checks/" + u + "/pause", key, "")->status == 200);  // twice is fine
  auto resumed = api.Post("/api/v3/checks/" + u + "/resume", key, "");
  auto r = Json::parse(resumed->body);
  CHECK(r["status"] == "new");
  CHECK(r["last_ping"].is_null());
  auto flips = Json::parse(api.Get("/api/v3/checks/" + u + "/flips/", key)->body)["flips"];
  REQUIRE(flips.size() == 3);  // new->up, up->paused, paused->new
  CHECK(flips[0]["up"] == 0);
  CHECK(flips[2]["up"] == 1);

  auto del = api.Delete("/api/v3/checks/" + u, key);
  CHECK(del->status == 200);
  CHECK(Json::parse(del->body)["uuid"] == u);
  CHECK(api.Get("/api/v3/checks/" + u, key)->status == 404);
  CHECK(api.Ping(u) == 404);
  CHECK(api.Delete("/api/v3/checks/" + u, key)->status == 404);
}

TEST_CASE("api: read-only keys see unique_key instead of uuid and URLs") {
  ApiServer api;
  auto c = api.CreateCheck({{"name", "job"}});
  std::string u = c["uuid"];
  auto ro = Json::parse(api.Get("/api/v3/checks/" + u, api.project().ro_key)->body);
  CHECK_FALSE(ro.contains("uuid"));
  CHECK_FALSE(ro.contains("ping_url"));
  CHECK_FALSE(ro.contains("channels"));
  std::string key = ro["unique_key"];
  CHECK(key.size() == 40);
  CHECK(api.Get("/api/v3/checks/" + key, api.project().ro_key)->status == 200);
  CHECK(api.Get("/api/v3/checks/" + key + "/flips/", api.project().ro_key)->status == 200);
  CHECK(api.Get("/api/v3/checks/" + u + "/pings/", api.project().ro_key)->status == 401);
}

TEST_CASE("api: another project's check is 403, its key sees nothing of ours") {
  ApiServer api;
  std::string u = api.CreateCheck({{"name", "mine"}})["uuid"];
  auto other = MakeProject(api.server().data_dir(), "Other");
  CHECK(api.Get("/api/v3/checks/" + u, other.rw_key)->status == 403);
  CHECK(api.Post("/api/v3/checks/" + u, other.rw_key, "{}")->status == 403);
  CHECK(api.Post("/api/v3/checks/" + u + "/pause", other.rw_key, "")->status == 403);
  CHECK(api.Delete("/api/v3/checks/" + u, other.rw_key)->status == 403);
  CHECK(Json::parse(api.Get("/api/v3/checks/", other.rw_key)->body)["checks"].empty());
  CHECK(api.GetCheck(u)["status"] == "new");  // untouched
}

TEST_CASE("api: list filters by tag (exact, all of them) and slug") {
  ApiServer api;
  api.CreateCheck({{"name", "a"}, {"tags", "prod db"}, {"slug", "a"}});
  api.CreateCheck({{"name", "b"}, {"tags", "prod"}, {"slug", "b"}});
  api.CreateCheck({{"name", "c"}, {"tags", "production"}});
  auto names = [&](const std::string& query) {
    std::vector<std::string> out;
    Json body = Json::parse(api.Get("/api/v3/checks/" + query, api.project().rw_key)->body);
    for (auto& c : body["checks"]) out.push_back(c["name"]);
    return out;
  };
  CHECK(names("?tag=prod") == std::vector<std::string>{"a", "b"});
  CHECK(names("?tag=prod&tag=db") == std::vector<std::string>{"a"});
  CHECK(names("?tag=") == std::vector<std::string>{});
  CHECK(names("?slug=b") == std::vector<std::string>{"b"});
  CHECK(names("?slug=").size() == 3);
}

TEST_CASE("api: flips filters and their errors") {
  ApiServer api;
  std::string u = api.CreateCheck({{"name", "job"}})["uuid"];
  api.Ping(u);
  const auto& key = api.project().rw_key;
  auto path = "/api/v3/checks/" + u + "/flips/";
  CHECK(Json::parse(api.Get(path, key)->body)["flips"].size() == 1);
  CHECK(Json::parse(api.Get(path + "?seconds=0", key)->body)["flips"].size() == 1);
  CHECK(Json::parse(api.Get(path + "?seconds=60", key)->body)["flips"].size() == 1);
  CHECK(Json::parse(api.Get(path + "?start=9999999999", key)->body)["flips"].empty());
  CHECK(Json::parse(api.Get(path + "?end=1", key)->body)["flips"].empty());
  for (const char* bad : {"?seconds=-1", "?start=abc", "?end=10000000001", "?seconds=31536001"}) {
    auto res = api.Get(path + bad, key);
    CHECK(res->status == 400);
    CHECK(res->body.empty());
  }
}

TEST_CASE("api: channels list and channel assignment by uuid, name and '*'") {
  ApiServer api;
  {
    SQLite::Database db(api.server().data_dir() + "/dogwatch.db", SQLite::OPEN_READWRITE);
    db.exec("INSERT INTO channels (uuid, project_id, name, kind, created) VALUES "
            "('11111111-1111-4111-8111-111111111111', 1, 'ops-email', 'email', 0),"
            "('22222222-2222-4222-8222-222222222222', 1, 'slack', 'slack', 1),"
            "('33333333-3333-4333-8333-333333333333', 1, 'slack', 'webhook', 2)");
  }
  auto list = Json::parse(api.Get("/api/v3/channels/", api.project().rw_key)->body)["channels"];
  REQUIRE(list.size() == 3);
  CHECK(list[0] == Json{{"id", "11111111-1111-4111-8111-111111111111"}, {"name", "ops-email"}, {"kind", "email"}});
  auto a = api.CreateCheck({{"name", "a"}, {"channels", "*"}});
  CHECK(a["channels"] == "11111111-1111-4111-8111-111111111111,22222222-2222-4222-8222-222222222222,"
                         "33333333-3333-4333-8333-333333333333");
  auto b = api.CreateCheck({{"name", "b"}, {"channels", "ops-email"}});
  CHECK(b["channels"] == "11111111-1111-4111-8111-111111111111");
  auto err = [&](const std::string& spec) {
    return ErrorOf(api.Post("/api/v3/checks/", api.project().rw_key, Json{{"channels", spec}}.dump()));
  };
  CHECK(err("slack") == "non-unique channel identifier: slack");
  CHECK(err("nope") == "invalid channel identifier: nope");
  CHECK(err("ops-email,") == "empty channel identifier");
}

TEST_CASE("api: OPTIONS is 204 with CORS and no key; other methods are 405") {
  ApiServer api;
  auto client = api.server().Client();
  auto opt = client.Options("/api/v3/checks/");
  CHECK(opt->status == 204);
  CHECK(opt->get_header_value("Access-Control-Allow-Headers") == "X-Api-Key");
  CHECK(opt->get_header_value("Access-Control-Max-Age") == "600");
  CHECK(opt->get_header_value("Access-Control-Allow-Methods") == "GET, POST, OPTIONS");
  CHECK(client.Put("/api/v3/checks/", "", "application/json")->status == 405);
  CHECK(client.Delete("/api/v3/checks/")->status == 405);
}

TEST_CASE("api: v1 reports started and derives slugs from names") {
  ApiServer api;
  auto res = api.Post("/api/v1/checks/", api.project().rw_key, Json{{"name", "My Nightly Job!"}}.dump());
  auto c = Json::parse(res->body);
  CHECK(c["slug"] == "my-nightly-job");
  CHECK(c["update_url"].get<std::string>().find("/api/v1/checks/") != std::string::npos);
  std::string u = c["uuid"];
  api.Ping(u + "/start");
  CHECK(Json::parse(api.Get("/api/v1/checks/" + u, api.project().rw_key)->body)["status"] == "started");
  CHECK(Json::parse(api.Get("/api/v3/checks/" + u, api.project().rw_key)->body)["status"] == "new");
  auto v3 = api.Post("/api/v3/checks/", api.project().rw_key, Json{{"name", "Another Job"}}.dump());
  CHECK(Json::parse(v3->body)["slug"] == "");
}
