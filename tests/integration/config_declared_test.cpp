// Config as code (SPEC §9) with the real binary: declared checks and channels appear at start,
// follow the file on SIGHUP and `dogwatch reload`, keep their UUID and pings, refuse API edits
// with the file's name, and a bad file changes nothing.
#include <doctest/doctest.h>

#include <signal.h>
#include <unistd.h>

#include "integration/fixture.h"

using namespace dwtest;

namespace {

const std::string kBase = R"(
[checks]
min_timeout = "1s"

[[project]]
name = "Ops"

[[channel]]
name = "hook"
kind = "webhook"
url_down = "http://127.0.0.1:9/down"
)";

const std::string kHeartbeat = R"(
[[check]]
slug = "heartbeat"
name = "Heartbeat"
timeout = "5m"
grace = "1m"
tags = ["prod"]
channels = ["hook"]
)";

const std::string kNightly = R"(
[[check]]
slug = "nightly"
schedule = "0 3 * * *"
tz = "Europe/Riga"
)";

struct Declared {
  TempDir dir;
  std::unique_ptr<Server> server;
  std::string key;

  explicit Declared(const std::string& toml) {
    server = std::make_unique<Server>(Server::Options{.config_toml = toml, .data_dir = dir / "data"});
    Rewrite(toml);  // the same declarations, plus the data directory, for the CLI
    auto made = RunCommand({"key", "create", "--project", "Ops", "--config", ConfigPath()});
    REQUIRE(made.exit_code == 0);
    key = made.out.substr(0, made.out.find('\n'));
  }
  std::string ConfigPath() const { return server->dir() / "dogwatch.toml"; }
  httplib::Headers Key() const { return {{"X-Api-Key", key}}; }
  Json Checks() const {
    auto res = server->Client().Get("/api/v3/checks/", Key());
    REQUIRE(res);
    REQUIRE(res->status == 200);
    Json by_slug = Json::object();
    Json all = Json::parse(res->body);  // named: a range-for over a temporary's member dangles
    for (auto& c : all["checks"]) by_slug[c["slug"].get<std::string>()] = c;
    return by_slug;
  }
  // Rewrites the config file the running server was started with.
  void Rewrite(const std::string& toml) const { WriteFile(ConfigPath(), toml + "\n[storage]\ndata_dir = \"" + server->data_dir() + "\"\n"); }
};

}  // namespace

TEST_CASE("config as code: declared checks and channels exist after start-up") {
  Declared d(kBase + kHeartbeat + kNightly);
  Json checks = d.Checks();
  REQUIRE(checks.size() == 2);
  CHECK(checks["heartbeat"]["name"] == "Heartbeat");
  CHECK(checks["heartbeat"]["timeout"] == 300);
  CHECK(checks["heartbeat"]["tags"] == "prod");
  CHECK(checks["nightly"]["schedule"] == "0 3 * * *");
  CHECK(checks["nightly"]["tz"] == "Europe/Riga");
  auto channels = Json::parse(d.server->Client().Get("/api/v3/channels/", d.Key())->body)["channels"];
  REQUIRE(channels.size() == 1);
  CHECK(checks["heartbeat"]["channels"] == channels[0]["id"]);
  CHECK(d.server->Log().find("config_applied projects_created=1 checks_created=2") != std::string::npos);
}

TEST_CASE("config as code: SIGHUP applies the file; checks keep their UUID and pings") {
  Declared d(kBase + kHeartbeat + kNightly);
  const std::string uuid = d.Checks()["heartbeat"]["uuid"];
  REQUIRE(d.server->Client().Get(("/ping/" + uuid).c_str())->status == 200);

  std::string edited = kHeartbeat;
  edited.replace(edited.find("Heartbeat"), 9, "Heartbeat v2");
  d.Rewrite(kBase + edited + "\n[[check]]\nslug = \"weekly\"\noncalendar = \"Mon 09:00\"\n");
  REQUIRE(::kill(d.server->pid(), SIGHUP) == 0);
  REQUIRE(Eventually([&] { return d.Checks().contains("weekly"); }));
  Json checks = d.Checks();
  CHECK(checks.size() == 2);  // nightly was removed from the file
  CHECK_FALSE(checks.contains("nightly"));
  CHECK(checks["heartbeat"]["uuid"] == uuid);
  CHECK(checks["heartbeat"]["name"] == "Heartbeat v2");
  CHECK(checks["heartbeat"]["n_pings"] == 1);
  CHECK(Eventually([&] { return d.server->Log().find("reloaded projects_created=0 checks_created=1 checks_updated=1 checks_deleted=1") != std::string::npos; }));
}

