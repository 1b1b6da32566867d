#include "login_limiter.h"

namespace dogwatch::http_internal {

void LoginLimiter::Expire(std::deque<TimePoint>& failures, TimePoint now) {
  while (!failures.empty() && failures.front() + window_ <= now) failures.pop_front();
}

std::optional<std::chrono::seconds> LoginLimiter::Blocked(const std::string& key, TimePoint now) {
  std::lock_guard lock(mu_);
  auto it = failures_.find(key);
  if (it == failures_.end()) return std::nullopt;
  Expire(it->second, now);
  if (static_cast<int>(it->second.size()) < max_) {
    if (it->second.empty()) failures_.erase(it);
    return std::nullopt;
  }
  auto wait = std::chrono::ceil<std::chrono::seconds>(it->second.front() + window_ - now);
  return std::max(wait, std::chrono::seconds(1));
}

void LoginLimiter::RecordFailure(const std::string& key, TimePoint now) {
  std::lock_guard lock(mu_);
  // Bound memory under a spray of addresses: forget the quiet keys first.
  if (failures_.size() > 100000) {
    for (auto it = failures_.begin(); it != failures_.end();) {
      Expire(it->second, now);
      it = it->second.empty() ? failures_.erase(it) : std::next(it);
    }
  }
  auto& f = failures_[key];
  Expire(f, now);
  f.push_back(now);
  while (static_cast<int>(f.size()) > max_) f.pop_front();
}

void LoginLimiter::Forget(const std::string& key) {
  std::lock_guard lock(mu_);
  failures_.erase(key);
}

}  // namespace dogwatch::http_internal
