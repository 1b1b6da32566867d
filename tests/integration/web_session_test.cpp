// The web UI's server side (docs/web-ui.md) through real HTTP to the real binary: first-run
// set-up, sessions and their cookie, CSRF, login limits, password change, project isolation,
// API keys from the UI, the schedule preview, uptime, and the pages and assets themselves.
#include <doctest/doctest.h>

#include <regex>

#include "integration/fixture.h"

using namespace dwtest;

namespace {

std::string SetupToken(const Server& s) {
  std::smatch m;
  std::string log = s.Log();
  if (!std::regex_search(log, m, std::regex(R"(setup_url="[^"]*/setup\?token=([A-Za-z0-9_-]+)\")"))) return "";
  return m[1];
}

// A browser, as far as the server can tell: a cookie jar of one cookie and the CSRF token.
struct Browser {
  const Server* server = nullptr;
  std::string cookie;  // "dw_session=..."
  std::string csrf;
  std::string project;  // the project UUID sent as X-Dogwatch-Project

  httplib::Headers Headers(bool with_csrf = true) const {
    httplib::Headers h;
    if (!cookie.empty()) h.emplace("Cookie", cookie);
    if (with_csrf && !csrf.empty()) h.emplace("X-CSRF-Token", csrf);
    if (!project.empty()) h.emplace("X-Dogwatch-Project", project);
    return h;
  }
  httplib::Result Get(const std::string& path) const { return server->Client().Get(path.c_str(), Headers()); }
  httplib::Result Post(const std::string& path, const Json& body, bool with_csrf = true) const {
    return server->Client().Post(path.c_str(), Headers(with_csrf), body.dump(), "application/json");
  }
  httplib::Result Delete(const std::string& path) const { return server->Client().Delete(path.c_str(), Headers()); }

  // Takes the cookie and token from a login or set-up answer.
  void Adopt(const httplib::Result& res) {
    REQUIRE(res);
    REQUIRE(res->status == 200);
    std::string set_cookie = res->get_header_value("Set-Cookie");
    cookie = set_cookie.substr(0, set_cookie.find(';'));
    Json j = Json::parse(res->body);
    csrf = j["csrf"];
    if (!j["projects"].empty()) project = j["projects"][0]["uuid"];
  }
};

Browser LogIn(const Server& s, const std::string& email, const std::string& password) {
  Browser b{&s};
  b.Adopt(b.Post("/api/ui/login", {{"email", email}, {"password", password}}, false));
  return b;
}

void AddUser(const Server& s, const std::string& email, const std::string& password, const std::string& project) {
  auto args = [&](std::vector<std::string> a) {
    a.insert(a.end(), {"--config", "/dev/null", "--data-dir", s.data_dir()});
    return a;
  };
  REQUIRE(RunCommand(args({"user", "add", email, "--password-stdin"}), password + "\n").exit_code == 0);
  REQUIRE(RunCommand(args({"project", "add", project, "--owner", email})).exit_code == 0);
}

std::string ErrorOf(const httplib::Result& res) {
  REQUIRE(res);
  return Json::parse(res->body).value("error", "");
}

}  // namespace

TEST_CASE("web: first-run set-up through the logged URL, once") {
  Server s;
  const std::string token = SetupToken(s);
  REQUIRE(token.size() >= 32);
  Browser b{&s};
  auto before = b.Get("/api/ui/session");
  CHECK(before->status == 401);
  CHECK(Json::parse(before->body)["setup"] == true);

  Json good{{"token", token}, {"email", "admin@example.com"}, {"password", "correct horse"}, {"project", "Backups"}};
  Json wrong = good;
  wrong["token"] = std::string(token.size(), 'x');
  CHECK(b.Post("/api/ui/setup", wrong, false)->status == 403);
  Json bad_email = good;
  bad_email["email"] = "not an email";
  CHECK(ErrorOf(b.Post("/api/ui/setup", bad_email, false)) == "email: expected an email address");
  Json short_pw = good;
  short_pw["password"] = "short";
  CHECK(ErrorOf(b.Post("/api/ui/setup", short_pw, false)) == "password: expected at least 8 characters");
  CHECK(ErrorOf(b.Post("/api/ui/setup", Json::array(), false)) == "json validation error: value is not an object");

  auto ok = b.Post("/api/ui/setup", good, false);
  REQUIRE(ok->status == 200);
  std::string set_cookie = ok->get_header_value("Set-Cookie");
  CHECK(set_cookie.find("dw_session=") == 0);
  CHECK(set_cookie.find("HttpOnly") != std::string::npos);
  CHECK(set_cookie.find("SameSite=Lax") != std::string::npos);
  CHECK(set_cookie.find("Secure") == std::string::npos);  // base_url is http://
  b.Adopt(ok);
  Json me = Json::parse(b.Get("/api/ui/session")->body);
  CHECK(me["user"]["email"] == "admin@example.com");
  REQUIRE(me["projects"].size() == 1);
  CHECK(me["projects"][0]["name"] == "Backups");
  CHECK(me["projects"][0]["role"] == "m");

  // The link is spent: nobody else becomes the first user with it.
  good["email"] = "intruder@example.com";
  CHECK(ErrorOf(Browser{&s}.Post("/api/ui/setup", good, false)) == "this set-up link is no longer valid");
  CHECK(Json::parse(Browser{&s}.Get("/api/ui/session")->body)["setup"] == false);
}

TEST_CASE("web: with a user, no set-up URL is logged and the session cookie is Secure under https") {
  Server s({.config_toml = "[server]\nbase_url = \"https://dogwatch.example.com\"\n"});
  CHECK_FALSE(SetupToken(s).empty());  // no user yet at start
  AddUser(s, "a@example.com", "password-a", "A");
  Browser b{&s};
  auto res = b.Post("/api/ui/login", {{"email", "a@example.com"}, {"password", "password-a"}}, false);
  REQUIRE(res->status == 200);
  CHECK(res->get_header_value("Set-Cookie").find("; Secure") != std::string::npos);
  s.Stop();
  Server again({.config_toml = "[server]\nbase_url = \"https://dogwatch.example.com\"\n", .data_dir = s.data_dir()});
  CHECK(SetupToken(again).empty());
  CHECK(again.Log().find("setup_url") == std::string::npos);
}

TEST_CASE("web: state-changing requests need the session's CSRF token") {
  Server s;
  AddUser(s, "a@example.com", "password-a", "A");
  Browser b = LogIn(s, "a@example.com", "password-a");
  auto no_token = b.Post("/api/v3/checks/", {{"name", "x"}}, /*with_csrf=*/false);
  CHECK(no_token->status == 403);
  CHECK(ErrorOf(no_token) == "missing or wrong CSRF token");
  Browser forged = b;
  forged.csrf = "forged-token";
  CHECK(forged.Post("/api/v3/checks/", {{"name", "x"}})->status == 403);
  CHECK(b.Post("/api/ui/logout", Json::object(), false)->status == 403);
  CHECK(b.Get("/api/v3/checks/")->status == 200);  // reads need no token
  auto created = b.Post("/api/v3/checks/", {{"name", "nightly"}, {"schedule", "0 3 * * *"}, {"tz", "Europe/Riga"}});
  REQUIRE(created->status == 201);
  Json check = Json::parse(created->body);
  CHECK(check["schedule_text"].get<std::string>().find("03:00") != std::string::npos);
  CHECK(check["managed"] == false);
  CHECK(Json::parse(b.Get("/api/v3/checks/")->body)["checks"][0].contains("schedule_text"));
  // API clients see Healthchecks' object exactly: no UI fields.
  auto key = b.Post("/api/ui/projects/" + b.project + "/keys", {{"name", "ci"}});
  REQUIRE(key->status == 201);
  httplib::Headers with_key{{"X-Api-Key", Json::parse(key->body)["key"].get<std::string>()}};
  Json via_key = Json::parse(s.Client().Get("/api/v3/checks/", with_key)->body)["checks"][0];
  CHECK_FALSE(via_key.contains("schedule_text"));
  CHECK_FALSE(via_key.contains("managed"));
}

TEST_CASE("web: failed logins are limited per address and per account") {
  Server s({.config_toml = "[server]\ntrusted_proxies = [\"127.0.0.1\"]\n"});
  AddUser(s, "a@example.com", "password-a", "A");
  AddUser(s, "b@example.com", "password-b", "B");
  auto login = [&](const std::string& from, const std::string& email, const std::string& password) {
    httplib::Headers h{{"X-Forwarded-For", from}};
    return s.Client().Post("/api/ui/login", h, Json{{"email", email}, {"password", password}}.dump(),
                           "application/json");
  };
  for (int i = 0; i < 5; ++i) {
    auto r = login("10.0.0.1", "a@example.com", "wrong password");
    CHECK(r->status == 401);
    CHECK(ErrorOf(r) == "wrong email or password");
  }
  auto blocked = login("10.0.0.1", "b@example.com", "password-b");  // the address is blocked
  CHECK(blocked->status == 429);
  CHECK(std::stoi(blocked->get_header_value("Retry-After")) > 0);
  CHECK(login("10.0.0.2", "a@example.com", "password-a")->status == 429);  // so is the account
  CHECK(login("10.0.0.3", "b@example.com", "password-b")->status == 200);  // others are not
  // Unknown accounts answer exactly like wrong passwords.
  CHECK(ErrorOf(login("10.0.0.4", "nobody@example.com", "whatever1")) == "wrong email or password");
}

TEST_CASE("web: changing the password ends the other sessions; logout ends this one") {
  Server s;
  AddUser(s, "a@example.com", "password-a", "A");
  Browser one = LogIn(s, "a@example.com", "password-a");
  Browser two = LogIn(s, "a@example.com", "password-a");
  CHECK(ErrorOf(one.Post("/api/ui/password", {{"current", "not it"}, {"new", "password-new"}})) ==
        "current: wrong password");
  CHECK(ErrorOf(one.Post("/api/ui/password", {{"current", "password-a"}, {"new", "short"}})) ==
        "new: expected at least 8 characters");
  CHECK(one.Post("/api/ui/password", {{"current", "password-a"}, {"new", "password-new"}})->status == 204);
  CHECK(one.Get("/api/ui/session")->status == 200);
  CHECK(two.Get("/api/ui/session")->status == 401);
  CHECK(Browser{&s}.Post("/api/ui/login", {{"email", "a@example.com"}, {"password", "password-a"}}, false)->status ==
        401);
  Browser three = LogIn(s, "a@example.com", "password-new");
  auto out = three.Post("/api/ui/logout", Json::object());
  CHECK(out->status == 204);
  CHECK(out->get_header_value("Set-Cookie").find("Max-Age=0") != std::string::npos);
  CHECK(three.Get("/api/ui/session")->status == 401);
  CHECK(three.Get("/api/v3/checks/")->status == 401);
}

TEST_CASE("web: one project's user never reaches another project's checks") {
  Server s;
  AddUser(s, "a@example.com", "password-a", "A");
  AddUser(s, "b@example.com", "password-b", "B");
  Browser a = LogIn(s, "a@example.com", "password-a");
  Browser b = LogIn(s, "b@example.com", "password-b");
  REQUIRE(a.project != b.project);
  auto created = a.Post("/api/v3/checks/", {{"name", "a's secret job"}});
  REQUIRE(created->status == 201);
  const std::string uuid = Json::parse(created->body)["uuid"];

  CHECK(b.Get("/api/v3/checks/" + uuid)->status == 403);  // as another project's API key gets
  CHECK(b.Get("/api/v3/checks/" + uuid + "/pings/")->status == 403);
  CHECK(b.Post("/api/v3/checks/" + uuid + "/pause", Json::object())->status == 403);
  CHECK(b.Delete("/api/v3/checks/" + uuid)->status == 403);
  CHECK(Json::parse(b.Get("/api/v3/checks/")->body)["checks"].empty());
  // Naming the other project in the header does not help.
  Browser b_in_a = b;
  b_in_a.project = a.project;
  auto list = b_in_a.Get("/api/v3/checks/");
  CHECK(list->status == 403);
  CHECK(list->body.find("secret") == std::string::npos);
  CHECK(b.Get("/api/ui/projects/" + a.project)->status == 404);
  CHECK(b.Get("/api/ui/projects/" + b.project + "/checks/" + uuid + "/uptime")->status == 404);
  CHECK(b.Get("/api/ui/projects/" + a.project + "/checks/" + uuid + "/uptime")->status == 404);
  CHECK(b.Post("/api/ui/projects/" + a.project + "/keys", {{"name", "x"}})->status == 404);
  // And a itself still sees it.
  CHECK(a.Get("/api/v3/checks/" + uuid)->status == 200);
}

TEST_CASE("web: API keys created in the UI work once shown and stop when revoked") {
  Server s;
  AddUser(s, "a@example.com", "password-a", "A");
  AddUser(s, "b@example.com", "password-b", "B");
  Browser a = LogIn(s, "a@example.com", "password-a");
  Browser b = LogIn(s, "b@example.com", "password-b");
  auto made = a.Post("/api/ui/projects/" + a.project + "/keys", {{"name", "ci"}, {"read_only", false}});
  REQUIRE(made->status == 201);
  const std::string key = Json::parse(made->body)["key"];
  CHECK(key.size() == 32);
  CHECK(key.rfind("hcw_", 0) == 0);
  httplib::Headers with_key{{"X-Api-Key", key}};
  CHECK(s.Client().Get("/api/v3/checks/", with_key)->status == 200);
  CHECK(ErrorOf(a.Post("/api/ui/projects/" + a.project + "/keys", {{"read_only", "yes"}})) ==
        "read_only: expected true or false");

  Json project = Json::parse(a.Get("/api/ui/projects/" + a.project)->body);
  REQUIRE(project["api_keys"].size() == 1);
  CHECK(project["api_keys"][0]["prefix"] == key.substr(0, 8));
  CHECK(project["api_keys"][0].dump().find(key) == std::string::npos);  // shown once, never again
  CHECK(project["ping_url"].get<std::string>().find("/ping/") != std::string::npos);
  const std::string id = std::to_string(project["api_keys"][0]["id"].get<int64_t>());
  CHECK(b.Delete("/api/ui/projects/" + b.project + "/keys/" + id)->status == 404);  // not b's key
  CHECK(s.Client().Get("/api/v3/checks/", with_key)->status == 200);
  CHECK(a.Delete("/api/ui/projects/" + a.project + "/keys/" + id)->status == 204);
  CHECK(s.Client().Get("/api/v3/checks/", with_key)->status == 401);
}

TEST_CASE("web: the schedule preview gives words and the next five runs, or names the field") {
  Server s;
  AddUser(s, "a@example.com", "password-a", "A");
  Browser a = LogIn(s, "a@example.com", "password-a");
  auto ok = a.Post("/api/ui/schedule", {{"kind", "cron"}, {"schedule", "30 2 * * 1-5"}, {"tz", "America/New_York"}});
  REQUIRE(ok->status == 200);
  Json j = Json::parse(ok->body);
  REQUIRE(j["next"].size() == 5);
  for (size_t i = 1; i < 5; ++i) CHECK(j["next"][i - 1].get<std::string>() < j["next"][i].get<std::string>());
  CHECK(j["text"].get<std::string>().find("America/New_York") != std::string::npos);
  auto simple = Json::parse(a.Post("/api/ui/schedule", {{"kind", "simple"}, {"timeout", 3600}, {"grace", 60}})->body);
  CHECK(simple["next"].empty());
  CHECK_FALSE(simple["text"].get<std::string>().empty());
  CHECK(ErrorOf(a.Post("/api/ui/schedule", {{"kind", "cron"}, {"schedule", "61 * * * *"}})).rfind("schedule: ", 0) == 0);
  CHECK(ErrorOf(a.Post("/api/ui/schedule", {{"kind", "cron"}, {"schedule", "* * * * *"}, {"tz", "Mars/Olympus"}})) ==
        "tz: unknown time zone 'Mars/Olympus'");
  CHECK(ErrorOf(a.Post("/api/ui/schedule", {{"kind", "weekly"}})) == "kind: expected simple, cron or oncalendar");
  CHECK(ErrorOf(a.Post("/api/ui/schedule", {{"kind", "simple"}, {"timeout", -5}})).rfind("timeout: ", 0) == 0);
  CHECK(Browser{&s}.Post("/api/ui/schedule", {{"kind", "simple"}}, false)->status == 401);
}

TEST_CASE("web: uptime counts the time a check spent down") {
  Server s({.config_toml = "[checks]\nmin_timeout = \"1s\"\n"});
  AddUser(s, "a@example.com", "password-a", "A");
  Browser a = LogIn(s, "a@example.com", "password-a");
  auto created = a.Post("/api/v3/checks/", {{"name", "fast"}, {"timeout", 1}, {"grace", 1}});
  REQUIRE(created->status == 201);
  const std::string uuid = Json::parse(created->body)["uuid"];
  const std::string url = "/api/ui/projects/" + a.project + "/checks/" + uuid + "/uptime";
  Json fresh = Json::parse(a.Get(url)->body);
  CHECK(fresh["7"] == 1.0);
  CHECK(fresh["90"] == 1.0);
  REQUIRE(s.Client().Get(("/ping/" + uuid).c_str())->status == 200);
  // The flips carry the new status for the UI's history (v3's "up" cannot say "down" vs "paused").
  auto down_flip = [&] {
    Json flips = Json::parse(a.Get("/api/v3/checks/" + uuid + "/flips/")->body)["flips"];
    return std::any_of(flips.begin(), flips.end(), [](const Json& f) { return f["status"] == "down"; });
  };
  REQUIRE(Eventually(down_flip, std::chrono::seconds(15)));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  Json after = Json::parse(a.Get(url)->body);
  CHECK(after["7"].get<double>() < 1.0);
  CHECK(after["7"].get<double>() > 0.0);
  CHECK(after["90"] == after["7"]);  // the check is younger than either window
}

TEST_CASE("web: pages are index.html with a strict CSP; assets have types, ETags and gzip") {
  Server s;
  for (const char* path : {"/", "/login", "/setup?token=x", "/projects/abc/checks/def/edit", "/account"}) {
    auto res = s.Client().Get(path);
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(res->get_header_value("Content-Type") == "text/html; charset=utf-8");
    std::string csp = res->get_header_value("Content-Security-Policy");
    CHECK(csp.find("script-src 'self'") != std::string::npos);
    CHECK(csp.find("unsafe-inline") == std::string::npos);
    CHECK(csp.find("frame-ancestors 'none'") != std::string::npos);
    CHECK(res->get_header_value("X-Content-Type-Options") == "nosniff");
  }
  // Every script and stylesheet index.html names is embedded and served with its type.
  std::string index = s.Client().Get("/")->body;
  std::regex ref(R"re((?:src|href)="(/static/[^"]+)")re");
  int refs = 0;
  for (auto it = std::sregex_iterator(index.begin(), index.end(), ref); it != std::sregex_iterator(); ++it) {
    auto res = s.Client().Get((*it)[1].str().c_str());
    REQUIRE(res);
    CHECK_MESSAGE(res->status == 200, (*it)[1].str());
    ++refs;
  }
  CHECK(refs >= 2);
  auto js = s.Client().Get("/static/app.js");
  REQUIRE(js->status == 200);
  CHECK(js->get_header_value("Content-Type") == "text/javascript; charset=utf-8");
  const std::string etag = js->get_header_value("ETag");
  CHECK(etag.size() > 2);
  CHECK(s.Client().Get("/static/app.js", {{"If-None-Match", etag}})->status == 304);
  CHECK(s.Client().Get("/static/app.js", {{"If-None-Match", "\"other\""}})->status == 200);
  httplib::Client raw("127.0.0.1", s.port());
  raw.set_decompress(false);
  auto gz = raw.Get("/static/app.js", {{"Accept-Encoding", "gzip"}});
  CHECK(gz->get_header_value("Content-Encoding") == "gzip");
  CHECK(gz->body.size() < js->body.size());
  CHECK(s.Client().Get("/static/no-such-file.js")->status == 404);
  CHECK(s.Client().Get("/static/../dogwatch.db")->status == 404);
}
