// SendOutcome: how one delivery attempt ended, as the notifier's retry policy sees it
// (SPEC §7): delivered, worth retrying (network, timeout, 5xx, 429), or final (401/403/404,
// a service's "bad token"). Plain value.
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace dogwatch {

enum class SendResult { kDelivered, kTransient, kPermanent };

struct SendOutcome {
  SendResult result = SendResult::kDelivered;
  std::string error;  // empty when delivered; otherwise what the user should read
  std::optional<std::chrono::seconds> retry_after;  // from a 429/503 Retry-After header

  static SendOutcome Delivered() { return {}; }
  static SendOutcome Transient(std::string why) { return {SendResult::kTransient, std::move(why), {}}; }
  static SendOutcome Permanent(std::string why) { return {SendResult::kPermanent, std::move(why), {}}; }
  bool ok() const { return result == SendResult::kDelivered; }
};

}  // namespace dogwatch
