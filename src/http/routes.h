// The routes of the HTTP API: the table of contents of everything dogwatch answers.
// Handlers run on cpp-httplib's worker threads; each must be safe to run concurrently.
#pragma once

#include <httplib.h>

#include "dogwatch/http/server.h"

namespace dogwatch::http_internal {

void RegisterRoutes(httplib::Server& server, const HttpContext& context);
void RegisterPingRoutes(httplib::Server& server, const HttpContext& context);
// Answers a body-less ping (GET, HEAD, OPTIONS) before routing; false if req is not one.
bool TryFastPing(const HttpContext& context, const httplib::Request& req, httplib::Response& res);
void RegisterApiRoutes(httplib::Server& server, const HttpContext& context);
// The channel endpoints: v3's list, plus create, read, update, delete and test (an extension).
void RegisterChannelRoutes(httplib::Server& server, const HttpContext& context);
// The web UI: its pages and files (ui_pages.cpp), its session endpoints under /api/ui/
// (ui_routes.cpp), and badges (badge_routes.cpp).
void RegisterUiPages(httplib::Server& server);
void RegisterUiRoutes(httplib::Server& server, const HttpContext& context);
void RegisterBadgeRoutes(httplib::Server& server, const HttpContext& context);
// Prometheus: per project (Healthchecks' paths) and the process's /metrics (metrics_routes.cpp).
// Before RegisterUiPages, whose /projects/... pattern would otherwise answer them.
void RegisterMetricsRoutes(httplib::Server& server, const HttpContext& context);

}  // namespace dogwatch::http_internal
