// The administration commands (SPEC §10) on a real database file, as a user runs them.
#include <doctest/doctest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include "integration/harness.h"

using namespace dwtest;

namespace {

struct Admin {
  TempDir dir;
  CommandResult Run(std::vector<std::string> args, std::string in = "") {
    args.insert(args.end(), {"--config", "/dev/null", "--data-dir", dir / "data"});
    return RunCommand(args, in);
  }
};

}  // namespace

TEST_CASE("admin: user add, list and passwd") {
  Admin a;
  auto add = a.Run({"user", "add", "admin@example.com", "--password-stdin"}, "s3cret-pass\n");
  CHECK(add.exit_code == 0);
  CHECK(add.out.empty());
  auto list = a.Run({"user", "list"});
  CHECK(list.exit_code == 0);
  CHECK(list.out.rfind("admin@example.com\t", 0) == 0);

  auto dup = a.Run({"user", "add", "ADMIN@example.com", "--password-stdin"}, "another-pass\n");
  CHECK(dup.exit_code == 1);
  CHECK(dup.err.find("already exists") != std::string::npos);

  SQLite::Database db(a.dir / "data/dogwatch.db");
  auto hash1 = db.execAndGet("SELECT password_hash FROM users").getString();
  CHECK(hash1.rfind("$argon2id$", 0) == 0);
  CHECK(hash1.find("s3cret-pass") == std::string::npos);

  CHECK(a.Run({"user", "passwd", "admin@example.com", "--password-stdin"}, "new-password\n").exit_code == 0);
  CHECK(db.execAndGet("SELECT password_hash FROM users").getString() != hash1);
  CHECK(a.Run({"user", "passwd", "ghost@example.com", "--password-stdin"}, "new-password\n").exit_code == 1);
}

TEST_CASE("admin: bad user input is refused with a reason") {
  Admin a;
  auto bad_email = a.Run({"user", "add", "not-an-email", "--password-stdin"}, "s3cret-pass\n");
  CHECK(bad_email.exit_code == 2);
  CHECK(bad_email.err.find("email: 'not-an-email' is not an email address") != std::string::npos);
  auto short_pw = a.Run({"user", "add", "a@example.com", "--password-stdin"}, "short\n");
  CHECK(short_pw.exit_code == 1);
  CHECK(short_pw.err.find("at least 8 characters") != std::string::npos);
  auto no_tty = a.Run({"user", "add", "a@example.com"});
  CHECK(no_tty.exit_code == 1);
  CHECK(no_tty.err.find("--password-stdin") != std::string::npos);
  CHECK(a.Run({"user", "list"}).out.empty());
}

TEST_CASE("admin: project add prints the ping key alone; project list shows it") {
  Admin a;
  REQUIRE(a.Run({"user", "add", "o@example.com", "--password-stdin"}, "s3cret-pass\n").exit_code == 0);
  auto add = a.Run({"project", "add", "Backups", "--owner", "o@example.com"});
  CHECK(add.exit_code == 0);
  std::string key = add.out.substr(0, add.out.find('\n'));
  CHECK(key.size() == 22);
  CHECK(add.out == key + "\n");
  auto list = a.Run({"project", "list"});
  CHECK(list.out.find("Backups\t") != std::string::npos);
  CHECK(list.out.find("o@example.com") != std::string::npos);
  CHECK(list.out.find(key) != std::string::npos);
  CHECK(a.Run({"project", "add", "Backups"}).exit_code == 1);
  auto ghost = a.Run({"project", "add", "X", "--owner", "ghost@example.com"});
  CHECK(ghost.exit_code == 1);
  CHECK(ghost.err.find("--owner: no user ghost@example.com") != std::string::npos);
}

TEST_CASE("admin: key create prints the key once; list shows prefixes; revoke removes it") {
  Admin a;
  REQUIRE(a.Run({"project", "add", "P"}).exit_code == 0);
  auto rw = a.Run({"key", "create", "--project", "P"});
  REQUIRE(rw.exit_code == 0);
  std::string key = rw.out.substr(0, rw.out.size() - 1);
  CHECK(rw.out == key + "\n");
  CHECK(key.size() == 32);
  CHECK(key.rfind("hcw_", 0) == 0);
  auto ro = a.Run({"key", "create", "--project", "P", "--read-only", "--name", "grafana"});
  CHECK(ro.out.rfind("hcr_", 0) == 0);

  auto list = a.Run({"key", "list"});
  CHECK(list.out.find(key.substr(0, 8) + "…") != std::string::npos);
  CHECK(list.out.find(key) == std::string::npos);  // never shown again
  CHECK(list.out.find("read-only\thcr_") != std::string::npos);
  CHECK(list.out.find("grafana") != std::string::npos);

  CHECK(a.Run({"key", "revoke", key}).exit_code == 0);
  CHECK(a.Run({"key", "list"}).out.find(key.substr(0, 8)) == std::string::npos);
  CHECK(a.Run({"key", "revoke", key}).exit_code == 1);
  auto none = a.Run({"key", "create", "--project", "Nope"});
  CHECK(none.exit_code == 1);
  CHECK(none.err.find("--project: no project named 'Nope'") != std::string::npos);
}

