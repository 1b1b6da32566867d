// Prometheus text format (exposition format 0.0.4) for the metrics endpoints: Healthchecks'
// per-project gauges (reference §4.2) and dogwatch's process metrics. Pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dogwatch/core/counters.h"
#include "dogwatch/model/types.h"

namespace dogwatch::http_internal {

inline constexpr const char* kPrometheusContentType = "text/plain; version=0.0.4";

// A label value with \ " and newline escaped.
std::string EscapeLabel(std::string_view s);

struct CheckMetrics {
  std::string name, tags, unique_key;
  CheckStatus status = CheckStatus::kNew;  // computed
  bool started = false;
};

// The body of GET /projects/<uuid>/metrics/<key>, in Healthchecks' order and wording.
std::string ProjectMetrics(const std::vector<CheckMetrics>& checks);

// One metric block: # HELP, # TYPE and its samples ("{labels}" or "" with a value), then a blank
// line.
struct Sample {
  std::string labels;  // e.g. kind="success", already escaped, without braces; "" for none
  uint64_t value = 0;
};
void AppendBlock(std::string& out, std::string_view name, std::string_view type, std::string_view help,
                 const std::vector<Sample>& samples);
// buckets has one more entry than bounds (+Inf); counts per bucket, not cumulative. The _count
// is their total, so the block is consistent even while other threads observe.
void AppendHistogramBlock(std::string& out, std::string_view name, std::string_view help,
                          const std::vector<double>& bounds, const std::vector<uint64_t>& buckets, double sum);

// A histogram block: cumulative _bucket samples (le bounds and +Inf), _sum and _count, with
// observations divided by `scale` (1 for counts, 1e6 for microseconds shown as seconds).
template <size_t N>
void AppendHistogram(std::string& out, std::string_view name, std::string_view help, const Histogram<N>& h,
                     double scale) {
  std::vector<uint64_t> buckets;
  for (const auto& b : h.buckets) buckets.push_back(b.load(std::memory_order_relaxed));
  std::vector<double> bounds;
  for (uint64_t b : h.bounds) bounds.push_back(static_cast<double>(b) / scale);
  AppendHistogramBlock(out, name, help, bounds, buckets, static_cast<double>(h.sum.load(std::memory_order_relaxed)) / scale);
}

}  // namespace dogwatch::http_internal
