#include "api_auth.h"

#include "dogwatch/core/log.h"
#include "reader.h"
#include "session.h"

namespace dogwatch::http_internal {

void SetCors(httplib::Response& res, const char* methods) {
  res.set_header("Access-Control-Allow-Origin", "*");
  res.set_header("Access-Control-Allow-Headers", "X-Api-Key");
  res.set_header("Access-Control-Allow-Methods", methods);
  res.set_header("Access-Control-Max-Age", "600");
}

void ReplyJson(httplib::Response& res, int status, const Json& body) {
  res.status = status;
  res.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), "application/json");
}

void ReplyError(httplib::Response& res, int status, const std::string& message) {
  ReplyJson(res, status, Json{{"error", message}});
}

void ReplyEmpty(httplib::Response& res, int status) {
  res.status = status;
  res.set_content("", "text/plain");
}

void ReplyManaged(const HttpContext& ctx, httplib::Response& res, const char* what) {
  ReplyError(res, 403,
             fmt::format("this {} is managed by the config file {}; change it there and run dogwatch reload", what,
                         ctx.config->source));
}

void Endpoint(httplib::Server& s, const HttpContext& ctx, const std::string& pattern, const char* allowed,
              Handler get, Handler post, Handler del) {
  auto bind = [&ctx](Handler h) {
    return [&ctx, h](const httplib::Request& req, httplib::Response& res) { h(ctx, req, res); };
  };
  auto not_allowed = [allowed](const httplib::Request&, httplib::Response& res) {
    SetCors(res, allowed);
    ReplyEmpty(res, 405);
  };
  s.Options(pattern, [allowed](const httplib::Request&, httplib::Response& res) {
    SetCors(res, allowed);
    ReplyEmpty(res, 204);
  });
  if (get) s.Get(pattern, bind(get)); else s.Get(pattern, not_allowed);
  if (post) s.Post(pattern, bind(post)); else s.Post(pattern, not_allowed);
  if (del) s.Delete(pattern, bind(del)); else s.Delete(pattern, not_allowed);
  s.Put(pattern, not_allowed);
  s.Patch(pattern, not_allowed);
}

void ReplyFor(httplib::Response& res, const Error& e) {
  switch (e.code) {
    case Errc::kInvalidArgument: return ReplyError(res, 400, e.message);
    case Errc::kUnauthenticated: return ReplyError(res, 401, e.message);
    case Errc::kPermissionDenied: return ReplyEmpty(res, 403);
    case Errc::kNotFound: return ReplyEmpty(res, 404);
    case Errc::kConflict:
      res.status = 409;
      return res.set_content(e.message, "text/plain");
    case Errc::kAlreadyExists:
    case Errc::kTooLarge:
    case Errc::kRateLimited:
    case Errc::kUnavailable:
    case Errc::kInternal:
      log::Error("api_unavailable error={}", log::Quote(e.message));
      return ReplyError(res, 503, "service unavailable, try again");
  }
}

namespace {

bool AuthenticateSession(const HttpContext& ctx, const httplib::Request& req, httplib::Response& res,
                         Access access, ApiCaller& caller) {
  auto reader = ThreadReader(ctx.database_path);
  if (!reader) {
    ReplyFor(res, reader.error());
    return false;
  }
  caller.reader = *reader;
  auto session = RequireSession(**reader, req, res);
  if (!session) return false;
  auto member = (*reader)->FindMembership(session->user_id, req.get_header_value("X-Dogwatch-Project"));
  if (!member) {
    ReplyError(res, 403, "not a member of this project");
    return false;
  }
  if (access == Access::kWrite && member->role == 'r') {
    ReplyError(res, 403, "read-only members cannot change checks");
    return false;
  }
  caller.project_id = member->project.id;
  caller.view.read_only = member->role == 'r';
  caller.view.ui = true;
  return true;
}

}  // namespace

std::optional<ApiCaller> Authenticate(const HttpContext& ctx, const httplib::Request& req,
                                      httplib::Response& res, Access access) {
  ApiCaller caller;
  caller.view.version = req.matches.size() > 1 ? std::stoi(req.matches[1]) : 3;
  caller.view.base_url = ctx.config->server.base_url;
  caller.body = Json::object();
  if (req.method == "POST" && !req.body.empty()) {
    caller.body = Json::parse(req.body, nullptr, /*allow_exceptions=*/false);
    if (caller.body.is_discarded()) {
      ReplyError(res, 400, "could not parse request body");
      return std::nullopt;
    }
    if (!caller.body.is_object()) {
      ReplyError(res, 400, "json validation error: value is not an object");
      return std::nullopt;
    }
  }
  // The web UI: its session cookie and the project it is looking at, instead of an API key. A
  // key, when sent, still wins, so API clients see exactly Healthchecks' behaviour.
  if (!req.has_header("X-Api-Key") && req.has_header("X-Dogwatch-Project")) {
    if (!AuthenticateSession(ctx, req, res, access, caller)) return std::nullopt;
    return caller;
  }
  std::string key;
  if (req.has_header("X-Api-Key")) {
    key = req.get_header_value("X-Api-Key");
  } else if (access == Access::kWrite && req.method == "POST") {
    auto it = caller.body.find("api_key");
    if (it != caller.body.end() && it->is_string()) key = it->get<std::string>();
  }
  if (key.size() != 32) {
    ReplyError(res, 401, "missing api key");
    return std::nullopt;
  }
  auto reader = ThreadReader(ctx.database_path);
  if (!reader) {
    ReplyFor(res, reader.error());
    return std::nullopt;
  }
  caller.reader = *reader;
  auto grant = caller.reader->FindApiKey(key);
  if (!grant || (access == Access::kWrite && grant->read_only)) {
    ReplyError(res, 401, "wrong api key");
    return std::nullopt;
  }
  caller.project_id = grant->project_id;
  caller.view.read_only = grant->read_only;
  return caller;
}

std::shared_ptr<const NextFireFn> NextFireOf(const HttpContext& ctx, const Check& c) {
  if (c.kind == ScheduleKind::kSimple || !ctx.compile_schedule) return nullptr;
  auto r = ctx.compile_schedule(c.kind, c.schedule, c.tz);
  if (r) return *r;
  return std::make_shared<const NextFireFn>([](TimePoint) { return std::optional<TimePoint>(); });
}

}  // namespace dogwatch::http_internal
