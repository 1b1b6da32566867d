#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "config/fields.h"
#include "dogwatch/config/config.h"

using namespace dogwatch;

namespace {

std::string ErrorOf(std::string_view toml) {
  auto c = ParseConfigText(toml, "dogwatch.toml");
  REQUIRE_FALSE(c.has_value());
  return c.error().message;
}

}  // namespace

TEST_CASE("config: an empty file gives the embedded defaults") {
  auto c = ParseConfigText("", "x.toml");
  REQUIRE(c.has_value());
  CHECK(c->server.listen.host == "127.0.0.1");
  CHECK(c->server.listen.port == 8000);
  CHECK(c->server.base_url == "http://localhost:8000");
  CHECK(c->storage.data_dir == "./dogwatch-data");
  CHECK(c->storage.ping_retention == 100);
  CHECK(c->storage.ping_body_limit == 10000);
  CHECK(c->checks.min_timeout == std::chrono::seconds(60));
}

TEST_CASE("config: the example file parses and equals the defaults, key for key") {
  auto example = ParseConfigText(ExampleConfig(), "dogwatch.example.toml");
  REQUIRE_MESSAGE(example.has_value(), (example ? "" : example.error().message));
  auto defaults = ParseConfigText("", "x");
  for (const auto& f : config_internal::Fields()) {
    CAPTURE(f.key);
    CHECK(f.show(*example) == f.show(*defaults));
  }
}

TEST_CASE("config: every key is documented in the example file") {
  std::string_view text = ExampleConfig();
  for (const auto& f : config_internal::Fields()) {
    CAPTURE(f.key);
    // Optional sections ([server.tls]) are shown commented out.
    CHECK((text.find(std::string("\n") + f.key + " = ") != std::string_view::npos ||
           text.find(std::string("\n# ") + f.key + " = ") != std::string_view::npos));
  }
}

TEST_CASE("config: values of every type are read") {
  auto c = ParseConfigText(R"(
[server]
listen = "0.0.0.0:9000"
base_url = "https://hc.example.com/"
threads = 4
trusted_proxies = ["127.0.0.1", "10.0.0.0/8"]
read_timeout = "1m30s"
[storage]
durability = "full"
ping_body_limit = 1
[checks]
min_timeout = "1s"
[log]
level = "debug"
access_log = false
)",
                           "x.toml");
  REQUIRE_MESSAGE(c.has_value(), (c ? "" : c.error().message));
  CHECK(c->server.listen.port == 9000);
  CHECK(c->server.base_url == "https://hc.example.com");  // trailing slash dropped
  CHECK(c->server.threads == 4);
  CHECK(c->server.trusted_proxies.size() == 2);
  CHECK(c->server.read_timeout == std::chrono::seconds(90));
  CHECK(c->storage.durability == Durability::kFull);
  CHECK(c->checks.min_timeout == std::chrono::seconds(1));
  CHECK(c->log.level == log::Level::kDebug);
  CHECK_FALSE(c->log.access_log);
}

