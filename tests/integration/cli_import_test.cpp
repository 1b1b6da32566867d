// `dogwatch import-crontab` and `dogwatch import` (SPEC §10) through the real binary: the rewrite
// without --apply (nothing created), --apply twice (no duplicates), and copying checks and
// channels from another dogwatch twice, with wrong keys and sources that are not an API.
#include <doctest/doctest.h>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include "integration/fixture.h"
#include "integration/receiver.h"

using namespace dwtest;

namespace {

std::string Url(ApiServer& api) { return "http://127.0.0.1:" + std::to_string(api.server().port()); }

std::vector<std::string> Env(ApiServer& api) {
  return {"DOGWATCH_URL=" + Url(api), "DOGWATCH_API_KEY=" + api.project().rw_key};
}

Json Checks(ApiServer& api) {
  auto res = api.Get("/api/v3/checks/", api.project().rw_key);
  REQUIRE(res);
  return Json::parse(res->body)["checks"];
}

Json FindBy(const Json& checks, const std::string& field, const std::string& value) {
  for (const auto& c : checks) {
    if (c[field] == value) return c;
  }
  return Json();
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// A destination that answers its scripted replies, one request per connection, and then closes
// connections without answering: a network that drops part-way through an import.
class DroppingServer {
 public:
  explicit DroppingServer(std::vector<std::string> replies) : replies_(std::move(replies)) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    socklen_t len = sizeof addr;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    REQUIRE(listen(fd_, 16) == 0);
    thread_ = std::thread([this] { Serve(); });
  }
  ~DroppingServer() {
    shutdown(fd_, SHUT_RDWR);
    close(fd_);
    thread_.join();
  }
  std::string Url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  void Serve() {
    for (size_t n = 0;; ++n) {
      int conn = accept(fd_, nullptr, nullptr);
      if (conn < 0) return;
      std::string request;
      char buffer[4096];
      // Read the head and the body its Content-Length announces.
      while (true) {
        size_t head_end = request.find("\r\n\r\n");
        if (head_end != std::string::npos) {
          size_t at = request.find("Content-Length: ");
          size_t length = at == std::string::npos ? 0 : std::stoul(request.substr(at + 16));
          if (request.size() >= head_end + 4 + length) break;
        }
        ssize_t got = recv(conn, buffer, sizeof buffer, 0);
        if (got <= 0) break;
        request.append(buffer, static_cast<size_t>(got));
      }
      if (n < replies_.size()) {
        std::string status = n + 1 == replies_.size() ? "201 Created" : "200 OK";
        std::string answer = "HTTP/1.1 " + status + "\r\nContent-Type: application/json\r\n"
                             "Content-Length: " + std::to_string(replies_[n].size()) +
                             "\r\nConnection: close\r\n\r\n" + replies_[n];
        send(conn, answer.data(), answer.size(), MSG_NOSIGNAL);
      }
      close(conn);
    }
  }
  std::vector<std::string> replies_;
  int fd_ = -1;
  int port_ = 0;
  std::thread thread_;
};

constexpr const char* kCrontab =
    "# backups\n"
    "MAILTO=root\n"
    "CRON_TZ=Europe/Riga\n"
    "30 2 * * * /usr/local/bin/backup.sh --full\n"
    "*/10 * * * * cd /srv/app && ./sync.sh > /dev/null 2>&1\n"
    "0 25 * * * /usr/bin/never\n"
    "@reboot /usr/bin/warm-cache\n"
    "@hourly /usr/bin/certbot renew\n";

}  // namespace

