// [[project]], [[channel]] and [[check]] tables: what the file alone can get wrong, with its
// file:line:col.
#include <doctest/doctest.h>

#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "dogwatch/config/config.h"

using namespace dogwatch;

namespace {

std::string ErrorOf(std::string_view toml) {
  auto c = ParseConfigText(toml, "dw.toml");
  REQUIRE_FALSE(c.has_value());
  return c.error().message;
}

}  // namespace

TEST_CASE("declared: projects, channels and checks with their defaults") {
  auto c = ParseConfigText(R"(
[[project]]
name = "Ops"

[[channel]]
name = "hook"
kind = "webhook"
url_down = "https://example.com/down"
headers_down = { "X-Token" = "t" }

[[check]]
slug = "nightly-db"
schedule = "0 3 * * *"
tz = "Europe/Riga"
tags = ["prod", "db"]
channels = ["hook"]

[[check]]
slug = "heartbeat"
timeout = "5m"
grace = 120
)",
                           "dw.toml");
  REQUIRE(c.has_value());
  const Declared& d = c->declared;
  REQUIRE(d.projects.size() == 1);
  CHECK(d.projects[0].where == "dw.toml:2:1");
  REQUIRE(d.channels.size() == 1);
  CHECK(d.channels[0].project == "Ops");  // the only project
  auto value = nlohmann::json::parse(d.channels[0].value_json);
  CHECK(value["url_down"] == "https://example.com/down");
  CHECK(value["headers_down"]["X-Token"] == "t");
  REQUIRE(d.checks.size() == 2);
  CHECK(d.checks[0].kind == "cron");
  CHECK(d.checks[0].name == "nightly-db");  // the slug when no name
  CHECK(d.checks[0].tags == "prod db");
  CHECK(d.checks[0].channels == std::vector<std::string>{"hook"});
  CHECK(d.checks[1].kind == "simple");
  CHECK(d.checks[1].timeout == std::chrono::minutes(5));
  CHECK(d.checks[1].grace == std::chrono::seconds(120));
}

TEST_CASE("declared: mistakes are named with their place in the file") {
  CHECK(ErrorOf("[[project]]\nname = \"A\"\n[[check]]\nslug = \"x\"\n[[check]]\nslug = \"x\"\n") ==
        "dw.toml:5:1: check slug 'x' is declared twice in project 'A' (first at dw.toml:3:1)");
  CHECK(ErrorOf("[[project]]\nname = \"A\"\n[[check]]\nslug = \"x\"\nchannels = [\"nope\"]\n") ==
        "dw.toml:5:13: check.channels: no [[channel]] named 'nope' in project 'A'");
  CHECK(ErrorOf("[[project]]\nname = \"A\"\n[[project]]\nname = \"B\"\n[[check]]\nslug = \"x\"\n") ==
        "dw.toml:5:1: [[check]] needs project = \"...\" (the name of a [[project]])");
  CHECK(ErrorOf("[[project]]\nname = \"A\"\n[[check]]\nslug = \"x\"\ntimout = \"1h\"\n").find(
            "dw.toml:5:1: unknown key 'timout' in [[check]]") == 0);
  CHECK(ErrorOf("[[project]]\nname = \"A\"\n[[check]]\nslug = \"Not A Slug\"\n") ==
        "dw.toml:4:8: check.slug: expected lower-case letters, digits, - and _ (1 to 100)");
  CHECK(ErrorOf("[[project]]\nname = \"A\"\n[[check]]\nslug = \"x\"\nschedule = \"* * * * *\"\ntimeout = \"1h\"\n") ==
        "dw.toml:6:11: check.timeout: a scheduled check has no timeout");
  CHECK(ErrorOf("[project]\nname = \"A\"\n") == "dw.toml:1:1: project: write it as [[project]] tables");
  CHECK(ErrorOf("[[project]]\nname = \"A\"\n[[channel]]\nname = \"c\"\nkind = \"slack\"\nurl_file = \"/no/such/file\"\n") ==
        "dw.toml:6:12: channel.url_file: cannot read /no/such/file");
  CHECK(ErrorOf("[[check]]\nslug = \"x\"\nproject = \"Ghost\"\n").find("check.project: no [[project]] named 'Ghost'") !=
        std::string::npos);
}

TEST_CASE("declared: *_file keys read the secret from the file, without its trailing newline") {
  std::string path = "/tmp/dogwatch-secret-" + std::to_string(::getpid());
  std::ofstream(path) << "https://hooks.slack.com/services/T/B/secret\n";
  auto c = ParseConfigText("[[project]]\nname = \"A\"\n[[channel]]\nname = \"s\"\nkind = \"slack\"\nurl_file = \"" +
                               path + "\"\n",
                           "dw.toml");
  ::unlink(path.c_str());
  REQUIRE(c.has_value());
  auto value = nlohmann::json::parse(c->declared.channels[0].value_json);
  CHECK(value == nlohmann::json{{"url", "https://hooks.slack.com/services/T/B/secret"}});
}