TEST_CASE("config: every error names file, line, column and the problem") {
  struct Case {
    const char* toml;
    const char* expected;
  };
  for (auto c : {
           Case{"[server]\nthreads = \"8\"\n", "dogwatch.toml:2:11: server.threads: expected an integer, got a string"},
           Case{"[server]\nthread = 8\n", "dogwatch.toml:2:1: unknown key 'thread' in [server] (did you mean 'threads'?)"},
           Case{"[sever]\nthreads = 8\n", "dogwatch.toml:1:2: unknown section [sever] (did you mean 'server'?)"},
           Case{"[server]\nlisten = \"127.0.0.1:70000\"\n", "dogwatch.toml:2:10: server.listen: port '70000' is out of range 0-65535"},
           Case{"[checks]\nmin_timeout = \"-5s\"\n", "dogwatch.toml:2:15: checks.min_timeout: invalid duration '-5s'"},
           Case{"[checks]\nmin_timeout = 60\n", "checks.min_timeout: expected a duration string like \"60s\", got an integer"},
           Case{"[checks]\nmin_timeout = \"0s\"\n", "checks.min_timeout: 0s is out of range 1s-1d"},
           Case{"[storage]\nping_body_limit = 0\n", "dogwatch.toml:2:19: storage.ping_body_limit: 0 is out of range 1-1048576"},
           Case{"[storage]\ndurability = \"fast\"\n", "storage.durability: 'fast' is not one of normal, full"},
           Case{"[storage]\ndata_dir = \"\"\n", "storage.data_dir: must not be empty"},
           Case{"[server]\nbase_url = \"ftp://x\"\n", "server.base_url: 'ftp://x' is not an http:// or https:// URL"},
           Case{"[server]\ntrusted_proxies = [\"10.0.0.0/33\"]\n", "server.trusted_proxies: '10.0.0.0/33': prefix length must be 0-32"},
           Case{"[server]\ntrusted_proxies = [1]\n", "server.trusted_proxies: expected an array of strings, found an integer in it"},
           Case{"[server]\nthreads = 0\n", "server.threads: 0 is out of range 1-1024"},
           Case{"[log]\nlevel = \"loud\"\n", "log.level: unknown log level 'loud'"},
           Case{"[log]\naccess_log = \"yes\"\n", "log.access_log: expected true or false, got a string"},
           Case{"server = 5\n", "dogwatch.toml:1:1: [server] must be a table, got an integer"},
           Case{"[server\n", "dogwatch.toml:1:"},
           Case{"[server]\nthreads = 8\nthreads = 9\n", "dogwatch.toml:3:"},
           Case{"listen = \"x\"\n", "unknown section [listen]"},
       }) {
    CAPTURE(c.toml);
    CHECK_MESSAGE(ErrorOf(c.toml).find(c.expected) != std::string::npos, ErrorOf(c.toml));
  }
}

TEST_CASE("config: a NUL byte is refused as not TOML") {
  std::string text = "[server]\n";
  text.push_back('\0');
  CHECK(ErrorOf(text).find("NUL") != std::string::npos);
}

TEST_CASE("config: precedence is flag, then environment, then file, then default") {
  auto dir = std::filesystem::temp_directory_path() / "dogwatch-config-test";
  std::filesystem::create_directories(dir);
  auto path = (dir / "c.toml").string();
  std::ofstream(path) << "[server]\nthreads = 3\nlisten = \"127.0.0.1:1111\"\n[log]\nlevel = \"warn\"\n";

  LoadOptions opts{.path = path,
                   .env = {{"DOGWATCH_SERVER_LISTEN", "127.0.0.1:2222"},
                           {"DOGWATCH_LOG_LEVEL", "error"},
                           {"DOGWATCH_STORAGE_PING_RETENTION", "7"},
                           {"DOGWATCH_SERVER_TRUSTED_PROXIES", "127.0.0.1, ::1"},
                           {"UNRELATED", "x"}},
                   .flags = {{"log.level", "debug"}}};
  auto c = LoadConfig(opts);
  REQUIRE_MESSAGE(c.has_value(), (c ? "" : c.error().message));
  CHECK(c->server.threads == 3);                // file
  CHECK(c->server.listen.port == 2222);         // env over file
  CHECK(c->log.level == log::Level::kDebug);    // flag over env
  CHECK(c->storage.ping_retention == 7);        // env over default
  CHECK(c->server.trusted_proxies.size() == 2);  // env list, comma-separated
  CHECK(c->source == path);
  std::filesystem::remove_all(dir);
}

