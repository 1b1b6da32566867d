// Chat incoming webhooks: the Slack attachment payload (Slack, Mattermost, Rocket.Chat, and
// Discord through its /slack endpoint) and the Microsoft Teams workflow Adaptive Card.
#include "dogwatch/notify/message.h"
#include "kinds_internal.h"

namespace dogwatch::kind_internal {
namespace {

// Slack parses &, < and > everywhere (<!channel>, <url|text>); the others render Markdown in
// attachment fields. Titles are plain text in all four.
struct Dialect {
  bool slack;
  std::string Field(std::string_view s) const { return slack ? SlackEscape(s) : MarkdownEscape(s); }
  std::string Plain(std::string_view s) const { return slack ? SlackEscape(s) : std::string(s); }
};

Json SlackField(std::string title, std::string value, bool is_short) {
  Json f = {{"title", std::move(title)}, {"value", std::move(value)}};
  if (is_short) f["short"] = true;
  return f;
}

// "Success signal did not arrive on time, grace time passed." plus the downtime on recovery.
std::string LeadSentence(const Alert& a) {
  std::string text = AlertReasonText(a) + ".";
  text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
  if (std::string s = DowntimeSentence(a); !s.empty()) text += " " + s;
  if (a.is_test) text = TestNotice(a) + " " + text;
  return text;
}

// Microsoft Teams renders a Markdown subset in TextBlocks and facts with no documented escape
// character; like Healthchecks for asterisks, an invisible U+034F before each marker character
// keeps it literal.
std::string TeamsEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (std::string_view("*_[]`~#").find(c) != std::string_view::npos) out += "\u034f";
    out += c;
  }
  return out;
}

}  // namespace

Result<Delivery> PlanSlackLike(std::string_view kind, const Json& v, const Alert& a) {
  Dialect d{kind == "slack"};
  Json fields = Json::array();
  for (const AlertFact& f : AlertFacts(a)) {
    bool is_short = f.label != "Description" && f.label != "Schedule";
    fields.push_back(SlackField(f.label, d.Field(f.value), is_short));
  }
  // A body that holds ``` cannot be fenced in Slack or Discord: left out, as Healthchecks does.
  if (std::string body = AlertBodyExcerpt(a);
      !body.empty() && body.find("```") == std::string::npos)
    fields.push_back(SlackField("Last ping body", "```\n" + d.Plain(body) + "\n```", false));
  if (!a.other_down.empty()) {
    std::string names;
    for (const auto& n : a.other_down) names += (names.empty() ? "" : ", ") + d.Field(OneLine(n));
    fields.push_back(SlackField(OtherDownHeading(a), names, false));
  }
  Json attachment = {
      {"color", IsUp(a) ? "good" : "danger"},
      {"fallback", d.Plain(AlertTitle(a))},
      {"title", d.Plain(AlertTitle(a))},
      {"text", d.Field(LeadSentence(a))},
      {"mrkdwn_in", Json::array({"fields", "text"})},
      {"fields", fields},
      {"footer", "dogwatch"},
  };
  if (!a.check_url.empty()) attachment["title_link"] = a.check_url;
  Json payload = {{"username", "dogwatch"}, {"attachments", Json::array({attachment})}};

  std::string url = v["url"].get<std::string>();
  // Discord takes Slack's payload at the webhook URL plus /slack (before any query string).
  if (kind == "discord") {
    size_t query = url.find('?');
    std::string base = url.substr(0, query),
                rest = query == std::string::npos ? "" : url.substr(query);
    url = JoinUrl(base, "/slack") + rest;
  }
  Delivery out;
  out.requests.push_back(JsonRequest("POST", url, payload));
  return out;
}

Result<Delivery> PlanTeams(std::string_view, const Json& v, const Alert& a) {
  Json facts = Json::array();
  for (const AlertFact& f : AlertFacts(a))
    facts.push_back({{"title", f.label + ":"}, {"value", TeamsEscape(f.value)}});
  std::string lead = LeadSentence(a);
  Json body = Json::array({
      {{"type", "TextBlock"},
       {"text", TeamsEscape(AlertTitle(a))},
       {"weight", "bolder"},
       {"size", "medium"},
       {"wrap", true},
       {"style", "heading"}},
      {{"type", "TextBlock"}, {"text", TeamsEscape(lead)}, {"wrap", true}},
      {{"type", "FactSet"}, {"facts", facts}},
  });
  if (std::string text = AlertBodyExcerpt(a); !text.empty()) {
    body.push_back({{"type", "TextBlock"}, {"text", "Last ping body:"}, {"weight", "bolder"}});
    // Adaptive Cards 1.2 has no CodeBlock; a monospace TextBlock is the closest.
    body.push_back({{"type", "TextBlock"},
                    {"text", TeamsEscape(text)},
                    {"fontType", "Monospace"},
                    {"wrap", true}});
  }
  if (!a.other_down.empty()) {
    std::string names;
    for (const auto& n : a.other_down)
      names += (names.empty() ? "" : ", ") + TeamsEscape(OneLine(n));
    body.push_back(
        {{"type", "TextBlock"}, {"text", OtherDownHeading(a) + " " + names}, {"wrap", true}});
  }
  Json card = {
      {"$schema", "http://adaptivecards.io/schemas/adaptive-card.json"},
      {"type", "AdaptiveCard"},
      {"version", "1.2"},
      {"fallbackText", AlertTitle(a)},
      {"body", body},
  };
  if (!a.check_url.empty()) {
    card["actions"] = Json::array(
        {{{"type", "Action.OpenUrl"}, {"title", "Open in dogwatch"}, {"url", a.check_url}}});
  }
  Json payload = {
      {"type", "message"},
      {"attachments", Json::array({{{"contentType", "application/vnd.microsoft.card.adaptive"},
                                    {"contentUrl", nullptr},
                                    {"content", card}}})},
  };
  Delivery out;
  out.requests.push_back(JsonRequest("POST", v["url"].get<std::string>(), payload));
  return out;
}

}  // namespace dogwatch::kind_internal
