// Clock: the only source of time. Production code takes a Clock& so tests can inject FakeClock.
// SystemClock is stateless and thread-safe. FakeClock is thread-safe too (atomics), so a test
// may advance it while a monitor thread reads it.
#pragma once

#include <atomic>
#include <chrono>

#include "dogwatch/core/time.h"

namespace dogwatch {

class Clock {
 public:
  virtual ~Clock() = default;
  // Wall time: decides schedules and is stored.
  virtual TimePoint Now() const = 0;
  // Monotonic time: measures intervals; never jumps.
  virtual std::chrono::steady_clock::time_point Steady() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint Now() const override;
  std::chrono::steady_clock::time_point Steady() const override;
};

class FakeClock final : public Clock {
 public:
  explicit FakeClock(TimePoint start) : now_us_(ToUnixMicros(start)) {}
  TimePoint Now() const override { return FromUnixMicros(now_us_.load()); }
  std::chrono::steady_clock::time_point Steady() const override {
    return std::chrono::steady_clock::time_point(Micros(steady_us_.load()));
  }
  // Moves both clocks forward.
  void Advance(Micros d) {
    now_us_ += d.count();
    steady_us_ += d.count();
  }
  // Moves only the wall clock (an NTP step or a manual date change); may go backwards.
  void JumpWall(Micros d) { now_us_ += d.count(); }

 private:
  std::atomic<int64_t> now_us_;
  std::atomic<int64_t> steady_us_{0};
};

}  // namespace dogwatch
