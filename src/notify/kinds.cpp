// The catalogue of channel kinds: each kind's value fields (types, defaults, secrets), its own
// checks and its planner, in one table. Validation, redaction and planning are driven by it.
#include "dogwatch/notify/kinds.h"

#include "kinds_internal.h"

namespace dogwatch {

namespace kind_internal {
namespace {

FieldSpec Text(std::string_view name, bool required, size_t max_length = 1000) {
  return {.name = name,
          .required = required,
          .fallback = required ? Json() : Json(""),
          .max_length = max_length,
          .allow_empty = !required};
}
FieldSpec Script(std::string_view name) {  // a multi-line text that defaults to ""
  FieldSpec f = Text(name, false);
  f.multiline = true;
  return f;
}
FieldSpec Secret(std::string_view name, bool required = true) {
  return {.name = name,
          .type = FieldType::kToken,
          .required = required,
          .redaction = Redaction::kPrefix,
          .max_length = 200,
          .allow_empty = !required};
}
FieldSpec Url(std::string_view name, bool required, Redaction redaction = Redaction::kNone) {
  return {.name = name,
          .type = FieldType::kUrl,
          .required = required,
          .redaction = redaction,
          .allow_empty = !required};
}
FieldSpec Bool(std::string_view name, bool fallback) {
  return {.name = name, .type = FieldType::kBool, .fallback = fallback};
}
FieldSpec Int(std::string_view name, int min, int max, std::optional<int> fallback) {
  return {.name = name,
          .type = FieldType::kInt,
          .fallback = fallback ? Json(*fallback) : Json(),
          .min = min,
          .max = max};
}
FieldSpec Choice(std::string_view name, std::vector<std::string_view> choices) {
  Json fallback = std::string(choices.front());
  return {.name = name,
          .type = FieldType::kChoice,
          .fallback = fallback,
          .choices = std::move(choices)};
}
FieldSpec Headers(std::string_view name) {
  return {.name = name, .type = FieldType::kHeaders, .fallback = Json::object()};
}

// A Slack-style incoming webhook: the URL is the whole secret.
KindSpec SlackLike(std::string_view kind, std::string_view label) {
  return {kind, label, {Url("url", true, Redaction::kUrl)}, nullptr, nullptr, PlanSlackLike};
}

// A webhook URL: optional, "" when absent (that status stays silent), and secret.
FieldSpec HookUrl(std::string_view name) {
  FieldSpec f = Url(name, false, Redaction::kUrl);
  f.fallback = "";
  return f;
}

std::vector<KindSpec> BuildKinds() {
  const Redaction kUrlSecret = Redaction::kUrl;
  std::vector<KindSpec> kinds;
  kinds.push_back({"email",
                   "Email",
                   {Text("address", true), Bool("notify_down", true), Bool("notify_up", true)},
                   CheckEmail,
                   nullptr,
                   PlanEmail});
  kinds.push_back(
      {"webhook",
       "Webhook",
       {Choice("method_down", {"POST", "GET", "PUT"}), HookUrl("url_down"), Script("body_down"),
        Headers("headers_down"), Choice("method_up", {"POST", "GET", "PUT"}), HookUrl("url_up"),
        Script("body_up"), Headers("headers_up")},
       CheckWebhook,
       RedactWebhook,
       PlanWebhook});
  kinds.push_back(SlackLike("slack", "Slack"));
  kinds.push_back(SlackLike("discord", "Discord"));
  kinds.push_back({"telegram",
                   "Telegram",
                   {Secret("bot_token"),
                    {.name = "chat_id", .type = FieldType::kChatId, .required = true},
                    Int("thread_id", 1, INT32_MAX, std::nullopt),
                    Url("api_url", false)},
                   CheckTelegram,
                   nullptr,
                   PlanTelegram});
  FieldSpec ntfy_url = Url("url", false);
  ntfy_url.fallback = "https://ntfy.sh";
  kinds.push_back({"ntfy",
                   "ntfy",
                   {ntfy_url, Text("topic", true, 64), Int("priority_down", 0, 5, 5),
                    Int("priority_up", 0, 5, 3), Secret("token", false)},
                   CheckNtfy,
                   nullptr,
                   PlanNtfy});
  kinds.push_back({"gotify",
                   "Gotify",
                   {Url("url", true), Secret("token"), Int("priority_down", 0, 10, 5),
                    Int("priority_up", 0, 10, 3)},
                   nullptr,
                   nullptr,
                   PlanGotify});
  kinds.push_back({"po",
                   "Pushover",
                   {Secret("user_key"), Secret("app_token"), Int("priority_down", -3, 2, 0),
                    Int("priority_up", -3, 2, 0), Url("api_url", false)},
                   nullptr,
                   nullptr,
                   PlanPushover});
  kinds.push_back({"matrix",
                   "Matrix",
                   {Url("homeserver", true), Secret("access_token"), Text("room_id", true, 255)},
                   CheckMatrix,
                   nullptr,
                   PlanMatrix});
  kinds.push_back(
      {"msteamsw", "Microsoft Teams", {Url("url", true, kUrlSecret)}, nullptr, nullptr, PlanTeams});
  kinds.push_back({"pd",
                   "PagerDuty",
                   {Secret("routing_key"), Url("api_url", false)},
                   nullptr,
                   nullptr,
                   PlanPagerDuty});
  kinds.push_back({"opsgenie",
                   "Opsgenie",
                   {Secret("api_key"), Choice("region", {"us", "eu"}), Url("api_url", false)},
                   nullptr,
                   nullptr,
                   PlanOpsgenie});
  kinds.push_back(SlackLike("mattermost", "Mattermost"));
  kinds.push_back(SlackLike("rocketchat", "Rocket.Chat"));
  kinds.push_back(
      {"zulip",
       "Zulip",
       {Url("site", true), Text("bot_email", true, 254), Secret("api_key"),
        Choice("type", {"stream", "private"}), Text("to", true, 1000), Text("topic", false, 60)},
       CheckZulip,
       nullptr,
       PlanZulip});
  kinds.push_back({"shell",
                   "Shell command",
                   {Script("command_down"), Script("command_up")},
                   CheckShell,
                   nullptr,
                   PlanShell});
  return kinds;
}

const std::vector<KindSpec>& Kinds() {
  static const std::vector<KindSpec> kinds = BuildKinds();
  return kinds;
}

}  // namespace

const KindSpec* FindKind(std::string_view kind) {
  for (const KindSpec& k : Kinds()) {
    if (k.kind == kind) return &k;
  }
  return nullptr;
}

}  // namespace kind_internal

using namespace kind_internal;  // NOLINT: the module's own helpers

const std::vector<std::string_view>& ChannelKinds() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> out;
    for (const KindSpec& k : Kinds()) out.push_back(k.kind);
    return out;
  }();
  return names;
}

