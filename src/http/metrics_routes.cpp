// Prometheus endpoints. Per project as in Healthchecks (reference §4.2):
// /projects/<uuid>/metrics/<ro-key>, /projects/<uuid>/metrics/ with a Bearer key, and the alias
// /projects/<uuid>/checks/metrics/<key>. The key decides the project; the uuid in the path is not
// cross-checked, as in Healthchecks. And the process's own metrics at /metrics (SPEC §11),
// guarded by [server] metrics_token or, without one, answered to loopback peers only.
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>

#include "api_auth.h"
#include "api_json.h"
#include "dogwatch/core/clock.h"
#include "dogwatch/core/counters.h"
#include "dogwatch/core/crypto.h"
#include "dogwatch/core/log.h"
#include "dogwatch/ingest/ping.h"
#include "metrics.h"
#include "reader.h"
#include "routes.h"

namespace dogwatch::http_internal {
namespace {

constexpr const char* kUuid = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

void NoCache(httplib::Response& res) { res.set_header("Cache-Control", "no-cache, no-store, must-revalidate"); }

// "Bearer <token>" → token; nullopt without the scheme.
std::optional<std::string> BearerToken(const httplib::Request& req) {
  const std::string header = req.get_header_value("Authorization");
  if (header.rfind("Bearer ", 0) != 0) return std::nullopt;
  return header.substr(7);
}

void ProjectMetricsEndpoint(const HttpContext& ctx, const httplib::Request& req, httplib::Response& res,
                            std::string key) {
  if (key.empty()) {
    auto bearer = BearerToken(req);
    if (!bearer) return ReplyEmpty(res, 401);
    key = *bearer;
  }
  if (key.size() != 32) return ReplyEmpty(res, 400);
  auto reader = ThreadReader(ctx.database_path);
  if (!reader) return ReplyFor(res, reader.error());
  auto grant = (*reader)->FindApiKey(key);
  if (!grant || !grant->read_only) return ReplyEmpty(res, 403);
  const TimePoint now = SystemClock().Now();
  std::vector<CheckMetrics> checks;
  for (const Check& c : (*reader)->ListChecks(grant->project_id)) {
    CheckState state = StateOf(c, NextFireOf(ctx, c));
    checks.push_back(CheckMetrics{c.name, c.tags, UniqueKey(c.uuid), ComputedStatus(state, now),
                                  state.last_start.has_value()});
  }
  NoCache(res);
  res.set_content(ProjectMetrics(checks), kPrometheusContentType);
}

bool Loopback(const HttpContext& ctx, const httplib::Request& req) {
  static const Cidr kV4 = *ParseCidr("127.0.0.0/8");
  static const Cidr kV6 = *ParseCidr("::1");
  RawPing raw;  // the client as logins see it: a trusted proxy's X-Forwarded-For is believed
  raw.peer_addr = req.remote_addr;
  raw.forwarded_for = req.get_header_value("X-Forwarded-For");
  raw.trusted_proxies = &ctx.trusted_proxies;
  const std::string addr = RemoteAddr(raw);
  return CidrContains(kV4, addr) || CidrContains(kV6, addr);
}

// Resident set size from /proc/self/statm (pages); 0 when unreadable.
uint64_t ResidentBytes() {
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  if (!f) return 0;
  unsigned long long size = 0, resident = 0;
  int n = std::fscanf(f, "%llu %llu", &size, &resident);
  std::fclose(f);
  if (n != 2) return 0;
  return resident * static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
}

uint64_t FileBytes(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
}

void ProcessMetrics(const HttpContext& ctx, const httplib::Request& req, httplib::Response& res) {
  NoCache(res);
  const std::string& token = ctx.config->server.metrics_token;
  if (token.empty()) {
    if (!Loopback(ctx, req)) {
      res.status = 403;
      return res.set_content("metrics are served to loopback peers only; set [server] metrics_token\n",
                             "text/plain");
    }
  } else {
    auto bearer = BearerToken(req);
    if (!bearer) {
      res.status = 401;
      res.set_header("WWW-Authenticate", "Bearer");
      return res.set_content("missing bearer token\n", "text/plain");
    }
    if (!ConstantTimeEqual(*bearer, token)) {
      res.status = 403;
      return res.set_content("wrong bearer token\n", "text/plain");
    }
  }

  std::string out;
  ProcessCounters& counters = Counters();
  std::vector<Sample> samples;
  for (int k = 0; k < 5; ++k)
    samples.push_back({fmt::format("kind=\"{}\"", PingKindName(static_cast<PingKind>(k))),
                       counters.pings_by_kind[k].load(std::memory_order_relaxed)});
  AppendBlock(out, "dogwatch_pings_total", "counter", "Pings recorded since start-up, by the kind they were stored as.",
              samples);

  samples.clear();
  for (int s = 0; s < 600; ++s)
    if (uint64_t n = counters.http_by_status[s].load(std::memory_order_relaxed))
      samples.push_back({fmt::format("status=\"{}\"", s), n});
  AppendBlock(out, "dogwatch_http_requests_total", "counter",
              "Requests answered by the API worker pool (not pings answered by the event loop), by status.",
              samples);

  auto reader = ThreadReader(ctx.database_path);
  if (!reader) return ReplyFor(res, reader.error());
  uint64_t by_status[5] = {};
  const TimePoint now = SystemClock().Now();
  (*reader)->ForEachCheck([&](Check&& c) {
    ++by_status[static_cast<int>(ComputedStatus(StateOf(c, NextFireOf(ctx, c)), now))];
  });
  samples.clear();
  for (int s = 0; s < 5; ++s)
    samples.push_back({fmt::format("status=\"{}\"", CheckStatusName(static_cast<CheckStatus>(s))), by_status[s]});
  AppendBlock(out, "dogwatch_checks", "gauge", "Checks by their current (computed) status.", samples);

  AppendHistogram(out, "dogwatch_monitor_batch_size", "Commands (pings, creates, edits) per group-commit transaction.",
                  counters.batch_size, 1);
  AppendHistogram(out, "dogwatch_monitor_lag_seconds",
                  "From a check's deadline to the commit of its flip to down.", counters.monitor_lag_us, 1e6);

  samples.clear();
  for (const auto& [key, n] : counters.notifications.Snapshot())
    samples.push_back({fmt::format("kind=\"{}\", outcome=\"{}\"", EscapeLabel(key.first), key.second), n});
  AppendBlock(out, "dogwatch_notifications_total", "counter",
              "Notification delivery attempts since start-up, by channel kind and outcome (delivered, retry, failed).",
              samples);
  AppendBlock(out, "dogwatch_notifications_pending", "gauge",
              "Notifications waiting to be sent or retried (the notifier's queue).",
              {{"", static_cast<uint64_t>((*reader)->CountPendingNotifications())}});

  samples.clear();
  for (auto [o, name] : {std::pair{HeartbeatOutcome::kSent, "sent"}, std::pair{HeartbeatOutcome::kFailed, "failed"},
                         std::pair{HeartbeatOutcome::kSkipped, "skipped"}})
    samples.push_back({fmt::format("outcome=\"{}\"", name),
                       counters.heartbeats[static_cast<size_t>(o)].load(std::memory_order_relaxed)});
  AppendBlock(out, "dogwatch_heartbeats_total", "counter",
              "Self-monitoring pings to [heartbeat] url, by outcome (skipped: the monitor loop had stalled).",
              samples);

  AppendBlock(out, "dogwatch_db_size_bytes", "gauge", "Size of the database file and its write-ahead log.",
              {{"", FileBytes(ctx.database_path) + FileBytes(ctx.database_path + "-wal")}});
  AppendBlock(out, "dogwatch_process_resident_memory_bytes", "gauge", "Resident memory of the process.",
              {{"", ResidentBytes()}});
  res.set_content(out, kPrometheusContentType);
}

}  // namespace

void RegisterMetricsRoutes(httplib::Server& s, const HttpContext& ctx) {
  const std::string base = std::string("/projects/") + kUuid;
  s.Get(base + R"(/(?:checks/)?metrics/([-A-Za-z0-9_]+)/?)",
        [&ctx](const httplib::Request& req, httplib::Response& res) {
          ProjectMetricsEndpoint(ctx, req, res, req.matches[1]);
        });
  s.Get(base + "/metrics/", [&ctx](const httplib::Request& req, httplib::Response& res) {
    ProjectMetricsEndpoint(ctx, req, res, "");
  });
  s.Get("/metrics", [&ctx](const httplib::Request& req, httplib::Response& res) { ProcessMetrics(ctx, req, res); });
}

}  // namespace dogwatch::http_internal
