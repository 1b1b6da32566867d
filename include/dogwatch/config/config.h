// The validated configuration (SPEC §9) and how it is loaded: embedded defaults, then the TOML
// file, then DOGWATCH_SECTION_KEY environment variables, then command-line flags. Loading is pure
// apart from reading the file; a Config is an immutable value once built, safe to share.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dogwatch/core/log.h"
#include "dogwatch/core/net.h"
#include "dogwatch/core/result.h"

namespace dogwatch {

enum class Durability { kNormal, kFull };

// [server.tls]: HTTPS on [server] listen from PEM files (docs/tls-and-proxies.md). Both paths
// or neither; what the files hold is checked when the server loads them (CheckTlsFiles).
struct TlsConfig {
  std::string cert_file;  // the certificate, then its chain (certbot's fullchain.pem)
  std::string key_file;
  bool enabled() const { return !cert_file.empty() || !key_file.empty(); }
};

struct ServerConfig {
  HostPort listen{"127.0.0.1", 8000};
  std::string base_url = "http://localhost:8000";
  int threads = 8;
  std::vector<std::string> trusted_proxies;  // as written; validated as CIDRs
  std::chrono::seconds read_timeout{10};
  std::chrono::seconds write_timeout{10};
  std::chrono::seconds keep_alive_timeout{2};
  int keep_alive_max_requests = 100;
  int64_t max_request_body = 1 << 20;  // bytes; ping bodies beyond ping_body_limit are cut, not refused
  // GET /metrics: empty = loopback peers only; else `Authorization: Bearer <token>` from anywhere.
  std::string metrics_token;
  TlsConfig tls;
};

struct StorageConfig {
  std::string data_dir = "./dogwatch-data";
  Durability durability = Durability::kNormal;
  int ping_retention = 100;
  int64_t ping_body_limit = 10000;  // bytes
};

struct ChecksConfig {
  std::chrono::seconds min_timeout{60};
};

// [alerts]: the notifier (SPEC §7).
struct AlertsConfig {
  int workers = 4;  // sends in parallel; one per channel at a time
  bool shell_enabled = false;
  std::chrono::seconds retry_initial{30};
  std::chrono::seconds retry_max{3600};
  std::chrono::seconds give_up_after{86400};
  std::chrono::seconds connect_timeout{5};
  std::chrono::seconds send_timeout{30};
};

enum class SmtpTransport { kStartTls, kTls, kPlain };

// [smtp]: outgoing mail for email channels. No host: email channels fail with a clear error.
struct SmtpConfig {
  std::string host;
  int port = 587;
  SmtpTransport security = SmtpTransport::kStartTls;
  std::string username;
  std::string password;       // from `password` or read from `password_file`
  std::string password_file;
  std::string from = "dogwatch@localhost";
  std::string ca_file;
  std::chrono::seconds timeout{30};
};

// [ui]: the web UI's sessions (docs/web-ui.md).
struct UiConfig {
  std::chrono::seconds session_lifetime{14 * 86400};
};

// [heartbeat]: self-monitoring (docs/monitoring-dogwatch.md). While the monitor loop is alive,
// `serve` requests `url` every `interval`, so a dead man's switch elsewhere learns when this
// server, its monitor or its network is down. Empty url: off.
struct HeartbeatConfig {
  std::string url;
  std::chrono::seconds interval{60};
};

struct LogConfig {
  log::Level level = log::Level::kInfo;
  bool access_log = true;
};

// Config as code (SPEC §9): projects, checks and channels declared in the file, reconciled into
// the database at start-up and on reload. `where` is "file:line:col" of the table, for errors.
struct DeclaredProject {
  std::string name;
  std::string where;
};

struct DeclaredChannel {
  std::string project, name, kind;
  std::string value_json;  // the table's other keys as a JSON object; *_file keys already read
  std::string where;
};

struct DeclaredCheck {
  std::string project, slug, name, tags, desc;
  std::string kind = "simple";  // simple (timeout), cron (schedule), oncalendar
  std::chrono::seconds timeout{86400}, grace{3600};
  std::string schedule, tz = "UTC";
  std::string methods;  // "" or "POST"
  bool manual_resume = false;
  std::string start_kw, success_kw, failure_kw;
  bool filter_http_body = false, filter_default_fail = false;
  std::vector<std::string> channels;  // names of [[channel]]s of the same project
  std::string where;
};

struct Declared {
  std::vector<DeclaredProject> projects;
  std::vector<DeclaredChannel> channels;
  std::vector<DeclaredCheck> checks;
  bool any() const { return !projects.empty() || !channels.empty() || !checks.empty(); }
};

struct Config {
  ServerConfig server;
  StorageConfig storage;
  ChecksConfig checks;
  AlertsConfig alerts;
  SmtpConfig smtp;
  UiConfig ui;
  HeartbeatConfig heartbeat;
  LogConfig log;
  Declared declared;
  std::string source;  // the file it came from, or "(embedded defaults)"
};

struct LoadOptions {
  // --config: must exist. Empty: ./dogwatch.toml, then /etc/dogwatch/dogwatch.toml, when present.
  std::string path;
  // Environment, as name=value pairs; normally the process environment (see EnvironmentVars()).
  std::map<std::string, std::string> env;
  // Command-line overrides as ("section.key", "value"), applied last, in order.
  std::vector<std::pair<std::string, std::string>> flags;
};

std::map<std::string, std::string> EnvironmentVars();

// Builds the effective config. Errors name where the bad value came from:
// "dogwatch.toml:12:5: server.threads: expected an integer, got a string",
// "DOGWATCH_SERVER_THREADS: ...", "--threads: ...".
Result<Config> LoadConfig(const LoadOptions& options);

// Parses TOML text as if it were the file `name` (no default-file lookup, no env, no flags).
Result<Config> ParseConfigText(std::string_view toml_text, std::string_view name);

// The effective config as TOML, every key, in the order of the example file.
std::string RenderConfig(const Config& config);

// The annotated example config (packaging/dogwatch.example.toml, embedded at build time).
std::string_view ExampleConfig();

}  // namespace dogwatch
