#include <doctest/doctest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "dogwatch/core/clock.h"
#include "dogwatch/store/store.h"

using namespace dogwatch;
namespace fs = std::filesystem;

namespace {

struct TempDb {
  fs::path dir;
  std::string path;
  TempDb() {
    dir = fs::temp_directory_path() / ("dogwatch-store-" + std::to_string(::getpid()) + "-" +
                                       std::to_string(counter++));
    fs::remove_all(dir);
    fs::create_directories(dir);
    path = (dir / "dogwatch.db").string();
  }
  ~TempDb() { fs::remove_all(dir); }
  static inline int counter = 0;
};

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TimePoint Now() { return SystemClock().Now(); }

}  // namespace

TEST_CASE("store: a fresh database is created at the latest schema version") {
  TempDb t;
  auto s = Store::Open({.path = t.path});
  REQUIRE_MESSAGE(s.has_value(), (s ? "" : s.error().message));
  CHECK((*s)->SchemaVersion() == LatestSchemaVersion());
  SQLite::Database raw(t.path);
  CHECK(raw.execAndGet("PRAGMA journal_mode").getString() == "wal");
  for (const char* table : {"users", "sessions", "projects", "api_keys", "checks", "pings", "flips",
                            "channels", "check_channels", "notifications"}) {
    CAPTURE(table);
    CHECK(raw.tableExists(table));
  }
}

TEST_CASE("store: reopening keeps the data and does not migrate again") {
  TempDb t;
  {
    auto s = Store::Open({.path = t.path});
    REQUIRE(s.has_value());
    REQUIRE((*s)->AddUser("a@example.com", "hash", Now()).has_value());
  }
  auto s = Store::Open({.path = t.path});
  REQUIRE(s.has_value());
  CHECK((*s)->CountUsers() == 1);
  CHECK((*s)->SchemaVersion() == LatestSchemaVersion());
}

TEST_CASE("store: a database from a newer dogwatch is refused and left untouched") {
  TempDb t;
  { REQUIRE(Store::Open({.path = t.path}).has_value()); }
  {
    SQLite::Database raw(t.path, SQLite::OPEN_READWRITE);
    raw.exec("PRAGMA user_version = 99");
  }
  auto before = Slurp(t.path);
  auto s = Store::Open({.path = t.path});
  REQUIRE_FALSE(s.has_value());
  CHECK(s.error().message.find("newer dogwatch (schema version 99") != std::string::npos);
  CHECK(Slurp(t.path) == before);
}

TEST_CASE("store: a garbage file is refused and left byte for byte as it was") {
  TempDb t;
  std::string garbage(4096, '\x5a');
  std::ofstream(t.path, std::ios::binary) << garbage;
  auto s = Store::Open({.path = t.path});
  REQUIRE_FALSE(s.has_value());
  CHECK(s.error().message.find("not a SQLite database") != std::string::npos);
  CHECK(Slurp(t.path) == garbage);
  CHECK_FALSE(fs::exists(t.path + "-wal"));
}

