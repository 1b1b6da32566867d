// Push and messaging services: Telegram, ntfy, Gotify, Pushover, Matrix and Zulip. Each one's
// request shape follows its public API; the text comes from message.h.
#include <fmt/format.h>

#include <algorithm>

#include "dogwatch/core/crypto.h"
#include "dogwatch/core/ids.h"
#include "dogwatch/core/time.h"
#include "dogwatch/notify/message.h"
#include "kinds_internal.h"

namespace dogwatch::kind_internal {
namespace {

std::string Str(const Json& v, const char* key) {
  return v.contains(key) && v[key].is_string() ? v[key].get<std::string>() : std::string();
}

int64_t Num(const Json& v, const char* key) {
  return v.contains(key) && v[key].is_number_integer() ? v[key].get<int64_t>() : 0;
}

bool AllOf(std::string_view s, std::string_view extra) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [&](char c) {
    auto b = static_cast<unsigned char>(c);
    return (b < 0x80 && std::isalnum(b)) || extra.find(c) != std::string_view::npos;
  });
}

// A test is never silent: a channel set to stay quiet for this status is tried at `audible`.
int64_t Priority(const Json& v, const Alert& a, int64_t silent, int64_t audible) {
  int64_t p = Num(v, IsUp(a) ? "priority_up" : "priority_down");
  return a.is_test && p == silent ? audible : p;
}

std::string SilentBecause(const Alert& a, int64_t priority) {
  return fmt::format("{} is {} (silent)", IsUp(a) ? "priority_up" : "priority_down", priority);
}

// Services that cap a message's length get the fullest version that fits: with the body and the
// list of other down checks, then without the list, then without the body.
std::string Fitting(const Alert& a, size_t max_chars, bool body_allowed) {
  std::string text = AlertInlineHtml(a, body_allowed, true);
  if (Utf8Length(text) > max_chars) text = AlertInlineHtml(a, body_allowed, false);
  if (Utf8Length(text) > max_chars) text = AlertInlineHtml(a, false, false);
  return Utf8Length(text) > max_chars ? Utf8Prefix(text, max_chars) : text;
}

}  // namespace

Status CheckTelegram(Json& v, const Json*) {
  std::string token = Str(v, "bot_token");
  size_t colon = token.find(':');
  // "123456:ABC-def_..." as BotFather issues them; it goes into the URL path, so nothing else.
  if (colon == std::string::npos || !AllOf(token.substr(0, colon), "") ||
      !AllOf(token.substr(colon + 1), "_-"))
    return FieldError("bot_token", "expected a bot token like 123456789:AAE…");
  return Ok();
}

Status CheckNtfy(Json& v, const Json*) {
  if (!AllOf(Str(v, "topic"), "_-"))
    return FieldError("topic", "expected a topic name of letters, digits, '-' and '_'");
  return Ok();
}

Status CheckMatrix(Json& v, const Json*) {
  std::string room = Str(v, "room_id");
  size_t colon = room.find(':');
  if (room.size() < 4 || room[0] != '!' || colon == std::string::npos || colon < 2 ||
      colon + 1 == room.size() || room.find(' ') != std::string::npos)
    return FieldError("room_id",
                      "expected a room ID like !abcdef:example.org (Room settings, Advanced)");
  return Ok();
}

Status CheckZulip(Json& v, const Json*) {
  if (!IsPlausibleEmail(Str(v, "bot_email")))
    return FieldError("bot_email",
                      "expected the bot's email address, like alerts-bot@example.zulipchat.com");
  if (Str(v, "type") == "private") {
    auto to = ParseAddressList(Str(v, "to"), 20);
    if (!to) return FieldError("to", to.error().message);
  }
  return Ok();
}

Result<Delivery> PlanTelegram(std::string_view, const Json& v, const Alert& a) {
  std::string base = Str(v, "api_url").empty() ? "https://api.telegram.org" : Str(v, "api_url");
  Json body = {
      {"chat_id", v["chat_id"]},
      // Telegram refuses texts over 4096 characters (counted after its HTML is parsed).
      {"text", Fitting(a, 4096, true)},
      {"parse_mode", "HTML"},
      {"disable_web_page_preview", true},
  };
  if (v.contains("thread_id")) body["message_thread_id"] = v["thread_id"];
  Delivery out;
  out.requests.push_back(
      JsonRequest("POST", JoinUrl(base, "/bot" + Str(v, "bot_token") + "/sendMessage"), body));
  return out;
}

Result<Delivery> PlanNtfy(std::string_view, const Json& v, const Alert& a) {
  Delivery out;
  int64_t priority = Priority(v, a, 0, 3);
  if (priority == 0) {
    out.skipped = SilentBecause(a, priority);
    return out;
  }
  Json body = {
      {"topic", Str(v, "topic")}, {"priority", priority},
      {"title", AlertTitle(a)},   {"message", AlertMarkdown(a)},
      {"markdown", true},         {"tags", Json::array({IsUp(a) ? "green_circle" : "red_circle"})},
  };
  if (!a.check_url.empty()) {
    body["actions"] =
        Json::array({{{"action", "view"}, {"label", "Open in dogwatch"}, {"url", a.check_url}}});
  }
  OutboundRequest r = JsonRequest("POST", Str(v, "url"), body);
  if (!Str(v, "token").empty())
    r.headers.emplace_back("Authorization", "Bearer " + Str(v, "token"));
  out.requests.push_back(std::move(r));
  return out;
}

