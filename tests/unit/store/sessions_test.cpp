// Accounts in the store: the first user and their project in one step (once), sessions that
// expire and end, memberships, and the instance secret that must never change.
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>

#include "dogwatch/core/ids.h"
#include "dogwatch/store/store.h"

using namespace dogwatch;
namespace fs = std::filesystem;

namespace {

const TimePoint kT0 = FromUnixMicros(1'800'000'000'000'000);

struct Db {
  fs::path dir = fs::temp_directory_path() / ("dogwatch-sessions-" + std::to_string(::getpid()) + "-" + NewUuid().substr(0, 8));
  std::string path = (dir / "dogwatch.db").string();
  std::unique_ptr<Store> store;
  Db() {
    fs::create_directories(dir);
    store = std::move(*Store::Open({.path = path}));
  }
  ~Db() { fs::remove_all(dir); }
};

}  // namespace

TEST_CASE("store: the first user comes with their project, and only while there is no user") {
  Db db;
  auto first = db.store->AddFirstUser("a@example.com", "hash-a", "Backups", kT0);
  REQUIRE(first);
  CHECK(first->second.owner_id == first->first.id);
  auto m = db.store->ListMemberships(first->first.id);
  REQUIRE(m.size() == 1);
  CHECK(m[0].project.name == "Backups");
  CHECK(m[0].role == 'm');
  auto second = db.store->AddFirstUser("b@example.com", "hash-b", "Other", kT0);
  REQUIRE_FALSE(second);
  CHECK(second.error().code == Errc::kAlreadyExists);
  CHECK(db.store->CountUsers() == 1);
  CHECK_FALSE(db.store->FindProjectByName("Other"));  // nothing half-made
  CHECK(db.store->FindMembership(first->first.id, m[0].project.uuid));
  CHECK_FALSE(db.store->FindMembership(first->first.id, NewUuid()));
}

TEST_CASE("store: sessions are found by token hash until they expire or end") {
  Db db;
  auto user = db.store->AddUser("a@example.com", "hash", kT0);
  REQUIRE(user);
  REQUIRE(db.store->AddSession(user->id, "h1", "csrf1", kT0, kT0 + std::chrono::hours(1)));
  REQUIRE(db.store->AddSession(user->id, "h2", "csrf2", kT0, kT0 + std::chrono::hours(2)));
  auto s = db.store->FindSession("h1", kT0 + std::chrono::minutes(59));
  REQUIRE(s);
  CHECK(s->email == "a@example.com");
  CHECK(s->csrf_token == "csrf1");
  CHECK_FALSE(db.store->FindSession("h1", kT0 + std::chrono::hours(1)));  // expired
  CHECK_FALSE(db.store->FindSession("nope", kT0));
  REQUIRE(db.store->DeleteOtherSessions(user->id, "h2"));
  CHECK_FALSE(db.store->FindSession("h1", kT0));
  CHECK(db.store->FindSession("h2", kT0));
  REQUIRE(db.store->DeleteSession("h2"));
  CHECK_FALSE(db.store->FindSession("h2", kT0));
}

TEST_CASE("store: the instance secret is made once and kept across reopening") {
  Db db;
  auto a = db.store->InstanceSecret();
  REQUIRE(a);
  CHECK(a->size() >= 40);
  CHECK(*db.store->InstanceSecret() == *a);
  db.store.reset();
  db.store = std::move(*Store::Open({.path = db.path}));
  CHECK(*db.store->InstanceSecret() == *a);
}
