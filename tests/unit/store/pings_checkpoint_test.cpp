// The writer's WAL checkpoints on a background thread (dogwatch/store/checkpoint.h): the WAL stays
// bounded under a stream of commits, commits never fail because of it, and it stops cleanly.
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>

#include "dogwatch/core/clock.h"
#include "dogwatch/core/ids.h"
#include "dogwatch/store/checkpoint.h"
#include "dogwatch/store/store.h"

using namespace dogwatch;
namespace fs = std::filesystem;

namespace {

struct Db {
  fs::path dir = fs::temp_directory_path() /
                 ("dogwatch-ckpt-" + std::to_string(::getpid()) + "-" + NewUuid().substr(0, 8));
  std::string path = (dir / "dogwatch.db").string();
  Db() { fs::create_directories(dir); }
  ~Db() { fs::remove_all(dir); }
  uintmax_t WalBytes() const {
    std::error_code ec;
    auto size = fs::file_size(path + "-wal", ec);
    return ec ? 0 : size;
  }
};

int64_t AddCheck(Store& store) {
  auto project = store.AddProject("P", std::nullopt, SystemClock().Now());
  REQUIRE(project.has_value());
  Check c;
  c.uuid = NewUuid();
  c.badge_key = NewUuid();
  c.project_id = project->id;
  c.name = "x";
  c.created = SystemClock().Now();
  auto id = store.InsertCheck(c);
  REQUIRE(id.has_value());
  return *id;
}

// One transaction per ping, as a monitor batch of one: every commit appends frames to the WAL.
void PingInBatches(Store& store, int64_t check_id, int64_t from, int64_t to) {
  for (int64_t n = from; n <= to; ++n) {
    Ping p;
    p.check_id = check_id;
    p.n = n;
    p.created = FromUnixMicros(n);
    p.kind = PingKind::kSuccess;
    p.body = std::string(600, 'b');  // about one page in 6 of new rows, besides the index
    store.Begin();
    REQUIRE(store.InsertPing(p).has_value());
    store.Commit();
  }
}

}  // namespace

TEST_CASE("store: with background checkpoints the WAL is reset under a steady stream of commits") {
  Db db;
  int64_t check_id = 0;
  constexpr int kCommits = 3000;  // at least 2 frames each: 6,000+ frames if never reset
  {
    auto store = std::move(*Store::Open({.path = db.path}));
    check_id = AddCheck(*store);
    REQUIRE(StartBackgroundCheckpoints(*store, {.background_pages = 16, .writer_pages = 64})
                .has_value());
    PingInBatches(*store, check_id, 1, kCommits);
    // Bounded by writer_pages plus what was committed while a background pass held the
    // checkpoint lock (the writer's checkpoint waits for none): well below the frames written.
    auto page = 4096 + 24;
    CHECK(db.WalBytes() < uintmax_t(kCommits) * page);
    CHECK(store->ListPings(check_id, 0, kCommits).size() == size_t(kCommits));
  }  // the checkpointer stops and joins with the store
  auto store = std::move(*Store::Open({.path = db.path, .mode = OpenMode::kReadOnly}));
  CHECK(store->ListPings(check_id, 0, kCommits).size() == size_t(kCommits));
  CHECK(store->FindPing(check_id, kCommits)->body == std::string(600, 'b'));
}

TEST_CASE("store: starting background checkpoints twice is harmless; the writer keeps writing") {
  Db db;
  auto store = std::move(*Store::Open({.path = db.path}));
  int64_t check_id = AddCheck(*store);
  REQUIRE(StartBackgroundCheckpoints(*store).has_value());
  REQUIRE(StartBackgroundCheckpoints(*store).has_value());
  PingInBatches(*store, check_id, 1, 50);
  auto reader = std::move(*Store::Open({.path = db.path, .mode = OpenMode::kReadOnly}));
  CHECK(reader->ListPings(check_id, 0, 100).size() == 50);
}
