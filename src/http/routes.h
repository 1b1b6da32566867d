// The routes of the HTTP API: the table of contents of everything dogwatch answers.
// Handlers run on cpp-httplib's worker threads; each must be safe to run concurrently.
#pragma once

#include <httplib.h>

#include "dogwatch/http/server.h"

namespace dogwatch::http_internal {

void RegisterRoutes(httplib::Server& server, const HttpContext& context);
void RegisterPingRoutes(httplib::Server& server, const HttpContext& context);
void RegisterApiRoutes(httplib::Server& server, const HttpContext& context);

}  // namespace dogwatch::http_internal
