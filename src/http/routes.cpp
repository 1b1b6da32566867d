#include "routes.h"

#include "dogwatch/core/log.h"
#include "reader.h"

namespace dogwatch::http_internal {
namespace {

// GET /api/vN/status[/]: liveness that also proves the database answers (reference §2.4).
void Status(const HttpContext& ctx, httplib::Response& res) {
  try {
    auto reader = ThreadReader(ctx.database_path);
    if (!reader) {
      log::Error("status_failed reason={}", log::Quote(reader.error().message));
      res.status = 503;
      res.set_content("database unavailable", "text/plain");
      return;
    }
    (*reader)->SchemaVersion();
  } catch (const std::exception& e) {
    log::Error("status_failed reason={}", log::Quote(e.what()));
    res.status = 503;
    res.set_content("database unavailable", "text/plain");
    return;
  }
  res.set_content("OK", "text/plain");
}

}  // namespace

void RegisterRoutes(httplib::Server& server, const HttpContext& ctx) {
  RegisterPingRoutes(server, ctx);
  RegisterApiRoutes(server, ctx);
  RegisterUiRoutes(server, ctx);
  RegisterBadgeRoutes(server, ctx);
  RegisterMetricsRoutes(server, ctx);
  RegisterUiPages(server);
  server.Get(R"(/api/v[123]/status/?)",
             [&ctx](const httplib::Request&, httplib::Response& res) { Status(ctx, res); });
}

}  // namespace dogwatch::http_internal
