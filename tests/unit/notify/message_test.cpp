#include "dogwatch/notify/message.h"

#include <doctest/doctest.h>

#include <chrono>

#include "notify/kinds_internal.h"

namespace dogwatch {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

bool Has(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

Alert MakeAlert() {
  Alert a;
  a.check.uuid = "6b2e1a2c-4f3d-4b6a-9c1e-2d3f4a5b6c7d";
  a.check.name = "nightly-backup";
  a.check.tags = "prod db";
  a.check.n_pings = 42;
  a.project_name = "Backups";
  a.status = CheckStatus::kDown;
  a.reason = "timeout";
  a.flip_time = *ParseIso("2026-11-24T10:00:00Z");
  a.schedule_text = "every 1 day, grace 1 hour";
  Ping p;
  p.created = a.flip_time - minutes(5);
  p.kind = PingKind::kSuccess;
  p.body = "backup finished\n3 files";
  a.last_ping = p;
  a.check_url = "https://dw.example.com/checks/6b2e1a2c-4f3d-4b6a-9c1e-2d3f4a5b6c7d";
  return a;
}

TEST_CASE("message: subject and title name the check and its new status") {
  Alert a = MakeAlert();
  CHECK(AlertSubject(a) == "DOWN | nightly-backup");
  CHECK(AlertTitle(a) == "“nightly-backup” is DOWN.");
  a.status = CheckStatus::kUp;
  CHECK(AlertSubject(a) == "UP | nightly-backup");
  a.check.name = "";
  CHECK(AlertCheckName(a) == "6b2e1a2c-4f3d-4b6a-9c1e-2d3f4a5b6c7d");
  CHECK(AlertSubject(a) == "UP | 6b2e1a2c-4f3d-4b6a-9c1e-2d3f4a5b6c7d");
  a.check.name = "two\nlines";  // a subject is one line
  CHECK(AlertSubject(a) == "UP | two lines");
}

TEST_CASE("message: the reason in words") {
  Alert a = MakeAlert();
  CHECK(AlertReasonText(a) == "success signal did not arrive on time, grace time passed");
  a.reason = "fail";
  CHECK(AlertReasonText(a) == "received a failure signal");
  a.status = CheckStatus::kUp;
  a.reason = "";
  CHECK(AlertReasonText(a) == "received a success signal");
  a.is_test = true;
  CHECK(AlertReasonText(a) == "a test notification was requested");
}

TEST_CASE("message: the plain text holds every fact") {
  Alert a = MakeAlert();
  a.other_down = {"db-dump", "certs"};
  std::string t = AlertText(a);
  CHECK(Has(t,
            "“nightly-backup” is DOWN: success signal did not arrive on time, grace time passed."));
  CHECK(Has(t, "Project: Backups\n"));
  CHECK(Has(t, "Tags: prod db\n"));
  CHECK(Has(t, "Schedule: every 1 day, grace 1 hour\n"));
  CHECK(Has(t, "Total pings: 42\n"));
  CHECK(Has(t, "Last ping: success, 5 minutes ago\n"));
  CHECK(Has(t, "Last ping body:\nbackup finished\n3 files\n"));
  CHECK(Has(t, "The following checks are also down:\n- db-dump\n- certs\n"));
  CHECK(Has(t, a.check_url));
  CHECK_FALSE(Has(t, "TEST"));
}

TEST_CASE("message: a recovery says how long the check was down") {
  Alert a = MakeAlert();
  a.status = CheckStatus::kUp;
  a.reason = "";
  a.downtime = hours(2) + minutes(5) + seconds(9);
  a.other_down = {"db-dump"};
  std::string t = AlertText(a);
  CHECK(Has(
      t,
      "“nightly-backup” is UP: received a success signal.\nIt was down for 2 hours 5 minutes.\n"));
  CHECK(Has(t, "The following checks are still down:"));
  CHECK(Has(AlertHtml(a), "It was down for 2 hours 5 minutes."));
  CHECK(Has(AlertMarkdown(a), "It was down for 2 hours 5 minutes."));
}

TEST_CASE("message: durations in words use the two largest units") {
  using kind_internal::DurationWords;
  CHECK(DurationWords(seconds(0)) == "less than a second");
  CHECK(DurationWords(seconds(1)) == "1 second");
  CHECK(DurationWords(seconds(45)) == "45 seconds");
  CHECK(DurationWords(minutes(5) + seconds(30)) == "5 minutes 30 seconds");
  CHECK(DurationWords(hours(1)) == "1 hour");
  CHECK(DurationWords(hours(2) + seconds(30)) == "2 hours");
  CHECK(DurationWords(hours(49) + minutes(1)) == "2 days 1 hour");
  CHECK(DurationWords(hours(24 * 400)) == "400 days");
}

TEST_CASE("message: the last ping's kind and age, relative to the flip") {
  Alert a = MakeAlert();
  auto last = [&] { return kind_internal::AlertFacts(a).back(); };
  CHECK(last().label == "Last ping");
  CHECK(last().value == "success, 5 minutes ago");
  a.last_ping->kind = PingKind::kFail;
  a.last_ping->created = a.flip_time - hours(3) - minutes(2);
  CHECK(last().value == "failure, 3 hours 2 minutes ago");
  a.last_ping->kind = PingKind::kSuccess;
  a.last_ping->exit_status = 2;
  CHECK(last().value == "failure (exit status 2), 3 hours 2 minutes ago");
  a.last_ping->exit_status.reset();
  a.last_ping->kind = PingKind::kStart;
  a.last_ping->created = a.flip_time;
  CHECK(last().value == "start, just now");
  a.last_ping->kind = PingKind::kIgnored;
  CHECK(last().value == "ignored, just now");
  a.last_ping.reset();
  CHECK(last().value == "never");
  CHECK(Has(AlertText(a), "Last ping: never\n"));
  CHECK_FALSE(Has(AlertText(a), "Last ping body"));
}

TEST_CASE("message: without a schedule text the check's own schedule is described") {
  Alert a = MakeAlert();
  a.schedule_text.clear();
  a.check.timeout = hours(24);
  a.check.grace = hours(1);
  CHECK(Has(AlertText(a), "Schedule: every 1 day, grace 1 hour\n"));
  a.check.kind = ScheduleKind::kCron;
  a.check.schedule = "0 3 * * *";
  a.check.tz = "Europe/Riga";
  CHECK(Has(AlertText(a), "Schedule: 0 3 * * * (Europe/Riga), grace 1 hour\n"));
}

TEST_CASE(
    "message: the body excerpt is lossy UTF-8, one kind of line break, at most 1000 characters") {
  Alert a = MakeAlert();
  a.last_ping->body = "ok\r\nbad \xFF byte \x1b[31mred\x1b[0m\tend";
  CHECK(AlertBodyExcerpt(a) == "ok\nbad \xEF\xBF\xBD byte \xEF\xBF\xBD[31mred\xEF\xBF\xBD[0m\tend");
  a.last_ping->body = " \n\t ";
  CHECK(AlertBodyExcerpt(a) == "");
  a.last_ping->body = std::string(1000, 'x');
  CHECK(AlertBodyExcerpt(a) == std::string(1000, 'x'));
  std::string snowmen;
  for (int i = 0; i < 1500; ++i) snowmen += "\xE2\x98\x83";
  a.last_ping->body = snowmen;
  std::string cut = AlertBodyExcerpt(a);
  CHECK(kind_internal::Utf8Length(cut) == 1000);
  CHECK(cut.size() > 2000);  // cut in characters, not bytes
  CHECK(Has(cut, "\n[truncated]"));
  a.last_ping.reset();
  CHECK(AlertBodyExcerpt(a) == "");
}

TEST_CASE("message: HTML escapes every user string") {
  Alert a = MakeAlert();
  a.check.name = "<script>alert('x')</script> & co";
  a.project_name = "<b>proj</b>";
  a.check.tags = "<i>tag</i>";
  a.check.desc = "desc \"quoted\"";
  a.last_ping->body = "</pre><img src=x onerror=alert(1)>";
  a.other_down = {"<u>other</u>"};
  std::string h = AlertHtml(a);
  CHECK_FALSE(Has(h, "<script"));
  CHECK_FALSE(Has(h, "<img"));
  CHECK_FALSE(Has(h, "<b>proj"));
  CHECK_FALSE(Has(h, "<i>tag"));
  CHECK_FALSE(Has(h, "<u>other"));
  CHECK(Has(h, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co"));
  CHECK(Has(h, "&lt;/pre&gt;&lt;img src=x onerror=alert(1)&gt;</pre>"));
  CHECK(Has(h, "desc &quot;quoted&quot;"));
  CHECK(Has(h, "<a href=\"" + a.check_url + "\">"));
  // The Telegram / Pushover subset too.
  std::string inline_html = kind_internal::AlertInlineHtml(a, true, true);
  CHECK_FALSE(Has(inline_html, "<script"));
  CHECK_FALSE(Has(inline_html, "<img"));
  CHECK(Has(inline_html, "<pre>&lt;/pre&gt;"));
}

TEST_CASE("message: Markdown escapes every user string and fences the body safely") {
  Alert a = MakeAlert();
  a.check.name = "*bold* [link](http://evil.example) _x_";
  a.project_name = "# heading";
  a.last_ping->body = "before\n```\nescaped?\n````\nafter";
  std::string m = AlertMarkdown(a);
  CHECK(Has(m, "\\*bold\\* \\[link\\](http://evil.example) \\_x\\_"));
  CHECK_FALSE(Has(m, "[link](http"));
  CHECK(Has(m, "- **Project:** \\# heading\n"));
  // The fence is longer than any run of backticks in the body.
  CHECK(Has(m, "`````\nbefore\n```\nescaped?\n````\nafter\n`````"));
  CHECK(Has(m, "[Open the check in dogwatch](" + a.check_url + ")"));
}

TEST_CASE("message: Markdown escaping keeps ordinary names readable") {
  using kind_internal::MarkdownEscape;
  CHECK(MarkdownEscape("nightly-backup, db.example.com: ok!") ==
        "nightly-backup, db.example.com: ok!");
  CHECK(MarkdownEscape("a_b*c`d[e]f\\g<h>") == "a\\_b\\*c\\`d\\[e\\]f\\\\g&lt;h>");
  // Block markers only where a block could start.
  CHECK(MarkdownEscape("- item") == "\\- item");
  CHECK(MarkdownEscape("# x # y") == "\\# x # y");
  CHECK(MarkdownEscape("> quote") == "\\> quote");
  CHECK(MarkdownEscape("12. twelve") == "12\\. twelve");
  CHECK(MarkdownEscape("3) three") == "3\\) three");
  CHECK(MarkdownEscape("2025.1 release") == "2025\\.1 release");
  CHECK(MarkdownEscape("v1.2") == "v1.2");
}

TEST_CASE("message: without a link the name is still shown, never as an empty link") {
  Alert a = MakeAlert();
  a.check_url.clear();
  CHECK_FALSE(Has(AlertHtml(a), "href"));
  CHECK_FALSE(Has(kind_internal::AlertInlineHtml(a, true, true), "href"));
  CHECK(Has(kind_internal::AlertInlineHtml(a, true, true), "<b>nightly-backup</b>"));
  CHECK_FALSE(Has(AlertMarkdown(a), "]("));
  CHECK_FALSE(Has(AlertText(a), "Open the check"));
}

TEST_CASE("message: a test alert says so everywhere") {
  Alert a = MakeAlert();
  a.is_test = true;
  a.reason = "test";
  CHECK(AlertSubject(a) == "[TEST] DOWN | nightly-backup");
  CHECK(AlertTitle(a) == "[TEST] “nightly-backup” is DOWN.");
  for (const std::string& text : {AlertText(a), AlertHtml(a), AlertMarkdown(a),
                                  kind_internal::AlertInlineHtml(a, true, true)}) {
    CHECK(Has(text, "test notification"));
    CHECK(Has(text, "nothing is actually down"));
  }
}

TEST_CASE("message: the description comes first, on one line and cut") {
  Alert a = MakeAlert();
  a.check.desc = "first\nsecond " + std::string(400, 'd');
  auto facts = kind_internal::AlertFacts(a);
  REQUIRE(facts.front().label == "Description");
  CHECK(facts.front().value.find('\n') == std::string::npos);
  CHECK(kind_internal::Utf8Length(facts.front().value) == 300);
  a.project_name.clear();
  a.check.tags.clear();
  a.check.desc.clear();
  facts = kind_internal::AlertFacts(a);
  REQUIRE(facts.size() == 3);
  CHECK(facts[0].label == "Schedule");
  CHECK(facts[1].label == "Total pings");
}

}  // namespace
}  // namespace dogwatch
