// `dogwatch backup` while the server runs and the database is being written.
#include <doctest/doctest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <atomic>

#include "integration/harness.h"

using namespace dwtest;

TEST_CASE("backup: copies taken during continuous writes are consistent; the last one is exact") {
  Server server;
  std::string db_path = server.data_dir() + "/dogwatch.db";
  auto backup = [&](const std::string& dest) {
    return RunCommand({"backup", dest, "--config", "/dev/null", "--data-dir", server.data_dir()});
  };
  REQUIRE(RunCommand({"project", "add", "P", "--config", "/dev/null", "--data-dir", server.data_dir()})
              .exit_code == 0);

  // A second writer process stands in for the monitor: rows go in, one transaction each.
  std::atomic<bool> stop{false};
  std::atomic<int> written{0};
  std::thread writer([&] {
    SQLite::Database db(db_path, SQLite::OPEN_READWRITE, 5000);
    int64_t project = db.execAndGet("SELECT id FROM projects").getInt64();
    while (!stop) {
      int i = written.load();
      SQLite::Statement q(db, "INSERT INTO checks (uuid, project_id, name, created, badge_key) VALUES (?, ?, ?, 0, ?)");
      q.bind(1, "uuid-" + std::to_string(i));
      q.bind(2, project);
      q.bind(3, "check " + std::to_string(i));
      q.bind(4, "badge-" + std::to_string(i));
      q.exec();
      written = i + 1;
    }
  });
  REQUIRE(Eventually([&] { return written.load() > 100; }));

  for (int round = 0; round < 3; ++round) {
    CAPTURE(round);
    int before = written.load();
    std::string dest = server.dir() / ("backup-" + std::to_string(round) + ".db");
    auto r = backup(dest);
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    int after = written.load();
    SQLite::Database copy(dest, SQLite::OPEN_READONLY);
    CHECK(copy.execAndGet("PRAGMA integrity_check").getString() == "ok");
    int rows = copy.execAndGet("SELECT count(*) FROM checks").getInt();
    CHECK(rows >= before);
    CHECK(rows <= after);
    // A snapshot holds a prefix of the writes: rows 0..rows-1 and nothing else.
    CHECK(copy.execAndGet("SELECT count(*) FROM checks WHERE name = 'check ' || (id - 1)").getInt() == rows);
  }
  stop = true;
  writer.join();

  std::string final_dest = server.dir() / "final.db";
  REQUIRE(backup(final_dest).exit_code == 0);
  SQLite::Database copy(final_dest, SQLite::OPEN_READONLY);
  CHECK(copy.execAndGet("SELECT count(*) FROM checks").getInt() == written.load());
  CHECK(copy.execAndGet("SELECT count(*) FROM projects").getInt() == 1);
  CHECK(server.Client().Get("/api/v3/status")->status == 200);
  CHECK(server.Stop() == 0);
}

TEST_CASE("backup: the copy opens as a dogwatch database and a server starts on it") {
  Server server;
  REQUIRE(RunCommand({"project", "add", "Restored", "--config", "/dev/null", "--data-dir", server.data_dir()})
              .exit_code == 0);
  std::filesystem::create_directories(server.dir() / "restore");
  auto r = RunCommand({"backup", server.dir() / "restore/dogwatch.db", "--config", "/dev/null",
                       "--data-dir", server.data_dir()});
  REQUIRE(r.exit_code == 0);
  // It holds channel secrets: readable by its owner only.
  auto perms = std::filesystem::status(server.dir() / "restore/dogwatch.db").permissions();
  CHECK(perms == (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
  REQUIRE(server.Stop() == 0);
  auto list = RunCommand({"project", "list", "--config", "/dev/null", "--data-dir", server.dir() / "restore"});
  CHECK(list.out.find("Restored") != std::string::npos);
  Server restored({.data_dir = server.dir() / "restore"});
  CHECK(restored.Stop() == 0);
}

TEST_CASE("backup: errors are reported and leave nothing behind") {
  TempDir dir;
  auto none = RunCommand({"backup", dir / "b.db", "--config", "/dev/null", "--data-dir", dir / "empty"});
  CHECK(none.exit_code == 1);
  CHECK(none.err.find("no database here yet") != std::string::npos);
  REQUIRE(RunCommand({"project", "add", "P", "--config", "/dev/null", "--data-dir", dir / "d"}).exit_code == 0);
  auto bad_dest = RunCommand({"backup", dir / "missing/b.db", "--config", "/dev/null", "--data-dir", dir / "d"});
  CHECK(bad_dest.exit_code == 1);
  CHECK(bad_dest.err.find("does not exist") != std::string::npos);
  CHECK(RunCommand({"backup"}).exit_code == 2);
}
