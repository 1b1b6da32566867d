// Prometheus metrics through real HTTP: Healthchecks' per-project endpoint (reference §4.2: its
// paths, its 401/400/403, its gauges) and the process's /metrics (counters that move, and its
// guard: loopback only, or a bearer token). Every body goes through a small text-format parser.
#include <doctest/doctest.h>

#include "integration/fixture.h"
#include "integration/prom.h"
#include "integration/receiver.h"

using namespace dwtest;

namespace {

// The path's project uuid is not checked against the key's project (as in Healthchecks).
constexpr const char* kProject = "/projects/0f6a3c52-7b1e-4b8a-9d3e-2c4f5a6b7c8d";

httplib::Result GetWith(ApiServer& api, const std::string& path, const httplib::Headers& h = {}) {
  return api.server().Client().Get(path.c_str(), h);
}

}  // namespace

TEST_CASE("metrics: per-project gauges, their paths and a check going down") {
  ApiServer api;
  const std::string ro = api.project().ro_key;
  Json db = api.CreateCheck({{"name", "db \"backup\"\\nightly"}, {"tags", "prod db"}, {"timeout", 1}, {"grace", 1}});
  api.CreateCheck({{"name", "web"}, {"tags", "prod"}, {"timeout", 86400}});

  auto res = GetWith(api, std::string(kProject) + "/metrics/" + ro);
  REQUIRE(res);
  REQUIRE(res->status == 200);
  CHECK(res->get_header_value("Content-Type") == "text/plain; version=0.0.4");
  auto samples = ParseProm(res->body);
  CHECK(Value(samples, "hc_checks_total") == 2);
  CHECK(Value(samples, "hc_checks_down_total") == 0);
  CHECK(Value(samples, "hc_check_up", {{"name", "web"}}) == 1);
  CHECK(Value(samples, "hc_check_up", {{"name", "db \"backup\"\\nightly"}, {"tags", "prod db"}}) == 1);
  CHECK(Value(samples, "hc_check_started", {{"name", "web"}}) == 0);
  CHECK(Value(samples, "hc_check_grace", {{"name", "web"}}) == 0);
  CHECK(Value(samples, "hc_check_paused", {{"name", "web"}}) == 0);
  CHECK(Value(samples, "hc_tag_up", {{"tag", "prod"}}) == 1);
  CHECK(Value(samples, "hc_tag_up", {{"tag", "db"}}) == 1);
  for (const auto& s : samples)
    if (s.name.rfind("hc_check_", 0) == 0) CHECK(s.labels.at("unique_key").size() == 40);
  // Blocks separated by blank lines, in Healthchecks' wording.
  CHECK(res->body.find("\n\n# HELP hc_check_started ") != std::string::npos);
  CHECK(res->body.find("# TYPE hc_checks_down_total gauge\n") != std::string::npos);

  // Bearer form and the alias path give the same body.
  auto bearer = GetWith(api, std::string(kProject) + "/metrics/", {{"Authorization", "Bearer " + ro}});
  REQUIRE(bearer);
  CHECK(bearer->status == 200);
  CHECK(bearer->body == res->body);
  auto alias = GetWith(api, std::string(kProject) + "/checks/metrics/" + ro);
  REQUIRE(alias);
  CHECK(alias->status == 200);
  CHECK(alias->body == res->body);

  // The db check goes down: its gauges, its tag and the totals say so.
  REQUIRE(api.Ping(db["uuid"]) == 200);
  REQUIRE(Eventually(
      [&] {
        auto r = GetWith(api, std::string(kProject) + "/metrics/" + ro);
        return r && r->status == 200 && Value(ParseProm(r->body), "hc_checks_down_total") == 1;
      },
      std::chrono::seconds(15)));
  samples = ParseProm(GetWith(api, std::string(kProject) + "/metrics/" + ro)->body);
  CHECK(Value(samples, "hc_check_up", {{"tags", "prod db"}}) == 0);
  CHECK(Value(samples, "hc_check_up", {{"name", "web"}}) == 1);
  CHECK(Value(samples, "hc_tag_up", {{"tag", "db"}}) == 0);
  CHECK(Value(samples, "hc_tag_up", {{"tag", "prod"}}) == 0);
}

