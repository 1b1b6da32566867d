// Alerts end to end (issue 5): the real binary, a real local HTTP receiver, real SQLite. A check
// flips, and its channels hear about it; retries, permanent errors, dead endpoints and restarts
// behave as SPEC §7 says.
#include <doctest/doctest.h>

#include <SQLiteCpp/SQLiteCpp.h>
#include <signal.h>

#include "integration/fixture.h"
#include "integration/receiver.h"

namespace dwtest {
namespace {

// Fast retries so a test sees several attempts; checks may be as short as 1 s.
const std::string kConfig = R"(
[checks]
min_timeout = "1s"
[alerts]
retry_initial = "1s"
retry_max = "2s"
)";

std::string CreateChannel(ApiServer& api, const Json& spec) {
  auto res = api.Post("/api/v3/channels/", api.project().rw_key, spec.dump());
  REQUIRE(res);
  INFO(res->body);
  REQUIRE(res->status == 201);
  return Json::parse(res->body)["id"].get<std::string>();
}

Json Webhook(const Receiver& rx, const std::string& down_path = "/down",
             const std::string& up_path = "/up") {
  return {{"kind", "webhook"},
          {"name", "hook"},
          {"value",
           {{"method_down", "POST"},
            {"url_down", rx.Url(down_path)},
            {"body_down", "$NAME is $STATUS"},
            {"method_up", "POST"},
            {"url_up", rx.Url(up_path)},
            {"body_up", "$NAME is $STATUS"}}}};
}

Json GetChannel(ApiServer& api, const std::string& uuid) {
  auto res = api.Get("/api/v3/channels/" + uuid, api.project().rw_key);
  REQUIRE(res);
  REQUIRE(res->status == 200);
  return Json::parse(res->body);
}

// One value from the database, read through its own connection (WAL: never blocks the server).
int64_t QueryInt(ApiServer& api, const std::string& sql) {
  SQLite::Database db(api.data_dir() + "/dogwatch.db", SQLite::OPEN_READONLY, 2000);
  return db.execAndGet(sql).getInt64();
}

std::string QueryText(ApiServer& api, const std::string& sql) {
  SQLite::Database db(api.data_dir() + "/dogwatch.db", SQLite::OPEN_READONLY, 2000);
  return db.execAndGet(sql).getString();
}

TEST_CASE("notify: a late check alerts its webhook, and its recovery too") {
  Receiver rx;
  ApiServer api(kConfig);
  std::string channel = CreateChannel(api, Webhook(rx, "/down?name=$NAME", "/up?status=$STATUS"));
  Json check = api.CreateCheck({{"name", "nightly backup"}, {"timeout", 1}, {"grace", 1},
                                {"channels", channel}});
  std::string uuid = check["uuid"];
  REQUIRE(api.Ping(uuid) == 200);  // new -> up: no alert
  REQUIRE(rx.WaitFor(1));          // up -> down once timeout and grace pass
  auto down = rx.Requests()[0];
  CHECK(down.method == "POST");
  CHECK(down.path == "/down?name=nightly%20backup");
  CHECK(down.body == "nightly backup is down");
  CHECK(down.Header("User-Agent").rfind("dogwatch/", 0) == 0);

  REQUIRE(api.Ping(uuid) == 200);  // down -> up
  REQUIRE(rx.WaitFor(2));
  auto up = rx.Requests()[1];
  CHECK(up.path == "/up?status=up");
  CHECK(up.body == "nightly backup is up");
  CHECK(rx.Count() == 2);
  CHECK(Eventually([&] {
    return QueryInt(api, "SELECT COUNT(*) FROM notifications WHERE state = 'delivered'") == 2;
  }));
}

TEST_CASE("notify: no alert for new -> up, nor for paused -> up") {
  Receiver rx;
  ApiServer api(kConfig);
  std::string channel = CreateChannel(api, Webhook(rx));
  Json check = api.CreateCheck({{"name", "quiet"}, {"timeout", 3600}, {"channels", channel}});
  std::string uuid = check["uuid"];
  REQUIRE(api.Ping(uuid) == 200);
  // A 200 means the ping's transaction committed, notifications included (group commit).
  CHECK(QueryInt(api, "SELECT COUNT(*) FROM notifications") == 0);
  REQUIRE(api.Post("/api/v3/checks/" + uuid + "/pause", api.project().rw_key, "")->status == 200);
  REQUIRE(api.Ping(uuid) == 200);
  CHECK(QueryInt(api, "SELECT COUNT(*) FROM notifications") == 0);
  REQUIRE(api.Ping(uuid + "/fail") == 200);  // up -> down does alert
  CHECK(QueryInt(api, "SELECT COUNT(*) FROM notifications") == 1);
  REQUIRE(rx.WaitFor(1));
}

TEST_CASE("notify: 5xx answers are retried with backoff until delivered; each attempt is kept") {
  Receiver rx;
  rx.Queue(500, "oops");
  rx.Queue(503, "busy");
  ApiServer api(kConfig);
  std::string channel = CreateChannel(api, Webhook(rx));
  Json check = api.CreateCheck({{"name", "flaky"}, {"timeout", 3600}, {"channels", channel}});
  REQUIRE(api.Ping(check["uuid"].get<std::string>() + "/fail") == 200);
  REQUIRE(rx.WaitFor(3));
  CHECK(Eventually([&] {
    return QueryText(api, "SELECT state FROM notifications") == "delivered";
  }));
  CHECK(QueryInt(api, "SELECT attempts FROM notifications") == 3);
  CHECK(QueryText(api, "SELECT group_concat(outcome, ',') FROM (SELECT outcome FROM "
                       "notification_attempts ORDER BY id)") == "retry,retry,delivered");
  CHECK(QueryText(api, "SELECT error FROM notification_attempts ORDER BY id LIMIT 1").find("500") !=
        std::string::npos);
  CHECK(GetChannel(api, channel)["last_error"] == "");
  for (const auto& r : rx.Requests()) CHECK(r.body == "flaky is down");
}

TEST_CASE("notify: a 404 is permanent: not retried, and the error is shown on the channel") {
  Receiver rx;
  rx.Queue(404, "no such hook");
  ApiServer api(kConfig);
  std::string channel = CreateChannel(api, Webhook(rx));
  Json check = api.CreateCheck({{"name", "gone"}, {"timeout", 3600}, {"channels", channel}});
  REQUIRE(api.Ping(check["uuid"].get<std::string>() + "/fail") == 200);
  REQUIRE(rx.WaitFor(1));
  CHECK(Eventually([&] { return QueryText(api, "SELECT state FROM notifications") == "failed"; }));
  std::string error = GetChannel(api, channel)["last_error"];
  CHECK(error.find("404") != std::string::npos);
  // Longer than the first two retry delays (1 s, 2 s): a transient error would have been retried.
  std::this_thread::sleep_for(std::chrono::milliseconds(3500));
  CHECK(rx.Count() == 1);
  CHECK(QueryInt(api, "SELECT attempts FROM notifications") == 1);
}

TEST_CASE("notify: a hanging endpoint holds one worker; other channels keep being served") {
  Receiver dead, alive;
  dead.HangOn("/");
  // Two workers and three flips: were a dead channel allowed several sends at once, it would
  // take both workers and starve the live channel.
  ApiServer api(kConfig + "workers = 2\nsend_timeout = \"60s\"\n");
  std::string a = CreateChannel(api, Webhook(dead));
  std::string b = CreateChannel(api, Webhook(alive));
  Json check = api.CreateCheck({{"name", "busy"}, {"timeout", 3600}, {"channels", a + "," + b}});
  std::string uuid = check["uuid"];
  REQUIRE(api.Ping(uuid + "/fail") == 200);
  REQUIRE(api.Ping(uuid) == 200);
  REQUIRE(api.Ping(uuid + "/fail") == 200);
  CHECK(alive.WaitFor(3));
  CHECK(dead.Count() == 1);  // one send in flight, the other two wait their turn
  CHECK(dead.Hanging() == 1);
  dead.Release();
  CHECK(dead.WaitFor(3));
}

TEST_CASE("notify: a server that accepts and never answers is cut off at send_timeout, then retried") {
  Receiver rx;
  rx.HangOn("/");
  ApiServer api(kConfig + "send_timeout = \"2s\"\n");
  std::string channel = CreateChannel(api, Webhook(rx));
  auto res = api.Post("/api/v3/channels/" + channel + "/test", api.project().rw_key, "");
  REQUIRE(res);
  Json out = Json::parse(res->body);
  CHECK(out["ok"] == false);
  CHECK(out["result"] == "transient_error");
  CHECK(out["error"] == "no complete answer within 2 s");
  // A real alert: the cut-off attempt is recorded as a retry, and the retry is delivered.
  Json check = api.CreateCheck({{"name", "slow"}, {"timeout", 3600}, {"channels", channel}});
  REQUIRE(api.Ping(check["uuid"].get<std::string>() + "/fail") == 200);
  REQUIRE(Eventually([&] { return QueryInt(api, "SELECT COUNT(*) FROM notification_attempts") == 1; }));
  rx.HangOn("/never");
  rx.Release();
  CHECK(Eventually([&] { return QueryText(api, "SELECT state FROM notifications") == "delivered"; }));
  CHECK(QueryText(api, "SELECT error FROM notification_attempts ORDER BY id LIMIT 1") ==
        "no complete answer within 2 s");
}

TEST_CASE("notify: notifications pending when dogwatch stops go out after the restart") {
  Receiver rx;
  rx.HangOn("/");
  ApiServer api(kConfig);
  std::string channel = CreateChannel(api, Webhook(rx));
  Json check = api.CreateCheck({{"name", "restart"}, {"timeout", 3600}, {"channels", channel}});
  REQUIRE(api.Ping(check["uuid"].get<std::string>() + "/fail") == 200);
  REQUIRE(rx.WaitFor(1));  // the send is in flight, its endpoint hanging

  SUBCASE("after a crash") { api.Restart(SIGKILL); }
  SUBCASE("after a clean stop") { CHECK(api.Restart(SIGTERM) == 0); }

  rx.HangOn("/never");  // the endpoint works again
  rx.Release();
  REQUIRE(rx.WaitFor(2));
  CHECK(Eventually([&] { return QueryText(api, "SELECT state FROM notifications") == "delivered"; }));
  CHECK(rx.Requests()[1].body == "restart is down");
}

TEST_CASE("notify: the test endpoint sends now and reports the outcome") {
  Receiver rx;
  ApiServer api(kConfig);
  std::string channel = CreateChannel(api, Webhook(rx));
  auto res = api.Post("/api/v3/channels/" + channel + "/test", api.project().rw_key, "");
  REQUIRE(res);
  REQUIRE(res->status == 200);
  CHECK(Json::parse(res->body) == Json{{"ok", true}, {"result", "delivered"}, {"error", ""}});
  REQUIRE(rx.Count() == 1);

  rx.Queue(500, "boom");
  res = api.Post("/api/v3/channels/" + channel + "/test", api.project().rw_key, "");
  Json out = Json::parse(res->body);
  CHECK(out["ok"] == false);
  CHECK(out["result"] == "transient_error");
  CHECK(out["error"].get<std::string>().find("500") != std::string::npos);
  CHECK(GetChannel(api, channel)["last_error"] == out["error"]);
}

TEST_CASE("channels API: create, read, update and delete, with errors that name the field") {
  Receiver rx;
  ApiServer api(kConfig);
  const std::string& key = api.project().rw_key;
  auto post = [&](const std::string& path, const Json& body) {
    auto res = api.Post(path, key, body.dump());
    REQUIRE(res);
    return std::make_pair(res->status, res->body);
  };

  // Telegram, pointed at the receiver through api_url: the bot token is a secret.
  Json spec = {{"kind", "telegram"},
               {"name", "ops chat"},
               {"value", {{"bot_token", "123456:SECRETTOKEN"}, {"chat_id", "42"}, {"api_url", rx.Url("")}}}};
  auto [status, body] = post("/api/v3/channels/", spec);
  REQUIRE(status == 201);
  Json created = Json::parse(body);
  std::string uuid = created["id"];
  CHECK(created["kind"] == "telegram");
  CHECK(created["name"] == "ops chat");
  CHECK(body.find("SECRETTOKEN") == std::string::npos);
  CHECK(created["value"]["chat_id"] == 42);  // a numeric chat ID is normalized to a number

  // The v3 list stays exactly Healthchecks' shape.
  auto list = Json::parse(api.Get("/api/v3/channels/", key)->body);
  CHECK(list == Json{{"channels", {{{"id", uuid}, {"name", "ops chat"}, {"kind", "telegram"}}}}});

  // An update that sends the redacted token back keeps the real one.
  Json value = created["value"];
  value["chat_id"] = "43";
  auto [ustatus, ubody] = post("/api/v3/channels/" + uuid, {{"value", value}});
  REQUIRE(ustatus == 200);
  CHECK(ubody.find("SECRETTOKEN") == std::string::npos);
  auto test = api.Post("/api/v3/channels/" + uuid + "/test", key, "");
  REQUIRE(test->status == 200);
  REQUIRE(rx.Count() == 1);
  CHECK(rx.Requests()[0].path == "/bot123456:SECRETTOKEN/sendMessage");
  CHECK(Json::parse(rx.Requests()[0].body)["chat_id"] == 43);

  auto error_of = [&](const Json& b) {
    auto [s, text] = post("/api/v3/channels/", b);
    CHECK(s == 400);
    return Json::parse(text)["error"].get<std::string>();
  };
  CHECK(error_of({{"name", "x"}, {"value", Json::object()}}) == "json validation error: kind is required");
  CHECK(error_of({{"kind", "carrier-pigeon"}, {"value", Json::object()}}).find("kind must be one of") !=
        std::string::npos);
  CHECK(error_of({{"kind", "slack"}, {"value", Json::object()}}).find("value.url") != std::string::npos);
  CHECK(error_of({{"kind", "slack"}, {"value", {{"url", 5}}}}).find("value.url") != std::string::npos);
  CHECK(error_of({{"kind", "slack"}, {"name", 7}, {"value", {{"url", "https://x.example/h"}}}}) ==
        "json validation error: name is not a string");
  CHECK(error_of({{"kind", "slack"}, {"colour", "red"}, {"value", {{"url", "https://x.example/h"}}}})
            .find("colour") != std::string::npos);
  CHECK(error_of({{"kind", "shell"}, {"value", {{"command_down", "true"}}}}).find("shell_enabled") !=
        std::string::npos);
  auto bad_json = api.Post("/api/v3/channels/", key, "{not json");
  CHECK(bad_json->status == 400);

  // Keys: read-only keys and other projects' keys get nothing.
  CHECK(api.Get("/api/v3/channels/" + uuid, api.project().ro_key)->status == 401);
  Project other = MakeProject(api.data_dir(), "Other");
  CHECK(api.Get("/api/v3/channels/" + uuid, other.rw_key)->status == 403);
  CHECK(api.Delete("/api/v3/channels/" + uuid, other.rw_key)->status == 403);

  // Attached through the check API; deleting the channel detaches it.
  Json check = api.CreateCheck({{"name", "c"}, {"channels", uuid}});
  CHECK(check["channels"] == uuid);
  auto del = api.Delete("/api/v3/channels/" + uuid, key);
  REQUIRE(del->status == 200);
  CHECK(api.Get("/api/v3/channels/" + uuid, key)->status == 404);
  CHECK(api.GetCheck(check["uuid"])["channels"] == "");
}

TEST_CASE("notify: HTTPS endpoints are verified against the system CA store") {
  TempDir certs;
  MakeTestCertificates(certs.path().string());
  Receiver rx(certs / "server.pem", certs / "server.key");

  auto send_test = [&](ApiServer& api) {
    std::string channel = CreateChannel(api, Webhook(rx));
    auto res = api.Post("/api/v3/channels/" + channel + "/test", api.project().rw_key, "");
    REQUIRE(res);
    return Json::parse(res->body);
  };
  SUBCASE("an unknown CA is refused") {
    ApiServer api(kConfig);
    Json out = send_test(api);
    CHECK(out["ok"] == false);
    CHECK(out["error"].get<std::string>().find("certificate") != std::string::npos);
    CHECK(rx.Count() == 0);
  }
  SUBCASE("a CA in the store (SSL_CERT_FILE) is trusted") {
    ApiServer api(kConfig, {"SSL_CERT_FILE=" + (certs / "ca.pem")});
    Json out = send_test(api);
    CHECK(out["ok"] == true);
    CHECK(rx.Count() == 1);
  }
}

TEST_CASE("notify: shell channels run only when enabled, with the check's name quoted") {
  TempDir out;
  ApiServer api(kConfig + "shell_enabled = true\n");
  std::string file = out / "alert.txt";
  std::string channel = CreateChannel(
      api, {{"kind", "shell"},
            {"value", {{"command_down", "printf '%s|%s' $NAME $STATUS > " + file}, {"command_up", ""}}}});
  Json check = api.CreateCheck({{"name", "it's $HOME; rm -rf /"}, {"timeout", 3600}, {"channels", channel}});
  REQUIRE(api.Ping(check["uuid"].get<std::string>() + "/fail") == 200);
  REQUIRE(Eventually([&] { return std::filesystem::exists(file) && !ReadFile(file).empty(); }));
  CHECK(ReadFile(file) == "it's $HOME; rm -rf /|down");
}

}  // namespace
}  // namespace dwtest
