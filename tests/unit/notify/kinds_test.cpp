#include "dogwatch/notify/kinds.h"

#include <doctest/doctest.h>

#include <chrono>
#include <map>

#include "dogwatch/core/crypto.h"
#include "dogwatch/notify/message.h"

namespace dogwatch {
namespace {

using Json = nlohmann::json;
using std::chrono::minutes;

constexpr const char* kUuid = "6b2e1a2c-4f3d-4b6a-9c1e-2d3f4a5b6c7d";

Alert MakeAlert(CheckStatus status = CheckStatus::kDown) {
  Alert a;
  a.check.uuid = kUuid;
  a.check.name = "nightly backup";
  a.check.slug = "nightly-backup";
  a.check.tags = "prod db";
  a.check.n_pings = 42;
  a.project_name = "Backups";
  a.status = status;
  a.reason = status == CheckStatus::kDown ? "timeout" : "";
  a.flip_time = *ParseIso("2026-11-24T10:00:00Z");
  if (status == CheckStatus::kUp) a.downtime = std::chrono::hours(2);
  a.schedule_text = "every 1 day, grace 1 hour";
  Ping p;
  p.created = a.flip_time - minutes(5);
  p.body = "all good";
  a.last_ping = p;
  a.check_url = std::string("https://dw.example.com/checks/") + kUuid;
  a.check_json = R"({"name": "nightly backup"})";
  return a;
}

// One valid value per kind, as a client would send it.
const std::map<std::string, Json>& ValidValues() {
  static const std::map<std::string, Json> values = {
      {"email", {{"address", "ops@example.com"}}},
      {"webhook", {{"url_down", "https://hooks.example.com/down"}}},
      {"slack", {{"url", "https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXX"}}},
      {"discord", {{"url", "https://discord.com/api/webhooks/123/abcdefghijk"}}},
      {"mattermost", {{"url", "https://mm.example.com/hooks/abcdefghijklmnop"}}},
      {"rocketchat", {{"url", "https://rc.example.com/hooks/abc/defghijklmnop"}}},
      {"msteamsw", {{"url", "https://prod.westeurope.logic.azure.com/workflows/abc?sig=secret"}}},
      {"telegram",
       {{"bot_token", "123456789:AAE-abcdefghijklmnop_q"}, {"chat_id", -1001234567890}}},
      {"ntfy", {{"topic", "dogwatch-alerts"}}},
      {"gotify", {{"url", "https://gotify.example.com"}, {"token", "AbCdEfGhIjKlMnO"}}},
      {"po",
       {{"user_key", "uQiRzpo4DXghDmr9QzzfQu27cmVRsG"},
        {"app_token", "azGDORePK8gMaC0QOYAMyEEuzJnyUi"}}},
      {"matrix",
       {{"homeserver", "https://matrix.example.org"},
        {"access_token", "syt_abcdefghijklmnop"},
        {"room_id", "!abcdef:example.org"}}},
      {"pd", {{"routing_key", "R0123456789abcdef0123456789abcde"}}},
      {"opsgenie", {{"api_key", "01234567-89ab-cdef-0123-456789abcdef"}}},
      {"zulip",
       {{"site", "https://example.zulipchat.com"},
        {"bot_email", "alerts-bot@example.zulipchat.com"},
        {"api_key", "abcdefghijklmnopqrstuvwxyz123456"},
        {"to", "ops"}}},
      {"shell", {{"command_down", "logger down"}}},
  };
  return values;
}

// Each kind's required fields and secrets, as documented in kinds.h.
const std::map<std::string, std::vector<std::string>> kRequired = {
    {"email", {"address"}},
    {"webhook", {}},
    {"slack", {"url"}},
    {"discord", {"url"}},
    {"mattermost", {"url"}},
    {"rocketchat", {"url"}},
    {"msteamsw", {"url"}},
    {"telegram", {"bot_token", "chat_id"}},
    {"ntfy", {"topic"}},
    {"gotify", {"url", "token"}},
    {"po", {"user_key", "app_token"}},
    {"matrix", {"homeserver", "access_token", "room_id"}},
    {"pd", {"routing_key"}},
    {"opsgenie", {"api_key"}},
    {"zulip", {"site", "bot_email", "api_key", "to"}},
    {"shell", {}},
};

const std::map<std::string, std::vector<std::string>> kSecrets = {
    {"slack", {"url"}},           {"discord", {"url"}},
    {"mattermost", {"url"}},      {"rocketchat", {"url"}},
    {"msteamsw", {"url"}},        {"telegram", {"bot_token"}},
    {"gotify", {"token"}},        {"po", {"user_key", "app_token"}},
    {"matrix", {"access_token"}}, {"pd", {"routing_key"}},
    {"opsgenie", {"api_key"}},    {"zulip", {"api_key"}},
    {"webhook", {"url_down"}},
};

Json Valid(std::string_view kind, const Json& value) {
  auto r = ValidateChannelValue(kind, value);
  REQUIRE_MESSAGE(r.has_value(), kind, ": ", r.error().message);
  return *r;
}

std::string ErrorOf(std::string_view kind, const Json& value, const Json* previous = nullptr) {
  auto r = ValidateChannelValue(kind, value, previous);
  REQUIRE_MESSAGE(!r.has_value(), kind, ": accepted ", value.dump());
  CHECK(r.error().code == Errc::kInvalidArgument);
  return r.error().message;
}

Delivery Plan(std::string_view kind, const Json& value, const Alert& alert) {
  auto d = PlanDelivery(kind, Valid(kind, value), alert);
  REQUIRE_MESSAGE(d.has_value(), d.error().message);
  return *d;
}

Delivery PlanOne(std::string_view kind, const Json& value, const Alert& alert) {
  Delivery d = Plan(kind, value, alert);
  REQUIRE(d.skipped.empty());
  REQUIRE(d.requests.size() == 1);
  return d;
}

std::string HeaderOf(const OutboundRequest& r, std::string_view name) {
  for (const auto& [k, v] : r.headers)
    if (k == name) return v;
  return "";
}

Json JsonBody(const OutboundRequest& r) {
  CHECK(HeaderOf(r, "Content-Type") == "application/json");
  return Json::parse(r.body);
}

std::map<std::string, std::string> FormBody(const OutboundRequest& r) {
  CHECK(HeaderOf(r, "Content-Type") == "application/x-www-form-urlencoded");
  auto decode = [](std::string_view s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
      if (s[i] == '+')
        out += ' ';
      else if (s[i] == '%' && i + 2 < s.size()) {
        out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
        i += 2;
      } else
        out += s[i];
    }
    return out;
  };
  std::map<std::string, std::string> form;
  std::string_view body = r.body;
  while (!body.empty()) {
    size_t amp = body.find('&');
    std::string_view pair = body.substr(0, amp);
    size_t eq = pair.find('=');
    form[decode(pair.substr(0, eq))] =
        eq == std::string_view::npos ? "" : decode(pair.substr(eq + 1));
    body = amp == std::string_view::npos ? "" : body.substr(amp + 1);
  }
  return form;
}

bool Has(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

// ---- Catalogue and validation, for every kind
// ----------------------------------------------------

TEST_CASE("kinds: sixteen kinds, each with a label and a test value here") {
  CHECK(ChannelKinds().size() == 16);
  for (auto kind : ChannelKinds()) {
    CAPTURE(kind);
    CHECK(IsChannelKind(kind));
    CHECK(ValidValues().count(std::string(kind)) == 1);
    CHECK(kRequired.count(std::string(kind)) == 1);
    CHECK_FALSE(ChannelKindLabel(kind).empty());
  }
  CHECK(ChannelKindLabel("msteamsw") == "Microsoft Teams");
  CHECK(ChannelKindLabel("po") == "Pushover");
  CHECK(ChannelKindLabel("pd") == "PagerDuty");
  CHECK_FALSE(IsChannelKind("hipchat"));
  CHECK(Has(ErrorOf("hipchat", Json::object()), "unknown channel kind"));
}

TEST_CASE("kinds: every kind accepts its valid value and refuses a non-object") {
  for (const auto& [kind, value] : ValidValues()) {
    CAPTURE(kind);
    Json v = Valid(kind, value);
    CHECK(Valid(kind, v) == v);  // normalizing is idempotent
    CHECK(ErrorOf(kind, Json::array()) == "value: expected an object");
    CHECK(ErrorOf(kind, "x") == "value: expected an object");
  }
}

TEST_CASE("kinds: a missing required field is named") {
  for (const auto& [kind, fields] : kRequired) {
    for (const auto& field : fields) {
      CAPTURE(kind);
      CAPTURE(field);
      Json v = ValidValues().at(kind);
      v.erase(field);
      std::string error = ErrorOf(kind, v);
      CHECK(error.rfind("value." + field + ": missing; expected ", 0) == 0);
    }
  }
  CHECK(ErrorOf("slack", Json::object()) ==
        "value.url: missing; expected an http:// or https:// URL with a host");
}

TEST_CASE("kinds: wrong JSON types and nulls are refused, naming the field") {
  for (const auto& [kind, value] : ValidValues()) {
    Json normalized = Valid(kind, value);
    for (const auto& [field, v] : normalized.items()) {
      CAPTURE(kind);
      CAPTURE(field);
      Json wrong = v.is_string() ? Json(42) : v.is_number() ? Json(true) : Json("true");
      for (const Json& bad : {wrong, Json(nullptr), Json::array({v})}) {
        Json changed = normalized;
        changed[field] = bad;
        CHECK(ErrorOf(kind, changed).rfind("value." + field + ": expected ", 0) == 0);
      }
    }
  }
  // Strict numbers: no floats, no numeric strings.
  CHECK(ErrorOf("ntfy", {{"topic", "t"}, {"priority_down", 5.0}}) ==
        "value.priority_down: expected an integer from 0 to 5");
  CHECK(ErrorOf("ntfy", {{"topic", "t"}, {"priority_down", "5"}}) ==
        "value.priority_down: expected an integer from 0 to 5");
}

TEST_CASE("kinds: an unknown field is refused") {
  for (const auto& [kind, value] : ValidValues()) {
    CAPTURE(kind);
    Json v = value;
    v["bogus"] = 1;
    CHECK(ErrorOf(kind, v) == "value.bogus: unknown field");
  }
}

TEST_CASE("kinds: defaults are filled in") {
  Json email = Valid("email", {{"address", "a@example.com"}});
  CHECK(email == Json{{"address", "a@example.com"}, {"notify_down", true}, {"notify_up", true}});
  Json ntfy = Valid("ntfy", {{"topic", "t"}});
  CHECK(ntfy ==
        Json{{"url", "https://ntfy.sh"}, {"topic", "t"}, {"priority_down", 5}, {"priority_up", 3}});
  Json gotify = Valid("gotify", ValidValues().at("gotify"));
  CHECK(gotify["priority_down"] == 5);
  CHECK(gotify["priority_up"] == 3);
  Json po = Valid("po", ValidValues().at("po"));
  CHECK(po["priority_down"] == 0);
  CHECK(po["priority_up"] == 0);
  CHECK_FALSE(po.contains("api_url"));
  CHECK(Valid("zulip", ValidValues().at("zulip"))["type"] == "stream");
  CHECK(Valid("opsgenie", ValidValues().at("opsgenie"))["region"] == "us");
  Json webhook = Valid("webhook", {{"url_up", "https://x.example/up"}});
  CHECK(webhook == Json{{"method_down", "POST"},
                        {"url_down", ""},
                        {"body_down", ""},
                        {"headers_down", Json::object()},
                        {"method_up", "POST"},
                        {"url_up", "https://x.example/up"},
                        {"body_up", ""},
                        {"headers_up", Json::object()}});
  Json shell = Valid("shell", {{"command_up", "true"}});
  CHECK(shell == Json{{"command_down", ""}, {"command_up", "true"}});
}

TEST_CASE("kinds: URLs must be http(s) with a host") {
  for (const char* bad :
       {"ftp://x.example/", "hooks.slack.com/services/x", "https://", "https:///path",
        "https://user:pass@x.example/", "https://x.example/a b", "javascript:alert(1)",
        "https://x.example:99999/", "https://x.example:/", "http://x\".example/"}) {
    CAPTURE(bad);
    CHECK(ErrorOf("slack", {{"url", bad}}) ==
          "value.url: expected an http:// or https:// URL with a host");
  }
  for (const char* good : {"http://127.0.0.1:8080/hook", "HTTPS://x.example",
                           "https://[::1]:8443/a?b=c#d", "https://x.example/?q=$NAME"}) {
    CAPTURE(good);
    Valid("slack", {{"url", good}});
  }
  CHECK(Valid("slack", {{"url", "HTTPS://X.example/A"}})["url"] == "https://X.example/A");
  CHECK(ErrorOf("slack", {{"url", "https://x.example/" + std::string(1000, 'a')}}) ==
        "value.url: expected at most 1000 characters");
  CHECK(ErrorOf("slack", {{"url", ""}}) ==
        "value.url: expected an http:// or https:// URL with a host");
  CHECK(ErrorOf("telegram",
                {{"bot_token", "1:a"}, {"chat_id", 1}, {"api_url", "file:///etc/passwd"}}) ==
        "value.api_url: expected an http:// or https:// URL with a host");
}

TEST_CASE("kinds: priorities stay in their ranges") {
  CHECK(ErrorOf("ntfy", {{"topic", "t"}, {"priority_up", 6}}) ==
        "value.priority_up: expected an integer from 0 to 5");
  CHECK(ErrorOf("gotify", {{"url", "https://g.example"}, {"token", "t"}, {"priority_down", 11}}) ==
        "value.priority_down: expected an integer from 0 to 10");
  Json po = ValidValues().at("po");
  po["priority_down"] = 3;
  CHECK(ErrorOf("po", po) == "value.priority_down: expected an integer from -3 to 2");
  po["priority_down"] = -4;
  CHECK(ErrorOf("po", po) == "value.priority_down: expected an integer from -3 to 2");
  po["priority_down"] = -3;
  Valid("po", po);
  CHECK(ErrorOf("opsgenie", {{"api_key", "k"}, {"region", "asia"}}) ==
        R"(value.region: expected one of "us", "eu")");
  CHECK(ErrorOf("zulip", {{"site", "https://z.example"},
                          {"bot_email", "b@z.example"},
                          {"api_key", "k"},
                          {"to", "ops"},
                          {"type", "stream "}}) ==
        R"(value.type: expected one of "stream", "private")");
}

TEST_CASE("kinds: email addresses are plausible, comma-separated, at most ten") {
  CHECK(Valid("email", {{"address", " a@x.example ,b.c+d@y.example"}})["address"] ==
        "a@x.example, b.c+d@y.example");
  Valid("email", {{"address", "root@localhost"}});
  for (const char* bad :
       {"", "nobody", "a@", "@x.example", "a@@x.example", "a b@x.example", "a@x..example",
        "a@x.example,", "a@x.example;b@y.example", "<a@x.example>", "a@-x.example"}) {
    CAPTURE(bad);
    CHECK(ErrorOf("email", {{"address", bad}}).rfind("value.address: expected", 0) == 0);
  }
  std::string eleven;
  for (int i = 0; i < 11; ++i) eleven += (i ? "," : "") + std::to_string(i) + "@x.example";
  CHECK(ErrorOf("email", {{"address", eleven}}) == "value.address: expected at most 10 addresses");
}

TEST_CASE("kinds: webhook needs a URL; methods, bodies and headers are checked") {
  CHECK(ErrorOf("webhook", Json::object()) ==
        "value.url_down: expected an http:// or https:// URL in url_down or url_up (or both)");
  CHECK(ErrorOf("webhook", {{"url_down", ""}, {"url_up", ""}}).rfind("value.url_down:", 0) == 0);
  CHECK(ErrorOf("webhook", {{"url_down", "https://x.example"}, {"method_down", "DELETE"}}) ==
        R"(value.method_down: expected one of "POST", "GET", "PUT")");
  CHECK(ErrorOf("webhook", {{"url_down", "https://x.example"}, {"method_down", "post"}})
            .rfind("value.method_down:", 0) == 0);
  CHECK(ErrorOf("webhook",
                {{"url_down", "https://x.example"}, {"body_down", std::string(1001, 'b')}}) ==
        "value.body_down: expected at most 1000 characters");
  Valid("webhook", {{"url_down", "https://x.example"}, {"body_down", "line 1\nline 2"}});
  CHECK(
      ErrorOf("webhook", {{"url_up", "https://x.example"}, {"headers_up", {{"Bad Name", "v"}}}}) ==
      R"(value.headers_up: header name "Bad Name" is not a valid HTTP token)");
  CHECK(ErrorOf("webhook",
                {{"url_up", "https://x.example"}, {"headers_up", {{"X-A", "v\r\nX-B: 1"}}}}) ==
        "value.headers_up: header X-A: expected a value without line breaks");
  CHECK(ErrorOf("webhook", {{"url_up", "https://x.example"}, {"headers_up", {{"X-A", 1}}}}) ==
        "value.headers_up: header X-A: expected a string value");
  CHECK(Has(ErrorOf("webhook",
                    {{"url_up", "https://x.example"}, {"headers_up", {{"Content-Length", "1"}}}}),
            "cannot be configured"));
  Valid("webhook",
        {{"url_up", "https://x.example"}, {"headers_up", {{"Authorization", "Bearer $CODE"}}}});
}

TEST_CASE("kinds: per-kind formats") {
  CHECK(ErrorOf("telegram", {{"bot_token", "not-a-token"}, {"chat_id", 1}})
            .rfind("value.bot_token: expected a bot token", 0) == 0);
  CHECK(ErrorOf("telegram", {{"bot_token", "1:a/../b"}, {"chat_id", 1}})
            .rfind("value.bot_token:", 0) == 0);
  CHECK(Valid("telegram", {{"bot_token", "1:a"}, {"chat_id", "-100123"}})["chat_id"] == -100123);
  CHECK(Valid("telegram", {{"bot_token", "1:a"}, {"chat_id", "@my_channel"}})["chat_id"] ==
        "@my_channel");
  CHECK(ErrorOf("telegram", {{"bot_token", "1:a"}, {"chat_id", "my channel"}}) ==
        "value.chat_id: expected a chat ID (an integer) or a @channel name");
  CHECK(ErrorOf("telegram", {{"bot_token", "1:a"}, {"chat_id", 1}, {"thread_id", 0}}) ==
        "value.thread_id: expected an integer from 1 to 2147483647");
  CHECK(ErrorOf("ntfy", {{"topic", "a/b"}}).rfind("value.topic: expected a topic name", 0) == 0);
  CHECK(ErrorOf("ntfy", {{"topic", ""}}) == "value.topic: expected a non-empty string");
  CHECK(ErrorOf("matrix", {{"homeserver", "https://m.example"},
                           {"access_token", "t"},
                           {"room_id", "#room:m.example"}})
            .rfind("value.room_id: expected a room ID", 0) == 0);
  CHECK(ErrorOf(
            "zulip",
            {{"site", "https://z.example"}, {"bot_email", "bot"}, {"api_key", "k"}, {"to", "ops"}})
            .rfind("value.bot_email:", 0) == 0);
  CHECK(ErrorOf("zulip", {{"site", "https://z.example"},
                          {"bot_email", "b@z.example"},
                          {"api_key", "k"},
                          {"type", "private"},
                          {"to", "ops"}})
            .rfind("value.to: expected an email address", 0) == 0);
  CHECK(ErrorOf("pd", {{"routing_key", "has space"}})
            .rfind("value.routing_key: expected a non-empty token", 0) == 0);
  CHECK(ErrorOf("shell", {{"command_down", ""}}) ==
        "value.command_down: expected a command in command_down or command_up (or both)");
  CHECK(ErrorOf("zulip", {{"site", "https://z.example"},
                          {"bot_email", "b@z.example"},
                          {"api_key", "k"},
                          {"to", "ops"},
                          {"topic", "two\nlines"}}) ==
        "value.topic: expected a single line of text");
}

// ---- Redaction
// -----------------------------------------------------------------------------------

TEST_CASE("kinds: every secret is shown cut to 4 characters and kept when sent back") {
  for (const auto& [kind, secrets] : kSecrets) {
    CAPTURE(kind);
    Json stored = Valid(kind, ValidValues().at(kind));
    Json shown = RedactChannelValue(kind, stored);
    for (const auto& field : secrets) {
      CAPTURE(field);
      std::string secret = stored[field].get<std::string>();
      std::string redacted = shown[field].get<std::string>();
      CHECK(redacted != secret);
      CHECK(redacted.size() >= 3);
      CHECK(redacted.substr(redacted.size() - 3) == "…");
      CHECK_FALSE(Has(redacted, secret.substr(secret.size() - 6)));  // the end never shows
    }
    // Sent back as shown (an edit of the name, say): the stored secrets stay.
    auto kept = ValidateChannelValue(kind, shown, &stored);
    REQUIRE_MESSAGE(kept.has_value(), kept.error().message);
    CHECK(*kept == stored);
    // Without the stored value the redacted form is no secret at all.
    Json fresh = RedactChannelValue(kind, stored);
    auto as_new = ValidateChannelValue(kind, fresh);
    if (as_new) CHECK(*as_new != stored);
  }
  // Non-secrets are shown as they are.
  Json ntfy = Valid("ntfy", {{"topic", "t"}, {"token", "tk_abcdefghijklmnopqrstuvwxyz"}});
  Json shown = RedactChannelValue("ntfy", ntfy);
  CHECK(shown["topic"] == "t");
  CHECK(shown["token"] == "tk_a…");
}

TEST_CASE("kinds: URL secrets keep scheme and host; a new secret replaces the old") {
  Json slack = Valid("slack", ValidValues().at("slack"));
  CHECK(RedactChannelValue("slack", slack)["url"] == "https://hooks.slack.com/serv…");
  Json teams = Valid("msteamsw", ValidValues().at("msteamsw"));
  CHECK(RedactChannelValue("msteamsw", teams)["url"] ==
        "https://prod.westeurope.logic.azure.com/work…");
  Json webhook = Valid("webhook", {{"url_down", "https://x.example/ping/abcdefgh-1234?token=zzz"},
                                   {"url_up", "https://x.example"}});
  Json shown = RedactChannelValue("webhook", webhook);
  CHECK(shown["url_down"] == "https://x.example/ping…");
  CHECK(shown["url_up"] == "https://x.example/");

  Json update = RedactChannelValue("slack", slack);
  update["url"] = "https://hooks.slack.com/services/T111/B111/YYYYYYYYYYYY";
  CHECK((*ValidateChannelValue("slack", update, &slack))["url"] == update["url"]);
  // Short secrets show nothing but the ellipsis.
  Json pd = Valid("pd", {{"routing_key", "abcdefgh"}});
  CHECK(RedactChannelValue("pd", pd)["routing_key"] == "…");
  CHECK((*ValidateChannelValue("pd", Json{{"routing_key", "…"}}, &pd))["routing_key"] ==
        "abcdefgh");
}

TEST_CASE("kinds: webhook header values are redacted and kept per header") {
  Json stored = Valid(
      "webhook", {{"url_down", "https://x.example/d"},
                  {"headers_down", {{"Authorization", "Bearer s3cr3t-t0ken"}, {"X-Env", "prod"}}}});
  Json shown = RedactChannelValue("webhook", stored);
  CHECK(shown["headers_down"]["Authorization"] == "Bear…");
  CHECK(shown["headers_down"]["X-Env"] == "…");
  Json back = shown;
  back["headers_down"]["X-Env"] = "staging";  // changed; Authorization untouched
  Json updated = *ValidateChannelValue("webhook", back, &stored);
  CHECK(updated["headers_down"]["Authorization"] == "Bearer s3cr3t-t0ken");
  CHECK(updated["headers_down"]["X-Env"] == "staging");
  CHECK(updated["url_down"] == "https://x.example/d");
}

// ---- Planned requests
// ----------------------------------------------------------------------------

TEST_CASE("plan: Slack posts one attachment with color, linked title and fields") {
  Alert a = MakeAlert();
  a.other_down = {"db-dump"};
  Delivery d = PlanOne("slack", ValidValues().at("slack"), a);
  const OutboundRequest& r = d.requests[0];
  CHECK(r.method == "POST");
  CHECK(r.url == ValidValues().at("slack")["url"]);
  Json j = JsonBody(r);
  CHECK(j["username"] == "dogwatch");
  Json att = j["attachments"][0];
  CHECK(att["color"] == "danger");
  CHECK(att["title"] == "“nightly backup” is DOWN.");
  CHECK(att["title_link"] == a.check_url);
  std::map<std::string, std::string> fields;
  for (const auto& f : att["fields"]) fields[f["title"]] = f["value"];
  CHECK(fields["Project"] == "Backups");
  CHECK(fields["Tags"] == "prod db");
  CHECK(fields["Schedule"] == "every 1 day, grace 1 hour");
  CHECK(fields["Total pings"] == "42");
  CHECK(fields["Last ping"] == "success, 5 minutes ago");
  CHECK(fields["Last ping body"] == "```\nall good\n```");
  CHECK(fields["The following checks are also down:"] == "db-dump");

  Json up = JsonBody(
      PlanOne("slack", ValidValues().at("slack"), MakeAlert(CheckStatus::kUp)).requests[0]);
  CHECK(up["attachments"][0]["color"] == "good");
  CHECK(up["attachments"][0]["title"] == "“nightly backup” is UP.");
  CHECK(Has(up["attachments"][0]["text"], "It was down for 2 hours."));
}

TEST_CASE("plan: Slack escapes <, > and &; Markdown chats escape Markdown") {
  Alert a = MakeAlert();
  a.check.name = "<!channel> & *x*";
  a.project_name = "<!here>";
  Json slack = JsonBody(PlanOne("slack", ValidValues().at("slack"), a).requests[0]);
  CHECK(slack["attachments"][0]["title"] == "“&lt;!channel&gt; &amp; *x*” is DOWN.");
  CHECK(slack["attachments"][0]["fields"][0]["value"] == "&lt;!here&gt;");
  Json mm = JsonBody(PlanOne("mattermost", ValidValues().at("mattermost"), a).requests[0]);
  CHECK(mm["attachments"][0]["fields"][0]["value"] == "&lt;!here>");
  a.last_ping->body = "has ``` fence";
  Json no_body = JsonBody(PlanOne("rocketchat", ValidValues().at("rocketchat"), a).requests[0]);
  CHECK_FALSE(Has(no_body.dump(), "Last ping body"));
}

TEST_CASE(
    "plan: Discord gets the Slack payload at <url>/slack; Mattermost and Rocket.Chat at the URL") {
  Delivery d = PlanOne("discord", ValidValues().at("discord"), MakeAlert());
  CHECK(d.requests[0].url == "https://discord.com/api/webhooks/123/abcdefghijk/slack");
  CHECK(JsonBody(d.requests[0])["username"] == "dogwatch");
  Delivery q = PlanOne("discord", {{"url", "https://discord.com/api/webhooks/1/a/?thread_id=9"}},
                       MakeAlert());
  CHECK(q.requests[0].url == "https://discord.com/api/webhooks/1/a/slack?thread_id=9");
  for (const char* kind : {"mattermost", "rocketchat"}) {
    Delivery m = PlanOne(kind, ValidValues().at(kind), MakeAlert());
    CHECK(m.requests[0].url == ValidValues().at(kind)["url"]);
    CHECK(JsonBody(m.requests[0])["attachments"][0]["color"] == "danger");
  }
}

TEST_CASE("plan: Microsoft Teams posts an Adaptive Card 1.2") {
  Delivery d = PlanOne("msteamsw", ValidValues().at("msteamsw"), MakeAlert());
  CHECK(d.requests[0].url == ValidValues().at("msteamsw")["url"]);
  Json j = JsonBody(d.requests[0]);
  CHECK(j["type"] == "message");
  Json att = j["attachments"][0];
  CHECK(att["contentType"] == "application/vnd.microsoft.card.adaptive");
  Json card = att["content"];
  CHECK(card["type"] == "AdaptiveCard");
  CHECK(card["version"] == "1.2");
  CHECK(card["body"][0]["type"] == "TextBlock");
  CHECK(card["body"][0]["style"] == "heading");
  CHECK(Has(card["body"][0]["text"], "is DOWN."));
  CHECK(card["body"][2]["type"] == "FactSet");
  CHECK(card["body"][2]["facts"][0] == Json{{"title", "Project:"}, {"value", "Backups"}});
  CHECK(card["body"][4]["fontType"] == "Monospace");
  CHECK(card["body"][4]["text"] == "all good");
  CHECK(card["actions"][0]["type"] == "Action.OpenUrl");
  CHECK(card["actions"][0]["url"] == MakeAlert().check_url);
}

TEST_CASE("plan: Telegram sends HTML to sendMessage") {
  Json v = ValidValues().at("telegram");
  Delivery d = PlanOne("telegram", v, MakeAlert());
  const OutboundRequest& r = d.requests[0];
  CHECK(r.method == "POST");
  CHECK(r.url == "https://api.telegram.org/bot123456789:AAE-abcdefghijklmnop_q/sendMessage");
  Json j = JsonBody(r);
  CHECK(j["chat_id"] == -1001234567890);
  CHECK(j["parse_mode"] == "HTML");
  CHECK(j["disable_web_page_preview"] == true);
  CHECK_FALSE(j.contains("message_thread_id"));
  CHECK(Has(j["text"], "is <b>DOWN</b>"));
  CHECK(Has(j["text"], "<pre>all good</pre>"));
  // Only tags Telegram knows.
  CHECK_FALSE(Has(j["text"], "<p>"));
  CHECK_FALSE(Has(j["text"], "<br"));
  v["thread_id"] = 7;
  v["api_url"] = "http://127.0.0.1:9999/tg/";
  Delivery t = PlanOne("telegram", v, MakeAlert(CheckStatus::kUp));
  CHECK(t.requests[0].url ==
        "http://127.0.0.1:9999/tg/bot123456789:AAE-abcdefghijklmnop_q/sendMessage");
  Json tj = JsonBody(t.requests[0]);
  CHECK(tj["message_thread_id"] == 7);
  CHECK(Has(tj["text"], "is now <b>UP</b>"));
}

TEST_CASE("plan: ntfy posts JSON to the server root, silent at priority 0") {
  Json v = {
      {"url", "https://ntfy.example.com"}, {"topic", "alerts"}, {"token", "tk_abcdefghijklmnop"}};
  Delivery d = PlanOne("ntfy", v, MakeAlert());
  const OutboundRequest& r = d.requests[0];
  CHECK(r.url == "https://ntfy.example.com");
  CHECK(HeaderOf(r, "Authorization") == "Bearer tk_abcdefghijklmnop");
  Json j = JsonBody(r);
  CHECK(j["topic"] == "alerts");
  CHECK(j["priority"] == 5);
  CHECK(j["title"] == "“nightly backup” is DOWN.");
  CHECK(j["markdown"] == true);
  CHECK(Has(j["message"], "**DOWN**"));
  CHECK(j["tags"] == Json::array({"red_circle"}));
  CHECK(j["actions"][0] ==
        Json{{"action", "view"}, {"label", "Open in dogwatch"}, {"url", MakeAlert().check_url}});
  Json up = JsonBody(PlanOne("ntfy", v, MakeAlert(CheckStatus::kUp)).requests[0]);
  CHECK(up["priority"] == 3);
  CHECK(up["tags"] == Json::array({"green_circle"}));
  // No token: no Authorization.
  CHECK(HeaderOf(PlanOne("ntfy", {{"topic", "a"}}, MakeAlert()).requests[0], "Authorization") ==
        "");
  v["priority_up"] = 0;
  Delivery silent = Plan("ntfy", v, MakeAlert(CheckStatus::kUp));
  CHECK(silent.requests.empty());
  CHECK(silent.skipped == "priority_up is 0 (silent)");
}

TEST_CASE("plan: Gotify posts to /message with the token, silent at priority 0") {
  Json v = ValidValues().at("gotify");
  v["url"] = "https://gotify.example.com/base/";
  Delivery d = PlanOne("gotify", v, MakeAlert());
  CHECK(d.requests[0].url == "https://gotify.example.com/base/message?token=AbCdEfGhIjKlMnO");
  Json j = JsonBody(d.requests[0]);
  CHECK(j["title"] == "“nightly backup” is DOWN.");
  CHECK(j["priority"] == 5);
  CHECK(j["extras"]["client::display"]["contentType"] == "text/markdown");
  CHECK(Has(j["message"], "Backups"));
  v["priority_down"] = 0;
  CHECK(Plan("gotify", v, MakeAlert()).skipped == "priority_down is 0 (silent)");
  CHECK(JsonBody(PlanOne("gotify", v, MakeAlert(CheckStatus::kUp)).requests[0])["priority"] == 3);
}

TEST_CASE("plan: Pushover posts a form; emergency adds retry/expire and is cancelled on recovery") {
  Json v = ValidValues().at("po");
  Delivery d = PlanOne("po", v, MakeAlert());
  CHECK(d.requests[0].url == "https://api.pushover.net/1/messages.json");
  auto form = FormBody(d.requests[0]);
  CHECK(form["token"] == "azGDORePK8gMaC0QOYAMyEEuzJnyUi");
  CHECK(form["user"] == "uQiRzpo4DXghDmr9QzzfQu27cmVRsG");
  CHECK(form["title"] == "“nightly backup” is DOWN.");
  CHECK(form["html"] == "1");
  CHECK(form["priority"] == "0");
  CHECK(form["tags"] == UniqueKeyOf(kUuid));
  CHECK(form["url"] == MakeAlert().check_url);
  CHECK(form["url_title"] == "Open in dogwatch");
  CHECK(form.count("retry") == 0);
  CHECK(Has(form["message"], "<b>DOWN</b>"));
  CHECK_FALSE(Has(form["message"], "<pre>"));

  v["priority_down"] = 2;
  v["api_url"] = "http://127.0.0.1:9/po";
  auto emergency = FormBody(PlanOne("po", v, MakeAlert()).requests[0]);
  CHECK(emergency["priority"] == "2");
  CHECK(emergency["retry"] == "300");
  CHECK(emergency["expire"] == "3600");

  Delivery up = Plan("po", v, MakeAlert(CheckStatus::kUp));
  REQUIRE(up.requests.size() == 2);
  CHECK(up.requests[0].url ==
        "http://127.0.0.1:9/po/1/receipts/cancel_by_tag/" + UniqueKeyOf(kUuid) + ".json");
  CHECK(FormBody(up.requests[0]) ==
        std::map<std::string, std::string>{{"token", "azGDORePK8gMaC0QOYAMyEEuzJnyUi"}});
  CHECK(up.requests[1].url == "http://127.0.0.1:9/po/1/messages.json");
  CHECK(FormBody(up.requests[1])["priority"] == "0");

  v["priority_up"] = -3;  // silent recovery: only the cancel goes out
  Delivery cancel_only = Plan("po", v, MakeAlert(CheckStatus::kUp));
  REQUIRE(cancel_only.requests.size() == 1);
  CHECK(Has(cancel_only.requests[0].url, "cancel_by_tag"));
  v["priority_down"] = -3;
  CHECK(Plan("po", v, MakeAlert()).skipped == "priority_down is -3 (silent)");
  CHECK(Plan("po", v, MakeAlert(CheckStatus::kUp)).skipped == "priority_up is -3 (silent)");
}

TEST_CASE("plan: Matrix PUTs an m.text with HTML to the room, with an idempotent txn id") {
  Json v = ValidValues().at("matrix");
  Delivery d = PlanOne("matrix", v, MakeAlert());
  const OutboundRequest& r = d.requests[0];
  CHECK(r.method == "PUT");
  std::string prefix =
      "https://matrix.example.org/_matrix/client/v3/rooms/%21abcdef%3Aexample.org/send/"
      "m.room.message/";
  REQUIRE(r.url.rfind(prefix, 0) == 0);
  CHECK(r.url.size() > prefix.size() + 8);
  CHECK(HeaderOf(r, "Authorization") == "Bearer syt_abcdefghijklmnop");
  Json j = JsonBody(r);
  CHECK(j["msgtype"] == "m.text");
  CHECK(j["format"] == "org.matrix.custom.html");
  CHECK(j["body"] == AlertText(MakeAlert()));
  CHECK(j["formatted_body"] == AlertHtml(MakeAlert()));
  // The same flip gets the same transaction (a retry is not posted twice); another flip not.
  CHECK(PlanOne("matrix", v, MakeAlert()).requests[0].url == r.url);
  CHECK(PlanOne("matrix", v, MakeAlert(CheckStatus::kUp)).requests[0].url != r.url);
  Alert test = MakeAlert();
  test.is_test = true;
  CHECK(PlanOne("matrix", v, test).requests[0].url != PlanOne("matrix", v, test).requests[0].url);
}

TEST_CASE("plan: Zulip posts a form with Basic auth, topic defaulting to the check name") {
  Json v = ValidValues().at("zulip");
  Delivery d = PlanOne("zulip", v, MakeAlert());
  const OutboundRequest& r = d.requests[0];
  CHECK(r.url == "https://example.zulipchat.com/api/v1/messages");
  // base64("alerts-bot@example.zulipchat.com:abcdefghijklmnopqrstuvwxyz123456")
  CHECK(HeaderOf(r, "Authorization") ==
        "Basic "
        "YWxlcnRzLWJvdEBleGFtcGxlLnp1bGlwY2hhdC5jb206YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXoxMjM0NTY=");
  auto form = FormBody(r);
  CHECK(form["type"] == "stream");
  CHECK(form["to"] == "ops");
  CHECK(form["topic"] == "nightly backup");
  CHECK(Has(form["content"], "**DOWN**"));
  v["topic"] = "cron";
  CHECK(FormBody(PlanOne("zulip", v, MakeAlert()).requests[0])["topic"] == "cron");
  v["type"] = "private";
  v["to"] = "a@z.example";
  auto dm = FormBody(PlanOne("zulip", v, MakeAlert()).requests[0]);
  CHECK(dm["type"] == "private");
  CHECK(dm.count("topic") == 0);
}

TEST_CASE("plan: PagerDuty triggers and resolves with the check's unique key") {
  Delivery d = PlanOne("pd", ValidValues().at("pd"), MakeAlert());
  CHECK(d.requests[0].url == "https://events.pagerduty.com/v2/enqueue");
  Json j = JsonBody(d.requests[0]);
  CHECK(j["routing_key"] == "R0123456789abcdef0123456789abcde");
  CHECK(j["event_action"] == "trigger");
  CHECK(j["dedup_key"] == UniqueKeyOf(kUuid));
  CHECK(j["payload"]["source"] == "dogwatch");
  CHECK(j["payload"]["severity"] == "critical");
  CHECK(Has(j["payload"]["summary"], "“nightly backup” is DOWN."));
  CHECK(j["payload"]["custom_details"]["Project"] == "Backups");
  CHECK(j["links"][0]["href"] == MakeAlert().check_url);
  Json up =
      JsonBody(PlanOne("pd", {{"routing_key", "k123456789"}, {"api_url", "http://127.0.0.1:1/pd"}},
                       MakeAlert(CheckStatus::kUp))
                   .requests[0]);
  CHECK(up["event_action"] == "resolve");
  CHECK(up["dedup_key"] == UniqueKeyOf(kUuid));
}

TEST_CASE("plan: Opsgenie creates by alias on down and closes by alias on up") {
  Json v = ValidValues().at("opsgenie");
  Delivery d = PlanOne("opsgenie", v, MakeAlert());
  const OutboundRequest& r = d.requests[0];
  CHECK(r.method == "POST");
  CHECK(r.url == "https://api.opsgenie.com/v2/alerts");
  CHECK(HeaderOf(r, "Authorization") == "GenieKey 01234567-89ab-cdef-0123-456789abcdef");
  Json j = JsonBody(r);
  CHECK(j["alias"] == UniqueKeyOf(kUuid));
  CHECK(j["message"] == "“nightly backup” is DOWN.");
  CHECK(j["tags"] == Json::array({"prod", "db"}));
  CHECK(j["details"]["Project"] == "Backups");
  CHECK(Has(j["description"], "Total pings: 42"));
  v["region"] = "eu";
  Delivery up = PlanOne("opsgenie", v, MakeAlert(CheckStatus::kUp));
  CHECK(up.requests[0].url == "https://api.eu.opsgenie.com/v2/alerts/" + UniqueKeyOf(kUuid) +
                                  "/close?identifierType=alias");
  CHECK(JsonBody(up.requests[0])["source"] == "dogwatch");
  v["api_url"] = "http://127.0.0.1:2";
  CHECK(PlanOne("opsgenie", v, MakeAlert()).requests[0].url == "http://127.0.0.1:2/v2/alerts");
}

TEST_CASE("plan: incident services open and close a separate incident for a test") {
  Alert test = MakeAlert();
  test.is_test = true;
  Delivery pd = Plan("pd", ValidValues().at("pd"), test);
  REQUIRE(pd.requests.size() == 2);
  CHECK(JsonBody(pd.requests[0])["event_action"] == "trigger");
  CHECK(JsonBody(pd.requests[1])["event_action"] == "resolve");
  CHECK(JsonBody(pd.requests[0])["dedup_key"] != UniqueKeyOf(kUuid));
  Delivery og = Plan("opsgenie", ValidValues().at("opsgenie"), test);
  REQUIRE(og.requests.size() == 2);
  CHECK(Has(og.requests[1].url, "/close?identifierType=alias"));
  CHECK_FALSE(Has(og.requests[1].url, "/" + UniqueKeyOf(kUuid) + "/"));
}

TEST_CASE("plan: webhook expands each field with its own rules, down and up separately") {
  Json v = {{"method_down", "POST"},
            {"url_down", "https://hooks.example.com/down?name=$NAME&code=$CODE"},
            {"body_down", R"({"name": $NAME_JSON, "status": "$STATUS", "body": $BODY_JSON})"},
            {"headers_down", {{"Authorization", "Bearer abc"}, {"X-Check", "$NAME $BODY"}}},
            {"method_up", "GET"},
            {"url_up", "https://hooks.example.com/up/$SLUG"},
            {"body_up", "ignored for GET"}};
  Delivery d = PlanOne("webhook", v, MakeAlert());
  const OutboundRequest& r = d.requests[0];
  CHECK(r.method == "POST");
  CHECK(r.url == std::string("https://hooks.example.com/down?name=nightly%20backup&code=") + kUuid);
  CHECK(HeaderOf(r, "Authorization") == "Bearer abc");
  CHECK(HeaderOf(r, "X-Check") == "nightly backup $BODY");
  CHECK(HeaderOf(r, "Content-Type") == "application/json");  // the body is JSON
  Json j = Json::parse(r.body);
  CHECK(j == Json{{"name", "nightly backup"}, {"status", "down"}, {"body", "all good"}});

  Delivery up = PlanOne("webhook", v, MakeAlert(CheckStatus::kUp));
  CHECK(up.requests[0].method == "GET");
  CHECK(up.requests[0].url == "https://hooks.example.com/up/nightly-backup");
  CHECK(up.requests[0].body.empty());
  CHECK(up.requests[0].headers.empty());
}

TEST_CASE("plan: webhook bodies: text content type unless given; PUT; empty URL is skipped") {
  Json v = {{"method_down", "PUT"},
            {"url_down", "https://x.example/d"},
            {"body_down", "$NAME is $STATUS"}};
  Delivery d = PlanOne("webhook", v, MakeAlert());
  CHECK(d.requests[0].method == "PUT");
  CHECK(d.requests[0].body == "nightly backup is down");
  CHECK(HeaderOf(d.requests[0], "Content-Type") == "text/plain; charset=utf-8");
  v["headers_down"] = {{"content-type", "application/x-www-form-urlencoded"}};
  Delivery own = PlanOne("webhook", v, MakeAlert());
  CHECK(own.requests[0].headers.size() == 1);
  CHECK(HeaderOf(own.requests[0], "content-type") == "application/x-www-form-urlencoded");
  Delivery skipped = Plan("webhook", v, MakeAlert(CheckStatus::kUp));
  CHECK(skipped.requests.empty());
  CHECK(skipped.skipped == "url_up is empty");
  // POST with no body template: no body, no content type.
  Delivery bare = PlanOne("webhook", {{"url_down", "https://x.example/d"}}, MakeAlert());
  CHECK(bare.requests[0].method == "POST");
  CHECK(bare.requests[0].body.empty());
  CHECK(bare.requests[0].headers.empty());
}

TEST_CASE("plan: a webhook test of an up-only channel sends the up request") {
  Alert test = MakeAlert();
  test.is_test = true;
  Delivery d = PlanOne("webhook", {{"url_up", "https://x.example/$STATUS"}}, test);
  CHECK(d.requests[0].url == "https://x.example/up");
}

TEST_CASE("plan: email honours notify_down and notify_up") {
  Json v = {{"address", "a@x.example, b@y.example"}, {"notify_up", false}};
  Delivery d = Plan("email", v, MakeAlert());
  REQUIRE(d.mail);
  CHECK(d.requests.empty());
  CHECK(d.mail->to == std::vector<std::string>{"a@x.example", "b@y.example"});
  CHECK(d.mail->subject == "DOWN | nightly backup");
  CHECK(d.mail->text == AlertText(MakeAlert()));
  CHECK(d.mail->html == AlertHtml(MakeAlert()));
  Delivery up = Plan("email", v, MakeAlert(CheckStatus::kUp));
  CHECK_FALSE(up.mail);
  CHECK(up.skipped == "notify_up is off");
  v["notify_down"] = false;
  CHECK(Plan("email", v, MakeAlert()).skipped == "notify_down is off");
  Alert test = MakeAlert();
  test.is_test = true;
  CHECK(Plan("email", v, test).mail);  // a test always goes out
}

TEST_CASE("plan: shell expands variables with user strings single-quoted") {
  Alert a = MakeAlert();
  a.check.name = "it's; rm -rf ~";
  a.check.tags = "prod $(id)";
  Json v = {{"command_down", "notify $STATUS $CODE $NOW $NAME [$TAGS] $TAG1 $TAG2 $TAG3"},
            {"command_up", ""}};
  Delivery d = Plan("shell", v, a);
  REQUIRE(d.shell_command);
  CHECK(*d.shell_command ==
        std::string("notify down ") + kUuid +
            " 2026-11-24T10:00:00+00:00 'it'\\''s; rm -rf ~' ['prod $(id)'] 'prod' '$(id)' $TAG3");
  Delivery up = Plan("shell", v, MakeAlert(CheckStatus::kUp));
  CHECK_FALSE(up.shell_command);
  CHECK(up.skipped == "command_up is empty");
}

TEST_CASE("plan: a stored value that no longer validates is an error, not an exception") {
  auto d = PlanDelivery("slack", Json{{"url", 5}}, MakeAlert());
  REQUIRE_FALSE(d.has_value());
  CHECK(d.error().message ==
        "the channel's settings are not valid: value.url: expected an http:// or https:// URL with "
        "a host");
  CHECK_FALSE(PlanDelivery("nope", Json::object(), MakeAlert()).has_value());
}

TEST_CASE("plan: every kind plans a complete delivery for down, up and test") {
  for (const auto& [kind, value] : ValidValues()) {
    for (int i = 0; i < 3; ++i) {
      CAPTURE(kind);
      CAPTURE(i);
      Alert a = MakeAlert(i == 1 ? CheckStatus::kUp : CheckStatus::kDown);
      a.is_test = i == 2;
      Json v = value;
      if (kind == "webhook") v["url_up"] = "https://x.example/up";
      if (kind == "shell") v["command_up"] = "true";
      Delivery d = Plan(kind, v, a);
      CHECK(d.skipped.empty());
      CHECK(d.requests.size() + (d.mail ? 1 : 0) + (d.shell_command ? 1 : 0) >= 1);
      for (const auto& r : d.requests) {
        CHECK((r.method == "POST" || r.method == "PUT" || r.method == "GET"));
        CHECK((r.url.rfind("https://", 0) == 0 || r.url.rfind("http://", 0) == 0));
        if (!r.body.empty()) CHECK_FALSE(HeaderOf(r, "Content-Type").empty());
      }
    }
  }
}

// ---- Responses
// -----------------------------------------------------------------------------------

TEST_CASE("response: 2xx delivered; 408, 429 and 5xx transient; other 4xx permanent") {
  for (int s : {200, 201, 202, 204}) CHECK(ClassifyResponse("webhook", s, "", "").ok());
  for (int s : {408, 429, 500, 502, 503, 504})
    CHECK(ClassifyResponse("webhook", s, "", "").result == SendResult::kTransient);
  for (int s : {400, 401, 403, 404, 410, 422})
    CHECK(ClassifyResponse("webhook", s, "", "").result == SendResult::kPermanent);
  CHECK(ClassifyResponse("webhook", 302, "", "").result == SendResult::kPermanent);
}

TEST_CASE("response: the error names the service, the status and the start of the body") {
  CHECK(ClassifyResponse("slack", 404, "no_service", "").error == "Slack: HTTP 404: no_service");
  CHECK(ClassifyResponse("slack", 400, "invalid_token", "").result == SendResult::kPermanent);
  CHECK(ClassifyResponse("webhook", 500, "", "").error == "Webhook: HTTP 500");
  SendOutcome long_body =
      ClassifyResponse("webhook", 500, "line one\r\n\tline two " + std::string(500, 'x'), "");
  CHECK(long_body.error.rfind("Webhook: HTTP 500: line one line two xxx", 0) == 0);
  CHECK(long_body.error.size() == std::string("Webhook: HTTP 500: ").size() + 200);
  CHECK(long_body.error.find('\n') == std::string::npos);
}

TEST_CASE("response: Telegram's and Matrix's JSON errors are quoted, final or timed") {
  SendOutcome chat = ClassifyResponse(
      "telegram", 400,
      R"({"ok":false,"error_code":400,"description":"Bad Request: chat not found"})", "");
  CHECK(chat.result == SendResult::kPermanent);
  CHECK(chat.error == "Telegram: HTTP 400: Bad Request: chat not found");
  SendOutcome blocked = ClassifyResponse(
      "telegram", 403,
      R"({"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"})",
      "");
  CHECK(blocked.result == SendResult::kPermanent);
  CHECK(blocked.error == "Telegram: HTTP 403: Forbidden: bot was blocked by the user");
  SendOutcome migrated = ClassifyResponse(
      "telegram", 400,
      R"({"ok":false,"description":"Bad Request: group chat was upgraded to a supergroup chat","parameters":{"migrate_to_chat_id":-1009}})",
      "");
  CHECK(Has(migrated.error, "(set chat_id to -1009)"));
  SendOutcome flood = ClassifyResponse(
      "telegram", 429,
      R"({"ok":false,"description":"Too Many Requests: retry after 17","parameters":{"retry_after":17}})",
      "");
  CHECK(flood.result == SendResult::kTransient);
  REQUIRE(flood.retry_after);
  CHECK(flood.retry_after->count() == 17);
  SendOutcome matrix = ClassifyResponse(
      "matrix", 429,
      R"({"errcode":"M_LIMIT_EXCEEDED","error":"Too many requests","retry_after_ms":2500})", "");
  CHECK(matrix.error == "Matrix: HTTP 429: M_LIMIT_EXCEEDED: Too many requests");
  REQUIRE(matrix.retry_after);
  CHECK(matrix.retry_after->count() == 3);
}

TEST_CASE("response: other services' JSON error words are quoted") {
  CHECK(ClassifyResponse(
            "po", 400,
            R"({"user":"invalid","errors":["user identifier is not a valid user"],"status":0})", "")
            .error == "Pushover: HTTP 400: user identifier is not a valid user");
  CHECK(ClassifyResponse("opsgenie", 422, R"({"message":"Key format is not valid!","took":0.001})",
                         "")
            .error == "Opsgenie: HTTP 422: Key format is not valid!");
  CHECK(ClassifyResponse("pd", 400,
                         R"({"status":"invalid event","message":"Event object is invalid"})", "")
            .error == "PagerDuty: HTTP 400: Event object is invalid");
}

TEST_CASE("response: Retry-After seconds are honoured; a date or garbage is ignored") {
  SendOutcome busy = ClassifyResponse("ntfy", 503, "", "120");
  REQUIRE(busy.retry_after);
  CHECK(busy.retry_after->count() == 120);
  CHECK(ClassifyResponse("ntfy", 429, "", " 7 ").retry_after->count() == 7);
  CHECK_FALSE(ClassifyResponse("ntfy", 429, "", "Wed, 21 Oct 2026 07:28:00 GMT").retry_after);
  CHECK_FALSE(ClassifyResponse("ntfy", 429, "", "-5").retry_after);
  CHECK_FALSE(ClassifyResponse("ntfy", 429, "", "").retry_after);
  CHECK_FALSE(ClassifyResponse("ntfy", 404, "", "120").retry_after);  // final anyway
}

}  // namespace
}  // namespace dogwatch
