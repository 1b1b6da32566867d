// The words of an alert. One set of facts (AlertFacts) rendered four ways: plain text, HTML (email,
// Matrix), Markdown (ntfy, Gotify, Zulip) and the inline HTML subset of Telegram and Pushover.
// Every user string (names, tags, project, body) is escaped for the target at the last moment.
#include "dogwatch/notify/message.h"

#include <fmt/format.h>

#include "kinds_internal.h"

namespace dogwatch {

using kind_internal::AlertFact;
using kind_internal::HtmlEscape;
using kind_internal::MarkdownEscape;
using kind_internal::OneLine;

namespace kind_internal {

bool IsUp(const Alert& a) { return a.status == CheckStatus::kUp; }
std::string_view StatusName(const Alert& a) { return IsUp(a) ? "up" : "down"; }
std::string_view StatusWord(const Alert& a) { return IsUp(a) ? "UP" : "DOWN"; }

std::string DurationWords(Micros d) {
  int64_t total = std::chrono::duration_cast<Seconds>(d).count();
  if (total < 1) return "less than a second";
  struct Unit {
    const char* name;
    int64_t seconds;
  };
  static constexpr Unit kUnits[] = {{"day", 86400}, {"hour", 3600}, {"minute", 60}, {"second", 1}};
  auto words = [](int64_t n, const char* unit) {
    return fmt::format("{} {}{}", n, unit, n == 1 ? "" : "s");
  };
  for (size_t i = 0; i < std::size(kUnits); ++i) {
    int64_t n = total / kUnits[i].seconds;
    if (n == 0) continue;
    std::string out = words(n, kUnits[i].name);
    if (i + 1 < std::size(kUnits)) {
      int64_t rest = total % kUnits[i].seconds / kUnits[i + 1].seconds;
      if (rest > 0) out += " " + words(rest, kUnits[i + 1].name);
    }
    return out;
  }
  return "less than a second";
}

std::string DowntimeSentence(const Alert& a) {
  if (!IsUp(a) || !a.downtime) return "";
  return fmt::format("It was down for {}.", DurationWords(*a.downtime));
}

std::string TestNotice(const Alert& a) {
  if (!a.is_test) return "";
  return "This is a test notification sent from dogwatch to try this channel; "
         "nothing is actually down.";
}

std::string OtherDownHeading(const Alert& a) {
  if (a.other_down.empty()) return "";
  return fmt::format("The following checks are {} down:", IsUp(a) ? "still" : "also");
}

namespace {

std::string ScheduleFact(const Alert& a) {
  if (!a.schedule_text.empty()) return OneLine(a.schedule_text);
  const Check& c = a.check;
  std::string period = c.kind == ScheduleKind::kSimple
                           ? "every " + DurationWords(c.timeout)
                           : fmt::format("{} ({})", OneLine(c.schedule), OneLine(c.tz));
  return period + ", grace " + DurationWords(c.grace);
}

std::string LastPingFact(const Alert& a) {
  if (!a.last_ping) return "never";
  const Ping& p = *a.last_ping;
  std::string kind;
  switch (p.kind) {
    case PingKind::kSuccess:
      kind = "success";
      break;
    case PingKind::kStart:
      kind = "start";
      break;
    case PingKind::kFail:
      kind = "failure";
      break;
    case PingKind::kLog:
      kind = "log";
      break;
    case PingKind::kIgnored:
      kind = "ignored";
      break;
  }
  if (p.exit_status && *p.exit_status > 0) {
    kind = fmt::format("failure (exit status {})", *p.exit_status);
  }
  Micros age = a.flip_time - p.created;
  std::string when = age < Seconds(1) ? "just now" : DurationWords(age) + " ago";
  return kind + ", " + when;
}

}  // namespace

std::vector<AlertFact> AlertFacts(const Alert& a) {
  std::vector<AlertFact> facts;
  if (!a.check.desc.empty()) {
    std::string desc = OneLine(a.check.desc);
    if (Utf8Length(desc) > 300) desc = Utf8Prefix(desc, 299) + "…";
    facts.push_back({"Description", desc});
  }
  if (!a.project_name.empty()) facts.push_back({"Project", OneLine(a.project_name)});
  std::vector<std::string> tags = SplitTags(a.check.tags);
  if (!tags.empty()) {
    std::string joined;
    for (const auto& t : tags) joined += (joined.empty() ? "" : " ") + OneLine(t);
    facts.push_back({"Tags", joined});
  }
  facts.push_back({"Schedule", ScheduleFact(a)});
  facts.push_back({"Total pings", std::to_string(a.check.n_pings)});
  facts.push_back({"Last ping", LastPingFact(a)});
  return facts;
}

std::string AlertInlineHtml(const Alert& a, bool with_body, bool with_other_down) {
  std::string out;
  if (a.is_test) out += "<b>[TEST]</b> " + HtmlEscape(TestNotice(a)) + "\n\n";
  std::string name = HtmlEscape(AlertCheckName(a));
  name = a.check_url.empty() ? "<b>" + name + "</b>"
                             : "<a href=\"" + HtmlEscape(a.check_url) + "\">" + name + "</a>";
  out += fmt::format("{} The check {} is {}<b>{}</b>: {}.\n", IsUp(a) ? "🟢" : "🔴", name,
                     IsUp(a) ? "now " : "", StatusWord(a), HtmlEscape(AlertReasonText(a)));
  if (std::string d = DowntimeSentence(a); !d.empty()) out += HtmlEscape(d) + "\n";
  out += "\n";
  for (const AlertFact& f : AlertFacts(a))
    out += fmt::format("<b>{}:</b> {}\n", HtmlEscape(f.label), HtmlEscape(f.value));
  if (std::string body = AlertBodyExcerpt(a); with_body && !body.empty())
    out += "\n<b>Last ping body:</b>\n<pre>" + HtmlEscape(body) + "</pre>\n";
  if (with_other_down && !a.other_down.empty()) {
    out += "\n" + OtherDownHeading(a) + "\n";
    for (const auto& name : a.other_down) out += "- " + HtmlEscape(OneLine(name)) + "\n";
  }
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

}  // namespace kind_internal

using namespace kind_internal;  // NOLINT: this file is the module's own renderer

std::string AlertCheckName(const Alert& a) {
  return a.check.name.empty() ? a.check.uuid : OneLine(a.check.name);
}

std::string AlertSubject(const Alert& a) {
  return fmt::format("{}{} | {}", a.is_test ? "[TEST] " : "", StatusWord(a), AlertCheckName(a));
}

std::string AlertTitle(const Alert& a) {
  return fmt::format("{}“{}” is {}.", a.is_test ? "[TEST] " : "", AlertCheckName(a), StatusWord(a));
}

std::string AlertReasonText(const Alert& a) {
  if (a.is_test) return "a test notification was requested";
  if (a.reason == "timeout") return "success signal did not arrive on time, grace time passed";
  if (a.reason == "fail") return "received a failure signal";
  if (IsUp(a)) return "received a success signal";
  return a.reason.empty() ? "no reason recorded" : OneLine(a.reason);
}

std::string AlertBodyExcerpt(const Alert& a) {
  if (!a.last_ping || a.last_ping->body.empty()) return "";
  std::string text;
  const std::string& raw = a.last_ping->body;
  for (size_t i = 0; i < raw.size();) {
    char32_t cp = NextCodePoint(raw, i);
    if (cp == '\r') continue;  // CRLF bodies read as LF; a lone CR would garble a chat message
    // Other control characters (terminal colour codes...) have no place in a message.
    if ((cp < 0x20 && cp != '\n' && cp != '\t') || cp == 0x7F) cp = 0xFFFD;
    AppendUtf8(text, cp);
  }
  if (text.find_first_not_of(" \t\n") == std::string::npos) return "";
  constexpr size_t kMax = 1000;
  constexpr std::string_view kMark = "\n[truncated]";
  if (Utf8Length(text) > kMax) text = Utf8Prefix(text, kMax - kMark.size()) + std::string(kMark);
  return text;
}

std::string AlertText(const Alert& a) {
  std::string out;
  if (a.is_test) out += "[TEST] " + TestNotice(a) + "\n\n";
  out += fmt::format("“{}” is {}: {}.\n", AlertCheckName(a), StatusWord(a), AlertReasonText(a));
  if (std::string d = DowntimeSentence(a); !d.empty()) out += d + "\n";
  out += "\n";
  for (const AlertFact& f : AlertFacts(a)) out += f.label + ": " + f.value + "\n";
  if (std::string body = AlertBodyExcerpt(a); !body.empty())
    out += "\nLast ping body:\n" + body + "\n";
  if (!a.other_down.empty()) {
    out += "\n" + OtherDownHeading(a) + "\n";
    for (const auto& name : a.other_down) out += "- " + OneLine(name) + "\n";
  }
  if (!a.check_url.empty()) out += "\nOpen the check: " + a.check_url + "\n";
  return out;
}

std::string AlertHtml(const Alert& a) {
  std::string out;
  if (a.is_test) out += "<p><b>[TEST]</b> " + HtmlEscape(TestNotice(a)) + "</p>\n";
  std::string name = "<b>" + HtmlEscape(AlertCheckName(a)) + "</b>";
  if (!a.check_url.empty()) name = "<a href=\"" + HtmlEscape(a.check_url) + "\">" + name + "</a>";
  out += fmt::format("<p>The check {} is <b>{}</b>: {}.", name, StatusWord(a),
                     HtmlEscape(AlertReasonText(a)));
  if (std::string d = DowntimeSentence(a); !d.empty()) out += "<br>\n" + HtmlEscape(d);
  out += "</p>\n<p>";
  bool first = true;
  for (const AlertFact& f : AlertFacts(a)) {
    out += fmt::format("{}<b>{}:</b> {}", first ? "" : "<br>\n", HtmlEscape(f.label),
                       HtmlEscape(f.value));
    first = false;
  }
  out += "</p>\n";
  if (std::string body = AlertBodyExcerpt(a); !body.empty()) {
    out += "<p><b>Last ping body:</b></p>\n<pre style=\"white-space: pre-wrap\">" +
           HtmlEscape(body) + "</pre>\n";
  }
  if (!a.other_down.empty()) {
    out += "<p>" + HtmlEscape(OtherDownHeading(a)) + "</p>\n<ul>\n";
    for (const auto& n : a.other_down) out += "<li>" + HtmlEscape(OneLine(n)) + "</li>\n";
    out += "</ul>\n";
  }
  if (!a.check_url.empty())
    out += "<p><a href=\"" + HtmlEscape(a.check_url) + "\">Open the check in dogwatch</a></p>\n";
  return out;
}

std::string AlertMarkdown(const Alert& a) {
  // The link target: percent-encode what could end a Markdown link early.
  std::string url = PercentEncode(a.check_url, ":/?#[]@!$&'*+,;=%");
  std::string out;
  if (a.is_test) out += "**\\[TEST\\]** " + MarkdownEscape(TestNotice(a)) + "\n\n";
  std::string name = MarkdownEscape(AlertCheckName(a));
  if (!url.empty()) name = "[" + name + "](" + url + ")";
  out += fmt::format("The check {} is **{}**: {}.\n", name, StatusWord(a),
                     MarkdownEscape(AlertReasonText(a)));
  if (std::string d = DowntimeSentence(a); !d.empty()) out += "\n" + MarkdownEscape(d) + "\n";
  out += "\n";
  for (const AlertFact& f : AlertFacts(a))
    out += fmt::format("- **{}:** {}\n", MarkdownEscape(f.label), MarkdownEscape(f.value));
  if (std::string body = AlertBodyExcerpt(a); !body.empty())
    out += "\n**Last ping body:**\n\n" + MarkdownCodeBlock(body) + "\n";
  if (!a.other_down.empty()) {
    out += "\n" + MarkdownEscape(OtherDownHeading(a)) + "\n\n";
    for (const auto& n : a.other_down) out += "- " + MarkdownEscape(OneLine(n)) + "\n";
  }
  if (!url.empty()) out += "\n[Open the check in dogwatch](" + url + ")\n";
  return out;
}

}  // namespace dogwatch