TEST_CASE("metrics: per-project 401, 400 and 403, and the UI's pages still answer") {
  ApiServer api;
  auto status = [&](const std::string& path, const httplib::Headers& h = {}) {
    auto r = GetWith(api, path, h);
    REQUIRE(r);
    return r->status;
  };
  const std::string p = kProject;
  CHECK(status(p + "/metrics/") == 401);
  CHECK(status(p + "/metrics/", {{"Authorization", "Token " + api.project().ro_key}}) == 401);
  CHECK(status(p + "/metrics/short") == 400);
  CHECK(status(p + "/metrics/", {{"Authorization", "Bearer short"}}) == 400);
  CHECK(status(p + "/metrics/" + api.project().rw_key) == 403);  // read-write keys are refused
  CHECK(status(p + "/checks/metrics/" + api.project().rw_key) == 403);
  CHECK(status(p + "/metrics/hcr_0000000000000000000000000000") == 403);
  CHECK(status(p + "/metrics/", {{"Authorization", "Bearer " + api.project().rw_key}}) == 403);

  // The web UI's pages under /projects/ are still its index.html.
  Json c = api.CreateCheck({{"name", "x"}});
  auto page = GetWith(api, p + "/checks/" + c["uuid"].get<std::string>());
  REQUIRE(page);
  CHECK(page->status == 200);
  CHECK(page->get_header_value("Content-Type").find("text/html") != std::string::npos);
}

TEST_CASE("metrics: /metrics counters move with pings and requests") {
  ApiServer api;
  Json c = api.CreateCheck({{"name", "counted"}});
  auto scrape = [&] {
    auto r = GetWith(api, "/metrics");
    REQUIRE(r);
    REQUIRE(r->status == 200);
    CHECK(r->get_header_value("Content-Type") == "text/plain; version=0.0.4");
    return ParseProm(r->body);
  };
  auto before = scrape();
  double success = Value(before, "dogwatch_pings_total", {{"kind", "success"}});
  CHECK(success == 0);
  CHECK(Value(before, "dogwatch_pings_total", {{"kind", "fail"}}) == 0);
  CHECK(Value(before, "dogwatch_checks", {{"status", "new"}}) == 1);
  CHECK(Value(before, "dogwatch_db_size_bytes") > 0);
  CHECK(Value(before, "dogwatch_process_resident_memory_bytes") > 0);
  double ok_requests = Value(before, "dogwatch_http_requests_total", {{"status", "200"}});
  CHECK(ok_requests >= 0);

  REQUIRE(api.Ping(c["uuid"]) == 200);
  REQUIRE(api.Ping(c["uuid"]) == 200);
  REQUIRE(api.Ping(c["uuid"].get<std::string>() + "/fail") == 200);
  auto after = scrape();
  CHECK(Value(after, "dogwatch_pings_total", {{"kind", "success"}}) == success + 2);
  CHECK(Value(after, "dogwatch_pings_total", {{"kind", "fail"}}) == 1);
  CHECK(Value(after, "dogwatch_checks", {{"status", "down"}}) == 1);
  CHECK(Value(after, "dogwatch_checks", {{"status", "new"}}) == 0);
  // The first scrape itself was a 200 answered by the worker pool. A status is counted after its
  // response is written (cpp-httplib's logger), so the next request may arrive first: eventually.
  CHECK(Eventually([&] { return Value(scrape(), "dogwatch_http_requests_total", {{"status", "200"}}) >= ok_requests + 1; }));
  CHECK(api.Get("/api/v3/checks/", "hcw_0000000000000000000000000000")->status == 401);
  CHECK(Eventually([&] { return Value(scrape(), "dogwatch_http_requests_total", {{"status", "401"}}) >= 1; }));
}

TEST_CASE("metrics: /metrics is loopback-only without a token") {
  // Behind a trusted proxy on loopback, the forwarded client is what counts.
  ApiServer api("[checks]\nmin_timeout = \"1s\"\n[server]\ntrusted_proxies = [\"127.0.0.1\"]\n");
  auto direct = GetWith(api, "/metrics");
  REQUIRE(direct);
  CHECK(direct->status == 200);
  auto proxied = GetWith(api, "/metrics", {{"X-Forwarded-For", "203.0.113.9"}});
  REQUIRE(proxied);
  CHECK(proxied->status == 403);
}

