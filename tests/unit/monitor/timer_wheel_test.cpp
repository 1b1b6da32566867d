#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <random>

#include "dogwatch/monitor/timer_wheel.h"

using namespace dogwatch;

namespace {

constexpr int64_t kT0 = 1735689600;  // 2025-01-01T00:00:00Z

std::vector<TimerWheel::Handle> AdvanceTo(TimerWheel& w, int64_t t) {
  std::vector<TimerWheel::Handle> due;
  w.Advance(t, due);
  return due;
}

}  // namespace

TEST_CASE("timer wheel: entries come out at their deadline, in deadline order") {
  TimerWheel w(kT0);
  w.Schedule(1, kT0 + 10);
  w.Schedule(2, kT0 + 5);
  w.Schedule(3, kT0 + 100000);
  w.Schedule(4, kT0 + 5);
  CHECK(w.size() == 4);
  CHECK(AdvanceTo(w, kT0 + 4).empty());
  auto due = AdvanceTo(w, kT0 + 10);
  REQUIRE(due.size() == 3);
  CHECK(((due[0] == 2 && due[1] == 4) || (due[0] == 4 && due[1] == 2)));
  CHECK(due[2] == 1);
  CHECK(AdvanceTo(w, kT0 + 99999).empty());
  CHECK(AdvanceTo(w, kT0 + 100000) == std::vector<TimerWheel::Handle>{3});
  CHECK(w.size() == 0);
  CHECK_FALSE(w.NextDue().has_value());
}

TEST_CASE("timer wheel: rescheduling replaces the old deadline and cancel removes it") {
  TimerWheel w(kT0);
  w.Schedule(7, kT0 + 60);
  w.Schedule(7, kT0 + 3600);
  CHECK(w.size() == 1);
  CHECK(w.DeadlineOf(7) == kT0 + 3600);
  CHECK(AdvanceTo(w, kT0 + 61).empty());
  w.Schedule(8, kT0 + 100);
  w.Cancel(8);
  w.Cancel(8);  // twice is harmless
  w.Cancel(12345);
  CHECK_FALSE(w.Scheduled(8));
  CHECK(AdvanceTo(w, kT0 + 3600) == std::vector<TimerWheel::Handle>{7});
}

TEST_CASE("timer wheel: a deadline already passed is due at the next advance") {
  TimerWheel w(kT0);
  w.Schedule(1, kT0 - 500);
  w.Schedule(2, kT0);
  CHECK(w.NextDue() == kT0);
  auto due = AdvanceTo(w, kT0);
  CHECK(due == std::vector<TimerWheel::Handle>{1, 2});
}

TEST_CASE("timer wheel: agrees with a brute-force model under random operations") {
  std::mt19937_64 rng(42);
  TimerWheel w(kT0);
  std::map<TimerWheel::Handle, int64_t> model;
  int64_t now = kT0;
  for (int step = 0; step < 20000; ++step) {
    int op = static_cast<int>(rng() % 10);
    auto h = static_cast<TimerWheel::Handle>(rng() % 500);
    if (op < 5) {
      // Deadlines from the past to years ahead, most within a day.
      int64_t span = (rng() % 10 == 0) ? 100'000'000 : 90'000;
      int64_t d = now - 10 + static_cast<int64_t>(rng() % static_cast<uint64_t>(span));
      w.Schedule(h, d);
      model[h] = d;
    } else if (op < 6) {
      w.Cancel(h);
      model.erase(h);
    } else {
      int64_t jump = (rng() % 20 == 0) ? static_cast<int64_t>(rng() % 50'000'000) : static_cast<int64_t>(rng() % 5000);
      now += jump;
      auto due = AdvanceTo(w, now);
      std::vector<TimerWheel::Handle> expected;
      for (auto it = model.begin(); it != model.end();) {
        if (it->second <= now) {
          expected.push_back(it->first);
          it = model.erase(it);
        } else {
          ++it;
        }
      }
      std::sort(due.begin(), due.end());
      REQUIRE(due == expected);
    }
    REQUIRE(w.size() == model.size());
  }
}

