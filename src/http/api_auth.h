// Management API plumbing shared by its handlers: CORS headers, JSON and error replies, the
// request body and API key checks of reference §2.2 (body parsed before the key is looked at;
// the header beats the body; read-only keys only on read endpoints). Thread-safe.
#pragma once

#include <httplib.h>

#include <optional>

#include "api_json.h"
#include "dogwatch/http/server.h"
#include "dogwatch/store/store.h"

namespace dogwatch::http_internal {

struct ApiCaller {
  int64_t project_id = 0;
  ApiView view;
  Json body;  // the parsed request body ({} when empty)
  Store* reader = nullptr;
};

enum class Access { kRead, kWrite };

void SetCors(httplib::Response& res, const char* methods);
void ReplyJson(httplib::Response& res, int status, const Json& body);
void ReplyError(httplib::Response& res, int status, const std::string& message);
void ReplyEmpty(httplib::Response& res, int status);
// Maps a monitor or store error to Healthchecks' replies (403/404 empty, 400/401 JSON).
void ReplyFor(httplib::Response& res, const Error& e);

// 403 for an edit of a check or channel declared in the config file (SPEC §9): the message
// names the file, where the change belongs.
void ReplyManaged(const HttpContext& ctx, httplib::Response& res, const char* what);

using Handler = void (*)(const HttpContext&, const httplib::Request&, httplib::Response&);

// Registers an endpoint: its methods, OPTIONS (204, no auth) and 405 for the rest. Absent
// handlers (nullptr) answer 405.
void Endpoint(httplib::Server& s, const HttpContext& ctx, const std::string& pattern,
              const char* allowed, Handler get, Handler post, Handler del);

// Authenticates and parses; on failure it has written the reply and returns nullopt.
std::optional<ApiCaller> Authenticate(const HttpContext& ctx, const httplib::Request& req,
                                      httplib::Response& res, Access access);

// "Next fire after t" for a cron or OnCalendar check (nullptr for simple ones), for the computed
// status and next_ping. A schedule that no longer compiles never fires.
std::shared_ptr<const NextFireFn> NextFireOf(const HttpContext& ctx, const Check& c);

}  // namespace dogwatch::http_internal
