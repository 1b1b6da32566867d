// Bad input at start-up (issue 2): each is one line naming what is wrong, exit 1, and no
// partial file left behind.
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <filesystem>

#include "integration/harness.h"

using namespace dwtest;
namespace fs = std::filesystem;

namespace {

// The last line dogwatch printed, which must say what went wrong.
std::string LastLine(const std::string& text) {
  auto t = text;
  while (!t.empty() && t.back() == '\n') t.pop_back();
  auto nl = t.rfind('\n');
  return nl == std::string::npos ? t : t.substr(nl + 1);
}

CommandResult Serve(const TempDir& dir, const std::string& toml, std::vector<std::string> extra = {}) {
  WriteFile(dir / "dogwatch.toml", toml);
  std::vector<std::string> args{"serve", "--config", dir / "dogwatch.toml", "--listen", "127.0.0.1:0"};
  args.insert(args.end(), extra.begin(), extra.end());
  return RunCommand(args, "", {}, std::chrono::seconds(20));
}

bool Empty(const fs::path& dir) { return !fs::exists(dir) || fs::is_empty(dir); }

}  // namespace

TEST_CASE("startup: config errors exit 1 with file:line:col and create no data directory") {
  struct Case {
    const char* toml;
    const char* expected;
  };
  for (auto c : {Case{"[server]\nlisten = \"127.0.0.1:70000\"\n", ":2:10: server.listen: port '70000' is out of range 0-65535"},
                 Case{"[server\n", ":1:"},
                 Case{"[server]\nthreads = \"many\"\n", "server.threads: expected an integer, got a string"},
                 Case{"[server]\nlisten_addr = \"x\"\n", "unknown key 'listen_addr' in [server]"},
                 Case{"[checks]\nmin_timeout = \"-1m\"\n", "checks.min_timeout: invalid duration '-1m'"},
                 Case{"[storage]\nping_body_limit = 0\n", "storage.ping_body_limit: 0 is out of range"}}) {
    CAPTURE(c.toml);
    TempDir dir;
    auto r = Serve(dir, c.toml, {"--data-dir", dir / "data"});
    CHECK(r.exit_code == 1);
    CHECK_MESSAGE(LastLine(r.err).find(c.expected) != std::string::npos, r.err);
    CHECK(LastLine(r.err).find(dir / "dogwatch.toml") != std::string::npos);
    CHECK(Empty(dir.path() / "data"));
  }
}

TEST_CASE("startup: a missing config file is named") {
  auto r = RunCommand({"serve", "--config", "/nonexistent/dogwatch.toml"});
  CHECK(r.exit_code == 1);
  CHECK(LastLine(r.err) == "dogwatch: /nonexistent/dogwatch.toml: cannot read config file: no such file");
}

TEST_CASE("startup: a bad flag value exits 1 naming the flag") {
  TempDir dir;
  auto r = Serve(dir, "", {"--listen", "127.0.0.1:99999"});
  CHECK(r.exit_code == 1);
  CHECK(LastLine(r.err).find("--listen: port '99999' is out of range 0-65535") != std::string::npos);
}

TEST_CASE("startup: an unknown flag is a usage error, exit 2") {
  auto r = RunCommand({"serve", "--no-such-flag"});
  CHECK(r.exit_code == 2);
}

TEST_CASE("startup: a port already in use exits 1 and leaves no data behind") {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  REQUIRE(listen(fd, 1) == 0);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  std::string listen_on = "127.0.0.1:" + std::to_string(ntohs(addr.sin_port));

  TempDir dir;
  auto r = Serve(dir, "", {"--listen", listen_on, "--data-dir", dir / "data"});
  close(fd);
  CHECK(r.exit_code == 1);
  CHECK(LastLine(r.err).find("cannot listen on " + listen_on + ": Address already in use") !=
        std::string::npos);
  CHECK(Empty(dir.path() / "data"));
}

TEST_CASE("startup: a data_dir that cannot be created is reported") {
  TempDir dir;
  WriteFile(dir / "plainfile", "x");
  auto r = Serve(dir, "", {"--data-dir", dir / "plainfile/data"});
  CHECK(r.exit_code == 1);
  CHECK(LastLine(r.err).find("data_dir " + (dir / "plainfile/data") + ": cannot create it") !=
        std::string::npos);
}

TEST_CASE("startup: a garbage database file is refused and not changed") {
  TempDir dir;
  fs::create_directories(dir.path() / "data");
  std::string garbage = "this is not a database\n" + std::string(5000, '#');
  WriteFile(dir / "data/dogwatch.db", garbage);
  auto r = Serve(dir, "", {"--data-dir", dir / "data"});
  CHECK(r.exit_code == 1);
  CHECK(LastLine(r.err).find("is not a SQLite database") != std::string::npos);
  CHECK(ReadFile(dir / "data/dogwatch.db") == garbage);
  CHECK(fs::directory_iterator(dir.path() / "data") != fs::directory_iterator());
  int files = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir.path() / "data")) ++files;
  CHECK(files == 1);
}

TEST_CASE("startup: a database from a newer dogwatch is refused with a clear message") {
  TempDir dir;
  auto data = dir / "data";
  REQUIRE(RunCommand({"project", "add", "P", "--config", "/dev/null", "--data-dir", data}).exit_code == 0);
  {
    SQLite::Database raw(data + "/dogwatch.db", SQLite::OPEN_READWRITE);
    raw.exec("PRAGMA user_version = 42");
  }
  auto before = ReadFile(data + "/dogwatch.db");
  auto r = Serve(dir, "", {"--data-dir", data});
  CHECK(r.exit_code == 1);
  CHECK(LastLine(r.err).find("was written by a newer dogwatch (schema version 42") != std::string::npos);
  CHECK(ReadFile(data + "/dogwatch.db") == before);
}

TEST_CASE("startup: a data_dir the user may not write is reported") {
  // Root writes anywhere, so drop to nobody for this one (setpriv is part of util-linux).
  REQUIRE(std::filesystem::exists("/usr/bin/setpriv"));
  TempDir dir;
  fs::create_directories(dir.path() / "locked");
  fs::permissions(dir.path(), fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                  fs::perms::others_read | fs::perms::others_exec);
  fs::permissions(dir.path() / "locked", fs::perms::owner_all | fs::perms::others_read |
                                             fs::perms::others_exec);
  auto r = RunCommand({"serve", "--config", "/dev/null", "--listen", "127.0.0.1:0", "--data-dir",
                       dir / "locked"},
                      "", {}, std::chrono::seconds(20),
                      {"/usr/bin/setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"});
  CHECK(r.exit_code == 1);
  CHECK_MESSAGE(LastLine(r.err).find("data_dir " + (dir / "locked") + ": not writable: Permission denied") !=
                    std::string::npos,
                r.err);
  CHECK(fs::is_empty(dir.path() / "locked"));
}
