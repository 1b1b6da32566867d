// Management API v3 (reference §2), also served under /api/v1 and /api/v2 with their few
// differences. Reads use the worker's own connection; every change goes through the monitor.
#include <charconv>

#include "api_auth.h"
#include "api_validate.h"
#include "dogwatch/core/clock.h"
#include "routes.h"

namespace dogwatch::http_internal {
namespace {

constexpr auto kMonitorTimeout = std::chrono::seconds(10);
constexpr const char* kV = R"(/api/v([123]))";
constexpr const char* kUuid = R"(([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}))";
constexpr const char* kUuidOrKey =
    R"(([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{40}))";

std::string Route(const std::string& tail) { return std::string(kV) + tail; }

SpecRules RulesFor(const HttpContext& ctx, int version) {
  SpecRules rules;
  rules.min_timeout = ctx.config->checks.min_timeout;
  rules.api_version = version;
  rules.valid_tz = ctx.valid_tz;
  auto compile = ctx.compile_schedule;
  rules.check_schedule = [compile](ScheduleKind kind, const std::string& s, const std::string& tz) -> Status {
    if (!compile) return Fail(Errc::kInvalidArgument, "no schedules");
    auto r = compile(kind, s, tz);
    if (!r) return r.error();
    return Ok();
  };
  return rules;
}

Json Render(const HttpContext& ctx, const ApiCaller& caller, const Check& c) {
  std::vector<std::string> channels;
  if (!caller.view.read_only) channels = caller.reader->CheckChannelUuids(c.id);
  Json j = CheckToJson(c, channels, caller.view, SystemClock().Now(), NextFireOf(ctx, c));
  if (caller.view.ui) {
    j["schedule_text"] = ctx.describe_schedule ? ctx.describe_schedule(c) : "";
    j["managed"] = c.source == Source::kConfig;
  }
  return j;
}

// The caller's check by UUID or (read-only keys) unique_key. On failure the reply is written.
std::optional<Check> FindOwned(const ApiCaller& caller, const std::string& id, httplib::Response& res) {
  if (id.size() == 40) {
    for (auto& c : caller.reader->ListChecks(caller.project_id))
      if (UniqueKey(c.uuid) == id) return c;
    ReplyEmpty(res, 404);
    return std::nullopt;
  }
  auto c = caller.reader->FindCheck(id);
  if (!c) {
    ReplyEmpty(res, 404);
    return std::nullopt;
  }
  if (c->project_id != caller.project_id) {
    ReplyEmpty(res, 403);  // Healthchecks leaks existence here too (§9 item 15)
    return std::nullopt;
  }
  return c;
}

void ListChecks(const HttpContext& ctx, const httplib::Request& req, httplib::Response& res) {
  SetCors(res, "GET, POST, OPTIONS");
  auto caller = Authenticate(ctx, req, res, Access::kRead);
  if (!caller) return;
  std::vector<std::string> tags;
  auto range = req.params.equal_range("tag");
  for (auto it = range.first; it != range.second; ++it) tags.push_back(it->second);
  Json list = Json::array();
  std::string slug = req.has_param("slug") ? req.get_param_value("slug") : "";
  for (const auto& c : caller->reader->ListChecks(caller->project_id)) {
    if (!slug.empty() && c.slug != slug) continue;
    bool all = true;
    for (const auto& t : tags) all = all && !t.empty() && HasTag(c.tags, t);
    if (!all) continue;
    list.push_back(Render(ctx, *caller, c));
  }
  ReplyJson(res, 200, Json{{"checks", list}});
}

// Turns the payload into a patch with channels resolved; on failure the reply is written.
std::optional<CheckSpec> ParseSpec(const HttpContext& ctx, const ApiCaller& caller, const Check* existing,
                                   httplib::Response& res) {
  auto spec = ParseCheckSpec(caller.body, RulesFor(ctx, caller.view.version), existing);
  if (!spec) {
    ReplyFor(res, spec.error());
    return std::nullopt;
  }
  if (spec->channels) {
    auto ids = ResolveChannels(*spec->channels, caller.reader->ListChannels(caller.project_id));
    if (!ids) {
      ReplyFor(res, ids.error());
      return std::nullopt;
    }
    spec->patch.channel_ids = *ids;
  }
  return *std::move(spec);
}

void ReplyCheck(const HttpContext& ctx, const ApiCaller& caller, const Result<CheckResult>& r,
                httplib::Response& res, int ok_status) {
  if (!r) return ReplyFor(res, r.error());
  ReplyJson(res, ok_status, Render(ctx, caller, r->check));
}

void CreateCheck(const HttpContext& ctx, const httplib::Request& req, httplib::Response& res) {
  SetCors(res, "GET, POST, OPTIONS");
  auto caller = Authenticate(ctx, req, res, Access::kWrite);
  if (!caller) return;
  auto spec = ParseSpec(ctx, *caller, nullptr, res);
  if (!spec) return;
  auto r = AwaitFor(ctx.monitor->CreateCheck(caller->project_id, std::move(spec->patch), spec->unique),
                    kMonitorTimeout);
  // The `unique` match is a check declared in the config file.
  if (!r && r.error().code == Errc::kPermissionDenied) return ReplyManaged(ctx, res, "check");
  ReplyCheck(ctx, *caller, r, res, r && r->created ? 201 : 200);
}

void GetCheck(const HttpContext& ctx, const httplib::Request& req, httplib::Response& res) {
  SetCors(res, "GET, POST, DELETE, OPTIONS");
  auto caller = Authenticate(ctx, req, res, Access::kRead);
  if (!caller) return;
  if (auto c = FindOwned(*caller, req.matches[2], res)) ReplyJson(res, 200, Render(ctx, *caller, *c));
}

// A write to the caller's check named by UUID (a unique_key cannot be written through): the
// shared prologue of update and delete. On failure the reply is written and nullopt returned.
struct WriteTarget {
  ApiCaller caller;
  Check check;
};
std::optional<WriteTarget> WritableCheck(const HttpContext& ctx, const httplib::Request& req,
                                         httplib::Response& res) {
  SetCors(res, "GET, POST, DELETE, OPTIONS");
  auto caller = Authenticate(ctx, req, res, Access::kWrite);
  if (!caller) return std::nullopt;
  std::string id = req.matches[2];
  if (id.size() == 40) {
    ReplyEmpty(res, 405);
    return std::nullopt;
  }
  auto check = FindOwned(*caller, id, res);
  if (!check) return std::nullopt;
  if (check->source == Source::kConfig) {
    ReplyManaged(ctx, res, "check");
    return std::nullopt;
  }
  return WriteTarget{*std::move(caller), *std::move(check)};
}

void UpdateCheck(const HttpContext& ctx, const httplib::Request& req, httplib::Response& res) {
  auto t = WritableCheck(ctx, req, res);
  if (!t) return;
  auto spec = ParseSpec(ctx, t->caller, &t->check, res);
  if (!spec) return;
  auto r = AwaitFor(ctx.monitor->UpdateCheck(t->caller.project_id, t->check.uuid, std::move(spec->patch)),
                    kMonitorTimeout);
  ReplyCheck(ctx, t->caller, r, res, 200);
}

void DeleteCheck(const HttpContext& ctx, const httplib::Request& req, httplib::Response& res) {
  auto t = WritableCheck(ctx, req, res);
  if (!t) return;
  // Rendered before the delete: the reply is the check as it was, channels included.
  Json before = Render(ctx, t->caller, t->check);
  auto r = AwaitFor(ctx.monitor->DeleteCheck(t->caller.project_id, t->check.uuid), kMonitorTimeout);
  if (!r) return ReplyFor(res, r.error());
  ReplyJson(res, 200, before);
}

void PauseOrResume(const HttpContext& ctx, const httplib::Request& req, httplib::Response& res, bool pause) {
  SetCors(res, "POST, OPTIONS");
  auto caller = Authenticate(ctx, req, res, Access::kWrite);
  if (!caller) return;
  std::string id = req.matches[2];
  auto r = AwaitFor(pause ? ctx.monitor->PauseCheck(caller->project_id, id)
                          : ctx.monitor->ResumeCheck(caller->project_id, id),
                    kMonitorTimeout);
  ReplyCheck(ctx, *caller, r, res, 200);
}

int64_t VisibleFloor(const HttpContext& ctx, const Check& c) {
  return std::max<int64_t>(0, c.n_pings - ctx.config->storage.ping_retention);
}

void ListPings(const HttpContext& ctx, const httplib::Request& req, httplib::Response& res) {
  SetCors(res, "GET, OPTIONS");
  auto caller = Authenticate(ctx, req, res, Access::kWrite);  // read-write keys only
  if (!caller) return;
  auto c = FindOwned(*caller, req.matches[2], res);
  if (!c) return;
  int limit = std::min(ctx.config->storage.ping_retention, 1000);
  Json list = Json::array();
  for (const auto& p : caller->reader->ListPings(c->id, VisibleFloor(ctx, *c), limit)) {
    Json j = PingToJson(p, c->uuid, caller->view);
    // The UI's event log shows exit codes; v3 itself does not carry them.
    if (caller->view.ui && p.exit_status) j["exit_status"] = *p.exit_status;
    list.push_back(std::move(j));
  }
  ReplyJson(res, 200, Json{{"pings", list}});
}

void PingBody(const HttpContext& ctx, const httplib::Request& req, httplib::Response& res) {
  SetCors(res, "GET, OPTIONS");
  auto caller = Authenticate(ctx, req, res, Access::kWrite);
  if (!caller) return;
  auto c = FindOwned(*caller, req.matches[2], res);
  if (!c) return;
  int64_t n = 0;
  const std::string& text = req.matches[3];
  std::from_chars(text.data(), text.data() + text.size(), n);
  auto p = n > VisibleFloor(ctx, *c) ? caller->reader->FindPing(c->id, n) : std::nullopt;
  if (!p || p->body.empty()) return ReplyEmpty(res, 404);
  res.status = 200;
  res.set_content(p->body, "text/plain");
}

// Flip filters: integers 0..10,000,000,000, else 400 with an empty body (§2.9, §9 item 13).
bool ReadTimestamp(const httplib::Request& req, const char* name, std::optional<int64_t>& out) {
  if (!req.has_param(name)) return true;
  std::string text = req.get_param_value(name);
  int64_t v = -1;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || v < 0 ||
      v > 10'000'000'000LL)
    return false;
  out = v;
  return true;
}

void ListFlips(const HttpContext& ctx, const httplib::Request& req, httplib::Response& res) {
  SetCors(res, "GET, OPTIONS");
  auto caller = Authenticate(ctx, req, res, Access::kRead);
  if (!caller) return;
  std::optional<int64_t> seconds, start, end;
  if (!ReadTimestamp(req, "seconds", seconds) || !ReadTimestamp(req, "start", start) ||
      !ReadTimestamp(req, "end", end) || (seconds && *seconds > 31'536'000))
    return ReplyEmpty(res, 400);
  auto c = FindOwned(*caller, req.matches[2], res);
  if (!c) return;
  std::optional<TimePoint> from, to;
  if (seconds && *seconds > 0) from = SystemClock().Now() - std::chrono::seconds(*seconds);
  if (start) from = std::max(from.value_or(TimePoint::min()), FromUnixMicros(*start * 1'000'000));
  if (end) to = FromUnixMicros(*end * 1'000'000);
  Json list = Json::array();
  for (const auto& f : caller->reader->ListFlips(c->id, from, to)) {
    Json j = FlipToJson(f);
    // v3's "up" cannot tell down from paused; the UI's status history can.
    if (caller->view.ui) {
      j["status"] = CheckStatusName(f.new_status);
      j["reason"] = f.reason;
    }
    list.push_back(std::move(j));
  }
  ReplyJson(res, 200, Json{{"flips", list}});
}

}  // namespace

void RegisterApiRoutes(httplib::Server& s, const HttpContext& ctx) {
  Endpoint(s, ctx, Route("/checks/?"), "GET, POST, OPTIONS", ListChecks, CreateCheck, nullptr);
  Endpoint(s, ctx, Route("/checks/" + std::string(kUuidOrKey) + "/?"), "GET, POST, DELETE, OPTIONS",
           GetCheck, UpdateCheck, DeleteCheck);
  Endpoint(s, ctx, Route("/checks/" + std::string(kUuid) + "/pause/?"), "POST, OPTIONS", nullptr,
           [](const HttpContext& c, const httplib::Request& q, httplib::Response& r) { PauseOrResume(c, q, r, true); },
           nullptr);
  Endpoint(s, ctx, Route("/checks/" + std::string(kUuid) + "/resume/?"), "POST, OPTIONS", nullptr,
           [](const HttpContext& c, const httplib::Request& q, httplib::Response& r) { PauseOrResume(c, q, r, false); },
           nullptr);
  Endpoint(s, ctx, Route("/checks/" + std::string(kUuid) + "/pings/?"), "GET, OPTIONS", ListPings, nullptr, nullptr);
  Endpoint(s, ctx, Route("/checks/" + std::string(kUuid) + R"(/pings/(\d{1,18})/body/?)"), "GET, OPTIONS",
           PingBody, nullptr, nullptr);
  Endpoint(s, ctx, Route("/checks/" + std::string(kUuidOrKey) + "/flips/?"), "GET, OPTIONS", ListFlips,
           nullptr, nullptr);
  RegisterChannelRoutes(s, ctx);
}

}  // namespace dogwatch::http_internal
