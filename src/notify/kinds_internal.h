// Private to the channel kinds (kinds.h): text escaping for each target format, the facts every
// message shows, the per-kind table of value fields, and each family's planner. Pure functions;
// thread-safe. Implemented across message.cpp, webhook_template.cpp, kinds.cpp and kind_*.cpp.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dogwatch/core/result.h"
#include "dogwatch/notify/alert.h"
#include "dogwatch/notify/kinds.h"

namespace dogwatch::kind_internal {

using Json = nlohmann::json;

// ---- Text (kind_text.cpp) -----------------------------------------------------------------------

// Decodes one code point at s[i] and advances i; an invalid or truncated sequence yields U+FFFD
// and advances one byte (so any byte string is read as lossy UTF-8, like Python's "replace").
char32_t NextCodePoint(std::string_view s, size_t& i);
void AppendUtf8(std::string& out, char32_t cp);
std::string LossyUtf8(std::string_view s);
size_t Utf8Length(std::string_view s);  // in code points
// The first max_chars code points of lossy-decoded s.
std::string Utf8Prefix(std::string_view s, size_t max_chars);
// Lossy UTF-8 with line breaks, tabs and other control characters turned into single spaces:
// for names and labels that must stay on one line (a name with "\n" must not start a new line in
// a message, a header or a Markdown list).
std::string OneLine(std::string_view s);
// Space-separated tags as Healthchecks' tags_list(): split on ' ', empty items dropped.
std::vector<std::string> SplitTags(std::string_view tags);

std::string HtmlEscape(std::string_view s);  // & < > " '
// Markdown-safe text: \ ` * _ [ ] escaped, < as &lt;, and a leading block marker (# > + - 1.)
// escaped, with escapes both CommonMark and Python-Markdown (Zulip) understand.
std::string MarkdownEscape(std::string_view s);
std::string SlackEscape(std::string_view s);  // & < > as Slack's mrkdwn wants them
// A fenced Markdown code block whose fence is longer than any backtick run in `code`, so the
// text can never close it early.
std::string MarkdownCodeBlock(std::string_view code);
// Python's json.dumps(str) with its defaults: quoted, ASCII-only, \uXXXX (lowercase hex,
// surrogate pairs above U+FFFF).
std::string PyJsonQuote(std::string_view s);
// Python's urllib.parse.quote(s, safe=safe): UTF-8 bytes, unreserved A-Za-z0-9_.-~ kept.
std::string PercentEncode(std::string_view s, std::string_view safe = "/");
// application/x-www-form-urlencoded, as Python's urlencode (quote_plus: space is '+').
std::string FormEncode(const std::vector<std::pair<std::string, std::string>>& fields);
std::string ShellQuote(std::string_view s);  // POSIX single quotes
std::string Base64(std::string_view data);
// JSON text; invalid UTF-8 becomes U+FFFD rather than throwing.
std::string DumpJson(const Json& j);

// "https://host:port/path?q" split at the authority. nullopt unless the scheme is http or https
// (any case), the host is non-empty, and there is no user info, whitespace or control character.
struct HttpUrl {
  std::string scheme;     // lowercase
  std::string authority;  // host[:port]
  std::string rest;       // path, query and fragment; may be empty
};
std::optional<HttpUrl> ParseHttpUrl(std::string_view url);
// base without trailing slashes + path ("https://x/" + "/v2/enqueue").
std::string JoinUrl(std::string_view base, std::string_view path);

// ---- Message facts (message.cpp) ----------------------------------------------------------------

// One line of "Label: value" in a message. Values are raw (unescaped) single-line text.
struct AlertFact {
  std::string label;
  std::string value;
};

bool IsUp(const Alert& a);
std::string_view StatusName(const Alert& a);  // "up" / "down"
std::string_view StatusWord(const Alert& a);  // "UP" / "DOWN"
// Project, tags, schedule, total pings, last ping; the description first when there is one.
std::vector<AlertFact> AlertFacts(const Alert& a);
// "2 hours 5 minutes", "45 seconds", "1 day 3 hours": the two largest units.
std::string DurationWords(Micros d);
// "It was down for 2 hours 5 minutes." or "" when not a recovery with a known downtime.
std::string DowntimeSentence(const Alert& a);
// "This is a test notification ..." or "" for a real alert.
std::string TestNotice(const Alert& a);
// "The following checks are also down:" / "... still down:", or "" when none are.
std::string OtherDownHeading(const Alert& a);
// A message in the small HTML subset Telegram and Pushover accept (<b> <a> <code> <pre>), lines
// separated by "\n". with_body adds the last ping body in <pre>; with_other_down the list.
std::string AlertInlineHtml(const Alert& a, bool with_body, bool with_other_down);

// ---- Webhook templates (webhook_template.cpp)
// ----------------------------------------------------

// Healthchecks' hc.lib.string.replace: split on '$', each segment after the first may start with
// one placeholder, the first match in `ctx` order wins, substituted text is never looked at again.
std::string ReplacePlaceholders(std::string_view text,
                                const std::vector<std::pair<std::string, std::string>>& ctx);

// ---- Value fields (kinds.cpp, kind_fields.cpp)
// ---------------------------------------------------

enum class FieldType {
  kText,   // a string; single line unless multiline
  kToken,  // a non-empty secret or key: printable ASCII, no spaces
  kUrl,    // http(s) URL with a host
  kBool,
  kInt,      // within [min, max]
  kChoice,   // one of `choices`
  kChatId,   // Telegram: an integer, "-100…" digits (normalized to an integer) or "@channel"
  kHeaders,  // {"Name": "value"}: header names are tokens, values single-line
};

enum class Redaction {
  kNone,
  kPrefix,  // first 4 characters + "…"
  kUrl,     // scheme://host/ + first 4 characters of the rest + "…" (the URL is the secret)
};

struct FieldSpec {
  std::string_view name;
  FieldType type = FieldType::kText;
  bool required = false;
  Redaction redaction = Redaction::kNone;
  Json fallback = nullptr;  // filled in when absent (null: left absent)
  size_t max_length = 1000;
  bool allow_empty = true;                // kText / kUrl: "" allowed (then not checked as a URL)
  bool multiline = false;                 // kText
  int min = 0, max = 0;                   // kInt
  std::vector<std::string_view> choices;  // kChoice
};

struct KindSpec {
  std::string_view kind;
  std::string_view label;
  std::vector<FieldSpec> fields;
  // Cross-field and format checks after the field checks; may normalize `value`. `previous` is
  // the stored value on an update (for secrets inside objects, like webhook headers).
  Status (*check)(Json& value, const Json* previous) = nullptr;
  // Redaction beyond the per-field rules (webhook headers).
  void (*redact)(Json& value) = nullptr;
  Result<Delivery> (*plan)(std::string_view kind, const Json& value, const Alert& alert) = nullptr;
};

const KindSpec* FindKind(std::string_view kind);

// Field-level checks (kind_fields.cpp). CheckField returns what is wrong, e.g. "expected an
// http:// or https:// URL", or "" when the value is fine; it may normalize v (a chat ID).
std::string CheckField(const FieldSpec& spec, Json& v);
// What the field takes, for messages: "an http:// or https:// URL", "an integer from 0 to 5".
std::string Expected(const FieldSpec& spec);
std::string Redact(std::string_view secret, Redaction how);
bool IsHeaderToken(std::string_view name);
// "a@x.org, b@y.org" -> addresses, or an error text.
Result<std::vector<std::string>> ParseAddressList(std::string_view text, size_t max_count);
bool IsPlausibleEmail(std::string_view address);

// "value.<field>: <what>" as kInvalidArgument.
Error FieldError(std::string_view field, std::string_view what);

// ---- Planners, one per family
// --------------------------------------------------------------------

// kind_chat.cpp: slack, mattermost, rocketchat, discord; msteamsw.
Result<Delivery> PlanSlackLike(std::string_view kind, const Json& v, const Alert& a);
Result<Delivery> PlanTeams(std::string_view kind, const Json& v, const Alert& a);
// kind_push.cpp: telegram, ntfy, gotify, po, matrix, zulip.
Result<Delivery> PlanTelegram(std::string_view kind, const Json& v, const Alert& a);
Result<Delivery> PlanNtfy(std::string_view kind, const Json& v, const Alert& a);
Result<Delivery> PlanGotify(std::string_view kind, const Json& v, const Alert& a);
Result<Delivery> PlanPushover(std::string_view kind, const Json& v, const Alert& a);
Result<Delivery> PlanMatrix(std::string_view kind, const Json& v, const Alert& a);
Result<Delivery> PlanZulip(std::string_view kind, const Json& v, const Alert& a);
Status CheckTelegram(Json& v, const Json* previous);
Status CheckNtfy(Json& v, const Json* previous);
Status CheckMatrix(Json& v, const Json* previous);
Status CheckZulip(Json& v, const Json* previous);
// kind_incident.cpp: pd, opsgenie.
Result<Delivery> PlanPagerDuty(std::string_view kind, const Json& v, const Alert& a);
Result<Delivery> PlanOpsgenie(std::string_view kind, const Json& v, const Alert& a);
// kind_webhook.cpp.
Result<Delivery> PlanWebhook(std::string_view kind, const Json& v, const Alert& a);
Status CheckWebhook(Json& v, const Json* previous);
void RedactWebhook(Json& v);
// kind_email.cpp.
Result<Delivery> PlanEmail(std::string_view kind, const Json& v, const Alert& a);
Status CheckEmail(Json& v, const Json* previous);
// kind_shell.cpp.
Result<Delivery> PlanShell(std::string_view kind, const Json& v, const Alert& a);
Status CheckShell(Json& v, const Json* previous);

// A JSON POST with Content-Type set.
OutboundRequest JsonRequest(std::string method, std::string url, const Json& body);
// A form POST (application/x-www-form-urlencoded).
OutboundRequest FormRequest(std::string url,
                            const std::vector<std::pair<std::string, std::string>>& fields);

}  // namespace dogwatch::kind_internal
