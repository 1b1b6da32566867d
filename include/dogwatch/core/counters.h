// Process-wide counters for GET /metrics (docs/api.md "Metrics"): pings applied by kind and
// requests answered by cpp-httplib by status. Bumped on hot paths, so relaxed atomics only; a
// scrape reads each one on its own (the set is not a snapshot).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>

namespace dogwatch {

struct ProcessCounters {
  // Indexed by PingKind (success, start, fail, log, ign): the kind the ping was recorded as.
  std::array<std::atomic<uint64_t>, 5> pings_by_kind{};
  // Indexed by HTTP status 0-599; anything else lands in 0.
  std::array<std::atomic<uint64_t>, 600> http_by_status{};
};

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

}  // namespace dogwatch
