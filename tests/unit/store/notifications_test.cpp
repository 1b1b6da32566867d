// The notification outbox: claims are exclusive, skip busy channels, survive a crash, and every
// attempt is kept.
#include <doctest/doctest.h>

#include <SQLiteCpp/SQLiteCpp.h>
#include <unistd.h>

#include <filesystem>

#include "dogwatch/core/ids.h"
#include "dogwatch/store/store.h"

using namespace dogwatch;
namespace fs = std::filesystem;

namespace {

const TimePoint kT0 = FromUnixMicros(1'800'000'000'000'000);

struct Outbox {
  fs::path dir = fs::temp_directory_path() / ("dogwatch-outbox-" + std::to_string(::getpid()) + "-" + NewUuid().substr(0, 8));
  std::string path = (dir / "dogwatch.db").string();
  std::unique_ptr<Store> store;
  int64_t project = 0, check = 0, flip = 0;
  Outbox() {
    fs::create_directories(dir);
    store = std::move(*Store::Open({.path = path}));
    project = store->AddProject("P", std::nullopt, kT0)->id;
    Check c;
    c.uuid = NewUuid();
    c.badge_key = NewUuid();
    c.project_id = project;
    c.name = "backup";
    c.created = kT0;
    check = *store->InsertCheck(c);
  }
  ~Outbox() { fs::remove_all(dir); }
  int64_t AddChannel(const std::string& name) {
    Channel ch;
    ch.project_id = project;
    ch.name = name;
    ch.kind = "webhook";
    ch.created = kT0;
    return store->InsertChannel(ch)->id;
  }
  // A flip to down with one notification per attached channel, as the monitor writes it.
  int FlipDown(const std::vector<int64_t>& channels) {
    REQUIRE(store->SetCheckChannels(check, channels).has_value());
    dogwatch::Flip f;
    f.check_id = check;
    f.created = kT0;
    f.old_status = CheckStatus::kUp;
    f.new_status = CheckStatus::kDown;
    f.reason = "timeout";
    flip = *store->InsertFlip(f);
    return *store->QueueNotifications(flip, check, CheckStatus::kDown, kT0);
  }
};

TEST_CASE("outbox: a claim is exclusive and counts the attempt") {
  Outbox o;
  int64_t a = o.AddChannel("a");
  REQUIRE(o.FlipDown({a}) == 1);
  auto n = o.store->ClaimNotification(kT0, {});
  REQUIRE(n);
  CHECK(n->channel_id == a);
  CHECK(n->attempts == 1);
  CHECK(n->check_status == CheckStatus::kDown);
  CHECK(n->flip_id == o.flip);
  // A second connection (another claimer) finds nothing while it is claimed.
  auto other = std::move(*Store::Open({.path = o.path}));
  CHECK_FALSE(other->ClaimNotification(kT0, {}));
  CHECK_FALSE(o.store->NextNotificationDue());
}

TEST_CASE("outbox: channels with a send in flight are skipped") {
  Outbox o;
  int64_t a = o.AddChannel("a"), b = o.AddChannel("b");
  REQUIRE(o.FlipDown({a, b}) == 2);
  REQUIRE(o.FlipDown({a, b}) == 2);
  auto first = o.store->ClaimNotification(kT0, {});
  REQUIRE(first);
  auto second = o.store->ClaimNotification(kT0, {first->channel_id});
  REQUIRE(second);
  CHECK(second->channel_id != first->channel_id);
  CHECK_FALSE(o.store->ClaimNotification(kT0, {a, b}));
}

TEST_CASE("outbox: a retry waits for its time; every attempt is kept") {
  Outbox o;
  int64_t a = o.AddChannel("a");
  o.FlipDown({a});
  auto n = o.store->ClaimNotification(kT0, {});
  REQUIRE(n);
  TimePoint retry_at = kT0 + std::chrono::seconds(30);
  REQUIRE(o.store->FinishNotification(n->id, NotificationState::kPending, retry_at, kT0,
                                      Micros(1500), "HTTP 503").has_value());
  CHECK_FALSE(o.store->ClaimNotification(kT0 + std::chrono::seconds(29), {}));
  CHECK(o.store->NextNotificationDue() == retry_at);
  auto again = o.store->ClaimNotification(retry_at, {});
  REQUIRE(again);
  CHECK(again->attempts == 2);
  CHECK(again->error == "HTTP 503");
  REQUIRE(o.store->FinishNotification(again->id, NotificationState::kDelivered, std::nullopt,
                                      retry_at, Micros(900), "").has_value());
  CHECK_FALSE(o.store->NextNotificationDue());
  auto listed = o.store->ListNotifications(a, 10);
  REQUIRE(listed.size() == 1);
  CHECK(listed[0].state == NotificationState::kDelivered);
  SQLite::Database raw(o.path, SQLite::OPEN_READONLY);
  CHECK(raw.execAndGet("SELECT group_concat(outcome || ':' || error, ',') FROM notification_attempts")
            .getString() == "retry:HTTP 503,delivered:");
}

TEST_CASE("outbox: claims left by a dead process are released, due at once") {
  Outbox o;
  int64_t a = o.AddChannel("a");
  o.FlipDown({a});
  REQUIRE(o.store->ClaimNotification(kT0, {}));
  o.store.reset();  // the process dies mid-send
  auto restarted = std::move(*Store::Open({.path = o.path}));
  TimePoint later = kT0 + std::chrono::minutes(5);
  CHECK(*restarted->ReleaseStaleClaims(later) == 1);
  auto n = restarted->ClaimNotification(later, {});
  REQUIRE(n);
  CHECK(n->attempts == 2);
}

TEST_CASE("outbox: deleting a channel drops its notifications and detaches it") {
  Outbox o;
  int64_t a = o.AddChannel("a");
  o.FlipDown({a});
  REQUIRE(o.store->DeleteChannel(a).has_value());
  CHECK_FALSE(o.store->ClaimNotification(kT0, {}));
  CHECK(o.store->CheckChannelUuids(o.check).empty());
  CHECK(o.store->DeleteChannel(a).error().code == Errc::kNotFound);
}

TEST_CASE("alert facts: the last ping at the flip and the flip that began a downtime") {
  Outbox o;
  for (int i = 1; i <= 3; ++i) {
    Ping p;
    p.check_id = o.check;
    p.n = i;
    p.created = kT0 + std::chrono::seconds(10 * i);
    p.body = "run " + std::to_string(i);
    REQUIRE(o.store->InsertPing(p).has_value());
  }
  auto last = o.store->LastPingAt(o.check, kT0 + std::chrono::seconds(25));
  REQUIRE(last);
  CHECK(last->n == 2);
  CHECK(last->body == "run 2");
  CHECK_FALSE(o.store->LastPingAt(o.check, kT0));
  o.FlipDown({});
  auto down = o.store->LastFlipTo(o.check, CheckStatus::kDown, kT0 + std::chrono::hours(1));
  REQUIRE(down);
  CHECK(down->id == o.flip);
  CHECK_FALSE(o.store->LastFlipTo(o.check, CheckStatus::kUp, kT0 + std::chrono::hours(1)));
  CHECK(o.store->FindFlip(o.flip)->reason == "timeout");
}

}  // namespace
