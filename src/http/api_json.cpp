#include "api_json.h"

#include "dogwatch/core/crypto.h"

namespace dogwatch::http_internal {
namespace {

Json OptIso(const std::optional<TimePoint>& t) {
  if (!t) return nullptr;
  return FormatIsoApi(*t);
}

}  // namespace

std::string UniqueKey(const std::string& uuid) { return UniqueKeyOf(uuid); }

CheckState StateOf(const Check& c, const std::shared_ptr<const NextFireFn>& next_fire) {
  CheckState s = StateFromCheck(c);
  s.next_fire = next_fire;
  return s;
}

Json CheckToJson(const Check& c, const std::vector<std::string>& channel_uuids, const ApiView& view,
                 TimePoint now, const std::shared_ptr<const NextFireFn>& next_fire) {
  CheckState state = StateOf(c, next_fire);
  CheckStatus status = ComputedStatus(state, now);
  std::string status_name = CheckStatusName(status);
  // v1 reports a run in progress as "started" until it is past grace (reference §2.1).
  if (view.version == 1 && c.last_start && status != CheckStatus::kDown) status_name = "started";

  Json j;
  j["name"] = c.name;
  j["slug"] = c.slug;
  j["tags"] = c.tags;
  j["desc"] = c.desc;
  j["grace"] = c.grace.count();
  j["n_pings"] = c.n_pings;
  j["status"] = status_name;
  j["started"] = c.last_start.has_value();
  j["last_ping"] = OptIso(c.last_ping);
  j["next_ping"] = OptIso(GraceStart(state, /*with_started=*/true));
  j["manual_resume"] = c.manual_resume;
  j["methods"] = c.methods;
  j["subject"] = c.filter_subject ? c.success_kw : "";
  j["subject_fail"] = c.filter_subject ? c.failure_kw : "";
  j["start_kw"] = c.start_kw;
  j["success_kw"] = c.success_kw;
  j["failure_kw"] = c.failure_kw;
  j["filter_subject"] = c.filter_subject;
  j["filter_body"] = c.filter_body;
  j["filter_http_body"] = c.filter_http_body;
  j["filter_default_fail"] = c.filter_default_fail;
  j["badge_url"] = view.base_url + "/b/2/" + c.badge_key + ".svg";
  // Emitted when non-zero, in whole seconds: a sub-second run shows 0 (§9 item 12).
  if (c.last_duration && c.last_duration->count() > 0)
    j["last_duration"] = std::chrono::duration_cast<std::chrono::seconds>(*c.last_duration).count();
  if (view.read_only) {
    j["unique_key"] = UniqueKey(c.uuid);
  } else {
    std::string api = view.base_url + "/api/v" + std::to_string(view.version) + "/checks/" + c.uuid;
    j["uuid"] = c.uuid;
    j["ping_url"] = view.base_url + "/ping/" + c.uuid;
    j["update_url"] = api;
    j["pause_url"] = api + "/pause";
    j["resume_url"] = api + "/resume";
    std::string channels;
    for (const auto& ch : channel_uuids) channels += (channels.empty() ? "" : ",") + ch;
    j["channels"] = channels;
  }
  if (c.kind == ScheduleKind::kSimple) {
    j["timeout"] = c.timeout.count();
  } else {
    j["schedule"] = c.schedule;
    j["tz"] = c.tz;
  }
  return j;
}

Json PingToJson(const Ping& p, const std::string& check_uuid, const ApiView& view) {
  Json j;
  j["type"] = PingKindName(p.kind);
  j["date"] = FormatIsoApiMicros(p.created);
  j["n"] = p.n;
  j["scheme"] = p.scheme;
  j["remote_addr"] = p.remote_addr;
  j["method"] = p.method;
  j["ua"] = p.ua;
  j["rid"] = p.rid ? Json(*p.rid) : Json(nullptr);
  if (p.body.empty()) {
    j["body_url"] = nullptr;
  } else {
    j["body_url"] = view.base_url + "/api/v" + std::to_string(view.version) + "/checks/" + check_uuid +
                    "/pings/" + std::to_string(p.n) + "/body";
  }
  if (p.duration && (p.kind == PingKind::kSuccess || p.kind == PingKind::kFail)) {
    double secs = static_cast<double>(p.duration->count()) / 1e6;
    j["duration"] = static_cast<double>(static_cast<int64_t>(secs * 100 + 0.5)) / 100;
  }
  return j;
}

Json FlipToJson(const Flip& f) {
  Json j;
  j["timestamp"] = FormatIsoApi(f.created);
  j["up"] = f.new_status == CheckStatus::kUp ? 1 : 0;
  return j;
}

Json ChannelToJson(const Channel& c) {
  Json j;
  j["id"] = c.uuid;
  j["name"] = c.name;
  j["kind"] = c.kind;
  return j;
}

bool HasTag(const std::string& tags, const std::string& tag) {
  size_t i = 0;
  while (i < tags.size()) {
    size_t j = tags.find(' ', i);
    if (j == std::string::npos) j = tags.size();
    if (j > i && tags.compare(i, j - i, tag) == 0) return true;
    i = j + 1;
  }
  return false;
}

}  // namespace dogwatch::http_internal
