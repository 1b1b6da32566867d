// Badge endpoints (reference §4.1): project and tag badges at /badge/<key>/<sig>[/<tag>].<fmt>,
// single-check badges at /b/<states>/<badge_key>.<fmt>, and GET /api/v3/badges/. Badges are
// public by design (their URLs are the secret), never cached, and open to any origin.
#include "api_auth.h"
#include "badges.h"
#include "dogwatch/core/clock.h"
#include "dogwatch/core/crypto.h"
#include "reader.h"
#include "routes.h"

namespace dogwatch::http_internal {
namespace {

constexpr const char* kSiteLabel = "dogwatch";

void Count(const HttpContext& ctx, const Check& c, TimePoint now, BadgeCounts& counts) {
  CheckStatus s = ComputedStatus(StateOf(c, NextFireOf(ctx, c)), now);
  ++counts.total;
  if (s == CheckStatus::kDown) ++counts.down;
  if (s == CheckStatus::kGrace) ++counts.grace;
}

void Reply(httplib::Response& res, const std::string& fmt_name, const std::string& label, BadgeStatus status,
           const BadgeCounts& counts) {
  res.set_header("Cache-Control", "max-age=0, no-cache, no-store, must-revalidate, private");
  res.set_header("Access-Control-Allow-Origin", "*");
  if (fmt_name == "svg") return res.set_content(BadgeSvg(label, status), "image/svg+xml");
  if (fmt_name == "json") return ReplyJson(res, 200, BadgeJson(status, counts));
  ReplyJson(res, 200, ShieldsJson(label, status));
}

void ProjectBadge(const HttpContext& ctx, const httplib::Request& req, httplib::Response& res, const std::string& tag,
                  const std::string& fmt_name) {
  const std::string badge_key = req.matches[1], sig = req.matches[2];
  const bool with_late = !(sig.size() == 10 && sig.ends_with("-2"));
  if (!ConstantTimeEqual(sig, BadgeSignature(badge_key, tag, ctx.badge_secret, with_late))) return ReplyEmpty(res, 404);
  auto reader = ThreadReader(ctx.database_path);
  if (!reader) return ReplyFor(res, reader.error());
  auto project = (*reader)->FindProjectByBadgeKey(badge_key);
  if (!project) return ReplyEmpty(res, 404);
  BadgeCounts counts;
  const TimePoint now = SystemClock().Now();
  for (const Check& c : (*reader)->ListChecks(project->id))
    if (tag == "*" || HasTag(c.tags, tag)) Count(ctx, c, now, counts);
  Reply(res, fmt_name, tag == "*" ? kSiteLabel : tag, Aggregate(counts, with_late), counts);
}

void CheckBadge(const HttpContext& ctx, const httplib::Request& req, httplib::Response& res) {
  const bool with_late = req.matches[1] == "3";
  auto reader = ThreadReader(ctx.database_path);
  if (!reader) return ReplyFor(res, reader.error());
  auto check = (*reader)->FindCheckByBadgeKey(req.matches[2]);
  if (!check) return ReplyEmpty(res, 404);
  BadgeCounts counts;
  Count(ctx, *check, SystemClock().Now(), counts);
  Reply(res, req.matches[3], check->name.empty() ? check->uuid : check->name, Aggregate(counts, with_late), counts);
}

void ListBadges(const HttpContext& ctx, const httplib::Request& req, httplib::Response& res) {
  SetCors(res, "GET, OPTIONS");
  auto caller = Authenticate(ctx, req, res, Access::kRead);
  if (!caller) return;
  auto project = caller->reader->FindProject(caller->project_id);
  if (!project) return ReplyEmpty(res, 404);
  ReplyJson(res, 200, Json{{"badges", BadgeUrls(ctx, *project, caller->reader->ListChecks(project->id))}});
}

}  // namespace

void RegisterBadgeRoutes(httplib::Server& s, const HttpContext& ctx) {
  s.Get(R"(/badge/([A-Za-z0-9-]{1,64})/([A-Za-z0-9_-]{8}(?:-2)?)/(.{1,100})\.(svg|json|shields)/?)",
        [&ctx](const httplib::Request& req, httplib::Response& res) {
          ProjectBadge(ctx, req, res, req.matches[3], req.matches[4]);
        });
  s.Get(R"(/badge/([A-Za-z0-9-]{1,64})/([A-Za-z0-9_-]{8}(?:-2)?)\.(svg|json|shields)/?)",
        [&ctx](const httplib::Request& req, httplib::Response& res) {
          ProjectBadge(ctx, req, res, "*", req.matches[3]);
        });
  s.Get(R"(/b/(\d{1,2})/([0-9a-f-]{36})\.(svg|json|shields)/?)",
        [&ctx](const httplib::Request& req, httplib::Response& res) { CheckBadge(ctx, req, res); });
  Endpoint(s, ctx, R"(/api/v([123])/badges/?)", "GET, OPTIONS", ListBadges, nullptr, nullptr);
}

}  // namespace dogwatch::http_internal
