// The web UI's session endpoints (docs/web-ui.md "Session endpoints"): log in and out,
// first-run set-up, password change, project settings (API keys, ping key, badges), the
// schedule preview of the check editor, and a check's uptime. Everything else the UI does goes
// through the v3 API with the session (api_auth.cpp).
#include <algorithm>

#include "api_auth.h"
#include "badges.h"
#include "dogwatch/core/clock.h"
#include "dogwatch/core/crypto.h"
#include "dogwatch/core/ids.h"
#include "dogwatch/core/log.h"
#include "dogwatch/ingest/ping.h"
#include "login_limiter.h"
#include "reader.h"
#include "routes.h"
#include "session.h"

namespace dogwatch::http_internal {
namespace {

constexpr const char* kProject = R"(/api/ui/projects/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}))";
constexpr const char* kCheckUuid = R"(([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}))";
constexpr int kPreviewRuns = 5;

// Five failures in fifteen minutes per client address and per account (SPEC §12).
LoginLimiter& Limiter() {
  static LoginLimiter limiter(5, std::chrono::minutes(15));
  return limiter;
}

bool SecureCookies(const HttpContext& ctx) { return ctx.config->server.base_url.rfind("https://", 0) == 0; }

std::string ClientAddr(const HttpContext& ctx, const httplib::Request& req) {
  RawPing raw;
  raw.peer_addr = req.remote_addr;
  raw.forwarded_for = req.get_header_value("X-Forwarded-For");
  raw.trusted_proxies = &ctx.trusted_proxies;
  return RemoteAddr(raw);
}

// A JSON object body, or a 400 written.
std::optional<Json> ObjectBody(const httplib::Request& req, httplib::Response& res) {
  Json body = req.body.empty() ? Json::object() : Json::parse(req.body, nullptr, false);
  if (body.is_discarded()) {
    ReplyError(res, 400, "could not parse request body");
    return std::nullopt;
  }
  if (!body.is_object()) {
    ReplyError(res, 400, "json validation error: value is not an object");
    return std::nullopt;
  }
  return body;
}

// body[name] as a string, or a 400 naming the field.
std::optional<std::string> StringField(const Json& body, const char* name, httplib::Response& res,
                                       size_t max_len = 1000) {
  auto it = body.find(name);
  if (it == body.end() || !it->is_string()) {
    ReplyError(res, 400, fmt::format("{}: expected a string", name));
    return std::nullopt;
  }
  std::string v = it->get<std::string>();
  if (v.size() > max_len) {
    ReplyError(res, 400, fmt::format("{}: expected at most {} characters", name, max_len));
    return std::nullopt;
  }
  return v;
}

Result<Store*> Reader(const HttpContext& ctx, httplib::Response& res) {
  auto reader = ThreadReader(ctx.database_path);
  if (!reader) ReplyFor(res, reader.error());
  return reader;
}

Json SessionJson(Store& reader, int64_t user_id, const std::string& email, const std::string& csrf) {
  Json projects = Json::array();
  for (const auto& m : reader.ListMemberships(user_id))
    projects.push_back({{"uuid", m.project.uuid}, {"name", m.project.name}, {"role", std::string(1, m.role)}});
  return Json{{"user", {{"email", email}}}, {"csrf", csrf}, {"projects", projects}};
}

// Starts a session for the user: the cookie, and the session object as the answer.
void StartSession(const HttpContext& ctx, httplib::Response& res, int64_t user_id, const std::string& email) {
  std::string token = RandomUrlSafe(43);  // 256 bits
  std::string csrf = RandomUrlSafe(32);
  TimePoint now = SystemClock().Now();
  auto writer = AccountWriter::For(ctx.database_path);
  if (!writer) return ReplyFor(res, writer.error());
  // Best effort: an expired session is never found anyway; this only keeps the table small.
  (void)(*writer)->DeleteExpiredSessions(now);
  if (auto st = (*writer)->AddSession(user_id, Sha256Hex(token), csrf, now, now + ctx.config->ui.session_lifetime);
      !st)
    return ReplyFor(res, st.error());
  SetSessionCookie(res, token, ctx.config->ui.session_lifetime, SecureCookies(ctx));
  auto reader = Reader(ctx, res);
  if (!reader) return;
  ReplyJson(res, 200, SessionJson(**reader, user_id, email, csrf));
}

struct Caller {
  Store* reader = nullptr;
  SessionInfo session;
};

// The logged-in caller (session.h's RequireSession); else a reply is written.
std::optional<Caller> RequireCaller(const HttpContext& ctx, const httplib::Request& req, httplib::Response& res) {
  auto reader = Reader(ctx, res);
  if (!reader) return std::nullopt;
  auto session = RequireSession(**reader, req, res);
  if (!session) return std::nullopt;
  return Caller{*reader, std::move(*session)};
}

// The caller's membership of the project in the URL; 404 for projects they are not in.
std::optional<Membership> RequireMember(const Caller& caller, const httplib::Request& req, httplib::Response& res,
                                        bool write) {
  auto m = caller.reader->FindMembership(caller.session.user_id, req.matches[1]);
  if (!m) {
    ReplyError(res, 404, "no such project");
    return std::nullopt;
  }
  if (write && m->role == 'r') {
    ReplyError(res, 403, "read-only members cannot change this project");
    return std::nullopt;
  }
  return m;
}

void GetSession(const HttpContext& ctx, const httplib::Request& req, httplib::Response& res) {
  auto reader = Reader(ctx, res);
  if (!reader) return;
  auto session = CurrentSession(**reader, req, SystemClock().Now());
  if (!session) {
    bool setup = !ctx.setup_token.empty() && (*reader)->CountUsers() == 0;
    return ReplyJson(res, 401, Json{{"error", "not logged in"}, {"setup", setup}});
  }
  ReplyJson(res, 200, SessionJson(**reader, session->user_id, session->email, session->csrf_token));
}

// The Argon2id verification cost, paid also for unknown emails so timing does not tell them apart.
bool CheckPassword(const std::optional<std::pair<User, std::string>>& user, const std::string& password) {
  static const std::string kDummyHash = HashPassword("not a real password, only for timing").value();
  return VerifyPassword(password, user ? user->second : kDummyHash) && user.has_value();
}

void Login(const HttpContext& ctx, const httplib::Request& req, httplib::Response& res) {
  auto body = ObjectBody(req, res);
  if (!body) return;
  auto email = StringField(*body, "email", res, 254);
  if (!email) return;
  auto password = StringField(*body, "password", res);
  if (!password) return;
  const TimePoint now = SystemClock().Now();
  std::string lower = *email;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  const std::string ip_key = "ip:" + ClientAddr(ctx, req), user_key = "user:" + lower;
  auto wait = Limiter().Blocked(ip_key, now);
  if (!wait) wait = Limiter().Blocked(user_key, now);
  if (wait) {
    res.set_header("Retry-After", std::to_string(wait->count()));
    return ReplyError(res, 429, fmt::format("too many failed logins; try again in {} seconds", wait->count()));
  }
  auto reader = Reader(ctx, res);
  if (!reader) return;
  auto user = (*reader)->FindUserWithHash(*email);
  if (!CheckPassword(user, *password)) {
    Limiter().RecordFailure(ip_key, now);
    Limiter().RecordFailure(user_key, now);
    log::Warn("login_failed remote={}", ClientAddr(ctx, req));
    return ReplyError(res, 401, "wrong email or password");
  }
  Limiter().Forget(user_key);
  StartSession(ctx, res, user->first.id, user->first.email);
}

void Logout(const HttpContext& ctx, const httplib::Request& req, httplib::Response& res) {
  auto caller = RequireCaller(ctx, req, res);
  if (!caller) return;
  auto writer = AccountWriter::For(ctx.database_path);
  if (!writer) return ReplyFor(res, writer.error());
  if (auto st = (*writer)->DeleteSession(Sha256Hex(SessionToken(req))); !st) return ReplyFor(res, st.error());
  ClearSessionCookie(res, SecureCookies(ctx));
  ReplyEmpty(res, 204);
}

void Setup(const HttpContext& ctx, const httplib::Request& req, httplib::Response& res) {
  auto body = ObjectBody(req, res);
  if (!body) return;
  auto token = StringField(*body, "token", res);
  if (!token) return;
  if (ctx.setup_token.empty() || !ConstantTimeEqual(*token, ctx.setup_token))
    return ReplyError(res, 403, "this set-up link is no longer valid");
  auto email = StringField(*body, "email", res, 254);
  if (!email) return;
  if (!PlausibleEmail(*email)) return ReplyError(res, 400, "email: expected an email address");
  auto password = StringField(*body, "password", res);
  if (!password) return;
  if (password->size() < kMinPasswordLength)
    return ReplyError(res, 400, fmt::format("password: expected at least {} characters", kMinPasswordLength));
  auto project = StringField(*body, "project", res, 100);
  if (!project) return;
  if (project->find_first_not_of(" \t") == std::string::npos)
    return ReplyError(res, 400, "project: expected a name");
  auto hash = HashPassword(*password);
  if (!hash) return ReplyFor(res, hash.error());
  std::optional<User> user;
  {  // the writer's lock is released before StartSession takes it again
    auto writer = AccountWriter::For(ctx.database_path);
    if (!writer) return ReplyFor(res, writer.error());
    auto created = (*writer)->AddFirstUser(*email, *hash, *project, SystemClock().Now());
    if (!created) {
      if (created.error().code == Errc::kAlreadyExists && (*writer)->CountUsers() > 0)
        return ReplyError(res, 403, "this set-up link is no longer valid");
      if (created.error().code == Errc::kAlreadyExists)
        return ReplyError(res, 400, "project: a project with this name exists");
      return ReplyFor(res, created.error());
    }
    log::Info("first_user_created project={}", log::Quote(created->second.name));
    user = created->first;
  }
  StartSession(ctx, res, user->id, user->email);
}

void ChangePassword(const HttpContext& ctx, const httplib::Request& req, httplib::Response& res) {
  auto caller = RequireCaller(ctx, req, res);
  if (!caller) return;
  auto body = ObjectBody(req, res);
  if (!body) return;
  auto current = StringField(*body, "current", res);
  if (!current) return;
  auto fresh = StringField(*body, "new", res);
  if (!fresh) return;
  const TimePoint now = SystemClock().Now();
  const std::string user_key = "user:" + caller->session.email;
  if (auto wait = Limiter().Blocked(user_key, now)) {
    res.set_header("Retry-After", std::to_string(wait->count()));
    return ReplyError(res, 429, fmt::format("too many failed attempts; try again in {} seconds", wait->count()));
  }
  if (!CheckPassword(caller->reader->FindUserWithHashById(caller->session.user_id), *current)) {
    Limiter().RecordFailure(user_key, now);
    return ReplyError(res, 400, "current: wrong password");
  }
  if (fresh->size() < kMinPasswordLength)
    return ReplyError(res, 400, fmt::format("new: expected at least {} characters", kMinPasswordLength));
  auto hash = HashPassword(*fresh);
  if (!hash) return ReplyFor(res, hash.error());
  auto writer = AccountWriter::For(ctx.database_path);
  if (!writer) return ReplyFor(res, writer.error());
  if (auto st = (*writer)->SetPasswordHashById(caller->session.user_id, *hash); !st) return ReplyFor(res, st.error());
  // Anyone else holding a session of this account is logged out; this browser stays in.
  if (auto st = (*writer)->DeleteOtherSessions(caller->session.user_id, Sha256Hex(SessionToken(req))); !st)
    return ReplyFor(res, st.error());
  log::Info("password_changed user_id={}", caller->session.user_id);
  ReplyEmpty(res, 204);
}

Json KeyJson(const ApiKey& k) {
  Json j{{"id", k.id}, {"prefix", k.prefix}, {"name", k.name}, {"read_only", k.read_only},
         {"created", FormatIsoApi(k.created)}, {"last_used", nullptr}};
  if (k.last_used) j["last_used"] = FormatIsoApi(*k.last_used);
  return j;
}

void GetProject(const HttpContext& ctx, const httplib::Request& req, httplib::Response& res) {
  auto caller = RequireCaller(ctx, req, res);
  if (!caller) return;
  auto m = RequireMember(*caller, req, res, /*write=*/false);
  if (!m) return;
  const Project& p = m->project;
  Json keys = Json::array();
  if (m->role != 'r')
    for (const auto& k : caller->reader->ListProjectApiKeys(p.id)) keys.push_back(KeyJson(k));
  ReplyJson(res, 200,
            Json{{"uuid", p.uuid},
                 {"name", p.name},
                 {"role", std::string(1, m->role)},
                 {"ping_key", p.ping_key},
                 {"ping_url", ctx.config->server.base_url + "/ping/" + p.ping_key},
                 {"api_keys", keys},
                 {"badges", BadgeUrls(ctx, p, caller->reader->ListChecks(p.id))}});
}

void CreateKey(const HttpContext& ctx, const httplib::Request& req, httplib::Response& res) {
  auto caller = RequireCaller(ctx, req, res);
  if (!caller) return;
  auto m = RequireMember(*caller, req, res, /*write=*/true);
  if (!m) return;
  auto body = ObjectBody(req, res);
  if (!body) return;
  std::string name;
  if (body->contains("name")) {
    auto n = StringField(*body, "name", res, 100);
    if (!n) return;
    name = *n;
  }
  bool read_only = false;
  if (auto it = body->find("read_only"); it != body->end()) {
    if (!it->is_boolean()) return ReplyError(res, 400, "read_only: expected true or false");
    read_only = it->get<bool>();
  }
  auto writer = AccountWriter::For(ctx.database_path);
  if (!writer) return ReplyFor(res, writer.error());
  auto key = (*writer)->CreateApiKey(m->project.id, read_only, name, SystemClock().Now());
  if (!key) return ReplyFor(res, key.error());
  log::Info("api_key_created project={} prefix={} read_only={}", log::Quote(m->project.name), key->substr(0, 8),
            read_only);
  ReplyJson(res, 201, Json{{"key", *key}, {"prefix", key->substr(0, 8)}, {"name", name}, {"read_only", read_only}});
}

void RevokeKey(const HttpContext& ctx, const httplib::Request& req, httplib::Response& res) {
  auto caller = RequireCaller(ctx, req, res);
  if (!caller) return;
  auto m = RequireMember(*caller, req, res, /*write=*/true);
  if (!m) return;
  int64_t id = std::strtoll(req.matches[2].str().c_str(), nullptr, 10);
  auto writer = AccountWriter::For(ctx.database_path);
  if (!writer) return ReplyFor(res, writer.error());
  if (auto st = (*writer)->RevokeProjectApiKey(m->project.id, id); !st) {
    if (st.error().code == Errc::kNotFound) return ReplyError(res, 404, "no such API key");
    return ReplyFor(res, st.error());
  }
  log::Info("api_key_revoked project={} id={}", log::Quote(m->project.name), id);
  ReplyEmpty(res, 204);
}

// The check editor's live preview: the schedule in words and its next runs, or what is wrong.
void PreviewSchedule(const HttpContext& ctx, const httplib::Request& req, httplib::Response& res) {
  auto caller = RequireCaller(ctx, req, res);
  if (!caller) return;
  auto body = ObjectBody(req, res);
  if (!body) return;
  Check c;
  std::string kind = body->value("kind", std::string("simple"));
  auto parsed = ParseScheduleKind(kind);
  if (!parsed) return ReplyError(res, 400, "kind: expected simple, cron or oncalendar");
  c.kind = *parsed;
  auto seconds = [&](const char* name, std::chrono::seconds fallback) -> std::optional<std::chrono::seconds> {
    auto it = body->find(name);
    if (it == body->end()) return fallback;
    if (!it->is_number_integer() || it->get<int64_t>() < 1 || it->get<int64_t>() > 31536000) {
      ReplyError(res, 400, fmt::format("{}: expected a whole number of seconds from 1 to 31536000", name));
      return std::nullopt;
    }
    return std::chrono::seconds(it->get<int64_t>());
  };
  auto timeout = seconds("timeout", std::chrono::seconds(86400));
  if (!timeout) return;
  auto grace = seconds("grace", std::chrono::seconds(3600));
  if (!grace) return;
  c.timeout = *timeout;
  c.grace = *grace;
  Json next = Json::array();
  if (c.kind != ScheduleKind::kSimple) {
    auto schedule = StringField(*body, "schedule", res, 200);
    if (!schedule) return;
    c.schedule = *schedule;
    c.tz = body->value("tz", std::string("UTC"));
    if (!ctx.valid_tz || !ctx.valid_tz(c.tz)) return ReplyError(res, 400, fmt::format("tz: unknown time zone '{}'", c.tz));
    auto fire = ctx.compile_schedule(c.kind, c.schedule, c.tz);
    if (!fire) return ReplyError(res, 400, "schedule: " + fire.error().message);
    TimePoint t = SystemClock().Now();
    for (int i = 0; i < kPreviewRuns; ++i) {
      auto n = (**fire)(t);
      if (!n) break;
      next.push_back(FormatIsoApi(*n));
      t = *n;
    }
  }
  ReplyJson(res, 200, Json{{"text", ctx.describe_schedule ? ctx.describe_schedule(c) : ""}, {"next", next}});
}

// The share of the last `days` (from the check's creation at the earliest) it was not down.
double Uptime(const Check& c, const std::vector<Flip>& flips, TimePoint now, int days) {
  TimePoint start = std::max(now - std::chrono::hours(24 * days), c.created);
  if (start >= now) return 1.0;
  bool down = false;  // before the first flip a check is new, which is not down
  for (const Flip& f : flips)
    if (f.created <= start) down = f.new_status == CheckStatus::kDown;
  Micros down_time{0};
  TimePoint since = start;
  for (const Flip& f : flips) {
    if (f.created <= start) continue;
    if (f.created > now) break;
    if (down) down_time += std::chrono::duration_cast<Micros>(f.created - since);
    down = f.new_status == CheckStatus::kDown;
    since = f.created;
  }
  if (down) down_time += std::chrono::duration_cast<Micros>(now - since);
  return 1.0 - static_cast<double>(down_time.count()) /
                   static_cast<double>(std::chrono::duration_cast<Micros>(now - start).count());
}

void GetUptime(const HttpContext& ctx, const httplib::Request& req, httplib::Response& res) {
  auto caller = RequireCaller(ctx, req, res);
  if (!caller) return;
  auto m = RequireMember(*caller, req, res, /*write=*/false);
  if (!m) return;
  auto check = caller->reader->FindCheck(req.matches[2]);
  if (!check || check->project_id != m->project.id) return ReplyError(res, 404, "no such check");
  auto flips = caller->reader->ListFlips(check->id, std::nullopt, std::nullopt);
  std::sort(flips.begin(), flips.end(), [](const Flip& a, const Flip& b) { return a.created < b.created; });
  const TimePoint now = SystemClock().Now();
  Json out = Json::object();
  for (int days : {7, 30, 90}) out[std::to_string(days)] = Uptime(*check, flips, now, days);
  ReplyJson(res, 200, out);
}

using Handler = void (*)(const HttpContext&, const httplib::Request&, httplib::Response&);

}  // namespace

void RegisterUiRoutes(httplib::Server& s, const HttpContext& ctx) {
  auto bind = [&ctx](Handler h) {
    return [&ctx, h](const httplib::Request& req, httplib::Response& res) {
      res.set_header("Cache-Control", "no-store");
      h(ctx, req, res);
    };
  };
  s.Get("/api/ui/session", bind(GetSession));
  s.Post("/api/ui/login", bind(Login));
  s.Post("/api/ui/logout", bind(Logout));
  s.Post("/api/ui/setup", bind(Setup));
  s.Post("/api/ui/password", bind(ChangePassword));
  s.Post("/api/ui/schedule", bind(PreviewSchedule));
  s.Get(kProject, bind(GetProject));
  s.Post(std::string(kProject) + "/keys", bind(CreateKey));
  s.Delete(std::string(kProject) + R"(/keys/(\d{1,18}))", bind(RevokeKey));
  s.Get(std::string(kProject) + "/checks/" + kCheckUuid + "/uptime", bind(GetUptime));
}

}  // namespace dogwatch::http_internal
