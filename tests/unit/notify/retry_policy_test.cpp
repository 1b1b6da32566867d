#include <doctest/doctest.h>

#include "notify/retry_policy.h"

namespace dogwatch::notify_internal {
namespace {

using std::chrono::hours;
using std::chrono::seconds;

const TimePoint kT0 = FromUnixMicros(1'800'000'000'000'000);

TEST_CASE("backoff doubles from 30 s and stops growing at 1 h") {
  RetryPolicy p;
  auto transient = SendOutcome::Transient("HTTP 503");
  CHECK(NextAttempt(p, transient, 1, kT0, kT0) == kT0 + seconds(30));
  CHECK(NextAttempt(p, transient, 2, kT0, kT0) == kT0 + seconds(60));
  CHECK(NextAttempt(p, transient, 3, kT0, kT0) == kT0 + seconds(120));
  CHECK(NextAttempt(p, transient, 8, kT0, kT0) == kT0 + seconds(3600));
  CHECK(NextAttempt(p, transient, 60, kT0, kT0) == kT0 + seconds(3600));  // no overflow
}

TEST_CASE("a permanent error or a delivery is never retried") {
  RetryPolicy p;
  CHECK_FALSE(NextAttempt(p, SendOutcome::Permanent("HTTP 404"), 1, kT0, kT0));
  CHECK_FALSE(NextAttempt(p, SendOutcome::Delivered(), 1, kT0, kT0));
}

TEST_CASE("Retry-After is honoured, within the cap") {
  RetryPolicy p;
  auto busy = SendOutcome::Transient("HTTP 429");
  busy.retry_after = seconds(600);
  CHECK(NextAttempt(p, busy, 1, kT0, kT0) == kT0 + seconds(600));
  busy.retry_after = seconds(5);  // sooner than the backoff: the backoff wins
  CHECK(NextAttempt(p, busy, 1, kT0, kT0) == kT0 + seconds(30));
  busy.retry_after = hours(10);
  CHECK(NextAttempt(p, busy, 1, kT0, kT0) == kT0 + seconds(3600));
}

TEST_CASE("retries stop once the next one would fall after 24 hours") {
  RetryPolicy p;
  auto transient = SendOutcome::Transient("timeout");
  CHECK(NextAttempt(p, transient, 30, kT0, kT0 + hours(22)) == kT0 + hours(23));
  CHECK_FALSE(NextAttempt(p, transient, 31, kT0, kT0 + hours(23) + seconds(1)));
}

}  // namespace
}  // namespace dogwatch::notify_internal
