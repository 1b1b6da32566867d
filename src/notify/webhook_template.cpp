// Healthchecks' webhook variables, byte for byte as hc/integrations/webhook/transport.py prepares
// them and hc/lib/string.py replaces them (reference §6.4). The dict order there decides which
// placeholder wins at a segment's start: $NAME_JSON before $NAME, $BODY_JSON before $BODY, and
// $TAG1 before $TAG10 (so with ten tags "$TAG10" reads as the first tag followed by "0", exactly
// as Healthchecks sends it).
#include "dogwatch/notify/webhook_template.h"

#include "kinds_internal.h"

namespace dogwatch {

namespace kind_internal {

std::string ReplacePlaceholders(std::string_view text,
                                const std::vector<std::pair<std::string, std::string>>& ctx) {
  size_t dollar = text.find('$');
  std::string out(text.substr(0, dollar));
  while (dollar != std::string_view::npos) {
    size_t next = text.find('$', dollar + 1);
    std::string_view part =
        text.substr(dollar, next == std::string_view::npos ? next : next - dollar);
    bool replaced = false;
    for (const auto& [placeholder, value] : ctx) {
      if (part.substr(0, placeholder.size()) == placeholder) {
        out += value;
        out += part.substr(placeholder.size());
        replaced = true;
        break;
      }
    }
    if (!replaced) out += part;
    dollar = next;
  }
  return out;
}

}  // namespace kind_internal

namespace {

using namespace kind_internal;  // NOLINT: the module's own helpers

// Python's str.encode("latin-1", "xmlcharrefreplace"), as bytes: U+0000..U+00FF become one byte,
// anything else "&#NNN;". CR and LF become spaces: a check name must not be able to add headers.
std::string ToLatin1Header(std::string_view utf8) {
  std::string out;
  for (size_t i = 0; i < utf8.size();) {
    char32_t cp = NextCodePoint(utf8, i);
    if (cp == '\r' || cp == '\n' || cp == 0) cp = ' ';
    if (cp <= 0xFF)
      out += static_cast<char>(cp);
    else
      out += "&#" + std::to_string(static_cast<uint32_t>(cp)) + ";";
  }
  return out;
}

std::string BodyText(const Alert& a) {
  return a.last_ping ? LossyUtf8(a.last_ping->body) : std::string();
}

}  // namespace

std::string ExpandTemplate(std::string_view text, const Alert& alert, TemplateField field) {
  bool url = field == TemplateField::kUrl;
  auto safe = [url](std::string s) { return url ? PercentEncode(s) : s; };
  const Check& c = alert.check;
  std::vector<std::pair<std::string, std::string>> ctx = {
      {"$CODE", c.uuid},
      {"$STATUS", std::string(StatusName(alert))},
      {"$NOW", safe(FormatIsoApi(alert.flip_time))},
      {"$NAME_JSON", safe(PyJsonQuote(c.name))},
      {"$NAME", safe(c.name)},
      {"$SLUG", c.slug},
      {"$TAGS", safe(c.tags)},
      {"$JSON", safe(alert.check_json)},
  };
  // The ping body may only reach a request body (reference §6.4): elsewhere it stays literal.
  if (field == TemplateField::kBody) {
    std::string body = BodyText(alert);
    ctx.emplace_back("$BODY_JSON", PyJsonQuote(body));
    ctx.emplace_back("$BODY", body);
  }
  std::string exit_status = "-1";
  if (alert.last_ping && alert.last_ping->exit_status)
    exit_status = std::to_string(*alert.last_ping->exit_status);
  ctx.emplace_back("$EXITSTATUS", exit_status);
  std::vector<std::string> tags = SplitTags(c.tags);
  for (size_t i = 0; i < tags.size(); ++i)
    ctx.emplace_back("$TAG" + std::to_string(i + 1), safe(tags[i]));

  std::string result = ReplacePlaceholders(text, ctx);
  return field == TemplateField::kHeader ? ToLatin1Header(result) : result;
}

}  // namespace dogwatch
