#include "retry_policy.h"

#include <algorithm>

namespace dogwatch::notify_internal {

std::optional<TimePoint> NextAttempt(const RetryPolicy& policy, const SendOutcome& outcome,
                                     int attempts, TimePoint created, TimePoint now) {
  if (outcome.result != SendResult::kTransient) return std::nullopt;
  std::chrono::seconds delay = policy.initial;
  for (int i = 1; i < attempts && delay < policy.max; ++i) delay *= 2;
  delay = std::min(delay, policy.max);
  if (outcome.retry_after) delay = std::clamp(*outcome.retry_after, delay, policy.max);
  TimePoint next = now + std::chrono::duration_cast<Micros>(delay);
  if (next - created > policy.give_up_after) return std::nullopt;
  return next;
}

}  // namespace dogwatch::notify_internal