TEST_CASE("metrics: /metrics with metrics_token wants the bearer token") {
  ApiServer api("[checks]\nmin_timeout = \"1s\"\n[server]\nmetrics_token = \"s3cret-metrics-token\"\n");
  auto status = [&](const httplib::Headers& h) {
    auto r = GetWith(api, "/metrics", h);
    REQUIRE(r);
    return r->status;
  };
  CHECK(status({}) == 401);
  CHECK(status({{"Authorization", "Basic czNjcmV0"}}) == 401);
  CHECK(status({{"Authorization", "Bearer wrong"}}) == 403);
  CHECK(status({{"Authorization", "Bearer s3cret-metrics-token-and-more"}}) == 403);
  auto ok = GetWith(api, "/metrics", {{"Authorization", "Bearer s3cret-metrics-token"}});
  REQUIRE(ok);
  CHECK(ok->status == 200);
  CHECK(Value(ParseProm(ok->body), "dogwatch_pings_total", {{"kind", "success"}}) == 0);
}

TEST_CASE("metrics: /metrics shows group-commit batches, monitor lag, notifications and the queue") {
  Receiver ok_rx, failing_rx;
  for (int i = 0; i < 50; ++i) failing_rx.Queue(500);  // transient: retried, stays pending
  ApiServer api("[checks]\nmin_timeout = \"1s\"\n[alerts]\nretry_initial = \"1s\"\nretry_max = \"2s\"\n");
  auto channel = [&](const Receiver& rx) {
    Json spec = {{"kind", "webhook"},
                 {"name", "hook"},
                 {"value", {{"method_down", "POST"}, {"url_down", rx.Url("/down")}, {"body_down", "$NAME"}}}};
    auto res = api.Post("/api/v3/channels/", api.project().rw_key, spec.dump());
    REQUIRE(res);
    REQUIRE(res->status == 201);
    return Json::parse(res->body)["id"].get<std::string>();
  };
  std::string channels = channel(ok_rx) + "," + channel(failing_rx);
  auto scrape = [&] {
    auto r = GetWith(api, "/metrics");
    REQUIRE(r);
    REQUIRE(r->status == 200);
    return ParseProm(r->body);
  };
  auto before = scrape();
  CHECK(Value(before, "dogwatch_monitor_lag_seconds_count") == 0);
  CHECK(Value(before, "dogwatch_notifications_pending") == 0);

  Json c = api.CreateCheck({{"name", "late"}, {"timeout", 1}, {"grace", 1}, {"channels", channels}});
  REQUIRE(api.Ping(c["uuid"]) == 200);
  REQUIRE(ok_rx.WaitFor(1));
  REQUIRE(failing_rx.WaitFor(2));  // the first attempt and one retry
  // An attempt is counted once the notifier has recorded it, just after the receiver saw it.
  std::vector<Sample> after;
  CHECK(Eventually([&] {
    after = scrape();
    return Value(after, "dogwatch_notifications_total", {{"kind", "webhook"}, {"outcome", "retry"}}) >= 2;
  }));
  // Every command went through a batch: the check's creation and its ping at least.
  double batches = Value(after, "dogwatch_monitor_batch_size_count");
  CHECK(batches >= 2);
  CHECK(Value(after, "dogwatch_monitor_batch_size_bucket", {{"le", "+Inf"}}) == batches);
  CHECK(Value(after, "dogwatch_monitor_batch_size_sum") >= batches);
  double le1 = Value(after, "dogwatch_monitor_batch_size_bucket", {{"le", "1"}});
  double le1024 = Value(after, "dogwatch_monitor_batch_size_bucket", {{"le", "1024"}});
  CHECK((le1 >= 0 && le1 <= le1024 && le1024 <= batches));
  // The flip to down was observed once, from its deadline.
  CHECK(Value(after, "dogwatch_monitor_lag_seconds_count") == 1);
  CHECK(Value(after, "dogwatch_monitor_lag_seconds_bucket", {{"le", "+Inf"}}) == 1);
  CHECK(Value(after, "dogwatch_monitor_lag_seconds_sum") >= 0);
  // One webhook delivered; the other failed and waits for its next retry.
  CHECK(Value(after, "dogwatch_notifications_total", {{"kind", "webhook"}, {"outcome", "delivered"}}) == 1);
  CHECK(Value(after, "dogwatch_notifications_total", {{"kind", "webhook"}, {"outcome", "retry"}}) >= 2);
  CHECK(Value(after, "dogwatch_notifications_total", {{"kind", "webhook"}, {"outcome", "failed"}}) == -1);
  CHECK(Value(after, "dogwatch_notifications_pending") == 1);
  // No [heartbeat] url: nothing was sent, skipped or failed.
  CHECK(Value(after, "dogwatch_heartbeats_total", {{"outcome", "sent"}}) == 0);
  CHECK(Value(after, "dogwatch_heartbeats_total", {{"outcome", "skipped"}}) == 0);
}
