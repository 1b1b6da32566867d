// Badges (reference §4.1): Healthchecks' URL signatures, status aggregation, and the three
// formats (a flat SVG, JSON, and Shields.io's endpoint JSON). Pure functions; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "api_json.h"
#include "dogwatch/http/server.h"

namespace dogwatch::http_internal {

enum class BadgeStatus { kUp, kLate, kDown };
const char* BadgeStatusName(BadgeStatus s);

// Django base64_hmac(badge_key, tag, secret)[:8], plus "-2" for a two-state badge.
std::string BadgeSignature(const std::string& badge_key, const std::string& tag, const std::string& secret,
                           bool with_late);

struct BadgeCounts {
  int total = 0, grace = 0, down = 0;
};

// Any down: down; else any in grace (when late is shown): late; else up.
BadgeStatus Aggregate(const BadgeCounts& counts, bool with_late);

std::string BadgeSvg(const std::string& label, BadgeStatus status);
Json BadgeJson(BadgeStatus status, const BadgeCounts& counts);
Json ShieldsJson(const std::string& label, BadgeStatus status);

// {"*": {"svg", "svg3", "json", "json3", "shields", "shields3"}, "<tag>": {...}, ...} for every tag
// in use, as GET /api/v3/badges/ lists them.
Json BadgeUrls(const HttpContext& ctx, const Project& project, const std::vector<Check>& checks);

}  // namespace dogwatch::http_internal