TEST_CASE("timer wheel: a tick does no work for entries that are not due") {
  TimerWheel w(kT0);
  // 100,000 checks due tomorrow, spread over the day.
  for (TimerWheel::Handle h = 0; h < 100000; ++h) w.Schedule(h, kT0 + 86400 + h % 3600);
  w.Schedule(100000, kT0 + 30);
  uint64_t before = w.moves();
  // Thirty one-second ticks: nothing but the one due entry is touched.
  size_t fired = 0;
  for (int s = 1; s <= 30; ++s) fired += AdvanceTo(w, kT0 + s).size();
  CHECK(fired == 1);
  CHECK(w.moves() - before <= 1);
  // Over the whole day each entry cascades at most once per level.
  for (int64_t s = 31; s <= 86400 + 3600; s += 1) fired += AdvanceTo(w, kT0 + s).size();
  CHECK(fired == 100001);
  CHECK(w.moves() - before <= 100001 * 6);
}

TEST_CASE("timer wheel: a wall clock jump forward fires everything passed, once") {
  TimerWheel w(kT0);
  for (TimerWheel::Handle h = 0; h < 1000; ++h) w.Schedule(h, kT0 + 60 * h);
  auto due = AdvanceTo(w, kT0 + 365LL * 86400);  // a year later
  CHECK(due.size() == 1000);
  for (size_t i = 1; i < due.size(); ++i) CHECK(due[i - 1] < due[i]);  // in deadline order
  CHECK(AdvanceTo(w, kT0 + 366LL * 86400).empty());
}

TEST_CASE("timer wheel: a wall clock jump backwards re-anchors and fires nothing early") {
  TimerWheel w(kT0);
  w.Schedule(1, kT0 + 100);
  w.Schedule(2, kT0 + 7200);
  CHECK(AdvanceTo(w, kT0 + 50).empty());
  CHECK(AdvanceTo(w, kT0 - 3600).empty());  // NTP stepped the clock back an hour
  CHECK(w.now() == kT0 - 3600);
  CHECK(AdvanceTo(w, kT0 + 99).empty());
  CHECK(AdvanceTo(w, kT0 + 100) == std::vector<TimerWheel::Handle>{1});
  CHECK(AdvanceTo(w, kT0 + 7200) == std::vector<TimerWheel::Handle>{2});
}

TEST_CASE("timer wheel: a rebuild from stored deadlines fires the same way") {
  // Start-up: the monitor builds a fresh wheel from alert_after values.
  std::vector<int64_t> deadlines{kT0 - 100, kT0 + 1, kT0 + 64, kT0 + 4096, kT0 + 262144, kT0 + 86400 * 400};
  TimerWheel w(kT0);
  for (TimerWheel::Handle h = 0; h < deadlines.size(); ++h) w.Schedule(h, deadlines[h]);
  for (TimerWheel::Handle h = 0; h < deadlines.size(); ++h) {
    CAPTURE(h);
    auto due = AdvanceTo(w, deadlines[h]);
    CHECK(due == std::vector<TimerWheel::Handle>{h});
    if (h + 1 < deadlines.size()) CHECK(AdvanceTo(w, deadlines[h + 1] - 1).empty());
  }
}

TEST_CASE("timer wheel: NextDue never lies past the earliest deadline") {
  std::mt19937_64 rng(7);
  TimerWheel w(kT0);
  for (TimerWheel::Handle h = 0; h < 200; ++h) w.Schedule(h, kT0 + 1 + static_cast<int64_t>(rng() % 1'000'000));
  int64_t now = kT0;
  while (w.size() > 0) {
    auto next = w.NextDue();
    REQUIRE(next.has_value());
    REQUIRE(*next > now);
    // Nothing is due before NextDue.
    REQUIRE(AdvanceTo(w, *next - 1).empty());
    AdvanceTo(w, *next);
    now = *next;
  }
}