TEST_CASE("admin: commands work while the server runs on the same database") {
  Server server;
  auto run = [&](std::vector<std::string> args, std::string in = "") {
    args.insert(args.end(), {"--config", "/dev/null", "--data-dir", server.data_dir()});
    return RunCommand(args, in);
  };
  CHECK(run({"user", "add", "live@example.com", "--password-stdin"}, "s3cret-pass\n").exit_code == 0);
  CHECK(run({"project", "add", "Live"}).exit_code == 0);
  CHECK(run({"key", "create", "--project", "Live"}).exit_code == 0);
  CHECK(server.Client().Get("/api/v3/status")->status == 200);
  CHECK(server.Stop() == 0);
}

TEST_CASE("admin: CLI writes beside a busy server keep its database healthy") {
  // Regression: the server used to open() and close() dogwatch.db outside SQLite when a worker
  // thread opened its reader, which dropped its POSIX locks; a CLI process closing afterwards
  // then deleted the -shm file under the server ("disk I/O error").
  Server server;
  auto admin = [&](std::vector<std::string> args) {
    args.insert(args.end(), {"--config", "/dev/null", "--data-dir", server.data_dir()});
    return RunCommand(args);
  };
  REQUIRE(admin({"project", "add", "P"}).exit_code == 0);
  std::string key = admin({"key", "create", "--project", "P"}).out;
  key.pop_back();
  for (int round = 0; round < 5; ++round) {
    // Several connections, so several worker threads open their readers.
    std::vector<std::thread> clients;
    for (int i = 0; i < 4; ++i)
      clients.emplace_back([&] { server.Client().Get("/api/v3/checks/", {{"X-Api-Key", key}}); });
    for (auto& t : clients) t.join();
    REQUIRE(admin({"key", "create", "--project", "P"}).exit_code == 0);
    CHECK(std::filesystem::exists(server.data_dir() + "/dogwatch.db-shm"));
    auto res = server.Client().Get("/api/v3/checks/", {{"X-Api-Key", key}});
    REQUIRE(res);
    CHECK(res->status == 200);
  }
  CHECK(server.Log().find("disk I/O error") == std::string::npos);
  CHECK(server.Stop() == 0);
}

TEST_CASE("cli: usage errors exit 2, --help and version exit 0") {
  CHECK(RunCommand({}).exit_code == 2);
  CHECK(RunCommand({"frobnicate"}).exit_code == 2);
  CHECK(RunCommand({"user"}).exit_code == 2);
  auto help = RunCommand({"--help"});
  CHECK(help.exit_code == 0);
  CHECK(help.out.find("serve") != std::string::npos);
  auto version = RunCommand({"version"});
  CHECK(version.exit_code == 0);
  CHECK(version.out.rfind("dogwatch ", 0) == 0);
}

TEST_CASE("config: check prints the effective config; default prints the example file") {
  TempDir dir;
  WriteFile(dir / "c.toml", "[server]\nthreads = 3\n");
  auto check = RunCommand({"config", "check", "--config", dir / "c.toml"},
                          "", {"DOGWATCH_STORAGE_PING_RETENTION=55"});
  CHECK(check.exit_code == 0);
  CHECK(check.out.find("threads = 3") != std::string::npos);
  CHECK(check.out.find("ping_retention = 55") != std::string::npos);
  CHECK(check.out.find("source: " + (dir / "c.toml")) != std::string::npos);

  auto def = RunCommand({"config", "default"});
  CHECK(def.exit_code == 0);
  CHECK(def.out == ReadFile(std::string(DOGWATCH_SOURCE_DIR) + "/packaging/dogwatch.example.toml"));

  WriteFile(dir / "bad.toml", "[server]\nthreads = -1\n");
  auto bad = RunCommand({"config", "check", "--config", dir / "bad.toml"});
  CHECK(bad.exit_code == 1);
  CHECK(bad.err.find(dir / "bad.toml:2:11: server.threads: -1 is out of range 1-1024") != std::string::npos);
  CHECK(bad.out.empty());
}

TEST_CASE("config: ./dogwatch.toml is picked up when no --config is given") {
  TempDir dir;
  WriteFile(dir / "dogwatch.toml", "[server]\nthreads = 7\n");
  // The child inherits the working directory.
  auto cwd = std::filesystem::current_path();
  std::filesystem::current_path(dir.path());
  auto r = RunCommand({"config", "check"});
  std::filesystem::current_path(cwd);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("threads = 7") != std::string::npos);
  CHECK(r.out.find("source: ./dogwatch.toml") != std::string::npos);
}
