// Management API v3 JSON: the check, ping, flip and channel objects exactly as Healthchecks emits
// them (reference §2.5, §2.8-2.10). Pure functions; thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "dogwatch/model/types.h"
#include "dogwatch/monitor/state_machine.h"

namespace dogwatch::http_internal {

using Json = nlohmann::ordered_json;

// How the caller sees the API: the version in the URL, and whether its key is read-only.
struct ApiView {
  int version = 3;
  bool read_only = false;
  std::string base_url;
  bool ui = false;  // a web UI session: the check object carries schedule_text and managed too
};

// Healthchecks' stable public id for read-only keys: sha1 of the first 16 hex digits of the UUID.
std::string UniqueKey(const std::string& uuid);

// next_fire is required for cron and OnCalendar checks (to compute status and next_ping).
Json CheckToJson(const Check& c, const std::vector<std::string>& channel_uuids, const ApiView& view,
                 TimePoint now, const std::shared_ptr<const NextFireFn>& next_fire);
Json PingToJson(const Ping& p, const std::string& check_uuid, const ApiView& view);
Json FlipToJson(const Flip& f);
Json ChannelToJson(const Channel& c);

// The state Step() would work on, from a stored row (for computed status and next_ping).
CheckState StateOf(const Check& c, const std::shared_ptr<const NextFireFn>& next_fire);

// Exact match on the space-separated tag list (reference §4.1, the tag filter of §2.4).
bool HasTag(const std::string& tags, const std::string& tag);

}  // namespace dogwatch::http_internal
