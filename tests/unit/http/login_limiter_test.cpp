#include <doctest/doctest.h>

#include "http/login_limiter.h"

using namespace dogwatch;
using dogwatch::http_internal::LoginLimiter;
using std::chrono::minutes;
using std::chrono::seconds;

TEST_CASE("login limiter: five failures in the window block the key until the oldest expires") {
  LoginLimiter limiter(5, minutes(15));
  const TimePoint t0 = FromUnixMicros(1'800'000'000'000'000);
  for (int i = 0; i < 4; ++i) {
    CHECK_FALSE(limiter.Blocked("ip:1.2.3.4", t0 + minutes(i)).has_value());
    limiter.RecordFailure("ip:1.2.3.4", t0 + minutes(i));
  }
  CHECK_FALSE(limiter.Blocked("ip:1.2.3.4", t0 + minutes(4)).has_value());
  limiter.RecordFailure("ip:1.2.3.4", t0 + minutes(4));
  auto wait = limiter.Blocked("ip:1.2.3.4", t0 + minutes(5));
  REQUIRE(wait.has_value());
  CHECK(*wait == seconds(600));  // the first failure (t0) leaves the window at t0 + 15 min
  CHECK(limiter.Blocked("ip:1.2.3.4", t0 + minutes(15) - seconds(1)).has_value());
  CHECK_FALSE(limiter.Blocked("ip:1.2.3.4", t0 + minutes(15)).has_value());
  CHECK_FALSE(limiter.Blocked("ip:5.6.7.8", t0 + minutes(5)).has_value());  // keys are separate
}

TEST_CASE("login limiter: failures spread wider than the window never block; Forget clears") {
  LoginLimiter limiter(3, minutes(10));
  const TimePoint t0 = FromUnixMicros(1'800'000'000'000'000);
  for (int i = 0; i < 10; ++i) {
    CHECK_FALSE(limiter.Blocked("user:a@b.c", t0 + minutes(6 * i)).has_value());
    limiter.RecordFailure("user:a@b.c", t0 + minutes(6 * i));
  }
  for (int i = 0; i < 3; ++i) limiter.RecordFailure("user:a@b.c", t0 + minutes(100));
  CHECK(limiter.Blocked("user:a@b.c", t0 + minutes(100)).has_value());
  limiter.Forget("user:a@b.c");
  CHECK_FALSE(limiter.Blocked("user:a@b.c", t0 + minutes(100)).has_value());
}