TEST_CASE("cli import: import-crontab without --apply prints the rewrite and creates nothing") {
  ApiServer api;
  TempDir dir;
  WriteFile(dir / "crontab", kCrontab);
  auto r = RunCommand({"import-crontab", dir / "crontab", "--tz", "UTC"}, "", Env(api));
  CHECK(r.exit_code == 0);
  CHECK(Contains(r.out, "DOGWATCH_PING_KEY"));
  CHECK(Contains(r.out, "# backups\nMAILTO=root\nCRON_TZ=Europe/Riga\n"));
  CHECK(Contains(r.out, "30 2 * * * dogwatch run --slug backup-sh -- /usr/local/bin/backup.sh --full\n"));
  CHECK(Contains(r.out, "*/10 * * * * dogwatch run --slug sync-sh -- sh -c "
                        "'cd /srv/app && ./sync.sh > /dev/null 2>&1'\n"));
  CHECK(Contains(r.out, "\n0 25 * * * /usr/bin/never\n"));
  CHECK(Contains(r.out, "\n@reboot /usr/bin/warm-cache\n"));
  CHECK(Contains(r.out, "@hourly dogwatch run --slug certbot-renew -- /usr/bin/certbot renew\n"));
  CHECK(Contains(r.err, "# line 2: MAILTO"));
  CHECK(Contains(r.err, "# line 6: hour: 25 is out of range 0-23; skipped"));
  CHECK(Contains(r.err, "# line 7: @reboot"));
  CHECK(Contains(r.err, "--apply"));
  CHECK(Checks(api).empty());

  // Standard input, and an empty crontab: a note, nothing else, exit 0.
  auto piped = RunCommand({"import-crontab", "-"}, "0 3 * * * /opt/x\n", Env(api));
  CHECK(piped.exit_code == 0);
  CHECK(Contains(piped.out, "0 3 * * * dogwatch run --slug x -- /opt/x\n"));
  auto empty = RunCommand({"import-crontab", "-"}, "", Env(api));
  CHECK(empty.exit_code == 0);
  CHECK(empty.out.empty());
  CHECK(Contains(empty.err, "empty"));
  auto missing = RunCommand({"import-crontab", dir / "nope"}, "", Env(api));
  CHECK(missing.exit_code == 1);
  CHECK(Contains(missing.err, "cannot read"));
  CHECK(RunCommand({"import-crontab", "-", "--grace", "soon"}, "", Env(api)).exit_code == 2);
}

TEST_CASE("cli import: import-crontab --apply creates the checks once, however often it runs") {
  ApiServer api;
  TempDir dir;
  WriteFile(dir / "crontab", kCrontab);
  auto first = RunCommand({"import-crontab", dir / "crontab", "--apply", "--tz", "UTC"}, "", Env(api));
  CHECK(first.exit_code == 0);
  CHECK(Contains(first.err, "# created backup-sh"));
  CHECK(Contains(first.out, "dogwatch run --slug backup-sh"));
  Json checks = Checks(api);
  REQUIRE(checks.size() == 3);
  Json backup = FindBy(checks, "slug", "backup-sh");
  CHECK(backup["name"] == "backup.sh");
  CHECK(backup["schedule"] == "30 2 * * *");
  CHECK(backup["tz"] == "Europe/Riga");
  CHECK(backup["grace"] == 3600);
  Json sync = FindBy(checks, "slug", "sync-sh");
  CHECK(sync["grace"] == 300);
  CHECK(FindBy(checks, "slug", "certbot-renew")["schedule"] == "0 * * * *");

  auto second = RunCommand({"import-crontab", dir / "crontab", "--apply", "--tz", "UTC"}, "", Env(api));
  CHECK(second.exit_code == 0);
  CHECK(Contains(second.err, "# updated backup-sh"));
  CHECK_FALSE(Contains(second.err, "# created"));
  CHECK(Checks(api).size() == 3);

  // --grace for every job; a system crontab's user column.
  TempDir etc;
  WriteFile(etc / "system", "0 4 * * * root /usr/sbin/logrotate /etc/logrotate.conf\n");
  auto system = RunCommand(
      {"import-crontab", etc / "system", "--system", "--apply", "--grace", "2h", "--tz", "UTC"}, "",
      Env(api));
  CHECK(system.exit_code == 0);
  CHECK(Contains(system.out, "0 4 * * * root dogwatch run --slug logrotate -- /usr/sbin/logrotate"));
  Json logrotate = FindBy(Checks(api), "slug", "logrotate");
  CHECK(logrotate["grace"] == 7200);
  CHECK(logrotate["tz"] == "UTC");

  auto wrong = RunCommand({"import-crontab", dir / "crontab", "--apply", "--api-key",
                           "hcw_" + std::string(28, 'x')},
                          "", Env(api));
  CHECK(wrong.exit_code == 1);
  CHECK(Contains(wrong.err, "401 wrong api key"));
}