TEST_CASE("config: bad environment and flag values name their origin") {
  auto env = LoadConfig({.path = "/dev/null", .env = {{"DOGWATCH_SERVER_THREADS", "many"}}});
  REQUIRE_FALSE(env.has_value());
  CHECK(env.error().message == "DOGWATCH_SERVER_THREADS: expected an integer, got 'many'");
  auto flag = LoadConfig({.path = "/dev/null", .flags = {{"server.listen", "nowhere"}}});
  REQUIRE_FALSE(flag.has_value());
  CHECK(flag.error().message.rfind("--listen: ", 0) == 0);
}

TEST_CASE("config: a missing config file is an error that names it") {
  auto c = LoadConfig({.path = "/nonexistent/dogwatch.toml"});
  REQUIRE_FALSE(c.has_value());
  CHECK(c.error().message == "/nonexistent/dogwatch.toml: cannot read config file: no such file");
}

TEST_CASE("config: RenderConfig reads back to the same config") {
  auto c = ParseConfigText("[server]\nthreads = 5\ntrusted_proxies = [\"::1\"]\n[checks]\nmin_timeout = \"90s\"\n", "x");
  REQUIRE(c.has_value());
  auto text = RenderConfig(*c);
  auto again = ParseConfigText(text, "rendered");
  REQUIRE_MESSAGE(again.has_value(), text);
  for (const auto& f : config_internal::Fields()) CHECK(f.show(*again) == f.show(*c));
  CHECK(text.find("min_timeout = \"1m30s\"") != std::string::npos);
}

TEST_CASE("config: [server.tls] is read from the file, the environment and flags, both keys or neither") {
  auto c = ParseConfigText("[server]\nthreads = 2\n[server.tls]\ncert_file = \"/c.pem\"\nkey_file = \"/k.pem\"\n", "x");
  REQUIRE_MESSAGE(c.has_value(), (c ? "" : c.error().message));
  CHECK(c->server.tls.enabled());
  CHECK(c->server.tls.cert_file == "/c.pem");
  CHECK(c->server.tls.key_file == "/k.pem");
  CHECK_FALSE(ParseConfigText("", "x")->server.tls.enabled());

  auto inline_table = ParseConfigText("[server]\ntls = { cert_file = \"/c\", key_file = \"/k\" }\n", "x");
  REQUIRE(inline_table.has_value());
  CHECK(inline_table->server.tls.key_file == "/k");

  auto text = RenderConfig(*c);
  CHECK(text.find("[server.tls]\ncert_file = \"/c.pem\"\nkey_file = \"/k.pem\"\n") != std::string::npos);
  auto again = ParseConfigText(text, "rendered");
  REQUIRE_MESSAGE(again.has_value(), text);
  CHECK(again->server.tls.cert_file == "/c.pem");

  auto env = LoadConfig({.path = "/dev/null",
                         .env = {{"DOGWATCH_SERVER_TLS_CERT_FILE", "/e.pem"}, {"DOGWATCH_SERVER_TLS_KEY_FILE", "/ek.pem"}},
                         .flags = {{"server.tls.key_file", "/f.pem"}}});
  REQUIRE_MESSAGE(env.has_value(), (env ? "" : env.error().message));
  CHECK(env->server.tls.cert_file == "/e.pem");
  CHECK(env->server.tls.key_file == "/f.pem");

  CHECK(ErrorOf("[server.tls]\ncert_file = \"/c.pem\"\n") ==
        "dogwatch.toml: server.tls.key_file: missing; [server.tls] needs both cert_file and key_file");
  CHECK(ErrorOf("[server.tls]\nkey_file = \"/k.pem\"\n").find("server.tls.cert_file: missing") != std::string::npos);
  CHECK(ErrorOf("[server.tls]\ncert_fil = \"/c.pem\"\n") ==
        "dogwatch.toml:2:1: unknown key 'cert_fil' in [server.tls] (did you mean 'cert_file'?)");
  CHECK(ErrorOf("[server.tls]\ncert_file = 5\n") ==
        "dogwatch.toml:2:13: server.tls.cert_file: expected a string, got an integer");
}