bool IsChannelKind(std::string_view kind) { return FindKind(kind) != nullptr; }

std::string_view ChannelKindLabel(std::string_view kind) {
  const KindSpec* k = FindKind(kind);
  return k ? k->label : std::string_view("Channel");
}

Result<nlohmann::json> ValidateChannelValue(std::string_view kind, const nlohmann::json& value,
                                            const nlohmann::json* previous) {
  const KindSpec* spec = FindKind(kind);
  if (!spec) return Fail(Errc::kInvalidArgument, "kind: unknown channel kind \"{}\"", kind);
  if (!value.is_object()) return Fail(Errc::kInvalidArgument, "value: expected an object");
  if (previous && !previous->is_object()) previous = nullptr;
  for (const auto& [key, v] : value.items()) {
    bool known = false;
    for (const FieldSpec& f : spec->fields) known = known || f.name == key;
    if (!known) return FieldError(key, "unknown field");
  }
  Json out = Json::object();
  for (const FieldSpec& f : spec->fields) {
    std::string name(f.name);
    if (!value.contains(name)) {
      if (f.required) return FieldError(f.name, "missing; expected " + Expected(f));
      if (!f.fallback.is_null()) out[name] = f.fallback;
      continue;
    }
    Json v = value[name];
    // A secret sent back exactly as it was shown keeps its stored value.
    if (f.redaction != Redaction::kNone && previous && v.is_string() && previous->contains(name) &&
        (*previous)[name].is_string()) {
      const std::string& stored = (*previous)[name].get_ref<const std::string&>();
      if (v.get_ref<const std::string&>() == Redact(stored, f.redaction)) v = stored;
    }
    if (std::string error = CheckField(f, v); !error.empty()) return FieldError(f.name, error);
    out[name] = std::move(v);
  }
  if (spec->check) {
    if (Status st = spec->check(out, previous); !st) return st.error();
  }
  return out;
}

nlohmann::json RedactChannelValue(std::string_view kind, const nlohmann::json& value) {
  const KindSpec* spec = FindKind(kind);
  if (!spec || !value.is_object()) return Json::object();  // unknown shape: show nothing
  Json out = value;
  for (const FieldSpec& f : spec->fields) {
    std::string name(f.name);
    if (f.redaction == Redaction::kNone || !out.contains(name)) continue;
    Json& v = out[name];
    v = v.is_string() ? Json(Redact(v.get_ref<const std::string&>(), f.redaction)) : Json("…");
  }
  if (spec->redact) spec->redact(out);
  return out;
}

Result<Delivery> PlanDelivery(std::string_view kind, const nlohmann::json& value,
                              const Alert& alert) {
  // Validating again fills in defaults for values stored before a field existed and turns a
  // hand-edited or stale value into a clear error instead of an exception.
  auto valid = ValidateChannelValue(kind, value);
  if (!valid) {
    return Fail(Errc::kInvalidArgument, "the channel's settings are not valid: {}",
                valid.error().message);
  }
  return FindKind(kind)->plan(kind, *valid, alert);
}

}  // namespace dogwatch