TEST_CASE("cli import: checks and channels from another dogwatch, twice without duplicates") {
  ApiServer source;
  ApiServer dest;
  auto channel = source.Post("/api/v3/channels/", source.project().rw_key,
                             R"({"name": "ops mail", "kind": "email", "value": {"address": "ops@example.com"}})");
  REQUIRE(channel);
  REQUIRE(channel->status == 201);
  std::string mail_id = Json::parse(channel->body)["id"];
  auto slack = source.Post("/api/v3/channels/", source.project().rw_key,
                           R"({"name": "chat", "kind": "slack", "value": {"url": "https://hooks.slack.com/services/T0/B0/SECRET"}})");
  REQUIRE(slack);
  REQUIRE(slack->status == 201);
  source.CreateCheck({{"name", "backup"}, {"slug", "backup"}, {"tags", "prod db"}, {"desc", "nightly"},
                      {"schedule", "30 2 * * *"}, {"tz", "Europe/Riga"}, {"grace", 1800},
                      {"manual_resume", true}, {"methods", "POST"}, {"channels", "*"},
                      {"filter_http_body", true}, {"failure_kw", "ERROR"}});
  source.CreateCheck({{"name", "no slug"}, {"timeout", 7200}, {"grace", 600}});

  std::vector<std::string> args = {"import", "--from", Url(source), "--api-key",
                                   source.project().rw_key};
  auto dry = RunCommand({"import", "--from", Url(source), "--api-key", source.project().rw_key,
                         "--dry-run"}, "", Env(dest));
  CHECK(dry.exit_code == 0);
  CHECK(Contains(dry.err, "would create check 'backup'"));
  CHECK(Checks(dest).empty());

  auto first = RunCommand(args, "", Env(dest));
  CHECK(first.exit_code == 0);
  CHECK(Contains(first.err, "created channel 'ops mail' (email)"));
  CHECK(Contains(first.err, "channel 'chat' (slack) not copied"));
  CHECK(Contains(first.err, "imported 2 of 2 checks (2 created, 0 updated)"));
  Json checks = Checks(dest);
  REQUIRE(checks.size() == 2);
  Json backup = FindBy(checks, "slug", "backup");
  CHECK(backup["name"] == "backup");
  CHECK(backup["tags"] == "prod db");
  CHECK(backup["desc"] == "nightly");
  CHECK(backup["schedule"] == "30 2 * * *");
  CHECK(backup["tz"] == "Europe/Riga");
  CHECK(backup["grace"] == 1800);
  CHECK(backup["manual_resume"] == true);
  CHECK(backup["methods"] == "POST");
  CHECK(backup["filter_http_body"] == true);
  CHECK(backup["failure_kw"] == "ERROR");
  auto dest_channels = Json::parse(dest.Get("/api/v3/channels/", dest.project().rw_key)->body)["channels"];
  REQUIRE(dest_channels.size() == 1);
  CHECK(dest_channels[0]["name"] == "ops mail");
  CHECK(backup["channels"] == dest_channels[0]["id"]);
  Json no_slug = FindBy(checks, "name", "no slug");
  CHECK(no_slug["timeout"] == 7200);
  CHECK(no_slug["grace"] == 600);

  auto second = RunCommand(args, "", Env(dest));
  CHECK(second.exit_code == 0);
  CHECK(Contains(second.err, "(0 created, 2 updated)"));
  CHECK(Contains(second.err, "channel 'ops mail' (email) exists"));
  CHECK(Checks(dest).size() == 2);
  CHECK(Json::parse(dest.Get("/api/v3/channels/", dest.project().rw_key)->body)["channels"].size() == 1);

  // A read-only source key: checks come with unique_key instead of uuid; channels are skipped.
  auto read_only = RunCommand({"import", "--from", Url(source), "--api-key", source.project().ro_key},
                              "", Env(dest));
  CHECK(read_only.exit_code == 0);
  CHECK(Contains(read_only.err, "read-only"));
  CHECK(Checks(dest).size() == 2);
  (void)mail_id;
}

TEST_CASE("cli import: a wrong key, a source that is not an API, and a check the destination refuses") {
  ApiServer dest;
  auto wrong = RunCommand({"import", "--from", Url(dest), "--api-key", "hcw_" + std::string(28, 'x')},
                          "", Env(dest));
  CHECK(wrong.exit_code == 1);
  CHECK(Contains(wrong.err, "401 wrong api key"));

  Receiver html;
  html.Queue(200, "<!DOCTYPE html><html><body>Welcome</body></html>");
  auto page = RunCommand({"import", "--from", html.Url(""), "--api-key", "k"}, "", Env(dest));
  CHECK(page.exit_code == 1);
  CHECK(Contains(page.err, "is not a Healthchecks-compatible API"));
  html.Queue(404, "<html>Not Found</html>");
  auto not_found = RunCommand({"import", "--from", html.Url(""), "--api-key", "k"}, "", Env(dest));
  CHECK(not_found.exit_code == 1);
  CHECK(Contains(not_found.err, "404 not found"));
  auto nothing = RunCommand({"import", "--from", "http://127.0.0.1:1", "--api-key", "k"}, "", Env(dest));
  CHECK(nothing.exit_code == 1);
  CHECK(Contains(nothing.err, "cannot reach http://127.0.0.1:1"));
  CHECK(Checks(dest).empty());
  CHECK(RunCommand({"import", "--from", Url(dest)}, "", Env(dest)).exit_code == 2);

  // The source allows 10 s periods, the destination does not: that check fails, by name.
  ApiServer source;
  source.CreateCheck({{"name", "fast"}, {"slug", "fast"}, {"timeout", 10}, {"grace", 60}});
  source.CreateCheck({{"name", "slow"}, {"slug", "slow"}, {"timeout", 3600}});
  ApiServer strict("");
  auto partial = RunCommand({"import", "--from", Url(source), "--api-key", source.project().rw_key},
                            "", Env(strict));
  CHECK(partial.exit_code == 1);
  CHECK(Contains(partial.err, "check 'fast' (slug fast): 400 json validation error: timeout is too small"));
  CHECK(Contains(partial.err, "imported 1 of 2 checks"));
  CHECK(Contains(partial.err, "failed: 'fast' (slug fast)"));
  CHECK(Checks(strict).size() == 1);
}

TEST_CASE("cli import: a network that drops part-way names what was imported and what was not") {
  ApiServer source;
  for (const char* name : {"alpha", "beta", "gamma"}) {
    source.CreateCheck({{"name", name}, {"slug", name}, {"timeout", 3600}});
  }
  // The destination lists its checks and channels, takes the first check, then drops.
  DroppingServer dest({R"({"checks": []})", R"({"channels": []})", R"({"name": "alpha"})"});
  auto r = RunCommand({"import", "--from", Url(source), "--api-key", source.project().rw_key,
                       "--to-url", dest.Url(), "--to-api-key", "hcw_" + std::string(28, 'd')});
  CHECK(r.exit_code == 1);
  CHECK(Contains(r.err, "created check 'alpha' (slug alpha)"));
  CHECK(Contains(r.err, "check 'beta' (slug beta): cannot reach " + dest.Url()));
  CHECK(Contains(r.err, "imported 1 of 3 checks (1 created, 0 updated)"));
  CHECK(Contains(r.err, "failed: 'beta' (slug beta)"));
  CHECK(Contains(r.err, "not imported: 'gamma' (slug gamma)"));
}