TEST_CASE("store: a corrupt SQLite file is refused and left untouched") {
  TempDb t;
  {
    SQLite::Database raw(t.path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    raw.exec("CREATE TABLE x (a); INSERT INTO x VALUES (1)");
  }
  auto bytes = Slurp(t.path);
  // Keep the magic header, scribble over the rest of page 1 (the schema).
  for (size_t i = 100; i < bytes.size(); ++i) bytes[i] = '\xff';
  std::ofstream(t.path, std::ios::binary | std::ios::trunc) << bytes;
  auto s = Store::Open({.path = t.path});
  REQUIRE_FALSE(s.has_value());
  CHECK(s.error().message.find("refusing to touch it") != std::string::npos);
  CHECK(Slurp(t.path) == bytes);
}

TEST_CASE("store: another application's SQLite database is refused") {
  TempDb t;
  {
    SQLite::Database raw(t.path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    raw.exec("CREATE TABLE notes (body TEXT)");
  }
  auto before = Slurp(t.path);
  auto s = Store::Open({.path = t.path});
  REQUIRE_FALSE(s.has_value());
  CHECK(s.error().message.find("not a dogwatch database") != std::string::npos);
  CHECK(Slurp(t.path) == before);
}

TEST_CASE("store: an empty file becomes a database") {
  TempDb t;
  std::ofstream(t.path).close();
  auto s = Store::Open({.path = t.path});
  REQUIRE(s.has_value());
  CHECK((*s)->SchemaVersion() == LatestSchemaVersion());
}

TEST_CASE("store: read-only mode needs an existing file and writes nothing") {
  TempDb t;
  auto missing = Store::Open({.path = t.path, .mode = OpenMode::kReadOnly});
  REQUIRE_FALSE(missing.has_value());
  CHECK_FALSE(fs::exists(t.path));
  { REQUIRE(Store::Open({.path = t.path}).has_value()); }
  auto s = Store::Open({.path = t.path, .mode = OpenMode::kReadOnly});
  REQUIRE(s.has_value());
  CHECK_FALSE((*s)->AddUser("x@example.com", "h", Now()).has_value());
}

TEST_CASE("store: a data directory that is a file is reported") {
  TempDb t;
  std::ofstream((t.dir / "file").string()) << "x";
  auto s = Store::Open({.path = (t.dir / "file" / "dogwatch.db").string()});
  REQUIRE_FALSE(s.has_value());
  CHECK(s.error().message.find("cannot create it") != std::string::npos);
}

TEST_CASE("store: users are unique by email, case-insensitively") {
  TempDb t;
  auto s = std::move(*Store::Open({.path = t.path}));
  REQUIRE(s->AddUser("Admin@Example.com", "h1", Now()).has_value());
  auto dup = s->AddUser("admin@example.com", "h2", Now());
  REQUIRE_FALSE(dup.has_value());
  CHECK(dup.error().code == Errc::kAlreadyExists);
  CHECK(s->FindUser("ADMIN@example.com").has_value());
  CHECK(s->SetPasswordHash("admin@example.com", "h3").has_value());
  CHECK(s->SetPasswordHash("nobody@example.com", "h3").error().code == Errc::kNotFound);
  CHECK(s->ListUsers().size() == 1);
}

TEST_CASE("store: projects get unique keys and an owner membership") {
  TempDb t;
  auto s = std::move(*Store::Open({.path = t.path}));
  auto user = s->AddUser("a@example.com", "h", Now());
  auto p = s->AddProject("Backups", user->id, Now());
  REQUIRE(p.has_value());
  CHECK(p->ping_key.size() == 22);
  CHECK(p->uuid.size() == 36);
  CHECK(s->AddProject("Backups", std::nullopt, Now()).error().code == Errc::kAlreadyExists);
  auto q = s->AddProject("Web", std::nullopt, Now());
  CHECK(q->ping_key != p->ping_key);
  auto list = s->ListProjects();
  REQUIRE(list.size() == 2);
  CHECK(list[0].project.name == "Backups");
  CHECK(list[0].owner_email == "a@example.com");
  CHECK(s->FindProjectByName("Web")->id == q->id);
}

TEST_CASE("store: API keys are stored hashed, found by value and revoked") {
  TempDb t;
  auto s = std::move(*Store::Open({.path = t.path}));
  auto p = s->AddProject("P", std::nullopt, Now());
  auto rw = s->CreateApiKey(p->id, false, "", Now());
  auto ro = s->CreateApiKey(p->id, true, "grafana", Now());
  REQUIRE(rw.has_value());
  CHECK(rw->size() == 32);
  CHECK(rw->rfind("hcw_", 0) == 0);
  CHECK(ro->rfind("hcr_", 0) == 0);
  {
    SQLite::Database raw(t.path);
    SQLite::Statement q(raw, "SELECT count(*) FROM api_keys WHERE key_hash = ? OR prefix = ?");
    q.bind(1, *rw);
    q.bind(2, *rw);
    q.executeStep();
    CHECK(q.getColumn(0).getInt() == 0);  // the clear key is nowhere in the table
  }
  auto grant = s->FindApiKey(*rw);
  REQUIRE(grant.has_value());
  CHECK(grant->project_id == p->id);
  CHECK_FALSE(grant->read_only);
  CHECK(s->FindApiKey(*ro)->read_only);
  CHECK_FALSE(s->FindApiKey("hcw_" + std::string(28, 'x')).has_value());
  CHECK(s->RevokeApiKey(*rw).has_value());
  CHECK_FALSE(s->FindApiKey(*rw).has_value());
  auto keys = s->ListApiKeys();
  REQUIRE(keys.size() == 1);
  CHECK(keys[0].key.name == "grafana");
  CHECK(s->RevokeApiKey(std::to_string(keys[0].key.id)).has_value());
  CHECK(s->RevokeApiKey("12345").error().code == Errc::kNotFound);
}

TEST_CASE("store: Backup writes a complete copy and replaces an old one atomically") {
  TempDb t;
  auto s = std::move(*Store::Open({.path = t.path}));
  for (int i = 0; i < 50; ++i)
    REQUIRE(s->AddUser("u" + std::to_string(i) + "@example.com", "h", Now()).has_value());
  auto dest = (t.dir / "backup.db").string();
  std::ofstream(dest) << "old";
  REQUIRE(s->Backup(dest).has_value());
  SQLite::Database copy(dest, SQLite::OPEN_READONLY);
  CHECK(copy.execAndGet("SELECT count(*) FROM users").getInt() == 50);
  CHECK(copy.execAndGet("PRAGMA integrity_check").getString() == "ok");
  CHECK(copy.execAndGet("PRAGMA user_version").getInt() == LatestSchemaVersion());
  CHECK_FALSE(s->Backup((t.dir / "no-such-dir" / "b.db").string()).has_value());
  CHECK_FALSE(s->Backup(t.dir.string()).has_value());
  int leftovers = 0;
  for (const auto& e : fs::directory_iterator(t.dir))
    if (e.path().filename().string().find(".tmp-") != std::string::npos) ++leftovers;
  CHECK(leftovers == 0);
}

TEST_CASE("store: a version-1 database is migrated forward in place, keeping its rows") {
  TempDb t;
  {
    // Build a v1 file by hand from a current one: undo v4, v3 and v2, keep a user row.
    auto s = Store::Open({.path = t.path});
    REQUIRE(s.has_value());
    REQUIRE((*s)->AddUser("old@example.com", "h", Now()).has_value());
  }
  {
    SQLite::Database raw(t.path, SQLite::OPEN_READWRITE);
    raw.exec("DROP TABLE settings");
    raw.exec("DROP TABLE notification_attempts");
    raw.exec("DROP INDEX notifications_channel");
    raw.exec("ALTER TABLE notifications DROP COLUMN claimed");
    raw.exec("CREATE INDEX checks_alert_after ON checks(alert_after) WHERE status <> 'down'");
    raw.exec("PRAGMA user_version = 1");
  }
  auto s = Store::Open({.path = t.path});
  REQUIRE(s.has_value());
  CHECK((*s)->SchemaVersion() == LatestSchemaVersion());
  CHECK((*s)->FindUser("old@example.com").has_value());
  SQLite::Database raw(t.path, SQLite::OPEN_READONLY);
  CHECK(raw.execAndGet("SELECT count(*) FROM sqlite_master WHERE name = 'checks_alert_after'").getInt() == 0);
  CHECK(raw.execAndGet("SELECT count(*) FROM sqlite_master WHERE name = 'notification_attempts'").getInt() == 1);
  CHECK(raw.execAndGet("SELECT count(*) FROM sqlite_master WHERE name = 'settings'").getInt() == 1);
}