TEST_CASE("config as code: a bad file on reload keeps the running configuration") {
  Declared d(kBase + kHeartbeat);
  std::string bad = kHeartbeat;
  bad.replace(bad.find("\"5m\""), 4, "\"5 fortnights\"");
  d.Rewrite(kBase + bad + kNightly);
  auto reload = RunCommand({"reload", "--config", d.ConfigPath()});
  CHECK(reload.exit_code == 1);
  CHECK(reload.err.find("dogwatch.toml:") != std::string::npos);
  CHECK(reload.err.find("check.timeout: invalid duration '5 fortnights'") != std::string::npos);
  // A SIGHUP all the same (systemd's ExecReload does not ask the CLI first): logged, ignored.
  REQUIRE(::kill(d.server->pid(), SIGHUP) == 0);
  REQUIRE(Eventually([&] { return d.server->Log().find("reload_failed") != std::string::npos; }));
  CHECK(d.server->Log().find("the running configuration is unchanged") != std::string::npos);
  Json checks = d.Checks();
  CHECK(checks.size() == 1);
  CHECK(checks["heartbeat"]["timeout"] == 300);

  // A file that parses but cannot work: a schedule dogwatch rejects, a channel that is not there.
  d.Rewrite(kBase + kHeartbeat + "\n[[check]]\nslug = \"bad\"\nschedule = \"61 * * * *\"\n");
  reload = RunCommand({"reload", "--config", d.ConfigPath()});
  CHECK(reload.exit_code == 1);
  CHECK(reload.err.find("check.schedule:") != std::string::npos);
  d.Rewrite(kBase + kHeartbeat + "\n[[check]]\nslug = \"lonely\"\nchannels = [\"pager\"]\n");
  reload = RunCommand({"reload", "--config", d.ConfigPath()});
  CHECK(reload.exit_code == 1);
  CHECK(reload.err.find("no [[channel]] named 'pager' in project 'Ops'") != std::string::npos);

  // Fixed: `dogwatch reload` signals the server and the change lands.
  d.Rewrite(kBase + kHeartbeat + kNightly);
  reload = RunCommand({"reload", "--config", d.ConfigPath()});
  CHECK(reload.exit_code == 0);
  CHECK(Eventually([&] { return d.Checks().contains("nightly"); }));

  // A stale pid file naming another process: refused, nothing signalled.
  WriteFile(d.server->data_dir() + "/dogwatch.pid", std::to_string(::getpid()) + "\n");  // this test
  reload = RunCommand({"reload", "--config", d.ConfigPath()});
  CHECK(reload.exit_code == 1);
  CHECK(reload.err.find("not dogwatch") != std::string::npos);
}

TEST_CASE("config as code: API edits of declared checks and channels are refused, naming the file") {
  Declared d(kBase + kHeartbeat);
  const std::string uuid = d.Checks()["heartbeat"]["uuid"];
  auto post = [&](const std::string& path, const Json& body) {
    return d.server->Client().Post(path.c_str(), d.Key(), body.dump(), "application/json");
  };
  auto update = post("/api/v3/checks/" + uuid, {{"name", "hijacked"}});
  REQUIRE(update->status == 403);
  CHECK(Json::parse(update->body)["error"].get<std::string>().find("managed by the config file " + d.ConfigPath()) !=
        std::string::npos);
  CHECK(d.server->Client().Delete(("/api/v3/checks/" + uuid).c_str(), d.Key())->status == 403);
  CHECK(post("/api/v3/checks/", {{"name", "x"}, {"slug", "heartbeat"}, {"unique", {"slug"}}})->status == 403);
  CHECK(d.Checks()["heartbeat"]["name"] == "Heartbeat");
  // Pausing is operating the check, not editing it: allowed.
  CHECK(post("/api/v3/checks/" + uuid + "/pause", Json::object())->status == 200);
  auto channels = Json::parse(d.server->Client().Get("/api/v3/channels/", d.Key())->body)["channels"];
  const std::string channel = channels[0]["id"];
  CHECK(post("/api/v3/channels/" + channel, {{"name", "renamed"}})->status == 403);
  CHECK(d.server->Client().Delete(("/api/v3/channels/" + channel).c_str(), d.Key())->status == 403);
  // Checks made through the API stay editable.
  auto made = post("/api/v3/checks/", {{"name", "mine"}});
  REQUIRE(made->status == 201);
  CHECK(post("/api/v3/checks/" + Json::parse(made->body)["uuid"].get<std::string>(), {{"name", "still mine"}})->status ==
        200);
}

TEST_CASE("config as code: start-up refuses a file whose declarations cannot work") {
  TempDir dir;
  for (const auto& [toml, expected] : std::vector<std::pair<std::string, std::string>>{
           {kBase + kHeartbeat + kHeartbeat, "check slug 'heartbeat' is declared twice in project 'Ops'"},
           {kBase + "\n[[check]]\nslug = \"x\"\ntz = \"Mars/Base\"\nschedule = \"* * * * *\"\n",
            "check.tz: unknown time zone 'Mars/Base'"},
           {kBase + "\n[[channel]]\nname = \"s\"\nkind = \"slack\"\nurl = \"not a url\"\n", "channel.url:"},
       }) {
    WriteFile(dir / "dw.toml", toml);
    auto r = RunCommand({"serve", "--config", dir / "dw.toml", "--data-dir", dir / "data", "--listen", "127.0.0.1:0"});
    CHECK(r.exit_code == 1);
    CHECK_MESSAGE(r.err.find(expected) != std::string::npos, r.err);
    CHECK(r.err.find("dw.toml:") != std::string::npos);
  }
}
