// Channels over the API. GET /api/v3/channels/ is exactly Healthchecks' list (reference §2.10).
// The rest is dogwatch's extension in v3 style (Healthchecks has no channel API; Terraform users
// ask for one): create, read, update, delete and test, each JSON, each validated per kind with
// errors that name the field. Secrets are never returned in full. Read-write keys only, as for
// the list. Writes go through the notifier, which owns channel rows.
#include "api_auth.h"
#include "dogwatch/core/time.h"
#include "dogwatch/notify/kinds.h"
#include "routes.h"

namespace dogwatch::http_internal {
namespace {

constexpr const char* kChannelUuid =
    R"(/api/v([123])/channels/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}))";
constexpr size_t kMaxName = 100;

Json Detail(const Channel& c) {
  nlohmann::json value = nlohmann::json::parse(c.value, nullptr, false);
  if (value.is_discarded()) value = nlohmann::json::object();
  Json j = ChannelToJson(c);
  j["value"] = Json::parse(RedactChannelValue(c.kind, value).dump());
  j["created"] = FormatIsoApi(c.created);
  j["last_notify"] = c.last_notify ? Json(FormatIsoApi(*c.last_notify)) : Json(nullptr);
  j["last_error"] = c.last_error;
  j["managed_by"] = c.source == Source::kConfig ? "config" : "api";
  return j;
}

Error Invalid(const std::string& what) {
  return {Errc::kInvalidArgument, "json validation error: " + what};
}

// The caller's channel named in the URL; on failure the reply is written.
std::optional<Channel> OwnedChannel(const ApiCaller& caller, const httplib::Request& req,
                                    httplib::Response& res) {
  auto c = caller.reader->FindChannel(req.matches[2]);
  if (!c) {
    ReplyEmpty(res, 404);
    return std::nullopt;
  }
  if (c->project_id != caller.project_id) {
    ReplyEmpty(res, 403);
    return std::nullopt;
  }
  return c;
}

// Applies the body's name, kind and value to `c`. `existing` is set for updates, where every
// field is optional and a secret sent back redacted keeps its stored value.
Status ApplyBody(const HttpContext& ctx, const Json& body, Channel& c, bool existing) {
  for (const auto& [key, v] : body.items()) {
    if (key != "name" && key != "kind" && key != "value" && key != "api_key")
      return Invalid("unknown field '" + key + "'");
  }
  if (body.contains("name")) {
    if (!body["name"].is_string()) return Invalid("name is not a string");
    c.name = body["name"].get<std::string>();
    if (c.name.size() > kMaxName) return Invalid("name is too long");
  }
  if (body.contains("kind")) {
    if (!body["kind"].is_string()) return Invalid("kind is not a string");
    std::string kind = body["kind"].get<std::string>();
    if (!IsChannelKind(kind)) {
      std::string kinds;
      for (auto k : ChannelKinds()) kinds += (kinds.empty() ? "" : ", ") + std::string(k);
      return Invalid("kind must be one of " + kinds);
    }
    if (existing && kind != c.kind && !body.contains("value"))
      return Invalid("value is required when kind changes");
    c.kind = kind;
  } else if (!existing) {
    return Invalid("kind is required");
  }
  if (c.kind == "shell" && !ctx.config->alerts.shell_enabled)
    return Invalid("kind shell is disabled on this server ([alerts] shell_enabled = false)");
  if (body.contains("value") || !existing) {
    if (!body.contains("value")) return Invalid("value is required");
    if (!body["value"].is_object()) return Invalid("value is not an object");
    nlohmann::json value = nlohmann::json::parse(body["value"].dump());
    nlohmann::json previous = nlohmann::json::parse(c.value.empty() ? "{}" : c.value, nullptr, false);
    bool same_kind = existing && !previous.is_discarded();
    auto valid = ValidateChannelValue(c.kind, value, same_kind ? &previous : nullptr);
    if (!valid) return Invalid(valid.error().message);
    c.value = valid->dump();
  }
  return Ok();
}

void ListChannels(const HttpContext& ctx, const httplib::Request& req, httplib::Response& res) {
  SetCors(res, "GET, POST, OPTIONS");
  auto caller = Authenticate(ctx, req, res, Access::kWrite);  // read-write keys only
  if (!caller) return;
  Json list = Json::array();
  for (const auto& ch : caller->reader->ListChannels(caller->project_id)) list.push_back(ChannelToJson(ch));
  ReplyJson(res, 200, Json{{"channels", list}});
}

void CreateChannel(const HttpContext& ctx, const httplib::Request& req, httplib::Response& res) {
  SetCors(res, "GET, POST, OPTIONS");
  auto caller = Authenticate(ctx, req, res, Access::kWrite);
  if (!caller) return;
  Channel c;
  c.project_id = caller->project_id;
  if (auto st = ApplyBody(ctx, caller->body, c, false); !st) return ReplyFor(res, st.error());
  auto created = ctx.notifier->CreateChannel(std::move(c));
  if (!created) return ReplyFor(res, created.error());
  ReplyJson(res, 201, Detail(*created));
}

void GetChannel(const HttpContext& ctx, const httplib::Request& req, httplib::Response& res) {
  SetCors(res, "GET, POST, DELETE, OPTIONS");
  auto caller = Authenticate(ctx, req, res, Access::kWrite);
  if (!caller) return;
  if (auto c = OwnedChannel(*caller, req, res)) ReplyJson(res, 200, Detail(*c));
}

void UpdateChannel(const HttpContext& ctx, const httplib::Request& req, httplib::Response& res) {
  SetCors(res, "GET, POST, DELETE, OPTIONS");
  auto caller = Authenticate(ctx, req, res, Access::kWrite);
  if (!caller) return;
  auto c = OwnedChannel(*caller, req, res);
  if (!c) return;
  if (c->source == Source::kConfig) return ReplyManaged(ctx, res, "channel");
  if (auto st = ApplyBody(ctx, caller->body, *c, true); !st) return ReplyFor(res, st.error());
  if (auto st = ctx.notifier->UpdateChannel(*c); !st) return ReplyFor(res, st.error());
  ReplyJson(res, 200, Detail(*c));
}

void DeleteChannel(const HttpContext& ctx, const httplib::Request& req, httplib::Response& res) {
  SetCors(res, "GET, POST, DELETE, OPTIONS");
  auto caller = Authenticate(ctx, req, res, Access::kWrite);
  if (!caller) return;
  auto c = OwnedChannel(*caller, req, res);
  if (!c) return;
  if (c->source == Source::kConfig) return ReplyManaged(ctx, res, "channel");
  if (auto st = ctx.notifier->DeleteChannel(c->id); !st) return ReplyFor(res, st.error());
  ReplyJson(res, 200, Detail(*c));
}

void TestChannel(const HttpContext& ctx, const httplib::Request& req, httplib::Response& res) {
  SetCors(res, "POST, OPTIONS");
  auto caller = Authenticate(ctx, req, res, Access::kWrite);
  if (!caller) return;
  auto c = OwnedChannel(*caller, req, res);
  if (!c) return;
  SendOutcome outcome = ctx.notifier->SendTest(*c);
  const char* result = outcome.ok()                                  ? "delivered"
                       : outcome.result == SendResult::kTransient ? "transient_error"
                                                                  : "permanent_error";
  ReplyJson(res, 200, Json{{"ok", outcome.ok()}, {"result", result}, {"error", outcome.error}});
}

}  // namespace

void RegisterChannelRoutes(httplib::Server& s, const HttpContext& ctx) {
  Endpoint(s, ctx, R"(/api/v([123])/channels/?)", "GET, POST, OPTIONS", ListChannels, CreateChannel,
           nullptr);
  Endpoint(s, ctx, std::string(kChannelUuid) + "/?", "GET, POST, DELETE, OPTIONS", GetChannel,
           UpdateChannel, DeleteChannel);
  Endpoint(s, ctx, std::string(kChannelUuid) + "/test/?", "POST, OPTIONS", nullptr, TestChannel,
           nullptr);
}

}  // namespace dogwatch::http_internal
