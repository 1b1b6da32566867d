// When to try a failed notification again (SPEC §7): exponential backoff from `initial`, doubling
// per attempt up to `max`, never sooner than a service's Retry-After, and no later than
// give_up_after from the notification's creation. Pure; thread-safe.
#pragma once

#include <chrono>
#include <optional>

#include "dogwatch/core/time.h"
#include "dogwatch/notify/outcome.h"

namespace dogwatch::notify_internal {

struct RetryPolicy {
  std::chrono::seconds initial{30};
  std::chrono::seconds max{3600};
  std::chrono::seconds give_up_after{86400};
};

// The next attempt after `attempts` failed tries of a notification created at `created`, or
// nullopt when it should be given up (permanent outcome, or past give_up_after).
std::optional<TimePoint> NextAttempt(const RetryPolicy& policy, const SendOutcome& outcome,
                                     int attempts, TimePoint created, TimePoint now);

}  // namespace dogwatch::notify_internal