Result<Delivery> PlanGotify(std::string_view, const Json& v, const Alert& a) {
  Delivery out;
  int64_t priority = Priority(v, a, 0, 3);
  if (priority == 0) {
    out.skipped = SilentBecause(a, priority);
    return out;
  }
  Json extras = {{"client::display", {{"contentType", "text/markdown"}}}};
  if (!a.check_url.empty()) extras["client::notification"] = {{"click", {{"url", a.check_url}}}};
  Json body = {{"title", AlertTitle(a)},
               {"message", AlertMarkdown(a)},
               {"priority", priority},
               {"extras", extras}};
  std::string url = JoinUrl(Str(v, "url"), "/message?token=" + PercentEncode(Str(v, "token"), ""));
  out.requests.push_back(JsonRequest("POST", url, body));
  return out;
}

Result<Delivery> PlanPushover(std::string_view, const Json& v, const Alert& a) {
  std::string base = Str(v, "api_url").empty() ? "https://api.pushover.net" : Str(v, "api_url");
  std::string tag = UniqueKeyOf(a.check.uuid);
  Delivery out;
  // An emergency alert repeats until acknowledged: the recovery cancels it (by its tag) first.
  if (IsUp(a) && Num(v, "priority_down") == 2 && !a.is_test) {
    out.requests.push_back(FormRequest(JoinUrl(base, "/1/receipts/cancel_by_tag/" + tag + ".json"),
                                       {{"token", Str(v, "app_token")}}));
  }
  int64_t priority = Priority(v, a, -3, 0);
  // A test must not start an emergency that repeats for an hour.
  if (a.is_test) priority = std::min<int64_t>(priority, 1);
  if (priority == -3) {
    if (out.requests.empty()) out.skipped = SilentBecause(a, priority);
    return out;
  }
  std::vector<std::pair<std::string, std::string>> form = {
      {"token", Str(v, "app_token")},
      {"user", Str(v, "user_key")},
      {"title", Utf8Prefix(AlertTitle(a), 250)},
      // Pushover's HTML has no <pre>, and a message holds at most 1024 characters.
      {"message", Fitting(a, 1024, false)},
      {"html", "1"},
      {"priority", std::to_string(priority)},
      {"tags", tag},
  };
  if (!a.check_url.empty() && a.check_url.size() <= 512) {
    form.emplace_back("url", a.check_url);
    form.emplace_back("url_title", "Open in dogwatch");
  }
  if (priority == 2) {
    form.emplace_back("retry", "300");
    form.emplace_back("expire", "3600");
  }
  out.requests.push_back(FormRequest(JoinUrl(base, "/1/messages.json"), form));
  return out;
}

Result<Delivery> PlanMatrix(std::string_view, const Json& v, const Alert& a) {
  // The transaction ID makes a retried PUT idempotent: the same flip always gets the same one, so
  // a send whose answer was lost is not posted twice. Tests are each their own event.
  std::string txn =
      a.is_test ? "dogwatch-test-" + RandomAlnum(20)
                : "dogwatch-" + Sha256Hex(fmt::format("{}|{}|{}", a.check.uuid, StatusName(a),
                                                      ToUnixMicros(a.flip_time)))
                                    .substr(0, 32);
  std::string url = JoinUrl(Str(v, "homeserver"), "/_matrix/client/v3/rooms/" +
                                                      PercentEncode(Str(v, "room_id"), "") +
                                                      "/send/m.room.message/" + txn);
  Json body = {{"msgtype", "m.text"},
               {"body", AlertText(a)},
               {"format", "org.matrix.custom.html"},
               {"formatted_body", AlertHtml(a)}};
  OutboundRequest r = JsonRequest("PUT", url, body);
  r.headers.emplace_back("Authorization", "Bearer " + Str(v, "access_token"));
  Delivery out;
  out.requests.push_back(std::move(r));
  return out;
}

Result<Delivery> PlanZulip(std::string_view, const Json& v, const Alert& a) {
  std::vector<std::pair<std::string, std::string>> form = {
      {"type", Str(v, "type")},
      {"to", Str(v, "to")},
  };
  if (Str(v, "type") == "stream") {
    std::string topic = Str(v, "topic").empty() ? AlertCheckName(a) : Str(v, "topic");
    form.emplace_back("topic", Utf8Prefix(topic, 60));  // Zulip's topic limit
  }
  form.emplace_back("content", AlertMarkdown(a));
  OutboundRequest r = FormRequest(JoinUrl(Str(v, "site"), "/api/v1/messages"), form);
  r.headers.emplace_back("Authorization",
                         "Basic " + Base64(Str(v, "bot_email") + ":" + Str(v, "api_key")));
  Delivery out;
  out.requests.push_back(std::move(r));
  return out;
}

}  // namespace dogwatch::kind_internal
