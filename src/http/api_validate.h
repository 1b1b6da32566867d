// Validation of Management API create/update payloads (reference §2.6, §9 items 2-3): strict
// JSON types, Healthchecks' field order (the first bad field is the one named) and its error
// strings. Pure; thread-safe.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "api_json.h"
#include "dogwatch/core/result.h"
#include "dogwatch/monitor/monitor.h"

namespace dogwatch::http_internal {

struct SpecRules {
  std::chrono::seconds min_timeout{60};
  int api_version = 3;
  // Parses a schedule of the given kind in a zone; an error means "not valid".
  std::function<Status(ScheduleKind, const std::string& schedule, const std::string& tz)> check_schedule;
  std::function<bool(const std::string& tz)> valid_tz;
};

struct CheckSpec {
  CheckPatch patch;
  std::vector<std::string> unique;
  std::optional<std::string> channels;  // "*", "" or comma-separated UUIDs or names; resolved later
};

// kInvalidArgument with the response's error text ("json validation error: grace is too small").
Result<CheckSpec> ParseCheckSpec(const Json& body, const SpecRules& rules, const Check* existing);

// Django's slugify: ASCII letters, digits, '_' and '-', lowercased, spaces and dashes collapsed.
std::string Slugify(std::string_view text);

// Resolves a channels field against the project's channels (reference §2.6): kInvalidArgument
// "empty channel identifier", "invalid channel identifier: X", "non-unique channel identifier: X".
Result<std::vector<int64_t>> ResolveChannels(const std::string& spec,
                                             const std::vector<Channel>& channels);

}  // namespace dogwatch::http_internal
