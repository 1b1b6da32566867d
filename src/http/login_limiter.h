// Failed-login limiting (SPEC §12): at most `max_failures` failures per key (a client address,
// an account) within `window`; then that key is refused until its oldest failure leaves the
// window. In memory only: a restart forgets, which costs an attacker a restart they cannot
// cause. Thread-safe.
#pragma once

#include <chrono>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "dogwatch/core/time.h"

namespace dogwatch::http_internal {

class LoginLimiter {
 public:
  LoginLimiter(int max_failures, std::chrono::seconds window) : max_(max_failures), window_(window) {}

  // How long the key must wait, or nullopt when it may try now.
  std::optional<std::chrono::seconds> Blocked(const std::string& key, TimePoint now);
  void RecordFailure(const std::string& key, TimePoint now);
  void Forget(const std::string& key);

 private:
  void Expire(std::deque<TimePoint>& failures, TimePoint now);

  const int max_;
  const std::chrono::seconds window_;
  std::mutex mu_;
  std::map<std::string, std::deque<TimePoint>> failures_;
};

}  // namespace dogwatch::http_internal
