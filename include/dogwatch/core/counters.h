// Process-wide counters for GET /metrics (docs/api.md "Metrics"): pings applied by kind,
// requests answered by cpp-httplib by status, the monitor's batch sizes and lag, notifications by
// kind and outcome, and the self-monitoring heartbeat. Bumped on hot paths, so relaxed atomics
// only (the notification map, bumped once per send, has a mutex); a scrape reads each one on its
// own (the set is not a snapshot). Any thread.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace dogwatch {

// A Prometheus histogram with fixed upper bounds (+Inf implied). Observations are integers in
// the histogram's own unit (commands, microseconds); the scrape scales them.
template <size_t N>
struct Histogram {
  std::array<uint64_t, N> bounds;                       // ascending, inclusive ("le")
  std::array<std::atomic<uint64_t>, N + 1> buckets{};  // per bucket, not cumulative; last is +Inf
  std::atomic<uint64_t> count{0};
  std::atomic<uint64_t> sum{0};

  void Observe(uint64_t v) {
    size_t i = 0;
    while (i < N && v > bounds[i]) ++i;
    buckets[i].fetch_add(1, std::memory_order_relaxed);
    count.fetch_add(1, std::memory_order_relaxed);
    sum.fetch_add(v, std::memory_order_relaxed);
  }
};

// Counts by (kind, outcome): a few dozen keys at most, bumped once per delivery attempt.
class LabelledCounts {
 public:
  void Add(const std::string& kind, const std::string& outcome) {
    std::lock_guard<std::mutex> lock(mu_);
    ++counts_[{kind, outcome}];
  }
  std::map<std::pair<std::string, std::string>, uint64_t> Snapshot() {
    std::lock_guard<std::mutex> lock(mu_);
    return counts_;
  }

 private:
  std::mutex mu_;
  std::map<std::pair<std::string, std::string>, uint64_t> counts_;
};

struct ProcessCounters {
  // Indexed by PingKind (success, start, fail, log, ign): the kind the ping was recorded as.
  std::array<std::atomic<uint64_t>, 5> pings_by_kind{};
  // Indexed by HTTP status 0-599; anything else lands in 0.
  std::array<std::atomic<uint64_t>, 600> http_by_status{};
  // Commands per group-commit transaction (pings, creates, edits; not deadline-only batches).
  Histogram<11> batch_size{{1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024}, {}, {}, {}};
  // From a check's deadline (alert_after) to the commit of its flip to down, in microseconds.
  Histogram<9> monitor_lag_us{{10'000, 50'000, 100'000, 250'000, 500'000, 1'000'000, 2'000'000, 5'000'000, 30'000'000},
                              {}, {}, {}};
  // Delivery attempts by channel kind and outcome (delivered, retry, failed).
  LabelledCounts notifications;
  // The self-monitoring heartbeat ([heartbeat] url) by outcome: indexes of HeartbeatOutcome.
  std::array<std::atomic<uint64_t>, 3> heartbeats{};
};

enum class HeartbeatOutcome { kSent = 0, kFailed = 1, kSkipped = 2 };

inline ProcessCounters& Counters() {
  static ProcessCounters counters;
  return counters;
}

inline void CountPing(int kind) {
  if (kind >= 0 && kind < 5) Counters().pings_by_kind[kind].fetch_add(1, std::memory_order_relaxed);
}

inline void CountHttpStatus(int status) {
  if (status < 0 || status >= 600) status = 0;
  Counters().http_by_status[status].fetch_add(1, std::memory_order_relaxed);
}

inline void CountHeartbeat(HeartbeatOutcome o) {
  Counters().heartbeats[static_cast<size_t>(o)].fetch_add(1, std::memory_order_relaxed);
}

}  // namespace dogwatch
