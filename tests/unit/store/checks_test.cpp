#include <doctest/doctest.h>

#include <SQLiteCpp/SQLiteCpp.h>
#include <unistd.h>

#include <filesystem>

#include "dogwatch/core/clock.h"
#include "dogwatch/core/ids.h"
#include "dogwatch/store/store.h"

using namespace dogwatch;
namespace fs = std::filesystem;

namespace {

struct Db {
  fs::path dir = fs::temp_directory_path() / ("dogwatch-checks-" + std::to_string(::getpid()) + "-" + NewUuid().substr(0, 8));
  std::string path = (dir / "dogwatch.db").string();
  std::unique_ptr<Store> store;
  int64_t project = 0;
  Db() {
    fs::create_directories(dir);
    store = std::move(*Store::Open({.path = path}));
    project = store->AddProject("P", std::nullopt, SystemClock().Now())->id;
  }
  ~Db() { fs::remove_all(dir); }
  Check NewCheck(std::string name) {
    Check c;
    c.uuid = NewUuid();
    c.badge_key = NewUuid();
    c.project_id = project;
    c.name = std::move(name);
    c.created = SystemClock().Now();
    return c;
  }
};

}  // namespace

TEST_CASE("store: a check round-trips every column") {
  Db db;
  Check c = db.NewCheck("backup");
  c.slug = "backup";
  c.tags = "prod db";
  c.desc = "nightly";
  c.kind = ScheduleKind::kCron;
  c.schedule = "30 3 * * *";
  c.tz = "Europe/Riga";
  c.timeout = std::chrono::seconds(120);
  c.grace = std::chrono::seconds(600);
  c.filter_http_body = true;
  c.failure_kw = "ERROR";
  c.methods = "POST";
  c.manual_resume = true;
  c.n_pings = 7;
  c.last_ping = FromUnixMicros(1'700'000'000'123'456);
  c.last_start = FromUnixMicros(1'700'000'000'000'000);
  c.last_start_rid = "aaaaaaaa-1111-4222-8333-444455556666";
  c.last_duration = Micros(1500);
  c.alert_after = FromUnixMicros(1'700'000'600'000'000);
  c.status = CheckStatus::kUp;
  c.source = Source::kConfig;
  auto id = db.store->InsertCheck(c);
  REQUIRE(id.has_value());
  auto back = db.store->FindCheck(c.uuid);
  REQUIRE(back.has_value());
  CHECK(back->id == *id);
  CHECK(back->tags == "prod db");
  CHECK(back->kind == ScheduleKind::kCron);
  CHECK(back->tz == "Europe/Riga");
  CHECK(back->grace == std::chrono::seconds(600));
  CHECK(back->methods == "POST");
  CHECK(back->manual_resume);
  CHECK(back->last_ping == c.last_ping);
  CHECK(back->last_start_rid == c.last_start_rid);
  CHECK(back->last_duration == Micros(1500));
  CHECK(back->alert_after == c.alert_after);
  CHECK(back->status == CheckStatus::kUp);
  CHECK(back->source == Source::kConfig);

  back->status = CheckStatus::kDown;
  back->alert_after.reset();
  REQUIRE(db.store->UpdateCheck(*back).has_value());
  auto again = db.store->FindCheckById(*id);
  CHECK(again->status == CheckStatus::kDown);
  CHECK_FALSE(again->alert_after.has_value());
  CHECK(db.store->ListChecks(db.project).size() == 1);
  CHECK(db.store->LoadChecks().size() == 1);
}

TEST_CASE("store: deleting a check deletes its pings and flips") {
  Db db;
  Check c = db.NewCheck("x");
  c.id = *db.store->InsertCheck(c);
  Ping p;
  p.check_id = c.id;
  p.n = 1;
  p.created = SystemClock().Now();
  p.body = std::string("a\0b", 3);
  REQUIRE(db.store->InsertPing(p).has_value());
  Flip f{0, c.id, SystemClock().Now(), CheckStatus::kNew, CheckStatus::kUp, "", std::nullopt};
  REQUIRE(db.store->InsertFlip(f).has_value());
  CHECK(db.store->FindPing(c.id, 1)->body == std::string("a\0b", 3));
  REQUIRE(db.store->DeleteCheck(c.id).has_value());
  CHECK_FALSE(db.store->FindPing(c.id, 1).has_value());
  CHECK(db.store->ListFlips(c.id, std::nullopt, std::nullopt).empty());
  CHECK(db.store->DeleteCheck(c.id).error().code == Errc::kNotFound);
}

TEST_CASE("store: pings list newest first above a floor; prune removes old ones") {
  Db db;
  Check c = db.NewCheck("x");
  c.id = *db.store->InsertCheck(c);
  for (int n = 1; n <= 10; ++n) {
    Ping p;
    p.check_id = c.id;
    p.n = n;
    p.created = FromUnixMicros(n);
    p.kind = n % 2 ? PingKind::kStart : PingKind::kSuccess;
    p.exit_status = n == 4 ? std::optional<int>(0) : std::nullopt;
    REQUIRE(db.store->InsertPing(p).has_value());
  }
  auto list = db.store->ListPings(c.id, 6, 100);
  REQUIRE(list.size() == 4);
  CHECK(list[0].n == 10);
  CHECK(list[3].n == 7);
  CHECK(db.store->ListPings(c.id, 0, 3).size() == 3);
  CHECK(db.store->FindPing(c.id, 4)->exit_status == 0);
  REQUIRE(db.store->PrunePings(c.id, 5).has_value());
  CHECK(db.store->ListPings(c.id, 0, 100).size() == 5);
}

TEST_CASE("store: flips filter by start (inclusive) and end (exclusive)") {
  Db db;
  Check c = db.NewCheck("x");
  c.id = *db.store->InsertCheck(c);
  for (int i = 1; i <= 5; ++i)
    (void)db.store->InsertFlip({0, c.id, FromUnixMicros(i * 1'000'000), CheckStatus::kUp, CheckStatus::kDown, "timeout", std::nullopt});
  auto all = db.store->ListFlips(c.id, std::nullopt, std::nullopt);
  REQUIRE(all.size() == 5);
  CHECK(all[0].created == FromUnixMicros(5'000'000));
  auto some = db.store->ListFlips(c.id, FromUnixMicros(2'000'000), FromUnixMicros(4'000'000));
  REQUIRE(some.size() == 2);
  CHECK(some[0].created == FromUnixMicros(3'000'000));
  CHECK(some[1].created == FromUnixMicros(2'000'000));
}

TEST_CASE("store: a flip queues one notification per enabled channel of the check") {
  Db db;
  Check c = db.NewCheck("x");
  c.id = *db.store->InsertCheck(c);
  {
    SQLite::Database raw(db.path, SQLite::OPEN_READWRITE);
    raw.exec("INSERT INTO channels (uuid, project_id, name, kind, created, disabled) VALUES "
             "('c1', 1, 'a', 'webhook', 0, 0), ('c2', 1, 'b', 'email', 0, 0), ('c3', 1, 'c', 'slack', 0, 1)");
  }
  REQUIRE(db.store->SetCheckChannels(c.id, {1, 2, 3}).has_value());
  CHECK(db.store->CheckChannelUuids(c.id) == std::vector<std::string>{"c1", "c2", "c3"});
  auto flip = db.store->InsertFlip({0, c.id, SystemClock().Now(), CheckStatus::kUp, CheckStatus::kDown, "timeout", std::nullopt});
  auto queued = db.store->QueueNotifications(*flip, c.id, CheckStatus::kDown, SystemClock().Now());
  CHECK(*queued == 2);  // the disabled one is skipped
  SQLite::Database raw(db.path);
  CHECK(raw.execAndGet("SELECT count(*) FROM notifications WHERE state = 'pending'").getInt() == 2);
  REQUIRE(db.store->SetCheckChannels(c.id, {}).has_value());
  CHECK(db.store->CheckChannelUuids(c.id).empty());
}

TEST_CASE("store: a reader sees writes made after its last query (no stale snapshot)") {
  Db db;
  auto reader = std::move(*Store::Open({.path = db.path, .mode = OpenMode::kReadOnly}));
  Check c = db.NewCheck("x");
  c.id = *db.store->InsertCheck(c);
  REQUIRE(reader->FindCheck(c.uuid).has_value());  // leaves its cached statement behind
  c.n_pings = 42;
  REQUIRE(db.store->UpdateCheck(c).has_value());
  // A different statement first: an unreset FindCheck would still pin the old snapshot.
  CHECK(reader->ListChecks(db.project)[0].n_pings == 42);
  CHECK(reader->FindCheck(c.uuid)->n_pings == 42);
}

TEST_CASE("store: projects are found by ping key") {
  Db db;
  auto p = db.store->FindProject(db.project);
  REQUIRE(p.has_value());
  CHECK(db.store->FindProjectByPingKey(p->ping_key)->id == db.project);
  CHECK_FALSE(db.store->FindProjectByPingKey("nope").has_value());
}

TEST_CASE("store: explicit transactions commit and roll back") {
  Db db;
  db.store->Begin();
  Check c = db.NewCheck("rolled back");
  REQUIRE(db.store->InsertCheck(c).has_value());
  db.store->Rollback();
  CHECK(db.store->LoadChecks().empty());
  db.store->Begin();
  REQUIRE(db.store->InsertCheck(db.NewCheck("kept")).has_value());
  db.store->Commit();
  CHECK(db.store->LoadChecks().size() == 1);
}
