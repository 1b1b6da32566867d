// SubmitPing's callback form (monitor.h): the answer comes on the monitor thread, after the
// batch holding the ping is committed; refusals come at once.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <future>
#include <thread>

#include "dogwatch/core/clock.h"
#include "dogwatch/core/ids.h"
#include "dogwatch/monitor/monitor.h"

using namespace dogwatch;
namespace fs = std::filesystem;

namespace {

struct Fixture {
  fs::path dir = fs::temp_directory_path() /
                 ("dogwatch-monitor-" + std::to_string(::getpid()) + "-" + NewUuid().substr(0, 8));
  std::string path = (dir / "dogwatch.db").string();
  std::string uuid = NewUuid();
  SystemClock clock;
  std::unique_ptr<Monitor> monitor;

  Fixture() {
    fs::create_directories(dir);
    auto store = std::move(*Store::Open({.path = path}));
    Check c;
    c.uuid = uuid;
    c.badge_key = NewUuid();
    c.project_id = store->AddProject("P", std::nullopt, clock.Now())->id;
    c.name = "job";
    c.created = clock.Now();
    REQUIRE(store->InsertCheck(c));
    monitor =
        std::make_unique<Monitor>(std::move(store), clock, MonitorOptions{}, ScheduleCompiler{});
    REQUIRE(monitor->Start());
  }
  ~Fixture() {
    monitor.reset();
    fs::remove_all(dir);
  }

  PingEvent Ping() const {
    PingEvent e;
    e.uuid = uuid;
    e.method = "GET";
    return e;
  }

  // n_pings as another connection sees it: what is committed.
  int64_t CommittedPings() {
    auto reader = std::move(*Store::Open({.path = path, .mode = OpenMode::kReadOnly}));
    return reader->FindCheck(uuid)->n_pings;
  }
};

}  // namespace

TEST_CASE("monitor: SubmitPing's callback runs on the monitor thread once the ping is on disk") {
  Fixture f;
  std::promise<void> called;
  std::thread::id callback_thread;
  int64_t committed_at_callback = -1;
  Result<PingAck> result = Fail(Errc::kInternal, "not called");
  f.monitor->SubmitPing(f.Ping(), [&](Result<PingAck> r) {
    callback_thread = std::this_thread::get_id();
    committed_at_callback = f.CommittedPings();
    result = std::move(r);
    called.set_value();
  });
  REQUIRE(called.get_future().wait_for(std::chrono::seconds(5)) == std::future_status::ready);
  CHECK(result.has_value());
  CHECK(callback_thread != std::this_thread::get_id());
  CHECK(committed_at_callback == 1);
}

TEST_CASE("monitor: an unknown check is answered through the callback with kNotFound") {
  Fixture f;
  PingEvent e = f.Ping();
  e.uuid = NewUuid();
  auto ack = AwaitFor(f.monitor->SubmitPing(std::move(e)), std::chrono::seconds(5));
  REQUIRE(!ack.has_value());
  CHECK(ack.error().code == Errc::kNotFound);
}

TEST_CASE("monitor: once stopped, SubmitPing answers kUnavailable at once, on the caller") {
  Fixture f;
  f.monitor->Stop();
  bool called = false;
  f.monitor->SubmitPing(f.Ping(), [&](Result<PingAck> r) {
    called = true;
    REQUIRE(!r.has_value());
    CHECK(r.error().code == Errc::kUnavailable);
  });
  CHECK(called);
  // The future form is built on it.
  auto ack = AwaitFor(f.monitor->SubmitPing(f.Ping()), std::chrono::seconds(1));
  REQUIRE(!ack.has_value());
  CHECK(ack.error().code == Errc::kUnavailable);
}
