// Prometheus text format (exposition format 0.0.4) for the metrics endpoints: Healthchecks'
// per-project gauges (reference §4.2) and dogwatch's process metrics. Pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

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

}  // namespace dogwatch::http_internal
